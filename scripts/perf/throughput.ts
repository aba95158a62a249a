/**
 * `throughput`: the highest transaction rate a devnet of separate node processes sustains with
 * nothing lost, against the verification ceiling measured in the same run.
 *
 * - Ceiling: cores x native Ed25519 verifications per second / nodes. Every node checks every
 *   transaction's signature, so the machine cannot validate more than this (1-input payments).
 * - Load: payments pushed by the injector to the nodes in turn, every TICK_MS, at a fixed rate for
 *   `stepSeconds`; a step passes when every node holds every payment within `drainMs` after the
 *   step ended and the injector kept up with the rate. After each step node 0 mines until the
 *   mempools are empty, so each step starts from the same state.
 * - Ramp: from `startRate`, doubling while steps pass, then bisecting between the best pass and the
 *   first failure, within `maxSteps` steps. `lost` counts the payments of the first failed step
 *   still missing on some node at the end of its drain window (0 when no step failed).
 * - `--profile`: node 1 (a relay) runs with `node --cpu-prof`; its profile is summarised over the
 *   load steps only (start-up and module loading left out).
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  hrtimeUs,
  type ProfileSummary,
  type ProfileWindow,
  readProfile,
  summarizeProfile,
} from './cpu-profile.js';
import type { PerfDevnet } from './devnet.js';
import { mempoolSize, mineUntilEmpty, startLoadNetwork } from './load-network.js';
import { machineTicks, totalCpuMs } from './proc.js';
import { round } from './stats.js';
import { nativeVerifyPerSec } from './verify-rate.js';

/** A step whose injector fell this far behind its rate does not count as sustained. */
const MIN_ACHIEVED_SHARE = 0.95;
/** Bisection stops when the bracket is narrower than this share of the best rate. */
const BRACKET_SHARE = 0.15;

export interface ThroughputOptions {
  readonly repoRoot: string;
  readonly nodes: number;
  readonly stepSeconds: number;
  readonly drainMs: number;
  readonly startRate: number;
  readonly maxSteps: number;
  readonly profile: boolean;
  readonly log: (text: string) => void;
}

export interface ThroughputStep {
  readonly rate: number;
  readonly sent: number;
  readonly achievedRate: number;
  /** Payments missing on at least one node at the end of the drain window, summed over nodes. */
  readonly missing: number;
  /** ms after the step ended until the last node held every payment (drainMs when it never did). */
  readonly drainMs: number;
  /** CPU ms per payment per node over the step and its drain. */
  readonly cpuMsPerTxPerNode: number;
  readonly machineBusy: number;
  readonly pass: boolean;
}

export interface ThroughputResult {
  readonly txPerSec: number;
  readonly ceilingTxPerSec: number;
  readonly ratio: number;
  readonly lost: number;
  readonly detail: {
    readonly nodes: number;
    readonly cores: number;
    readonly nativeVerifyPerSec: number;
    readonly stepSeconds: number;
    readonly steps: ThroughputStep[];
    /** Quarantines among the (honest) nodes at the end: overload must never cause one. */
    readonly quarantines: HonestQuarantine[];
    /** Why the ramp stopped early (the network did not settle after a step). */
    readonly aborted?: string;
    readonly profile?: ProfileSummary;
  };
}

/** A node that quarantined another benchmark node, and the offence that did it. */
export interface HonestQuarantine {
  readonly node: string;
  readonly peer: string;
  readonly offence: string;
}

async function honestQuarantines(devnet: PerfDevnet): Promise<HonestQuarantine[]> {
  const names = new Map(devnet.nodes.map((node) => [node.peerId, node.name]));
  const found: HonestQuarantine[] = [];
  for (const node of devnet.nodes) {
    const entries = await node.rpc!.call('quarantined').catch(() => []);
    for (const entry of entries) {
      const peer = names.get(entry.peerId);
      if (peer === undefined) continue;
      const last = entry.lastOffence;
      found.push({ node: node.name, peer, offence: `${last?.kind ?? 'unknown'}: ${last?.evidence ?? ''}` });
    }
  }
  return found;
}

