/** Small statistics helpers for the benchmarks. */

/** The p-th percentile (0..100) of `values`, linear interpolation between ranks; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Rounds to `digits` decimals (for JSON output); NaN and infinities become null. */
export function round(value: number, digits = 1): number | null {
  if (!Number.isFinite(value)) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** p50 / p95 / max / mean of `values`, rounded. */
export function summary(values: readonly number[], digits = 1) {
  return {
    p50: round(percentile(values, 50), digits),
    p95: round(percentile(values, 95), digits),
    max: round(values.length === 0 ? Number.NaN : Math.max(...values), digits),
    mean: round(mean(values), digits),
    n: values.length,
  };
}
