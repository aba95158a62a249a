/**
 * Per-process figures from Linux /proc, for the benchmark's node processes: resident memory
 * (VmRSS, including the process's worker threads) and CPU time (user + system), read by pid.
 * Returns undefined for a process that is gone (or on a system without /proc).
 */
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux we run on). */
const CLOCK_TICKS_PER_SECOND = 100;

/** Resident set size of `pid` in MB (MiB). */
export async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match === null ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) `pid` has used so far, in ms. */
export async function cpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) in parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Total CPU time of several processes (ms); missing ones count as 0. */
export async function totalCpuMs(pids: readonly number[]): Promise<number> {
  const times = await Promise.all(pids.map(cpuMs));
  return times.reduce<number>((sum, t) => sum + (t ?? 0), 0);
}

/** How busy the whole machine was between two readings of `machineTicks()` (0..1). */
export async function machineTicks(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}
