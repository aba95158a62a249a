/**
 * Compact block relay (BIP152-style) between real nodes over TCP with real LevelDB:
 *
 * 1. A block whose transactions every mempool holds reaches every node of a line as a compact block
 *    rebuilt from the mempool: no whole block is fetched anywhere, no offence is recorded.
 * 2. A block holding transactions only its miner had: the next node rebuilds it by asking the miner
 *    for just those (getBlockTxn), and passes it on.
 * 3. A raw peer pushing a compact block that does not describe its block (an extra short id): the
 *    node falls back to the whole block, connects it, and quarantines the liar (BAD_COMPACT_BLOCK,
 *    PROTOCOL_VIOLATION), while a collision (tested in the unit tests) costs nothing.
 * 4. A compact block whose header fails its proof of work is judged before any rebuilding work
 *    (INVALID_POW, flagrant).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeHeader, encodeHeader } from '../../../src/chain/encoding/codec.js';
import { fromHex } from '../../../src/crypto/hash.js';
import type { TrustmeshNode } from '../../../src/node/trustmesh-node.js';
import { compactBlockOf, encodeCompactBlock } from '../../../src/p2p/compact/compact-block.js';
import { GetDataServer } from '../../../src/p2p/getdata/server.js';
import { createP2PNode, type P2PNode } from '../../../src/p2p/node/index.js';
import { encodeCompactBlockPush, InvType } from '../../../src/p2p/wire/codec.js';
import { txPushProtocol } from '../../../src/p2p/wire/constants.js';
import { frameStream } from '../../../src/p2p/wire/framing.js';
import {
  allAtTip,
  allHaveTxs,
  line,
  mineOn,
  offencesAgainst,
  sendPayment,
  TestNetwork,
  waitFor,
} from '../../helpers/index.js';

/** The node's compact block events (pushed, rebuilt, or a fallback reason) and their counts. */
async function compactEvents(node: TrustmeshNode): Promise<Record<string, number>> {
  const metric = await node.metrics.compactBlocks.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.event), v.value]));
}

async function missingFetched(node: TrustmeshNode): Promise<number> {
  return (await node.metrics.compactMissingTxs.get()).values[0]?.value ?? 0;
}

