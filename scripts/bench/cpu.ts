/**
 * CPU accounting from /proc (Linux): the CPU time of given processes, and how busy the whole machine
 * was, between two samples. On a shared machine the second figure says whether a latency measured
 * in the window was measured on an idle machine or on a saturated one.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';

/** Clock ticks per second of /proc's utime/stime (USER_HZ; 100 on every common Linux build). */
const TICKS_PER_SECOND = 100;

export interface CpuSample {
  /** utime + stime per pid, in ms. */
  readonly processMs: Map<number, number>;
  /** Machine-wide busy and total jiffies (/proc/stat "cpu" line). */
  readonly busy: number;
  readonly total: number;
  readonly load1: number;
}

export interface CpuDelta {
  /** CPU time (ms) the processes used in the window. */
  processMs: number;
  /** Share of the machine's CPU capacity busy (anything, not just ours) in the window, 0..1. */
  machineBusy: number;
  /** Share of the machine's CPU capacity used by other processes than the sampled ones, 0..1. */
  otherBusy: number;
  /** 1-minute load average at the end of the window. */
  load1: number;
  cores: number;
}

async function processCpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export async function sampleCpu(pids: Iterable<number>): Promise<CpuSample> {
  const processMs = new Map<number, number>();
  for (const pid of pids) {
    const ms = await processCpuMs(pid);
    if (ms !== undefined) processMs.set(pid, ms);
  }
  let busy = 0;
  let total = 0;
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    total = values.slice(0, 8).reduce((sum, v) => sum + v, 0);
    busy = total - (values[3] ?? 0) - (values[4] ?? 0);
  } catch {
    // /proc is unreadable: report zeros
  }
  return { processMs, busy, total, load1: loadavg()[0]! };
}

export function cpuDelta(before: CpuSample, after: CpuSample): CpuDelta {
  let processMs = 0;
  for (const [pid, ms] of after.processMs) processMs += ms - (before.processMs.get(pid) ?? ms);
  const total = after.total - before.total;
  const ours = (processMs / 1000) * TICKS_PER_SECOND;
  const share = (jiffies: number): number =>
    total > 0 ? Math.max(0, Math.round((jiffies / total) * 1000) / 1000) : Number.NaN;
  return {
    processMs,
    machineBusy: share(after.busy - before.busy),
    otherBusy: share(after.busy - before.busy - ours),
    load1: Math.round(after.load1 * 100) / 100,
    cores: availableParallelism(),
  };
}

/**
 * Waits until processes other than `ours` use at most `maxBusy` of the machine's CPU (measured over
 * one-second windows), or `maxWaitMs` passed. Returns the last measured share.
 */
export async function waitQuiet(
  ours: () => number[],
  maxBusy: number,
  maxWaitMs: number,
  log: (line: string) => void,
): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  let announced = false;
  while (true) {
    const pids = ours();
    const before = await sampleCpu(pids);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const other = cpuDelta(before, await sampleCpu(pids)).otherBusy;
    if (!(other > maxBusy) || Date.now() >= deadline) {
      if (other > maxBusy) log(`machine still busy (${Math.round(other * 100)}% used by others); going on`);
      return other;
    }
    if (!announced) log(`waiting for a quieter machine (${Math.round(other * 100)}% used by others)`);
    announced = true;
  }
}
