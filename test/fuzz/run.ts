/**
 * The in-process fuzz runner: opens a throwaway REGTEST chain, builds the seeds and targets, and
 * feeds each target `runs` fast-check-generated inputs (random bytes and mutated seeds, see
 * mutate.ts). Expected typed errors count as rejections; any other throw, or an async target that
 * does not settle within HANG_MS, is a crash, kept once per distinct error with its smallest input
 * (hex). Unhandled promise rejections during the run are counted, and peak RSS and heap sampled.
 *
 * @example
 * ```ts
 * const report = await runInProcessFuzz({ totalRuns: 50_000, seed: 1 });
 * if (report.crashes.length > 0) console.log(report.crashes);
 * ```
 */
import fc from 'fast-check';
import { toHex } from '../../src/crypto/hash.js';
import { openTestChain, removeDir } from '../unit/chain-state/helpers.js';
import { fuzzCaseArb, materialize } from './mutate.js';
import { buildSeeds } from './seeds.js';
import { buildTargets, type FuzzTarget, isExpectedError } from './targets.js';

/** An async entry point that has not settled after this long (ms) is reported as a hang. */
export const HANG_MS = 5_000;
/** Memory is sampled every this many inputs. */
const MEMORY_SAMPLE_EVERY = 500;
/** Longest input kept in a crash report, in bytes (hex doubles it). */
const MAX_REPORTED_INPUT_BYTES = 4_096;

export interface Crash {
  readonly target: string;
  /** `<error name>: <message>` (first line). */
  readonly error: string;
  /** Top stack frames, to locate the fault. */
  readonly stack: string;
  /** The smallest input that produced this error, in hex. */
  readonly inputHex: string;
  readonly count: number;
}

export interface TargetReport {
  readonly target: string;
  readonly runs: number;
  /** Inputs the entry point accepted (returned without error). */
  readonly accepted: number;
  /** Inputs refused with an expected typed error. */
  readonly rejected: number;
  readonly crashes: number;
  /** Unmutated seeds the entry point accepted, of `seeds` (a rejected seed means a weak corpus). */
  readonly seedsAccepted: number;
  readonly seeds: number;
  readonly ms: number;
}

export interface FuzzReport {
  readonly seed: number;
  readonly totalRuns: number;
  readonly targets: TargetReport[];
  readonly crashes: Crash[];
  readonly unhandledRejections: string[];
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  readonly ms: number;
}

export interface FuzzOptions {
  /** Inputs per target; or give `totalRuns`, split evenly over the selected targets. */
  readonly runsPerTarget?: number;
  readonly totalRuns?: number;
  /** fast-check seed (the same seed replays the same inputs). */
  readonly seed: number;
  /** Only targets whose name starts with one of these (default: all). */
  readonly only?: readonly string[];
  /** Called after each target. */
  readonly onTarget?: (report: TargetReport) => void;
}

class CrashLog {
  private readonly byKey = new Map<string, { crash: Crash; input: Uint8Array }>();

  record(target: string, err: unknown, input: Uint8Array): void {
    const error =
      err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : `non-error: ${String(err)}`;
    const stack = err instanceof Error ? (err.stack ?? '').split('\n').slice(1, 6).join('\n') : '';
    const key = `${target}|${error.replace(/\d+/g, 'N')}|${stack.split('\n')[0] ?? ''}`;
    const known = this.byKey.get(key);
    const count = (known?.crash.count ?? 0) + 1;
    const smallest = known === undefined || input.length < known.input.length ? input : known.input;
    this.byKey.set(key, {
      input: smallest,
      crash: {
        target,
        error,
        stack,
        inputHex: toHex(smallest.subarray(0, MAX_REPORTED_INPUT_BYTES)),
        count,
      },
    });
  }

  get crashes(): Crash[] {
    return [...this.byKey.values()].map((entry) => entry.crash);
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HangError(`no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

/** An async entry point that never settled. */
export class HangError extends Error {
  override readonly name = 'HangError';
}

class MemoryPeak {
  rss = 0;
  heap = 0;
  sample(): void {
    const usage = process.memoryUsage();
    this.rss = Math.max(this.rss, usage.rss);
    this.heap = Math.max(this.heap, usage.heapUsed);
  }
}

async function fuzzOne(
  target: FuzzTarget,
  runs: number,
  seed: number,
  crashes: CrashLog,
  memory: MemoryPeak,
): Promise<TargetReport> {
  const started = Date.now();
  let accepted = 0;
  let rejected = 0;
  let crashed = 0;
  let count = 0;
  const arb = fuzzCaseArb(target.seeds.length);
  const outcome = (err: unknown, input: Uint8Array): void => {
    if (++count % MEMORY_SAMPLE_EVERY === 0) memory.sample();
    if (err === undefined) accepted++;
    else if (isExpectedError(err)) rejected++;
    else {
      crashed++;
      crashes.record(target.name, err, input);
    }
  };
  // The seeds themselves first, unmutated, on a fresh state: each should be accepted.
  let seedsAccepted = 0;
  for (const bytes of target.seeds) {
    try {
      await target.run(bytes);
      seedsAccepted++;
    } catch (err) {
      if (!isExpectedError(err)) crashes.record(target.name, err, bytes);
    }
  }
  // The property never fails: every input is judged and logged, so one run finds every distinct crash.
  if (target.async) {
    await fc.assert(
      fc.asyncProperty(arb, async (input) => {
        const bytes = materialize(input, target.seeds, target.prefixes);
        try {
          await withTimeout(Promise.resolve(target.run(bytes)), HANG_MS);
          outcome(undefined, bytes);
        } catch (err) {
          outcome(err, bytes);
        }
      }),
      { numRuns: runs, seed },
    );
  } else {
    fc.assert(
      fc.property(arb, (input) => {
        const bytes = materialize(input, target.seeds, target.prefixes);
        try {
          void target.run(bytes);
          outcome(undefined, bytes);
        } catch (err) {
          outcome(err, bytes);
        }
      }),
      { numRuns: runs, seed },
    );
  }
  return {
    target: target.name,
    runs,
    accepted,
    rejected,
    crashes: crashed,
    seedsAccepted,
    seeds: target.seeds.length,
    ms: Date.now() - started,
  };
}

/** Runs every (selected) target; never throws for a crash: read `crashes`. */
export async function runInProcessFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const unhandled: string[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
  };
  process.on('unhandledRejection', onUnhandled);
  const memory = new MemoryPeak();
  const crashes = new CrashLog();
  const { chain, dir } = await openTestChain();
  const reports: TargetReport[] = [];
  try {
    const targets = buildTargets(chain, buildSeeds(chain)).filter(
      (t) => options.only === undefined || options.only.some((prefix) => t.name.startsWith(prefix)),
    );
    const runs = options.runsPerTarget ?? Math.ceil((options.totalRuns ?? 0) / Math.max(1, targets.length));
    for (const target of targets) {
      const report = await fuzzOne(target, Math.max(1, runs), options.seed, crashes, memory);
      reports.push(report);
      options.onTarget?.(report);
    }
    // Let stray promises of the last inputs settle before counting unhandled rejections.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await chain.close();
    await removeDir(dir);
  }
  memory.sample();
  return {
    seed: options.seed,
    totalRuns: reports.reduce((sum, r) => sum + r.runs, 0),
    targets: reports,
    crashes: crashes.crashes,
    unhandledRejections: unhandled,
    peakRssMb: Math.round(memory.rss / 2 ** 20),
    peakHeapMb: Math.round(memory.heap / 2 ** 20),
    ms: Date.now() - started,
  };
}
