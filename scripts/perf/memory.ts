/**
 * `memory`: resident memory of node processes, idle and with a full mempool.
 *
 * - rssPerNodeIdleMb: mean VmRSS of `nodes` node processes, run as `npm run devnet` runs them (the
 *   build `options.build`: the devnet's esbuild bundle, run by plain `node`), after every node
 *   started and IDLE_SETTLE_MS passed with no load.
 * - mempool10kDeltaMb: how much that mean grows once `mempoolTxs` payments (funded first, then
 *   signed SIGN_AHEAD_MS ahead and pushed by the injector at `rate`, each to one node in turn) are
 *   in every node's mempool. Relay spreads them first; when it stops bringing any
 *   (RELAY_PLATEAU_MS), each node is pushed the payments it still lacks (`detail.fill` says how
 *   many relay alone delivered; the mempool exchange offers only the last minute's payments).
 * - Baseline in the same run: the same idle network run through tsx (the old devnet);
 *   `detail.tsx` and `detail.buildSavesMb` say what running built JavaScript alone saves, in memory
 *   and in start-up time of the whole network.
 */
import { txidOfBytes } from '../../src/chain/objects/transaction.js';
import { NodeUnreachableError } from '../../src/cli/rpc-client.js';
import { toHex } from '../../src/crypto/hash.js';
import type { CompiledTree } from '../../src/devnet/compiled-build.js';
import type { PerfDevnet } from './devnet.js';
import { fundCoins, type LoadNetwork, mempoolSize, startLoadNetwork } from './load-network.js';
import { rssMb } from './proc.js';
import { mean, percentile, round } from './stats.js';

/** How far ahead (ms of pushing at the fill rate) payments are signed before they are pushed. */
const SIGN_AHEAD_MS = 5_000;
/** Quiet time (ms) after start before idle memory is read: connections, meshes, first GCs settle. */
const IDLE_SETTLE_MS = 15_000;

export interface MemoryOptions {
  readonly repoRoot: string;
  readonly nodes: number;
  readonly mempoolTxs: number;
  /** Payments per second pushed while filling the mempools. */
  readonly rate: number;
  /** Longest wait (ms) for every mempool to hold every payment. */
  readonly fillTimeoutMs: number;
  /** What the nodes run: the devnet's bundle (ensureCachedBuild) or a per-file build. */
  readonly build: CompiledTree;
  /** Skip the tsx baseline (its network costs another start of every node). */
  readonly baseline: boolean;
  readonly log: (text: string) => void;
}

interface RssFigures {
  readonly meanMb: number;
  readonly maxMb: number;
  readonly p50Mb: number;
}

export interface MemoryResult {
  readonly rssPerNodeIdleMb: number;
  /** null when the mempools could not be filled (see `detail.fillError`). */
  readonly mempool10kDeltaMb: number | null;
  readonly detail: {
    readonly nodes: number;
    readonly idle: RssFigures;
    /** Read IDLE_SETTLE_MS after every mempool was full (the figure behind mempool10kDeltaMb). */
    readonly full?: RssFigures;
    /** Read at once when every mempool was full. */
    readonly justFilled?: RssFigures;
    readonly fillError?: string;
    /** Smallest mempool among the nodes when the full figure was read (mempoolTxs when all arrived). */
    readonly mempoolTxsReached: number;
    readonly fillMs: number;
    /** How the payments got there: relay alone, then direct pushes of what relay did not bring. */
    readonly fill?: FillReport;
    readonly startAllMs: number;
    readonly tsx?: { readonly idle: RssFigures; readonly startAllMs: number };
    readonly buildSavesMb?: number;
    readonly buildSavesStartMs?: number;
  };
}

