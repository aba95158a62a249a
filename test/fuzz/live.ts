/**
 * Fuzzing a live node through real libp2p: one in-process TrustmeshNode (LevelDB, TCP on
 * 127.0.0.1, gossipsub, every stream protocol) and raw libp2p peers that send it mutated inputs:
 *
 * - `getdata`, `sync`, `txpush-subscribe`, `addr`: a new stream per input, carrying mutated
 *   frames of the protocol's requests (the node's servers read them);
 * - `txpush-push` and `sync-response`: the raw peer serves both protocols, so when the node
 *   connects it subscribes to our pushes and asks our status; we answer with mutated frames (the
 *   node's clients read them). Each such input is one reconnection;
 * - `gossip`: mutated `Inv`s published on the inventory topic. Gossipsub graylists a sender after
 *   three Rejects (P4), after which the node rightly ignores it, so gossip inputs rotate through
 *   fresh raw peers, GOSSIP_PER_PEER each.
 *
 * The raw peers are on the node's allow-list (never quarantined) so the run is not cut short by
 * the bans it provokes. Afterwards the node must still answer a valid status request and accept a
 * valid payment. Uncaught exceptions and unhandled rejections are recorded as crashes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stream } from '@libp2p/interface';
import fc from 'fast-check';
import { toHex } from '../../src/crypto/hash.js';
import type { TrustmeshNode } from '../../src/node/trustmesh-node.js';
import { addrProtocol } from '../../src/p2p/membership/addr-relay.js';
import { createP2PNode, type P2PNode } from '../../src/p2p/node/index.js';
import { decodeStatus, encodeSyncRequest } from '../../src/p2p/wire/codec.js';
import { getDataProtocol, syncProtocol, txPushProtocol } from '../../src/p2p/wire/constants.js';
import { TestNetwork } from '../helpers/network.js';
import { waitFor } from '../helpers/wait.js';
import { openTestChain, removeDir, TestClock } from '../unit/chain-state/helpers.js';
import { fuzzCaseArb, materialize, type PrefixFinder } from './mutate.js';
import { framePrefixes, messagePrefixes } from './protobuf-prefixes.js';
import type { Crash } from './run.js';
import { buildSeeds, frames, type SeedSet } from './seeds.js';

const NETWORK = 'regtest';
/** Inputs a gossip sender gets before it is replaced (gossipsub graylists at the third Reject). */
const GOSSIP_PER_PEER = 2;
/** How long (ms) we read a node's answer on a fuzzed stream before hanging up. */
const ANSWER_WAIT_MS = 300;
/** How long (ms) a reconnection may take to bring the node's push subscription and sync request. */
const RECONNECT_WAIT_MS = 3_000;
/** Memory is sampled every this many inputs. */
const MEMORY_SAMPLE_EVERY = 50;

export type LiveChannel = 'getdata' | 'sync' | 'txpush-subscribe' | 'addr' | 'client' | 'gossip';

export interface LiveReport {
  readonly seed: number;
  readonly totalRuns: number;
  readonly byChannel: Record<LiveChannel, number>;
  readonly crashes: Crash[];
  readonly unhandledRejections: string[];
  /** The node answered a valid status request and accepted a valid payment afterwards. */
  readonly nodeAlive: boolean;
  readonly peakRssMb: number;
  readonly ms: number;
}

export interface LiveOptions {
  readonly runs: number;
  readonly seed: number;
  readonly log?: (text: string) => void;
}

/** Share of the inputs per channel (gossip and client inputs cost a connection each). */
const SHARES: ReadonlyArray<[LiveChannel, number]> = [
  ['getdata', 0.25],
  ['sync', 0.2],
  ['txpush-subscribe', 0.2],
  ['addr', 0.15],
  ['client', 0.1],
  ['gossip', 0.1],
];

/** A stream of inputs for one corpus: fast-check samples, materialized lazily. */
function inputs(
  seeds: readonly Uint8Array[],
  prefixes: PrefixFinder,
  count: number,
  seed: number,
): Uint8Array[] {
  return fc
    .sample(fuzzCaseArb(seeds.length), { numRuns: count, seed })
    .map((input) => materialize(input, seeds, prefixes));
}

async function startRawPeer(): Promise<{ p2p: P2PNode; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'trustmesh-fuzz-peer-'));
  const p2p = await createP2PNode({
    network: NETWORK,
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    devnetLoopback: true,
  });
  return { p2p, dir };
}

