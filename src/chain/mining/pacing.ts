/**
 * CPU pacing of the proof-of-work search (`--mining-cpu <percent>`): the miner's worker hashes at
 * most `percent` of one core. After a batch that kept the worker busy for `busy` ms, the miner
 * waits `busy * (100 - percent) / percent` ms before it sends the next, so busy time is `percent`%
 * of the wall time over every batch-plus-pause cycle. 100% is no pacing (hash back to back).
 *
 * A start-up burst: the first MINING_BURST_MS of hashing after the loop starts is not paced, so a
 * freshly started devnet gets its first block at once (a block at the devnet's initial difficulty
 * takes ~0.1 s of a core) instead of after several pauses; over any window of T ms the worker is
 * busy at most MINING_BURST_MS + T * percent / 100 while the tip is live (below).
 *
 * A stalled tip: while the active tip is older than STALLED_TIP_INTERVALS block intervals, the
 * search is not paced at all (and the burst is left untouched). The burst is wall time, so on a
 * busy machine it can run out before the first block of a fresh devnet (whose tip is genesis,
 * dated long ago) is found, and the rest of that block would take ten times as long at 10%; the
 * same holds for a devnet restarted after a pause on a chain whose difficulty was set by faster
 * miners (its first block took ~50 s at 10%). A stalled tip means nobody has found a block for
 * that long, so hashing at full speed until one is found or received costs about one block's work
 * at the current difficulty, once; while blocks come at the target rate, the gap between two
 * exceeds STALLED_TIP_INTERVALS intervals with probability e^-STALLED_TIP_INTERVALS (~2%).
 *
 * The busy time is the worker's wall time over the batch: on a loaded machine the worker may be
 * descheduled during a batch, which lengthens `busy` but not its CPU time, so the pause errs long
 * and the share stays at most `percent`. The difficulty retargets to the lower hash rate, so the
 * block interval holds.
 */

/** Full speed: the worker hashes back to back (unit: percent of one core). */
export const FULL_MINING_CPU = 100;

/**
 * Smallest share accepted (unit: percent of one core): below it a ~70 ms batch would be followed
 * by pauses of over a minute, so a new tip or a stop would wait that long for the next check.
 */
export const MIN_MINING_CPU = 1;

/**
 * Hashing time (unit: ms of worker busy time) not paced after the loop starts: about two blocks at
 * the devnet's initial difficulty on one core (~70 ms per 50,000 hashes, 65,536 hashes a block).
 */
export const MINING_BURST_MS = 250;

/**
 * A tip older than this many block intervals (unit: `params.blockIntervalMs`) is stalled: the
 * miner hashes unpaced until a newer block connects. 4: a gap that long is rare (e^-4, ~2% of
 * blocks) while blocks come on time, and a fresh chain's genesis is far older.
 */
export const STALLED_TIP_INTERVALS = 4;

/** A `--mining-cpu` value that is not a percentage in [MIN_MINING_CPU, 100]. */
export class MiningCpuError extends Error {
  override name = 'MiningCpuError';
}

/** True when `percent` is a share the miner accepts: a finite number in [MIN_MINING_CPU, 100]. */
export function isMiningCpu(percent: unknown): percent is number {
  return (
    typeof percent === 'number' &&
    Number.isFinite(percent) &&
    percent >= MIN_MINING_CPU &&
    percent <= FULL_MINING_CPU
  );
}

/**
 * Parses `10%`, `10` or `2.5%` to a percentage of one core (10, 10, 2.5); throws MiningCpuError
 * for anything else or a value outside [MIN_MINING_CPU, 100].
 */
export function parseMiningCpu(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  const percent = match === null ? Number.NaN : Number(match[1]);
  if (!isMiningCpu(percent)) {
    throw new MiningCpuError(
      `must be a share of one core from ${MIN_MINING_CPU}% to ${FULL_MINING_CPU}%, such as 10% (got ${JSON.stringify(text)})`,
    );
  }
  return percent;
}

/**
 * True when the tip dated `tipTimestampMs` is stalled at `nowMs`: older than STALLED_TIP_INTERVALS
 * block intervals of `blockIntervalMs` (a fresh chain's genesis, or no block found for that long).
 */
export function tipStalled(tipTimestampMs: number, nowMs: number, blockIntervalMs: number): boolean {
  return nowMs - tipTimestampMs > STALLED_TIP_INTERVALS * blockIntervalMs;
}

/**
 * After a batch that kept the worker busy `busyMs` ms with `burstLeftMs` of the start-up burst
 * left: on a stalled tip (`stalled`, tipStalled) no pause and the burst untouched; else the batch's
 * time is taken from the burst first, and the rest is paced (pauseAfterBatch).
 */
export function paceBatch(
  busyMs: number,
  percent: number,
  burstLeftMs: number,
  stalled = false,
): { readonly pauseMs: number; readonly burstLeftMs: number } {
  if (!isMiningCpu(percent)) throw new MiningCpuError(`not a mining CPU share: ${percent}`);
  if (stalled) return { pauseMs: 0, burstLeftMs };
  const fromBurst = Math.min(Math.max(burstLeftMs, 0), Math.max(busyMs, 0));
  return { pauseMs: pauseAfterBatch(busyMs - fromBurst, percent), burstLeftMs: burstLeftMs - fromBurst };
}

/**
 * The pause (ms) after a batch that kept the worker busy `busyMs` ms, so that busy time is
 * `percent`% of the whole: `busyMs * (100 - percent) / percent`; 0 at 100%.
 */
export function pauseAfterBatch(busyMs: number, percent: number): number {
  if (!isMiningCpu(percent)) throw new MiningCpuError(`not a mining CPU share: ${percent}`);
  if (!(busyMs > 0)) return 0;
  return (busyMs * (FULL_MINING_CPU - percent)) / percent;
}
