/**
 * Difficulty retargeting and median time past.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEVNET, REGTEST } from '../../../src/chain/params.js';
import { expectedTarget, medianTimestamp, type TargetSample } from '../../../src/chain/rules/difficulty.js';

const n = DEVNET.retargetWindow;
const interval = DEVNET.blockIntervalMs;

/** `count` samples with constant `target`, `spacing` ms apart. */
function samples(
  count: number,
  spacing: number,
  target: bigint,
  start = DEVNET.genesisTimestamp,
): TargetSample[] {
  return Array.from({ length: count }, (_, i) => ({ timestamp: start + i * spacing, target }));
}

describe('expectedTarget', () => {
  const base = DEVNET.initialTarget;

  it('returns the initial target when retargeting is off, whatever the window', () => {
    expect(REGTEST.retarget).toBe(false);
    expect(expectedTarget(REGTEST, samples(50, 1, REGTEST.initialTarget >> 10n))).toBe(REGTEST.initialTarget);
  });

  it('returns the initial target while fewer than retargetWindow + 1 blocks exist', () => {
    for (const count of [0, 1, n]) {
      expect(expectedTarget(DEVNET, samples(count, 1, base >> 4n))).toBe(DEVNET.initialTarget);
    }
    expect(expectedTarget(DEVNET, samples(n + 1, 1, base >> 4n))).not.toBe(DEVNET.initialTarget);
  });

  it('keeps the target when blocks come exactly on schedule', () => {
    expect(expectedTarget(DEVNET, samples(n + 1, interval, base))).toBe(base);
  });

  it('halves the target when blocks come twice too fast, doubles it when twice too slow', () => {
    expect(expectedTarget(DEVNET, samples(n + 1, interval / 2, base))).toBe(base / 2n);
    expect(expectedTarget(DEVNET, samples(n + 1, interval * 2, base))).toBe(base * 2n);
  });

  it('clamps the adjustment to 4x either way', () => {
    expect(expectedTarget(DEVNET, samples(n + 1, interval / 4, base))).toBe(base / 4n);
    expect(expectedTarget(DEVNET, samples(n + 1, interval / 100, base))).toBe(base / 4n);
    expect(expectedTarget(DEVNET, samples(n + 1, 0, base))).toBe(base / 4n);
    expect(expectedTarget(DEVNET, samples(n + 1, interval * 4, base))).toBe(base * 4n);
    expect(expectedTarget(DEVNET, samples(n + 1, interval * 100, base))).toBe(base * 4n);
    // Timestamps going backwards count as the fastest possible window, not a negative one.
    expect(expectedTarget(DEVNET, samples(n + 1, -interval, base))).toBe(base / 4n);
  });

  it('never exceeds powLimit and never drops below 1', () => {
    expect(expectedTarget(DEVNET, samples(n + 1, interval * 4, DEVNET.powLimit))).toBe(DEVNET.powLimit);
    expect(expectedTarget(DEVNET, samples(n + 1, interval * 4, DEVNET.powLimit / 3n))).toBe(DEVNET.powLimit);
    expect(expectedTarget(DEVNET, samples(n + 1, 1, 1n))).toBe(1n);
  });

  it('averages the targets of the last retargetWindow blocks and ignores older ones', () => {
    const window = samples(n + 1, interval, base);
    window.forEach((s, i) => {
      window[i] = { ...s, target: i === 0 ? 1n : base + BigInt(i) };
    });
    const mean =
      Array.from({ length: n }, (_, i) => base + BigInt(i + 1)).reduce((a, b) => a + b) / BigInt(n);
    expect(expectedTarget(DEVNET, window)).toBe(mean);
    const older = samples(5, 1, 7n, DEVNET.genesisTimestamp - 1_000);
    expect(expectedTarget(DEVNET, [...older, ...window])).toBe(mean);
  });

  it('always lies in [1, powLimit] and within 4x of the mean (property)', () => {
    const sample = fc.record({
      timestamp: fc.integer({ min: 0, max: 2 ** 45 }),
      target: fc.bigInt({ min: 1n, max: DEVNET.powLimit }),
    });
    fc.assert(
      fc.property(fc.array(sample, { minLength: n + 1, maxLength: n + 4 }), (window) => {
        const next = expectedTarget(DEVNET, window);
        const recent = window.slice(-n);
        const mean = recent.reduce((sum, s) => sum + s.target, 0n) / BigInt(n);
        expect(next >= 1n && next <= DEVNET.powLimit).toBe(true);
        expect(next <= mean * 4n).toBe(true);
        expect(next >= mean / 4n - 1n).toBe(true);
      }),
    );
  });
});

describe('medianTimestamp', () => {
  it('is the middle of an odd list, whatever its order', () => {
    expect(medianTimestamp([5])).toBe(5);
    expect(medianTimestamp([3, 1, 2])).toBe(2);
    expect(medianTimestamp([11, 1, 10, 2, 9, 3, 8, 4, 7, 5, 6])).toBe(6);
  });

  it('is the upper middle of an even list, and 0 for none', () => {
    expect(medianTimestamp([1, 2, 3, 4])).toBe(3);
    expect(medianTimestamp([])).toBe(0);
  });

  it('sorts numerically and leaves its input unchanged', () => {
    const input = [100, 9, 20];
    expect(medianTimestamp(input)).toBe(20);
    expect(input).toEqual([100, 9, 20]);
  });

  it('has as many timestamps at or below it as above (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 ** 45 }), { minLength: 1, maxLength: 11 }),
        (timestamps) => {
          const median = medianTimestamp(timestamps);
          expect(timestamps).toContain(median);
          expect(timestamps.filter((t) => t <= median).length * 2).toBeGreaterThan(timestamps.length - 1);
          expect(timestamps.filter((t) => t >= median).length * 2).toBeGreaterThanOrEqual(timestamps.length);
        },
      ),
    );
  });
});
