/**
 * `memory`: resident memory of node processes, idle and with a full mempool.
 *
 * - rssPerNodeIdleMb: mean VmRSS of `nodes` node processes (run as the devnet runs them, through
 *   tsx) after every node started and IDLE_SETTLE_MS passed with no load.
 * - mempool10kDeltaMb: how much that mean grows once `mempoolTxs` payments (funded first, then
 *   pushed by the injector at `rate`) are in every node's mempool.
 * - Baseline in the same run: the same idle network from a compiled build run by plain `node`
 *   (compiled-build.ts); `detail.compiled` and `detail.compiledSavesMb` say what that alone saves,
 *   in memory and in start-up time of the whole network.
 */
import type { CompiledTree } from './compiled-build.js';
import type { PerfDevnet } from './devnet.js';
import { fundCoins, type LoadNetwork, mempoolSize, startLoadNetwork } from './load-network.js';
import { rssMb } from './proc.js';
import { mean, percentile, round } from './stats.js';

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
  readonly build: CompiledTree;
  /** Skip the compiled baseline (its network costs another start of every node). */
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
    readonly tsxIdle: RssFigures;
    readonly tsxFull?: RssFigures;
    readonly fillError?: string;
    /** Smallest mempool among the nodes when the full figure was read (mempoolTxs when all arrived). */
    readonly mempoolTxsReached: number;
    readonly fillMs: number;
    readonly tsxStartAllMs: number;
    readonly compiled?: { readonly idle: RssFigures; readonly startAllMs: number };
    readonly compiledSavesMb?: number;
    readonly compiledSavesStartMs?: number;
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

/** Connects the injector, funds and pushes `mempoolTxs` payments; reads memory once they are in. */
async function fill(
  net: LoadNetwork,
  options: MemoryOptions,
): Promise<{ tsxFull: RssFigures; reached: number; fillMs: number }> {
  await net.connect();
  await fundCoins(net.devnet, net.injector, net.coinSource, options.mempoolTxs, options.log);
  const txs = net.coinSource.payments(options.mempoolTxs);
  const started = performance.now();
  const paced = await net.injector.pushPaced(txs, options.rate, true);
  if (paced.dropped > 0) options.log(`  ${paced.dropped} pushes refused by full queues, retried`);
  const deadline = started + options.fillTimeoutMs;
  let reached: number;
  for (;;) {
    const sizes = await Promise.all(net.devnet.nodes.map((node) => mempoolSize(net.devnet, node.index)));
    reached = Math.min(...sizes);
    if (reached >= options.mempoolTxs || performance.now() > deadline) break;
    await sleep(1_000);
  }
  const fillMs = Math.round(performance.now() - started);
  const tsxFull = await rssOf(net.devnet);
  options.log(
    `  ${reached} transactions in every mempool after ${(fillMs / 1000).toFixed(1)} s: ${tsxFull.meanMb} MB per node`,
  );
  return { tsxFull, reached, fillMs };
}

export async function benchMemory(options: MemoryOptions): Promise<MemoryResult> {
  options.log(
    `memory: ${options.nodes} nodes idle, then ${options.mempoolTxs} transactions in every mempool`,
  );
  const net = await startLoadNetwork({
    count: options.nodes,
    coins: 0,
    runtime: 'tsx',
    repoRoot: options.repoRoot,
    log: options.log,
    deferConnect: true,
  });
  let tsxIdle: RssFigures;
  let tsxFull: RssFigures | undefined;
  let reached: number;
  let fillMs: number;
  let fillError: string | undefined;
  try {
    await sleep(IDLE_SETTLE_MS);
    tsxIdle = await rssOf(net.devnet);
    options.log(`  idle: ${tsxIdle.meanMb} MB per node (max ${tsxIdle.maxMb})`);
    ({ tsxFull, reached, fillMs } = await fill(net, options).catch((err: Error) => {
      fillError = err.message;
      options.log(`  mempool fill failed: ${err.message}`);
      return { tsxFull: undefined, reached: 0, fillMs: 0 };
    }));
  } finally {
    await net.stop();
  }
  let compiled: { idle: RssFigures; startAllMs: number } | undefined;
  if (options.baseline) {
    const baseline = await startLoadNetwork({
      count: options.nodes,
      coins: 0,
      runtime: 'compiled',
      build: options.build,
      repoRoot: options.repoRoot,
      log: options.log,
      deferConnect: true,
    });
    try {
      await sleep(IDLE_SETTLE_MS);
      compiled = { idle: await rssOf(baseline.devnet), startAllMs: Math.round(baseline.startedMs) };
      options.log(`  compiled, idle: ${compiled.idle.meanMb} MB per node`);
    } finally {
      await baseline.stop();
    }
  }
  return {
    rssPerNodeIdleMb: tsxIdle.meanMb,
    mempool10kDeltaMb: tsxFull === undefined ? null : round(tsxFull.meanMb - tsxIdle.meanMb, 1),
    detail: {
      nodes: options.nodes,
      tsxIdle,
      ...(tsxFull === undefined ? {} : { tsxFull }),
      ...(fillError === undefined ? {} : { fillError }),
      mempoolTxsReached: reached,
      fillMs,
      tsxStartAllMs: Math.round(net.startedMs),
      ...(compiled === undefined
        ? {}
        : {
            compiled,
            compiledSavesMb: round(tsxIdle.meanMb - compiled.idle.meanMb, 1),
            compiledSavesStartMs: Math.round(net.startedMs - compiled.startAllMs),
          }),
    },
  };
}
