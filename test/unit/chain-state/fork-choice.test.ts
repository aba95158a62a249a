/** compareChains: most cumulative work wins; on equal work the active tip, then the first seen. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_TIP_SEQ,
  asActiveTip,
  compareChains,
  type ForkCandidate,
} from '../../../src/chain/state/fork-choice.js';

const chain = (cumulativeWork: bigint, seq: number): ForkCandidate => ({ cumulativeWork, seq });

describe('compareChains', () => {
  it('prefers more cumulative work, whatever the arrival order', () => {
    expect(compareChains(chain(10n, 9), chain(9n, 0))).toBeLessThan(0);
    expect(compareChains(chain(9n, 0), chain(10n, 9))).toBeGreaterThan(0);
  });

  it('on equal work prefers the chain seen first, and ranks a tip against itself as equal', () => {
    expect(compareChains(chain(5n, 1), chain(5n, 2))).toBeLessThan(0);
    expect(compareChains(chain(5n, 2), chain(5n, 1))).toBeGreaterThan(0);
    expect(compareChains(chain(5n, 3), chain(5n, 3))).toBe(0);
  });

  it('keeps the active tip against an equal-work rival seen earlier, not against more work', () => {
    const tip = asActiveTip(chain(5n, 7));
    expect(tip.seq).toBe(ACTIVE_TIP_SEQ);
    expect(compareChains(chain(5n, 0), tip)).toBeGreaterThan(0);
    expect(compareChains(chain(6n, 8), tip)).toBeLessThan(0);
  });

  it('is a total order: antisymmetric and transitive', () => {
    const candidate = fc.record({
      cumulativeWork: fc.bigInt({ min: 0n, max: 8n }),
      seq: fc.integer({ min: ACTIVE_TIP_SEQ, max: 8 }),
    });
    fc.assert(
      fc.property(candidate, candidate, candidate, (a, b, c) => {
        expect(Math.sign(compareChains(a, b)) + Math.sign(compareChains(b, a))).toBe(0);
        if (compareChains(a, b) <= 0 && compareChains(b, c) <= 0) {
          expect(compareChains(a, c)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });
});
