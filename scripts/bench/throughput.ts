/**
 * Shared pieces of the single-process throughput benchmarks (bench-crypto, bench-validate): the
 * common flags and a timed loop. `op` returning `false` counts as a failure, and any failure aborts
 * the measurement (a benchmark of an operation that does not work measures nothing).
 */

export interface ThroughputFlags {
  json: boolean;
  /** Seconds per measurement. */
  seconds: number;
  /** Alternating rounds of the side-by-side measurements (median reported). */
  rounds: number;
}

export function parseThroughputFlags(argv: readonly string[]): ThroughputFlags {
  const numberFlag = (flag: string, fallback: number): number => {
    const index = argv.indexOf(flag);
    if (index === -1) return fallback;
    const value = Number(argv[index + 1]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
    return value;
  };
  return {
    json: argv.includes('--json'),
    seconds: numberFlag('--seconds', 1.5),
    rounds: Math.round(numberFlag('--rounds', 6)),
  };
}

/**
 * Runs `op(i)` for i = 0, 1, 2, ... for `seconds`, reading the clock every `batch` operations (to
 * keep timer overhead out of the figure); returns operations per second.
 */
export function rate(seconds: number, op: (i: number) => unknown, batch: number): number {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let count = 0;
  let failures = 0;
  let now = start;
  while (now < deadline) {
    for (let j = 0; j < batch; j++) if (op(count + j) === false) failures++;
    count += batch;
    now = performance.now();
  }
  if (failures > 0) throw new Error(`benchmarked operation failed ${failures} times`);
  return count / ((now - start) / 1000);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
