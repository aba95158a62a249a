/**
 * The getMempool answer of a mempool larger than one answer: a uniform random sample, different
 * each time, so that repeated anti-entropy exchanges offer every transaction (offering the oldest
 * 5,000 every time left peers missing the rest for good, seen in the 20-node memory benchmark).
 */
import { describe, expect, it } from 'vitest';
import { sample } from '../../../src/node/adapters.js';

describe('mempool sample', () => {
  it('returns everything when it fits, and max distinct items otherwise', () => {
    expect(sample([1, 2, 3], 5)).toEqual([1, 2, 3]);
    const drawn = sample(
      Array.from({ length: 100 }, (_, i) => i),
      10,
    );
    expect(drawn).toHaveLength(10);
    expect(new Set(drawn).size).toBe(10);
  });

  it('keeps the original order, so pooled parents are offered before their children', () => {
    for (let round = 0; round < 20; round++) {
      const drawn = sample(
        Array.from({ length: 1_000 }, (_, i) => i),
        100,
      );
      expect(drawn).toEqual([...drawn].sort((a, b) => a - b));
    }
  });

  it('covers a mempool twice the answer size within a few exchanges', () => {
    const mempool = Array.from({ length: 10_000 }, (_, i) => i);
    const offered = new Set<number>();
    let exchanges = 0;
    while (offered.size < mempool.length && exchanges < 60) {
      for (const id of sample([...mempool], 5_000)) offered.add(id);
      exchanges++;
    }
    expect(offered.size).toBe(mempool.length);
    // Each item is missed by one exchange with odds 1/2: all 10,000 are seen within 40 exchanges
    // except with odds 10,000 x 2^-40 (~1e-8). The old "oldest 5,000" never got past 5,000.
    expect(exchanges).toBeLessThan(40);
  });
});