/** Writes `bytes` on a new stream of `protocol`, reads the answer briefly, then hangs up. */
async function sendOnStream(
  raw: P2PNode,
  node: TrustmeshNode,
  protocol: string,
  bytes: Uint8Array,
): Promise<void> {
  let stream: Stream;
  try {
    stream = await raw.libp2p.dialProtocol(node.p2p.peerId, protocol, { signal: AbortSignal.timeout(2_000) });
  } catch {
    return; // refused (e.g. the node's per-peer stream limit while the last one closes): no input
  }
  try {
    await stream.sink([bytes]);
    const signal = AbortSignal.timeout(ANSWER_WAIT_MS);
    const reading = (async () => {
      for await (const _ of stream.source) {
        // the node's answer (if any) is discarded
      }
    })();
    await Promise.race([reading, new Promise((resolve) => signal.addEventListener('abort', resolve))]);
    void reading.catch(() => undefined);
  } catch {
    // reset by the node: the expected answer to most inputs
  } finally {
    stream.abort(new Error('fuzz input done'));
  }
}

/** Asks the node's status on a clean stream; true when a valid Status comes back. */
async function statusAnswered(raw: P2PNode, node: TrustmeshNode): Promise<boolean> {
  try {
    const stream = await raw.libp2p.dialProtocol(node.p2p.peerId, syncProtocol(NETWORK), {
      signal: AbortSignal.timeout(5_000),
    });
    await stream.sink([frames([encodeSyncRequest({ kind: 'status' })])]);
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream.source) chunks.push(chunk.subarray());
    const all = Buffer.concat(chunks);
    const status = decodeStatus(all.subarray(all[0]! < 0x80 ? 1 : all[1]! < 0x80 ? 2 : 3));
    return toHex(status.tip) === node.chain.tip().idHex;
  } catch {
    return false;
  }
}