async function runStep(
  rate: number,
  options: ThroughputOptions,
  net: Awaited<ReturnType<typeof startLoadNetwork>>,
): Promise<ThroughputStep> {
  const { devnet, injector, coinSource } = net;
  const n = devnet.nodes.length;
  const total = Math.max(1, Math.round(rate * options.stepSeconds));
  const txs = coinSource.payments(total);
  const pids = devnet.nodes.map((node) => node.pid);
  const cpuBefore = await totalCpuMs(pids);
  const ticksBefore = await machineTicks();
  const { dropped, achievedRate } = await injector.pushPaced(txs, rate);
  const ended = performance.now();
  const counts = new Map<number, number>();
  const deadline = ended + options.drainMs;
  let drainedAt: number | undefined;
  for (;;) {
    await Promise.all(
      devnet.nodes.map(async (node) =>
        counts.set(node.index, await mempoolSize(devnet, node.index).catch(() => 0)),
      ),
    );
    if ([...counts.values()].every((count) => count >= total)) {
      drainedAt = performance.now();
      break;
    }
    if (performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const cpuAfter = await totalCpuMs(pids);
  const ticksAfter = await machineTicks();
  const missing = [...counts.values()].reduce((sum, count) => sum + Math.max(0, total - count), 0) + dropped;
  const pass = drainedAt !== undefined && dropped === 0 && achievedRate >= MIN_ACHIEVED_SHARE * rate;
  return {
    rate,
    sent: total,
    achievedRate: round(achievedRate, 1),
    missing,
    drainMs: Math.round((drainedAt ?? deadline) - ended),
    cpuMsPerTxPerNode: round((cpuAfter - cpuBefore) / total / n, 2),
    machineBusy: round(
      (ticksAfter.busy - ticksBefore.busy) / Math.max(1, ticksAfter.total - ticksBefore.total),
      2,
    ),
    pass,
  };
}

/** Rates the ramp may try in `maxSteps` steps, for funding: doubling, then bisections. */
function coinBudget(options: ThroughputOptions, ceiling: number): number {
  let rate = options.startRate;
  let total = 0;
  for (let i = 0; i < options.maxSteps; i++) {
    total += Math.round(Math.min(rate, 2 * ceiling) * options.stepSeconds);
    rate *= 2;
  }
  return total;
}

export async function benchThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const cores = availableParallelism();
  const verifyRate = nativeVerifyPerSec(1);
  const ceiling = (cores * verifyRate) / options.nodes;
  options.log(
    `throughput: ceiling ${Math.round(ceiling)} tx/s (${cores} cores x ${Math.round(verifyRate)} verify/s / ${options.nodes} nodes)`,
  );
  const profileDir = options.profile ? await mkdtemp(join(tmpdir(), 'trustmesh-prof-')) : undefined;
  const net = await startLoadNetwork({
    count: options.nodes,
    coins: coinBudget(options, ceiling),
    runtime: 'tsx',
    repoRoot: options.repoRoot,
    log: options.log,
    ...(profileDir === undefined
      ? {}
      : { nodeFlags: (i: number) => (i === 1 ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []) }),
  });
  const steps: ThroughputStep[] = [];
  const windows: ProfileWindow[] = [];
  let profile: ProfileSummary | undefined;
  let best = 0;
  let aborted: string | undefined;
  let quarantines: HonestQuarantine[];
  try {
    let failed: number | undefined;
    let rate = options.startRate;
    for (let i = 0; i < options.maxSteps; i++) {
      const windowStart = hrtimeUs();
      const step = await runStep(rate, options, net);
      windows.push([windowStart, hrtimeUs()]);
      steps.push(step);
      options.log(
        `  ${String(rate).padStart(6)} tx/s: ${step.pass ? 'pass' : 'FAIL'} (sent at ${step.achievedRate}/s, missing ${step.missing}, drained in ${step.drainMs} ms, ${step.cpuMsPerTxPerNode} ms CPU/tx/node, machine ${Math.round(step.machineBusy * 100)}% busy)`,
      );
      try {
        await mineUntilEmpty(net.devnet);
      } catch (err) {
        // The network did not settle after the step: report it and keep the steps measured so far.
        aborted = (err as Error).message;
        options.log(`  stopped: ${aborted}`);
        if (step.pass) best = Math.max(best, rate);
        break;
      }
      if (step.pass) best = Math.max(best, rate);
      else failed = Math.min(failed ?? rate, rate);
      if (failed !== undefined && failed - best <= BRACKET_SHARE * Math.max(best, 1)) break;
      rate = failed === undefined ? rate * 2 : Math.round((best + failed) / 2);
      if (net.coinSource.available < rate * options.stepSeconds) break;
    }
    quarantines = await honestQuarantines(net.devnet);
    if (quarantines.length > 0) options.log(`  honest peers quarantined: ${JSON.stringify(quarantines)}`);
  } finally {
    await net.stop();
    if (profileDir !== undefined) {
      const files = (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile'));
      if (files[0] !== undefined) {
        profile = summarizeProfile(await readProfile(join(profileDir, files[0])), 25, windows);
        options.log(`  profile of node 1 kept in ${join(profileDir, files[0])}`);
      }
    }
  }
  const firstFail = steps.find((s) => !s.pass);
  return {
    txPerSec: best,
    ceilingTxPerSec: Math.round(ceiling),
    ratio: round(best / ceiling, 3),
    lost: firstFail?.missing ?? 0,
    detail: {
      nodes: options.nodes,
      cores,
      nativeVerifyPerSec: Math.round(verifyRate),
      stepSeconds: options.stepSeconds,
      steps,
      ...(aborted === undefined ? {} : { aborted }),
      quarantines,
      ...(profile === undefined ? {} : { profile }),
    },
  };
}
