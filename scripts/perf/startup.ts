/**
 * `startup`: from launching the devnet to every node up (its `started` line) and to every node at
 * height >= 1, and the idle CPU each node then uses (miners mine all the time, paced to
 * `--mining-cpu`, 10% of a core as `npm run devnet` sets it).
 *
 * Two kinds of run, each a fresh chain:
 * - `launcher` (devnet-launcher.ts): `npm run devnet` itself on nodes/devnet.json (5 nodes, 2
 *   miners, discovery), timed from spawning the launcher: with its compiled build on a cold cache
 *   (it builds first), on the warm cache with the machine as is and with one core kept busy by a
 *   spinning process the benchmark starts, and with `--tsx`, as is and busy; last, warm and busy
 *   with the trust map page (`npm run devnet`'s default; the others pass `--no-web`). The headline
 *   figures are the warm compiled build with the busy core (no page): what `npm run devnet` does on
 *   a loaded machine.
 * - `runs`: the node processes alone (devnet.ts: the generated topology, static peers), timed from
 *   spawning them: through tsx and from a compiled build, as is and busy, and a fifth devnet,
 *   compiled and as is, mining at full speed (`--mining-cpu 100%`, the node's default): the
 *   idle-CPU baseline. Each node's own times (up, height 1) are in `nodes`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import type { CompiledTree } from '../../src/devnet/compiled-build.js';
import { DEVNET_MINING_CPU } from '../../src/devnet/supervisor.js';
import { PerfDevnet, type Runtime } from './devnet.js';
import { LauncherDevnet, type LauncherTiming } from './devnet-launcher.js';
import { cpuMs } from './proc.js';
import { round } from './stats.js';

/** How long (ms) the first block may take on every node before the run counts as failed. */
const FIRST_BLOCK_TIMEOUT_MS = 120_000;
/** Window (ms) over which idle CPU is measured after the first block. */
const IDLE_CPU_WINDOW_MS = 5_000;
/** The baseline run's `--mining-cpu` (percent): no pacing, as every miner hashed before it. */
const FULL_SPEED_MINING_CPU = 100;

export interface StartupOptions {
  readonly repoRoot: string;
  readonly nodes: number;
  readonly miners: number;
  readonly build: CompiledTree;
  readonly log: (text: string) => void;
  /** The miners' `--mining-cpu` (percent); default `npm run devnet`'s, DEVNET_MINING_CPU. */
  readonly miningCpu?: number;
}

/** One node of a run: ms from launch to its `started` line and to height >= 1. */
export interface StartupNode {
  readonly name: string;
  readonly miner: boolean;
  readonly upMs: number;
  readonly heightOneMs: number;
}

export interface StartupRun {
  readonly runtime: Runtime;
  readonly busyCore: boolean;
  /** The machine's 1-minute load average when the run started (other agents share it). */
  readonly loadAverage: number;
  /** The miners' `--mining-cpu`, percent of one core. */
  readonly miningCpu: number;
  readonly allNodesUpMs: number;
  readonly firstBlockAllNodesMs: number;
  /** CPU share of one core per node while idle after the first block, miners and relays apart. */
  readonly idleCpuMiner: number;
  readonly idleCpuRelay: number;
  readonly nodes: StartupNode[];
}

/** One timed `npm run devnet`. */
export interface LauncherRun extends LauncherTiming {
  readonly runtime: Runtime;
  /** Compiled runs: true when the launcher reused its cached build, false when it built first; always false with --tsx. */
  readonly warmCache: boolean;
  readonly busyCore: boolean;
  /** With the trust map page (`npm run devnet`'s default), not `--no-web`. */
  readonly web: boolean;
  /** The machine's 1-minute load average when the run started (other agents share it). */
  readonly loadAverage: number;
}

