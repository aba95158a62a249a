import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HONEST_OFFENCE_INTERVAL_MS,
  QUARANTINE_THRESHOLD,
  SCORE_HALF_LIFE_MS,
} from '../../../src/p2p/reputation/constants.js';
import { JUDGEMENT_KINDS, OFFENCE_KINDS, OFFENCES } from '../../../src/p2p/reputation/offences.js';
import { PeerTrustTable } from '../../../src/p2p/reputation/trust-score.js';
import { fakeClock, HOUR } from './fake-clock.js';

/** Sustained interval (ms) below which repeating an offence of `penalty` eventually quarantines. */
function quarantineInterval(penalty: number): number {
  return -SCORE_HALF_LIFE_MS * Math.log2(1 - penalty / -QUARANTINE_THRESHOLD);
}

/**
 * A run of the same judgement call repeated `count` times, `gap` ms apart: runs make long stretches
 * of the heaviest kinds at the tightest honest spacing likely, which is where a too-large penalty
 * would show (a penalty of 7 instead of 5 fails this property).
 */
const run = fc.record({
  kind: fc.constantFrom(...JUDGEMENT_KINDS),
  count: fc.integer({ min: 1, max: 80 }),
  gap: fc.oneof(
    { arbitrary: fc.constant(HONEST_OFFENCE_INTERVAL_MS), weight: 4 },
    { arbitrary: fc.integer({ min: HONEST_OFFENCE_INTERVAL_MS, max: 2 * HOUR }), weight: 1 },
  ),
  rewards: fc.nat({ max: 30 }),
});

describe('PeerTrustTable properties', () => {
  it('never quarantines an honest peer whose judgement-call offences are at least 2 minutes apart', () => {
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 20 }), (runs) => {
        const clock = fakeClock();
        const table = new PeerTrustTable({ now: clock.now });
        for (const { kind, count, gap, rewards } of runs) {
          for (let n = 0; n < count; n++) {
            clock.advance(gap);
            for (let i = 0; i < rewards; i++) table.reward('honest');
            const outcome = table.penalize('honest', kind, 'evidence');
            expect(outcome.quarantine).toBeNull();
            expect(outcome.state).not.toBe('quarantined');
            expect(outcome.score).toBeGreaterThan(QUARANTINE_THRESHOLD);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('holds in the worst case: the heaviest judgement call every 2 minutes for a day', () => {
    const clock = fakeClock();
    const table = new PeerTrustTable({ now: clock.now });
    const heaviest = [...JUDGEMENT_KINDS].sort((a, b) => OFFENCES[b].penalty - OFFENCES[a].penalty)[0]!;
    let lowest = 0;
    for (let i = 0; i < 720; i++) {
      clock.advance(HONEST_OFFENCE_INTERVAL_MS);
      const outcome = table.penalize('honest', heaviest);
      expect(outcome.quarantine).toBeNull();
      lowest = Math.min(lowest, outcome.score);
    }
    expect(lowest).toBeLessThan(-38); // close to the -38.6 supremum, still far from -50
  });

  it.each(JUDGEMENT_KINDS)(
    'quarantines %s sustained 10% faster than its stated rate, but not 10% slower',
    (kind) => {
      const interval = quarantineInterval(OFFENCES[kind].penalty);
      const run = (gap: number): boolean => {
        const clock = fakeClock();
        const table = new PeerTrustTable({ now: clock.now });
        for (let i = 0; i < 2000; i++) {
          clock.advance(gap);
          if (table.penalize('peer', kind).quarantine !== null) return true;
        }
        return false;
      };
      expect(run(Math.floor(interval * 0.9))).toBe(true);
      expect(run(Math.ceil(interval * 1.1))).toBe(false);
    },
  );

  it('never quarantines an allow-listed peer, whatever it does, and records every offence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind: fc.constantFrom(...OFFENCE_KINDS), gap: fc.nat({ max: HOUR }) }), {
          maxLength: 200,
        }),
        (steps) => {
          const clock = fakeClock();
          const table = new PeerTrustTable({ now: clock.now, allowList: ['friend'] });
          for (const { kind, gap } of steps) {
            clock.advance(gap);
            expect(table.penalize('friend', kind).quarantine).toBeNull();
          }
          expect(table.state('friend')).not.toBe('quarantined');
          expect(table.snapshot('friend').totalOffences).toBe(steps.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps every score within [-100, +10] under any mix of offences, rewards and time', () => {
    const action = fc.oneof(
      fc.record({ type: fc.constant('offence' as const), kind: fc.constantFrom(...OFFENCE_KINDS) }),
      fc.record({ type: fc.constant('reward' as const), times: fc.nat({ max: 50 }) }),
      fc.record({ type: fc.constant('wait' as const), ms: fc.nat({ max: 4 * HOUR }) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 300 }), (actions) => {
        const clock = fakeClock();
        const table = new PeerTrustTable({ now: clock.now });
        for (const a of actions) {
          if (a.type === 'offence') table.penalize('p', a.kind);
          else if (a.type === 'reward') for (let i = 0; i < a.times; i++) table.reward('p');
          else clock.advance(a.ms);
          const score = table.score('p');
          expect(score).toBeGreaterThanOrEqual(-100);
          expect(score).toBeLessThanOrEqual(10);
        }
      }),
      { numRuns: 200 },
    );
  });
});
