/**
 * Fork choice, the one rule that decides which of two chains (each named by its tip) a node
 * follows: **the chain with the most cumulative work wins; on equal work the one seen first wins**
 * ("first seen stays", as in Bitcoin Core), so equal-work rivals never make a node flip-flop.
 *
 * "Seen first" is the arrival number `seq` the block index gives each block. The active tip is
 * ranked before every other block (`asActiveTip`): a branch must have strictly more work than the
 * tip to replace it, whatever the arrival order. Height, timestamps and ids play no part.
 *
 * @example
 * ```ts
 * if (compareChains(candidate, asActiveTip(tip)) < 0) reorganiseTo(candidate);
 * ```
 */

/** What fork choice reads of a chain's tip. */
export interface ForkCandidate {
  /** Sum of the expected work of every block from genesis to the tip. */
  readonly cumulativeWork: bigint;
  /** Arrival order of the tip block: lower was seen first. */
  readonly seq: number;
}

/** The `seq` of the active tip: before any block's arrival number (which start at 0). */
export const ACTIVE_TIP_SEQ = -1;

/**
 * Negative when chain `a` is preferred, positive when `b` is, 0 when neither (same work and same
 * arrival number, i.e. the same tip). Usable as an `Array.prototype.sort` comparator, best first.
 */
export function compareChains(a: ForkCandidate, b: ForkCandidate): number {
  if (a.cumulativeWork !== b.cumulativeWork) return a.cumulativeWork > b.cumulativeWork ? -1 : 1;
  return a.seq - b.seq;
}

/** `tip` ranked as the active tip: a rival needs strictly more work to beat it. */
export function asActiveTip(tip: { readonly cumulativeWork: bigint }): ForkCandidate {
  return { cumulativeWork: tip.cumulativeWork, seq: ACTIVE_TIP_SEQ };
}
