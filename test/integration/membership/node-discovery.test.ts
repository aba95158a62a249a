/**
 * Whole trustmesh nodes (chain, relay, sync, reputation) on their own loopback /16s, each started
 * with one bootstrap address and no static peer: they reach their outbound targets by discovery, a
 * transaction sent at any node reaches every mempool, and a split with no links between the halves
 * is detected on the side that stops receiving blocks, then converges after the heal. A
 * block-relay-only connection carries blocks and no transactions.
 */

/**
 * How long (ms) a transaction is given to cross a link that must not carry it: a full-relay link
 * carries it in well under a second (push at once, Inv within 500 ms, mempool exchange at connect).
 */
const NO_TX_WAIT_MS = 3_000;
import { afterEach, describe, expect, it } from 'vitest';
import { TrustmeshNodeApi } from '../../../src/node/node-api.js';
import type { TrustmeshNode } from '../../../src/node/trustmesh-node.js';
import {
  allAtTip,
  allHaveTxs,
  isConfirmed,
  mineOn,
  sendPayment,
  sleep,
  TestNetwork,
  tipOf,
  waitFor,
} from '../../helpers/index.js';

const FULL = 4;
const BLOCK = 1;
/** Nodes in the discovery test (the 12; set TRUSTMESH_MEMBERSHIP_NODES=20 to measure 20). */
const NODES = Number(process.env.TRUSTMESH_MEMBERSHIP_NODES ?? 12);

let net: TestNetwork | undefined;
afterEach(async () => {
  await net?.cleanup();
  net = undefined;
});

/** Starts `count` nodes at 127.(base+i).0.1, every one but the first bootstrapping from the first. */
async function discoveryNetwork(
  count: number,
  base: number,
  full = FULL,
  block = BLOCK,
): Promise<TestNetwork> {
  const network = await TestNetwork.start({ count: 0, edges: [] });
  const options = (i: number) => ({
    host: `127.${base + i}.0.1`,
    devAccount: i % 10,
    outboundFullRelay: full,
    blockRelayOnly: block,
  });
  await network.addNode(options(0));
  const bootstrap = [network.addressOf(0)];
  for (let i = 1; i < count; i++) await network.addNode({ ...options(i), bootstrap });
  return network;
}

function atTargets(node: TrustmeshNode, full = FULL, block = BLOCK): boolean {
  const s = node.services.membership.status();
  return s.outboundFullRelay >= full && s.blockRelayOnly >= block;
}

