/**
 * Coin selection, as a pure function. Two passes, both cheap:
 *
 * 1. the smallest single coin that covers the target (one input, the least change);
 * 2. otherwise largest-first until the target is covered (the fewest inputs, so the smallest fee).
 *
 * A full branch-and-bound search for an exact match is not worth it here: there is no dust limit
 * and change outputs cost a few bytes.
 */

export interface Coin {
  readonly amount: bigint;
}

/** Coins covering `target` (at most `maxInputs`), or undefined when impossible. */
export function selectCoins<C extends Coin>(
  coins: readonly C[],
  target: bigint,
  maxInputs: number,
): C[] | undefined {
  let single: C | undefined;
  for (const coin of coins) {
    if (coin.amount >= target && (single === undefined || coin.amount < single.amount)) single = coin;
  }
  if (single !== undefined) return [single];
  const largestFirst = [...coins].sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1));
  const selected: C[] = [];
  let total = 0n;
  for (const coin of largestFirst) {
    if (total >= target || selected.length >= maxInputs) break;
    selected.push(coin);
    total += coin.amount;
  }
  return total >= target ? selected : undefined;
}
