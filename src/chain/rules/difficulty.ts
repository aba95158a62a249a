/**
 * Difficulty retargeting: every block's target follows from its ancestors, so all nodes compute
 * the same value. The next target is the mean target of the last `retargetWindow` blocks scaled by
 * how long they took versus the intended time, with the timespan clamped to [1/4, 4]x so that
 * timestamps cannot swing difficulty by more than 4x per window.
 */
import type { ChainParams } from '../params.js';

export interface TargetSample {
  readonly timestamp: number;
  readonly target: bigint;
}

/**
 * Target required of the child of the last header in `window` (oldest first, ending at the
 * parent). With fewer than retargetWindow + 1 samples, or retargeting off, the initial target.
 */
export function expectedTarget(params: ChainParams, window: readonly TargetSample[]): bigint {
  const n = params.retargetWindow;
  if (!params.retarget || window.length < n + 1) return params.initialTarget;
  const recent = window.slice(-(n + 1));
  const first = recent[0]!;
  const last = recent[n]!;
  let sum = 0n;
  for (let i = 1; i <= n; i++) sum += recent[i]!.target;
  const meanTarget = sum / BigInt(n);
  const intended = n * params.blockIntervalMs;
  const timespan = Math.min(Math.max(last.timestamp - first.timestamp, intended / 4), intended * 4);
  let next = (meanTarget * BigInt(Math.round(timespan))) / BigInt(intended);
  if (next > params.powLimit) next = params.powLimit;
  if (next < 1n) next = 1n;
  return next;
}

/** Median of the timestamps (Bitcoin's median-time-past over the last 11 blocks). */
export function medianTimestamp(timestamps: readonly number[]): number {
  if (timestamps.length === 0) return 0;
  const sorted = [...timestamps].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