export interface StartupResult {
  readonly allNodesUpMs: number;
  readonly firstBlockAllNodesMs: number;
  readonly detail: {
    readonly nodes: number;
    readonly miners: number;
    readonly miningCpu: number;
    readonly launcher: LauncherRun[];
    readonly runs: StartupRun[];
    /** Node processes alone: tsx minus compiled, both with the busy core (ms). */
    readonly compiledSavesUpMs: number;
    readonly compiledSavesFirstBlockMs: number;
    /** Idle CPU of a miner at full speed (the compiled baseline run), share of one core. */
    readonly idleCpuMinerFullSpeed: number;
  };
}

/** A process spinning on one core until stopped. */
function startSpinner(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

async function runOnce(
  options: StartupOptions,
  runtime: Runtime,
  busyCore: boolean,
  miningCpu: number,
): Promise<StartupRun> {
  const loadAverage = round(loadavg()[0]!, 2);
  const spinner = busyCore ? startSpinner() : undefined;
  const devnet = await PerfDevnet.launch({
    count: options.nodes,
    miners: options.miners,
    network: 'devnet',
    runtime,
    build: options.build,
    repoRoot: options.repoRoot,
    miningCpu,
  });
  try {
    const allNodesUpMs = await devnet.waitStarted();
    const heightOneAt = new Map<number, number>();
    const firstBlockAt = await devnet.waitAll(
      async (node) => {
        if ((await node.rpc!.call('status')).height < 1) return false;
        heightOneAt.set(node.index, performance.now());
        return true;
      },
      FIRST_BLOCK_TIMEOUT_MS,
      'height 1 on every node',
      50,
    );
    const firstBlockAllNodesMs = firstBlockAt - devnet.launchedAt;
    const before = await Promise.all(devnet.nodes.map((node) => cpuMs(node.pid)));
    await new Promise((resolve) => setTimeout(resolve, IDLE_CPU_WINDOW_MS));
    const after = await Promise.all(devnet.nodes.map((node) => cpuMs(node.pid)));
    const share = (i: number) => ((after[i] ?? 0) - (before[i] ?? 0)) / IDLE_CPU_WINDOW_MS;
    const avg = (miner: boolean) => {
      const picked = devnet.nodes.filter((node) => node.miner === miner).map((node) => share(node.index));
      return picked.length === 0 ? 0 : round(picked.reduce((a, b) => a + b, 0) / picked.length, 3);
    };
    const run: StartupRun = {
      runtime,
      busyCore,
      loadAverage,
      miningCpu,
      allNodesUpMs: Math.round(allNodesUpMs),
      firstBlockAllNodesMs: Math.round(firstBlockAllNodesMs),
      idleCpuMiner: avg(true),
      idleCpuRelay: avg(false),
      nodes: devnet.nodes.map((node) => ({
        name: node.name,
        miner: node.miner,
        upMs: Math.round(node.startedAt! - devnet.launchedAt),
        heightOneMs: Math.round((heightOneAt.get(node.index) ?? firstBlockAt) - devnet.launchedAt),
      })),
    };
    options.log(
      `  ${runtime.padEnd(8)} ${busyCore ? 'busy core' : 'as is    '} mining ${String(miningCpu).padStart(3)}%: all up ${run.allNodesUpMs} ms, height 1 everywhere ${run.firstBlockAllNodesMs} ms, idle CPU miner ${Math.round(run.idleCpuMiner * 100)}% relay ${Math.round(run.idleCpuRelay * 100)}% of a core (load ${loadAverage})`,
    );
    return run;
  } finally {
    await devnet.stop();
    if (spinner !== undefined) {
      spinner.kill('SIGKILL');
      if (spinner.exitCode === null && spinner.signalCode === null) await once(spinner, 'exit');
    }
  }
}

async function launchOnce(
  options: StartupOptions,
  devnet: LauncherDevnet,
  runtime: Runtime,
  busyCore: boolean,
  web = false,
): Promise<LauncherRun> {
  await devnet.fresh();
  const loadAverage = round(loadavg()[0]!, 2);
  const spinner = busyCore ? startSpinner() : undefined;
  try {
    const timing = await devnet.time(
      options.repoRoot,
      [...(runtime === 'tsx' ? ['--tsx'] : []), '--mining-cpu', `${options.miningCpu ?? DEVNET_MINING_CPU}%`],
      web,
    );
    const warmCache = runtime === 'compiled' && timing.transpiled === 0;
    options.log(
      `  npm run devnet ${runtime === 'tsx' ? '--tsx        ' : warmCache ? '(warm build) ' : '(cold build) '} ${busyCore ? 'busy core' : 'as is    '}${web ? ' with the trust map' : ''}: ${timing.buildReadyMs === undefined ? '' : `build ready ${timing.buildReadyMs} ms (${timing.transpiled} modules bundled), `}all up ${timing.allNodesUpMs} ms, height 1 everywhere ${timing.firstBlockAllNodesMs} ms (load ${loadAverage})`,
    );
    return { runtime, warmCache, busyCore, web, loadAverage, ...timing };
  } finally {
    if (spinner !== undefined) {
      spinner.kill('SIGKILL');
      if (spinner.exitCode === null && spinner.signalCode === null) await once(spinner, 'exit');
    }
  }
}

export async function benchStartup(options: StartupOptions): Promise<StartupResult> {
  const miningCpu = options.miningCpu ?? DEVNET_MINING_CPU;
  options.log(
    `startup: npm run devnet (5 nodes, 2 miners at ${miningCpu}% of a core), compiled (cold, warm build) vs --tsx, as is vs one core busy`,
  );
  const launcher: LauncherRun[] = [];
  const launched = await LauncherDevnet.create(options.repoRoot);
  try {
    for (const [runtime, busy, web] of [
      ['compiled', false, false],
      ['compiled', true, false],
      ['tsx', true, false],
      ['tsx', false, false],
      ['compiled', false, false],
      // What `npm run devnet` does by default: the trust map page too.
      ['compiled', true, true],
    ] as const) {
      launcher.push(await launchOnce(options, launched, runtime, busy, web));
    }
  } finally {
    await launched.remove();
  }
  options.log(
    `startup: node processes alone, ${options.nodes}-node devnet, ${options.miners} miners at ${miningCpu}% of a core, tsx vs compiled, as is vs one core busy; baseline: miners at ${FULL_SPEED_MINING_CPU}%`,
  );
  const runs: StartupRun[] = [];
  // Alternate the order so a change in background load hits both runtimes alike.
  for (const [runtime, busy, cpu] of [
    ['tsx', true, miningCpu],
    ['compiled', true, miningCpu],
    ['compiled', false, miningCpu],
    ['compiled', false, FULL_SPEED_MINING_CPU],
    ['tsx', false, miningCpu],
  ] as const) {
    runs.push(await runOnce(options, runtime, busy, cpu));
  }
  const pick = (runtime: Runtime, busy: boolean, cpu = miningCpu) =>
    runs.find((r) => r.runtime === runtime && r.busyCore === busy && r.miningCpu === cpu)!;
  const tsxBusy = pick('tsx', true);
  const compiled = pick('compiled', true);
  const headline =
    launcher.find((r) => r.runtime === 'compiled' && r.warmCache && r.busyCore && !r.web) ?? tsxBusy;
  return {
    allNodesUpMs: headline.allNodesUpMs,
    firstBlockAllNodesMs: headline.firstBlockAllNodesMs,
    detail: {
      nodes: options.nodes,
      miners: options.miners,
      miningCpu,
      launcher,
      runs,
      compiledSavesUpMs: tsxBusy.allNodesUpMs - compiled.allNodesUpMs,
      compiledSavesFirstBlockMs: tsxBusy.firstBlockAllNodesMs - compiled.firstBlockAllNodesMs,
      idleCpuMinerFullSpeed: pick('compiled', false, FULL_SPEED_MINING_CPU).idleCpuMiner,
    },
  };
}
