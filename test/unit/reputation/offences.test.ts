import { describe, expect, it } from 'vitest';
import {
  MAX_JUDGEMENT_PENALTY,
  PENALTY_FLAGRANT,
  SCORE_MAX,
  SCORE_MIN,
} from '../../../src/p2p/reputation/constants.js';
import { UnknownOffenceError } from '../../../src/p2p/reputation/errors.js';
import {
  escalatedPenalty,
  FLAGRANT_KINDS,
  isOffenceKind,
  JUDGEMENT_KINDS,
  OFFENCE_KINDS,
  OFFENCES,
  type OffenceKind,
  offencesToQuarantine,
  parseOffenceKind,
} from '../../../src/p2p/reputation/offences.js';
import { PeerTrustTable } from '../../../src/p2p/reputation/trust-score.js';
import { fakeClock } from './fake-clock.js';

/**
 * How many offences of each kind, committed at one instant, quarantine a peer. Written out by hand
 * (not computed) so any change to a penalty or threshold shows up here as a deliberate edit.
 */
const OFFENCES_TO_QUARANTINE: Record<OffenceKind, number> = {
  INVALID_SIGNATURE: 1,
  INVALID_HASH: 1,
  INVALID_MERKLE_ROOT: 1,
  INVALID_POW: 1,
  MALFORMED_MESSAGE: 1,
  OVERSIZE_MESSAGE: 1,
  INVALID_OBJECT: 1,
  PROTOCOL_VIOLATION: 1,
  IMPLAUSIBLE_TIMESTAMP: 1,
  TIMESTAMP_OUT_OF_WINDOW: 25,
  STALE_REPLAY: 10,
  UNSOLICITED_RESPONSE: 10,
  NOTFOUND_AFTER_ANNOUNCE: 25,
  // Escalating: 2 + 4 + ... + 14 = 56 >= 50 after 7 in a row (6 in a row: 42).
  REQUEST_TIMEOUT: 7,
  RATE_LIMIT_EXCEEDED: 10,
};

/** Commits `kind` until the table quarantines the peer; returns how many offences that took. */
function countUntilQuarantine(table: PeerTrustTable, peerId: string, kind: OffenceKind): number {
  for (let n = 1; n <= 1000; n++) {
    const outcome = table.penalize(peerId, kind, `evidence-${n}`);
    if (outcome.quarantine !== null) {
      expect(outcome.state).toBe('quarantined');
      return n;
    }
    expect(outcome.state).not.toBe('quarantined');
  }
  throw new Error(`${kind} never quarantined`);
}

describe('offence table', () => {
  it('lists every kind exactly once, with the classes the protocol expects', () => {
    expect(Object.keys(OFFENCES_TO_QUARANTINE).sort()).toEqual([...OFFENCE_KINDS].sort());
    expect(new Set(OFFENCE_KINDS).size).toBe(OFFENCE_KINDS.length);
    expect([...FLAGRANT_KINDS].sort()).toEqual(
      [
        'INVALID_SIGNATURE',
        'INVALID_HASH',
        'INVALID_MERKLE_ROOT',
        'INVALID_POW',
        'MALFORMED_MESSAGE',
        'OVERSIZE_MESSAGE',
        'INVALID_OBJECT',
        'PROTOCOL_VIOLATION',
        'IMPLAUSIBLE_TIMESTAMP',
      ].sort(),
    );
    expect(FLAGRANT_KINDS.length + JUDGEMENT_KINDS.length).toBe(OFFENCE_KINDS.length);
    expect(OFFENCE_KINDS.filter((kind) => OFFENCES[kind].escalates)).toEqual(['REQUEST_TIMEOUT']);
  });

  it('escalates REQUEST_TIMEOUT: the k-th in a row costs k times the base penalty', () => {
    expect([1, 2, 3, 7].map((k) => escalatedPenalty('REQUEST_TIMEOUT', k))).toEqual([2, 4, 6, 14]);
    expect(escalatedPenalty('REQUEST_TIMEOUT', 0)).toBe(2);
    expect(escalatedPenalty('NOTFOUND_AFTER_ANNOUNCE', 7)).toBe(2);
    expect(escalatedPenalty('INVALID_POW', 3)).toBe(PENALTY_FLAGRANT);
  });

  it.each(OFFENCE_KINDS)('%s has a consistent spec', (kind) => {
    const spec = OFFENCES[kind];
    expect(spec.kind).toBe(kind);
    expect(spec.description.length).toBeGreaterThan(10);
    expect(spec.description).not.toContain('\n');
    if (spec.class === 'flagrant') {
      expect(spec.penalty).toBe(PENALTY_FLAGRANT);
      expect(spec.penalty).toBeGreaterThanOrEqual(SCORE_MAX - SCORE_MIN);
    } else {
      expect(spec.penalty).toBeGreaterThan(0);
      // An honest peer offending once per 2 minutes must never reach the threshold.
      expect(spec.penalty).toBeLessThan(MAX_JUDGEMENT_PENALTY);
    }
  });

  it.each(OFFENCE_KINDS)('%s quarantines a fresh peer after the stated number of offences', (kind) => {
    const clock = fakeClock();
    const table = new PeerTrustTable({ now: clock.now });
    expect(countUntilQuarantine(table, 'peer', kind)).toBe(OFFENCES_TO_QUARANTINE[kind]);
    expect(offencesToQuarantine(kind)).toBe(OFFENCES_TO_QUARANTINE[kind]);
  });

  it.each(OFFENCE_KINDS)(
    '%s quarantines a peer that delivered 1000 valid objects after exactly as many offences',
    (kind) => {
      const clock = fakeClock();
      const table = new PeerTrustTable({ now: clock.now });
      for (let i = 0; i < 1000; i++) table.reward('veteran');
      expect(table.score('veteran')).toBe(SCORE_MAX);
      expect(countUntilQuarantine(table, 'veteran', kind)).toBe(OFFENCES_TO_QUARANTINE[kind]);
    },
  );

  it('parses kind names from untrusted strings', () => {
    expect(isOffenceKind('INVALID_POW')).toBe(true);
    expect(isOffenceKind('invalid_pow')).toBe(false);
    expect(isOffenceKind(42)).toBe(false);
    expect(parseOffenceKind('STALE_REPLAY')).toBe('STALE_REPLAY');
    expect(() => parseOffenceKind('toString')).toThrow(UnknownOffenceError);
    expect(() => parseOffenceKind('NOPE')).toThrow(expect.objectContaining({ name: 'UnknownOffenceError' }));
  });
});