async function rssOf(devnet: PerfDevnet): Promise<RssFigures> {
  const values = (await Promise.all(devnet.nodes.map((node) => rssMb(node.pid)))).filter(
    (v): v is number => v !== undefined,
  );
  return {
    meanMb: round(mean(values), 1),
    maxMb: round(Math.max(...values), 1),
    p50Mb: round(percentile(values, 50), 1),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How long (ms) no mempool may grow before relay counts as done: two anti-entropy rounds
 * (STATUS_POLL_INTERVAL_MS, 15 s) with no transaction gained anywhere.
 */
const RELAY_PLATEAU_MS = 30_000;
/** Rate (tx/s) at which one node is handed the payments relay did not bring it. */
const TOP_UP_RATE = 250;
/** Top-up rounds at most (each: list every mempool, push what it lacks, wait for a plateau). */
const TOP_UP_ROUNDS = 3;

/** How the payments reached the mempools: by relay alone, then by direct pushes of what was missing. */
export interface FillReport {
  /** Smallest and mean mempool when relay stopped bringing anything (after the injector's pushes). */
  readonly relayMin: number;
  readonly relayMean: number;
  /** ms from the first push until relay reached every mempool or stopped bringing anything. */
  readonly relayMs: number;
  /** Payments that were in no mempool at all when relay stopped. */
  readonly missingEverywhere: number;
  /** Payments pushed again, directly to a node whose mempool lacked them (all rounds). */
  readonly toppedUp: number;
  readonly topUpRounds: number;
}

/** Pause (ms) before asking a node again whose RPC connection was reset. */
const RPC_RETRY_DELAY_MS = 500;

/**
 * `call()`, asked once more after a reset connection: the bench polls the nodes' RPC between long
 * pauses (the pushes take a minute), and a kept-alive socket the node closed meanwhile can be
 * reused before the bench has read the close, which fails the call with ECONNRESET although the
 * node is up. A node that is really gone fails the second call too.
 */
async function retryReset<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof NodeUnreachableError)) throw err;
    await sleep(RPC_RETRY_DELAY_MS);
    return call();
  }
}

async function mempoolSizes(net: LoadNetwork): Promise<number[]> {
  return Promise.all(net.devnet.nodes.map((node) => retryReset(() => mempoolSize(net.devnet, node.index))));
}

/**
 * Polls every mempool until each holds `target` transactions, none grew for `plateauMs`, or the
 * deadline passed; returns the last sizes.
 */
async function settle(
  net: LoadNetwork,
  target: number,
  plateauMs: number,
  deadline: number,
): Promise<number[]> {
  let sizes = await mempoolSizes(net);
  let grewAt = performance.now();
  while (
    Math.min(...sizes) < target &&
    performance.now() - grewAt < plateauMs &&
    performance.now() < deadline
  ) {
    await sleep(1_000);
    const next = await mempoolSizes(net);
    if (next.some((size, i) => size > sizes[i]!)) grewAt = performance.now();
    sizes = next;
  }
  return sizes;
}

/** For each node, the indices (into `txids`) of the payments its mempool lacks. */
async function missingPerNode(net: LoadNetwork, txids: readonly string[]): Promise<number[][]> {
  return Promise.all(
    net.devnet.nodes.map(async (node) => {
      const held = new Set((await retryReset(() => net.devnet.rpc(node.index).call('mempool'))).txids);
      return txids.flatMap((txid, i) => (held.has(txid) ? [] : [i]));
    }),
  );
}

/**
 * Connects the injector, funds and pushes `mempoolTxs` payments (each to one node, in turn), waits
 * for relay to spread them, then pushes to each node whatever it still lacks, so that every mempool
 * holds every payment; reads memory then.
 */