const FALLBACKS = ['ambiguous', 'collision', 'too-many-missing', 'not-served', 'failed', 'lied'];

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('compact block relay', { timeout: 90_000 }, () => {
  it('carries a block of pooled transactions along a line as compact blocks rebuilt from mempools', async () => {
    const net = await TestNetwork.start({ count: 4, edges: line(4) });
    cleanups.push(() => net.cleanup());
    const nodes = net.nodes;
    const txids = Array.from({ length: 40 }, (_, i) =>
      sendPayment(nodes[i % 4]!, nodes[(i + 1) % 4]!, 1_000n + BigInt(i)),
    );
    await waitFor(() => allHaveTxs(nodes, txids), 20_000, '40 payments in every mempool');
    const id = await mineOn(nodes[0]!);
    await waitFor(() => allAtTip(nodes, id), 20_000, 'the block at every tip');
    for (const node of nodes.slice(1)) {
      const events = await compactEvents(node);
      expect(events.rebuilt ?? 0, node.config.name).toBeGreaterThanOrEqual(1);
      for (const reason of FALLBACKS) expect(events[reason] ?? 0, `${node.config.name} ${reason}`).toBe(0);
      expect(await missingFetched(node)).toBe(0);
      expect(node.chain.mempool.size).toBe(0);
    }
    for (const node of nodes) expect(node.reputation.list().every((r) => r.totalOffences === 0)).toBe(true);
  });

  it("fetches only the transactions a node lacks from the block's sender", async () => {
    const net = await TestNetwork.start({ count: 3, edges: line(3) });
    cleanups.push(() => net.cleanup());
    const [miner, next, last] = [net.node(0), net.node(1), net.node(2)];
    // Three payments only the miner's mempool holds (accepted locally, never announced or pushed).
    const secret = Array.from({ length: 3 }, (_, i) => {
      const payment = miner.wallet.createPayment(next.wallet.address, 5_000n + BigInt(i));
      return miner.chain.acceptTransaction(payment.bytes).txidHex;
    });
    const shared = sendPayment(next, last, 7_000n);
    await waitFor(() => allHaveTxs(net.nodes, [shared]), 10_000, 'the shared payment everywhere');
    expect(next.chain.mempool.has(secret[0]!)).toBe(false);
    const id = await mineOn(miner);
    await waitFor(() => allAtTip(net.nodes, id), 20_000, 'the block at every tip');
    expect(await missingFetched(next)).toBe(3);
    expect((await compactEvents(next)).rebuilt).toBeGreaterThanOrEqual(1);
    for (const node of net.nodes)
      expect(node.reputation.list().every((r) => r.totalOffences === 0)).toBe(true);
  });

  /** Two single-node networks, not connected: a block mined on `source` is new to `target`. */
  async function separateNodes(): Promise<{ source: TestNetwork; target: TestNetwork }> {
    const source = await TestNetwork.start({ count: 1 });
    const target = await TestNetwork.start({ count: 1 });
    cleanups.push(
      () => source.cleanup(),
      () => target.cleanup(),
    );
    return { source, target };
  }

  /** `node` dials the raw peer (and so subscribes to its pushes); returns the raw peer's id. */
  async function dialRaw(node: TrustmeshNode, raw: P2PNode): Promise<string> {
    await node.p2p.libp2p.dial(raw.multiaddrs()[0]!);
    return raw.peerId.toString();
  }

  /** A raw libp2p peer that serves `block` by getdata and answers a txpush subscription with `push`. */
  async function rawPeer(idHex: string, block: Uint8Array, push: Uint8Array): Promise<P2PNode> {
    const dataDir = await mkdtemp(join(tmpdir(), 'trustmesh-raw-compact-'));
    const raw = await createP2PNode({
      network: 'regtest',
      dataDir,
      host: '127.0.0.1',
      port: 0,
      devnetLoopback: true,
    });
    const server = new GetDataServer(raw.libp2p, {
      network: 'regtest',
      source: {
        getObject: async (type, hash) =>
          type === InvType.BLOCK && Buffer.from(hash).equals(fromHex(idHex)) ? block : undefined,
        blockTransactions: async () => [],
        status: () => ({
          genesis: new Uint8Array(32),
          tip: new Uint8Array(32),
          height: 0,
          cumulativeWork: 0n,
        }),
        blocksAfter: () => [],
        headersAfter: async () => [],
        mempoolTxids: () => [],
      },
    });
    await server.start();
    cleanups.push(async () => {
      await server.stop();
      await raw.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
    // The node subscribes to every peer's pushes: the raw peer answers with `push`.
    await raw.libp2p.handle(txPushProtocol('regtest'), ({ stream }) => {
      void frameStream(stream, 1024)
        .write(encodeCompactBlockPush(push))
        .catch(() => undefined);
    });
    return raw;
  }

  it('fetches the whole block when a compact block lies, and quarantines the liar', async () => {
    const { source, target } = await separateNodes();
    const idHex = await mineOn(source.node(0));
    const block = (await source.node(0).chain.getBlockBytes(idHex))!;
    const honest = compactBlockOf(block);
    // One short id too many: no such block exists.
    const raw = await rawPeer(
      idHex,
      block,
      encodeCompactBlock({ ...honest, shortIds: [...honest.shortIds, 123_456] }),
    );
    const node = target.node(0);
    const rawId = await dialRaw(node, raw);
    await waitFor(() => node.chain.tip().idHex === idHex, 15_000, 'the block connected from the whole block');
    await waitFor(() => node.reputation.isQuarantined(rawId), 10_000, 'the liar quarantined');
    expect(offencesAgainst(node, rawId, 'PROTOCOL_VIOLATION')).toBe(1);
    expect((await compactEvents(node)).failed).toBe(1); // its getBlockTxn went unanswered
  });

  it('treats a rebuilt block that does not match its header as a collision until the whole block shows a lie', async () => {
    const { source, target } = await separateNodes();
    // Two payments both mempools hold, mined by the source.
    for (const amount of [5_000n, 6_000n]) {
      const payment = source.node(0).wallet.createPayment(target.node(0).wallet.address, amount);
      source.node(0).chain.acceptTransaction(payment.bytes);
      target.node(0).chain.acceptTransaction(payment.bytes);
    }
    const idHex = await mineOn(source.node(0));
    const block = (await source.node(0).chain.getBlockBytes(idHex))!;
    const honest = compactBlockOf(block);
    expect(honest.shortIds).toHaveLength(2);
    // The short ids in the wrong order: every transaction is found, the rebuilt block is not the block.
    const raw = await rawPeer(
      idHex,
      block,
      encodeCompactBlock({ ...honest, shortIds: [...honest.shortIds].reverse() }),
    );
    const node = target.node(0);
    const rawId = await dialRaw(node, raw);
    await waitFor(() => node.chain.tip().idHex === idHex, 15_000, 'the block connected from the whole block');
    await waitFor(() => node.reputation.isQuarantined(rawId), 10_000, 'the liar quarantined');
    expect(offencesAgainst(node, rawId, 'PROTOCOL_VIOLATION')).toBe(1);
    expect(offencesAgainst(node, rawId, 'INVALID_MERKLE_ROOT')).toBe(0); // the mismatch alone blamed nobody
    expect((await compactEvents(node)).collision).toBe(1);
  });

  it('checks the proof of work of a compact block before rebuilding anything', async () => {
    const { source, target } = await separateNodes();
    const idHex = await mineOn(source.node(0));
    const block = (await source.node(0).chain.getBlockBytes(idHex))!;
    const honest = compactBlockOf(block);
    // The same header claiming the hardest target: its id is far above it.
    const header = encodeHeader({
      ...decodeHeader(honest.header),
      target: new Uint8Array(32).fill(0).fill(1, 31) as never,
    });
    const forged = encodeCompactBlock({ ...honest, header });
    const raw = await rawPeer(idHex, block, forged);
    const node = target.node(0);
    const rawId = await dialRaw(node, raw);
    await waitFor(() => node.reputation.isQuarantined(rawId), 10_000, 'the forger quarantined');
    expect(offencesAgainst(node, rawId, 'INVALID_POW')).toBe(1);
    const events = await compactEvents(node);
    expect(events.rebuilt ?? 0).toBe(0);
    expect(events.failed ?? 0).toBe(0); // no getBlockTxn was even tried
  });
});
