/**
 * The node's transaction acceptance rate (the status view's tx/s): acceptance times over the last
 * minute, in a bounded ring so a flood cannot grow it.
 */

/** Window (ms) over which the rate is computed. */
export const TX_RATE_WINDOW_MS = 60_000;
/** Most acceptance times kept: 1,000 tx/s over the window; beyond that the rate reads as saturated. */
const MAX_SAMPLES = 60_000;

export class AcceptRate {
  private readonly times: number[] = [];
  private head = 0;

  constructor(
    private readonly now: () => number,
    private readonly startedAt: number = now(),
  ) {}

  /** Counts one transaction accepted into the mempool. */
  note(): void {
    const now = this.now();
    this.times.push(now);
    while (this.head < this.times.length && this.times[this.head]! < now - TX_RATE_WINDOW_MS) this.head++;
    const excess = this.times.length - this.head - MAX_SAMPLES;
    if (excess > 0) this.head += excess;
    // Compact once the dead prefix is as large as the live part (amortised O(1)).
    if (this.head > 1_024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Transactions accepted per second over the last minute (or since start). */
  perSecond(): number {
    const now = this.now();
    const window = Math.min(TX_RATE_WINDOW_MS, Math.max(1_000, now - this.startedAt));
    let count = 0;
    for (let i = this.times.length - 1; i >= this.head && this.times[i]! >= now - window; i--) count++;
    return count / (window / 1_000);
  }
}