async function fill(
  net: LoadNetwork,
  options: MemoryOptions,
): Promise<{
  full: RssFigures;
  justFilled: RssFigures;
  reached: number;
  fillMs: number;
  report: FillReport;
}> {
  await net.connect();
  await fundCoins(net.devnet, net.injector, net.coinSource, options.mempoolTxs, options.log);
  const target = options.mempoolTxs;
  const started = performance.now();
  const deadline = started + options.fillTimeoutMs;
  // Signed batch by batch, just before being pushed, as a wallet sends them: a payment signed a
  // minute before it is sent is older than nodes push (PUSH_MAX_AGE_MS) and travels by Inv alone.
  const batch = Math.max(1, Math.round((options.rate * SIGN_AHEAD_MS) / 1_000));
  const txs: Uint8Array[] = [];
  let dropped = 0;
  while (txs.length < target) {
    const payments = net.coinSource.payments(Math.min(batch, target - txs.length));
    txs.push(...payments);
    dropped += (await net.injector.pushPaced(payments, options.rate, true)).dropped;
  }
  const txids = txs.map((tx) => toHex(txidOfBytes(tx)));
  if (dropped > 0) options.log(`  ${dropped} pushes refused by full queues, retried`);
  let sizes = await settle(net, target, RELAY_PLATEAU_MS, deadline);
  const relayMs = Math.round(performance.now() - started);
  const relayMin = Math.min(...sizes);
  const relayMean = Math.round(mean(sizes));
  let missing = await missingPerNode(net, txids);
  const everywhere = new Set(missing[0] ?? []);
  for (const lacks of missing.slice(1)) {
    const lacked = new Set(lacks);
    for (const i of everywhere) if (!lacked.has(i)) everywhere.delete(i);
  }
  options.log(
    `  by relay: ${relayMin} to ${Math.max(...sizes)} transactions per mempool (mean ${relayMean}) after ${(relayMs / 1000).toFixed(1)} s; ${everywhere.size} in no mempool`,
  );
  let toppedUp = 0;
  let rounds = 0;
  while (
    missing.some((lacks) => lacks.length > 0) &&
    rounds < TOP_UP_ROUNDS &&
    performance.now() < deadline
  ) {
    rounds++;
    const round = missing.reduce((sum, lacks) => sum + lacks.length, 0);
    toppedUp += round;
    options.log(`  top-up ${rounds}: pushing ${round} missing transactions to the nodes that lack them`);
    await Promise.all(
      missing.map((lacks, node) =>
        lacks.length === 0
          ? undefined
          : net.injector.pushPacedTo(
              node,
              lacks.map((i) => txs[i]!),
              TOP_UP_RATE,
            ),
      ),
    );
    sizes = await settle(net, target, RELAY_PLATEAU_MS, deadline);
    missing = await missingPerNode(net, txids);
  }
  const reached = Math.min(...sizes);
  const fillMs = Math.round(performance.now() - started);
  const justFilled = await rssOf(net.devnet);
  // Read the full figure after the same quiet time as the idle one: right after the burst the heap
  // still holds the garbage of validating and relaying 10,000 transactions.
  await sleep(IDLE_SETTLE_MS);
  const full = await rssOf(net.devnet);
  options.log(
    `  ${reached} transactions in every mempool after ${(fillMs / 1000).toFixed(1)} s: ${justFilled.meanMb} MB per node at once, ${full.meanMb} MB ${IDLE_SETTLE_MS / 1000} s later`,
  );
  return {
    full,
    justFilled,
    reached,
    fillMs,
    report: {
      relayMin,
      relayMean,
      relayMs,
      missingEverywhere: everywhere.size,
      toppedUp,
      topUpRounds: rounds,
    },
  };
}

export async function benchMemory(options: MemoryOptions): Promise<MemoryResult> {
  options.log(
    `memory: ${options.nodes} nodes idle, then ${options.mempoolTxs} transactions in every mempool`,
  );
  const net = await startLoadNetwork({
    count: options.nodes,
    coins: 0,
    runtime: 'compiled',
    build: options.build,
    repoRoot: options.repoRoot,
    log: options.log,
    deferConnect: true,
  });
  let idle: RssFigures;
  let full: RssFigures | undefined;
  let justFilled: RssFigures | undefined;
  let reached: number;
  let fillMs: number;
  let fillError: string | undefined;
  let report: FillReport | undefined;
  try {
    await sleep(IDLE_SETTLE_MS);
    idle = await rssOf(net.devnet);
    options.log(`  idle: ${idle.meanMb} MB per node (max ${idle.maxMb})`);
    ({ full, justFilled, reached, fillMs, report } = await fill(net, options).catch((err: Error) => {
      fillError = err.message;
      options.log(`  mempool fill failed: ${err.message}`);
      return { full: undefined, justFilled: undefined, reached: 0, fillMs: 0, report: undefined };
    }));
  } finally {
    await net.stop();
  }
  let tsx: { idle: RssFigures; startAllMs: number } | undefined;
  if (options.baseline) {
    const baseline = await startLoadNetwork({
      count: options.nodes,
      coins: 0,
      runtime: 'tsx',
      repoRoot: options.repoRoot,
      log: options.log,
      deferConnect: true,
    });
    try {
      await sleep(IDLE_SETTLE_MS);
      tsx = { idle: await rssOf(baseline.devnet), startAllMs: Math.round(baseline.startedMs) };
      options.log(`  tsx, idle: ${tsx.idle.meanMb} MB per node`);
    } finally {
      await baseline.stop();
    }
  }
  return {
    rssPerNodeIdleMb: idle.meanMb,
    mempool10kDeltaMb: full === undefined ? null : round(full.meanMb - idle.meanMb, 1),
    detail: {
      nodes: options.nodes,
      idle,
      ...(full === undefined ? {} : { full }),
      ...(justFilled === undefined ? {} : { justFilled }),
      ...(fillError === undefined ? {} : { fillError }),
      mempoolTxsReached: reached,
      fillMs,
      ...(report === undefined ? {} : { fill: report }),
      startAllMs: Math.round(net.startedMs),
      ...(tsx === undefined
        ? {}
        : {
            tsx,
            buildSavesMb: round(tsx.idle.meanMb - idle.meanMb, 1),
            buildSavesStartMs: Math.round(tsx.startAllMs - net.startedMs),
          }),
    },
  };
}