describe('open membership with whole nodes', () => {
  it(
    `${NODES} nodes from one bootstrap address reach their outbound targets; a transaction reaches every mempool`,
    async () => {
      const started = Date.now();
      net = await discoveryNetwork(NODES, 70);
      const allStarted = Date.now();
      await waitFor(
        () => net!.nodes.every((n) => atTargets(n)),
        30_000,
        'every node at its outbound targets',
      ).catch((err: Error) => {
        const lagging = net!.nodes
          .filter((n) => !atTargets(n))
          .map((n) => {
            const s = n.services.membership.status();
            return `${n.config.name}: ${s.outboundFullRelay}+${s.blockRelayOnly} out, ${s.inbound} in, book ${s.addrbook.new}/${s.addrbook.tried}`;
          });
        throw new Error(`${err.message}; lagging: ${lagging.join('; ')}`);
      });
      console.log(
        `membership: ${NODES} whole nodes at ${FULL}+${BLOCK} outbound peers ${Date.now() - started} ms ` +
          `after the first start, ${Date.now() - allStarted} ms after the last`,
      );
      const txid = sendPayment(net.node(7), net.node(3), 1_000n);
      await waitFor(() => allHaveTxs(net!.nodes, [txid]), 10_000, 'the transaction in every mempool');
      // What the RPC shows: status counts, the peers' membership fields, the address book.
      const api = new TrustmeshNodeApi(net.node(5).services);
      const status = await api.status();
      expect(status.outbound).toBeGreaterThanOrEqual(FULL + BLOCK);
      expect(status.partitionSuspected).toBe(false);
      const views = await api.peers();
      expect(views.filter((p) => p.connectionType === 'block-relay').length).toBeGreaterThanOrEqual(BLOCK);
      for (const p of views) {
        expect(p.netgroup).toMatch(/^ipv4:127\./);
        expect(['alive', 'suspect']).toContain(p.liveness);
        expect(p.connectedAt).toBeGreaterThan(0);
      }
      const book = await api.addrbook();
      expect(book.some((e) => e.table === 'tried')).toBe(true);
      expect(book.every((e) => e.addrs.length > 0 && e.netgroup.startsWith('ipv4:127.'))).toBe(true);
      for (const node of net.nodes) {
        const peers = node.services.membership.peers();
        const chosen = peers.filter(
          (p) => p.connectionType === 'outbound-full' || p.connectionType === 'block-relay',
        );
        expect(new Set(chosen.map((p) => p.netgroup)).size).toBe(chosen.length);
      }
    },
    30_000 + NODES * 5_000,
  );

  it('a split is suspected on the side without blocks and heals into one chain', async () => {
    net = await discoveryNetwork(6, 90, 2, 1);
    await waitFor(() => net!.nodes.every((n) => atTargets(n, 2, 1)), 30_000, 'every node at its targets');
    // Blocks arrive everywhere first.
    const first = await mineOn(net.node(0));
    await waitFor(() => allAtTip(net!.nodes, first), 10_000, 'first block everywhere');
    const left = [0, 1, 2];
    const right = [3, 4, 5];
    await net.partition(left, right);
    const splitAt = Date.now();
    // The left half keeps mining; the right half stops receiving blocks.
    let tip = first;
    const miner = setInterval(() => void mineOn(net!.node(0)).then((id) => (tip = id)), 1_000);
    try {
      await waitFor(
        () => right.every((i) => net!.node(i).services.membership.partition.suspected),
        60_000,
        'the right half suspects a partition',
      );
      const status = net.node(4).services.membership.partition;
      console.log(`partition: suspected ${Date.now() - splitAt} ms after the split: ${status.detail}`);
      // The right half stops receiving blocks (stale-tip), or first notices that its peers across the
      // cut went silent (peers-unreachable); the left half keeps mining, so its tip is never stale.
      expect(['stale-tip', 'peers-unreachable']).toContain(status.reason);
      expect(left.some((i) => net!.node(i).services.membership.partition.reason === 'stale-tip')).toBe(false);
      await net.heal(left, right);
      await waitFor(() => allAtTip(net!.nodes, tip), 30_000, 'one chain after the heal');
    } finally {
      clearInterval(miner);
    }
    await waitFor(
      () => right.every((i) => !net!.node(i).services.membership.partition.suspected),
      10_000,
      'suspicion cleared after the heal',
    );
  }, 150_000);

  it('a block-relay-only connection carries blocks but no transactions', async () => {
    net = await TestNetwork.start({ count: 0, edges: [] });
    // A keeps no outbound peers of its own; B's only outbound slot is block-relay-only, to A.
    await net.addNode({ host: '127.97.0.1', devAccount: 0, outboundFullRelay: 0, blockRelayOnly: 0 });
    await net.addNode({
      host: '127.98.0.1',
      devAccount: 1,
      outboundFullRelay: 0,
      blockRelayOnly: 1,
      bootstrap: [net.addressOf(0)],
    });
    const [a, b] = [net.node(0), net.node(1)];
    await waitFor(
      () => b.services.membership.isBlockRelayOnly(a.peerIdString),
      30_000,
      'B connected to A as block-relay-only',
    );
    const pendingBefore = sendPayment(a, b, 1_000n);
    await sleep(NO_TX_WAIT_MS);
    expect(b.chain.mempool.has(pendingBefore)).toBe(false);
    const block = await mineOn(a);
    await waitFor(() => tipOf(b).idHex === block, 10_000, 'the block at B');
    expect(isConfirmed(b, pendingBefore)).toBe(true);
  }, 60_000);
});