export async function runLiveFuzz(options: LiveOptions): Promise<LiveReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const crashes: Crash[] = [];
  const unhandled: string[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
  };
  const onUncaught = (err: Error): void => {
    crashes.push({
      target: 'live:uncaught',
      error: `${err.name}: ${err.message}`,
      stack: (err.stack ?? '').split('\n').slice(1, 6).join('\n'),
      inputHex: '',
      count: 1,
    });
  };
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUncaught);
  let peakRss = 0;
  const sample = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };

  const seedChain = await openTestChain(undefined, new TestClock(Date.now()));
  let seeds: SeedSet;
  try {
    seeds = buildSeeds(seedChain.chain);
  } finally {
    await seedChain.chain.close();
    await removeDir(seedChain.dir);
  }

  const raws: Array<{ p2p: P2PNode; dir: string }> = [];
  const gossipCount = Math.ceil(options.runs * SHARES.find(([c]) => c === 'gossip')![1]);
  const gossipPeers = Math.ceil(gossipCount / GOSSIP_PER_PEER);
  raws.push(await startRawPeer());
  for (let i = 0; i < gossipPeers; i++) raws.push(await startRawPeer());
  const main = raws[0]!.p2p;
  const allow = raws.map((r) => r.p2p.peerId.toString());

  // The client-side channels: the node subscribes to our pushes and asks our status on connect.
  const counts: Record<LiveChannel, number> = {
    getdata: 0,
    sync: 0,
    'txpush-subscribe': 0,
    addr: 0,
    client: 0,
    gossip: 0,
  };
  let pushAnswers: Uint8Array[] = [];
  let syncAnswers: Uint8Array[] = [];
  let subscriptions = 0;
  await main.libp2p.handle(
    txPushProtocol(NETWORK),
    ({ stream }) => {
      subscriptions++;
      const bytes = pushAnswers.shift();
      void (async () => {
        try {
          if (bytes !== undefined) await stream.sink([bytes]);
        } catch {
          // reset by the node
        }
      })();
    },
    { maxInboundStreams: 4 },
  );
  await main.libp2p.handle(
    syncProtocol(NETWORK),
    ({ stream }) => {
      const bytes = syncAnswers.shift();
      void (async () => {
        try {
          if (bytes === undefined) stream.abort(new Error('no answer'));
          else await stream.sink([bytes]);
        } catch {
          // reset by the node
        }
      })();
    },
    { maxInboundStreams: 4 },
  );

  const net = await TestNetwork.start({
    count: 1,
    nodeOptions: () => ({ allowList: allow, logLevel: 'warn' }),
  });
  let nodeAlive: boolean;
  try {
    const node = net.node(0);
    const budget = (channel: LiveChannel): number =>
      Math.ceil(options.runs * SHARES.find(([c]) => c === channel)![1]);

    const server = async (
      channel: LiveChannel,
      protocol: string,
      corpus: Uint8Array[],
      seedOffset: number,
    ) => {
      for (const bytes of inputs(corpus, framePrefixes, budget(channel), options.seed + seedOffset)) {
        await sendOnStream(main, node, protocol, bytes);
        if (++counts[channel] % MEMORY_SAMPLE_EVERY === 0) sample();
      }
      log(`  live ${channel.padEnd(17)} ${counts[channel]} inputs`);
    };
    const frameCorpus = (list: readonly Uint8Array[]): Uint8Array[] => [
      ...list.map((s) => frames([s])),
      frames(list),
    ];

    await main.libp2p.dial(node.p2p.multiaddrs()[0]!);
    await server('getdata', getDataProtocol(NETWORK), frameCorpus(seeds.getData), 1);
    await server('sync', syncProtocol(NETWORK), frameCorpus(seeds.syncRequest), 2);
    await server('txpush-subscribe', txPushProtocol(NETWORK), frameCorpus(seeds.pushSubscribe), 3);
    await server('addr', addrProtocol(NETWORK), frameCorpus(seeds.addrRequest), 7);

    // Client side: one reconnection per input, the node reads our mutated push and status frames.
    const clientRuns = budget('client');
    pushAnswers = inputs(frameCorpus(seeds.txPush), framePrefixes, clientRuns, options.seed + 4);
    syncAnswers = inputs(
      frameCorpus([...seeds.status, ...seeds.blockIds]),
      framePrefixes,
      clientRuns,
      options.seed + 5,
    );
    for (let i = 0; i < clientRuns; i++) {
      const before = subscriptions;
      await main.libp2p.hangUp(node.p2p.peerId).catch(() => undefined);
      await main.libp2p.dial(node.p2p.multiaddrs()[0]!).catch(() => undefined);
      await waitFor(() => subscriptions > before, RECONNECT_WAIT_MS, 'push subscription').catch(
        () => undefined,
      );
      if (++counts.client % MEMORY_SAMPLE_EVERY === 0) sample();
    }
    log(
      `  live client             ${counts.client} reconnections, ${subscriptions} push subscriptions by the node (mutated pushes and sync answers)`,
    );

    // Gossip: mutated Invs from rotating senders.
    const gossipInputs = inputs(seeds.inv, messagePrefixes, gossipCount, options.seed + 6);
    for (let p = 0; p < gossipPeers; p++) {
      const sender = raws[p + 1]!.p2p;
      await sender.libp2p.dial(node.p2p.multiaddrs()[0]!);
      await waitFor(
        () => sender.gossipsub.getSubscribers(sender.invTopic).some((id) => id.equals(node.p2p.peerId)),
        5_000,
        'the node subscribed to the inventory topic',
      ).catch(() => undefined);
      for (const bytes of gossipInputs.slice(p * GOSSIP_PER_PEER, (p + 1) * GOSSIP_PER_PEER)) {
        await sender.gossipsub.publish(sender.invTopic, bytes).catch(() => undefined);
        counts.gossip++;
      }
      await sender.libp2p.hangUp(node.p2p.peerId).catch(() => undefined);
    }
    log(`  live gossip             ${counts.gossip} inputs from ${gossipPeers} senders`);
    sample();

    // Still alive: answers a clean status request (on a fresh connection) and validates a payment.
    await main.libp2p.hangUp(node.p2p.peerId).catch(() => undefined);
    await main.libp2p.dial(node.p2p.multiaddrs()[0]!).catch(() => undefined);
    const answered = await statusAnswered(main, node);
    const payment = node.wallet.createPayment(node.wallet.address, 1_000n);
    const txid = node.submitTransaction(payment.bytes);
    nodeAlive = answered && node.chain.mempool.has(txid);
    log(`  alive check: status answered ${answered}, payment accepted ${node.chain.mempool.has(txid)}`);
  } finally {
    await net.cleanup();
    for (const raw of raws) {
      await raw.p2p.stop().catch(() => undefined);
      await rm(raw.dir, { recursive: true, force: true });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUncaught);
  }
  sample();
  return {
    seed: options.seed,
    totalRuns: Object.values(counts).reduce((a, b) => a + b, 0),
    byChannel: counts,
    crashes,
    unhandledRejections: unhandled,
    nodeAlive,
    peakRssMb: Math.round(peakRss / 2 ** 20),
    ms: Date.now() - started,
  };
}
