import { describe, expect, it } from 'vitest';
import {
  BASE_BAN_MS,
  ESCALATION_WINDOW_MS,
  EVICTION_BATCH_FRACTION,
  MAX_EVIDENCE_LENGTH,
  MAX_OFFENCE_HISTORY,
  MAX_TRACKED_PEERS,
  REWARD_PER_DELIVERY,
  SCORE_HALF_LIFE_MS,
  SCORE_MAX,
  SCORE_MIN,
} from '../../../src/p2p/reputation/constants.js';
import { ReputationError } from '../../../src/p2p/reputation/errors.js';
import { PeerTrustTable } from '../../../src/p2p/reputation/trust-score.js';
import { fakeClock, MINUTE } from './fake-clock.js';

function setup(options: { maxPeers?: number; allowList?: string[] } = {}) {
  const clock = fakeClock();
  const table = new PeerTrustTable({ now: clock.now, ...options });
  return { clock, table };
}

describe('PeerTrustTable: decay', () => {
  it('halves the score toward 0 after one half-life, from either side', () => {
    const { clock, table } = setup();
    table.penalize('bad', 'STALE_REPLAY'); // -5
    table.penalize('bad', 'STALE_REPLAY'); // -10
    for (let i = 0; i < 20; i++) table.reward('good'); // +10
    expect(table.score('bad')).toBe(-10);
    expect(table.score('good')).toBe(SCORE_MAX);
    clock.advance(SCORE_HALF_LIFE_MS);
    expect(table.score('bad')).toBeCloseTo(-5, 9);
    expect(table.score('good')).toBeCloseTo(5, 9);
    clock.advance(SCORE_HALF_LIFE_MS);
    expect(table.score('bad')).toBeCloseTo(-2.5, 9);
    clock.advance(20 * SCORE_HALF_LIFE_MS);
    expect(table.score('bad')).toBe(0); // snapped to neutral
  });

  it('reads decay lazily: reading often or once gives the same score', () => {
    const a = setup();
    const b = setup();
    a.table.penalize('p', 'RATE_LIMIT_EXCEEDED');
    b.table.penalize('p', 'RATE_LIMIT_EXCEEDED');
    for (let i = 0; i < 100; i++) {
      a.clock.advance(6_000);
      a.table.score('p');
    }
    b.clock.advance(600_000);
    expect(a.table.score('p')).toBeCloseTo(b.table.score('p'), 9);
  });

  it('lets a throttled peer recover to healthy', () => {
    const { clock, table } = setup();
    for (let i = 0; i < 4; i++) table.penalize('peer', 'UNSOLICITED_RESPONSE');
    expect(table.score('peer')).toBe(-20);
    expect(table.state('peer')).toBe('throttled');
    clock.advance(SCORE_HALF_LIFE_MS);
    expect(table.score('peer')).toBeCloseTo(-10, 9);
    expect(table.state('peer')).toBe('healthy');
  });

  it('does not decay (or produce NaN) when the clock steps back', () => {
    const { clock, table } = setup();
    table.penalize('peer', 'STALE_REPLAY');
    clock.advance(-MINUTE);
    expect(table.score('peer')).toBe(-5);
  });
});

describe('PeerTrustTable: rewards and credit', () => {
  it('caps credit at SCORE_MAX', () => {
    const { table } = setup();
    expect(table.reward('peer')).toBe(REWARD_PER_DELIVERY);
    for (let i = 0; i < 1000; i++) table.reward('peer');
    expect(table.score('peer')).toBe(SCORE_MAX);
  });

  it('forfeits all credit on the first offence', () => {
    const { table } = setup();
    for (let i = 0; i < 1000; i++) table.reward('peer');
    const outcome = table.penalize('peer', 'REQUEST_TIMEOUT', 'h1');
    expect(outcome.scoreBefore).toBe(SCORE_MAX);
    expect(outcome.score).toBe(-2);
  });

  it('never lets rewards repair a negative score: only time does', () => {
    const { clock, table } = setup();
    table.penalize('peer', 'STALE_REPLAY');
    for (let i = 0; i < 1000; i++) table.reward('peer');
    expect(table.score('peer')).toBe(-5);
    clock.advance(20 * SCORE_HALF_LIFE_MS);
    expect(table.score('peer')).toBe(0);
    table.reward('peer');
    expect(table.score('peer')).toBe(REWARD_PER_DELIVERY);
  });

  it('quarantines on a flagrant offence whatever the credit', () => {
    const { table } = setup();
    for (let i = 0; i < 1000; i++) table.reward('peer');
    const outcome = table.penalize('peer', 'INVALID_SIGNATURE', 'txid');
    expect(outcome.quarantine).not.toBeNull();
    expect(outcome.score).toBe(SCORE_MIN);
  });
});

describe('PeerTrustTable: quarantine', () => {
  it('returns the decision exactly once, with who, why and until', () => {
    const { clock, table } = setup();
    const first = table.penalize('peer', 'INVALID_POW', 'block-abc');
    expect(first.quarantine).toEqual({
      peerId: 'peer',
      kind: 'INVALID_POW',
      offenceClass: 'flagrant',
      evidence: 'block-abc',
      reason: 'INVALID_POW (flagrant): block does not meet its proof-of-work target [block-abc]',
      score: SCORE_MIN,
      at: clock.t,
      until: clock.t + BASE_BAN_MS,
    });
    const again = table.penalize('peer', 'INVALID_POW', 'block-def');
    expect(again.quarantine).toBeNull();
    expect(again.state).toBe('quarantined');
    expect(table.snapshot('peer').totalOffences).toBe(2);
  });

  it('explains a judgement-call quarantine with the score and the recent kinds', () => {
    const { table } = setup();
    for (let i = 0; i < 5; i++) table.penalize('peer', 'RATE_LIMIT_EXCEEDED', 'inv');
    let outcome = table.penalize('peer', 'REQUEST_TIMEOUT', 'x');
    for (let i = 0; i < 10 && outcome.quarantine === null; i++)
      outcome = table.penalize('peer', 'STALE_REPLAY', 'y');
    expect(outcome.quarantine?.reason).toBe(
      'STALE_REPLAY: object far older than the relay window (a replay) [y]; score -52.0 reached the ' +
        'quarantine threshold -50 (last 11 offences: RATE_LIMIT_EXCEEDED x5, REQUEST_TIMEOUT x1, STALE_REPLAY x5)',
    );
  });

  it('uses the injected quarantine duration and rejects a nonsensical one', () => {
    const clock = fakeClock();
    const table = new PeerTrustTable({ now: clock.now, quarantineDuration: () => 1234 });
    expect(table.penalize('a', 'MALFORMED_MESSAGE').quarantine?.until).toBe(clock.t + 1234);
    const broken = new PeerTrustTable({ now: clock.now, quarantineDuration: () => Number.NaN });
    expect(() => broken.penalize('a', 'MALFORMED_MESSAGE')).toThrow(ReputationError);
  });

  it('ends the quarantine at `until`: the peer starts over at 0 and can be quarantined again', () => {
    const { clock, table } = setup();
    const until = table.penalize('peer', 'INVALID_HASH').quarantine!.until;
    clock.t = until - 1;
    expect(table.state('peer')).toBe('quarantined');
    clock.t = until;
    expect(table.state('peer')).toBe('healthy');
    expect(table.score('peer')).toBe(0);
    expect(table.snapshot('peer').offences).toHaveLength(1); // history kept
    expect(table.penalize('peer', 'REQUEST_TIMEOUT').quarantine).toBeNull();
    expect(table.penalize('peer', 'INVALID_HASH').quarantine).not.toBeNull();
  });

  it('supports manual quarantine and early release', () => {
    const { clock, table } = setup();
    table.markQuarantined('peer', clock.t + MINUTE, 'manual: testing');
    expect(table.state('peer')).toBe('quarantined');
    expect(table.snapshot('peer').quarantineReason).toBe('manual: testing');
    expect(table.release('peer')).toBe(true);
    expect(table.state('peer')).toBe('healthy');
    expect(table.release('peer')).toBe(false);
    expect(table.release('unknown')).toBe(false);
  });
});

describe('PeerTrustTable: allow-list', () => {
  it('records every offence of an allow-listed peer but never quarantines it', () => {
    const { table } = setup({ allowList: ['friend'] });
    for (let i = 0; i < 1000; i++) {
      const outcome = table.penalize('friend', i % 2 === 0 ? 'INVALID_SIGNATURE' : 'STALE_REPLAY', `h${i}`);
      expect(outcome.quarantine).toBeNull();
      expect(outcome.allowListed).toBe(true);
    }
    const snapshot = table.snapshot('friend');
    expect(snapshot.state).toBe('throttled');
    expect(snapshot.score).toBe(SCORE_MIN);
    expect(snapshot.offenceCounts).toEqual({ INVALID_SIGNATURE: 500, STALE_REPLAY: 500 });
    expect(snapshot.offences).toHaveLength(MAX_OFFENCE_HISTORY);
    expect(snapshot.bannedUntil).toBeNull();
  });

  it('can be changed at run time', () => {
    const { table } = setup();
    table.allow('friend');
    expect(table.penalize('friend', 'INVALID_POW').quarantine).toBeNull();
    table.disallow('friend');
    expect(table.isAllowListed('friend')).toBe(false);
    expect(table.penalize('friend', 'INVALID_POW').quarantine).not.toBeNull();
  });
});

describe('PeerTrustTable: escalating REQUEST_TIMEOUT', () => {
  it('charges the k-th timeout in a row 2k and quarantines the 7th (a peer that serves nothing)', () => {
    const { clock, table } = setup();
    const penalties: number[] = [];
    let outcome = table.penalize('staller', 'REQUEST_TIMEOUT', 't1');
    penalties.push(outcome.penalty);
    while (outcome.quarantine === null) {
      clock.advance(1_500);
      outcome = table.penalize('staller', 'REQUEST_TIMEOUT', `t${penalties.length + 1}`);
      penalties.push(outcome.penalty);
    }
    expect(penalties).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(outcome.streak).toBe(7);
    expect(outcome.quarantine.reason).toContain('REQUEST_TIMEOUT x7');
    expect(table.snapshot('staller').offences.map((o) => o.penalty)).toEqual(penalties);
  });

  it('starts a new streak after a good delivery: a peer that serves between timeouts pays 2 each', () => {
    const { clock, table } = setup();
    for (let i = 0; i < 12; i++) {
      clock.advance(1_000);
      const outcome = table.penalize('busy', 'REQUEST_TIMEOUT');
      expect(outcome.penalty).toBe(2);
      expect(outcome.streak).toBe(1);
      table.reward('busy'); // its next answer arrived
    }
    expect(table.state('busy')).toBe('throttled'); // 12 x 2 = -24 less decay: throttled, far from -50
  });

  it('resets after a delivery even while the score is negative (no credit is earned then)', () => {
    const { table } = setup();
    table.penalize('p', 'REQUEST_TIMEOUT');
    table.penalize('p', 'REQUEST_TIMEOUT'); // 2 + 4
    expect(table.score('p')).toBe(-6);
    table.reward('p');
    expect(table.score('p')).toBe(-6);
    expect(table.penalize('p', 'REQUEST_TIMEOUT').penalty).toBe(2);
  });

  it('starts a new streak when the previous timeout is more than 30 s old', () => {
    const { clock, table } = setup();
    table.penalize('p', 'REQUEST_TIMEOUT');
    clock.advance(ESCALATION_WINDOW_MS);
    expect(table.penalize('p', 'REQUEST_TIMEOUT').penalty).toBe(4); // exactly 30 s: still in a row
    clock.advance(ESCALATION_WINDOW_MS + 1);
    expect(table.penalize('p', 'REQUEST_TIMEOUT').penalty).toBe(2);
  });

  it('does not let other kinds break or join a streak, and only timeouts escalate', () => {
    const { clock, table } = setup();
    table.penalize('p', 'REQUEST_TIMEOUT');
    clock.advance(1_000);
    expect(table.penalize('p', 'NOTFOUND_AFTER_ANNOUNCE').penalty).toBe(2);
    expect(table.penalize('p', 'NOTFOUND_AFTER_ANNOUNCE').penalty).toBe(2);
    expect(table.penalize('p', 'REQUEST_TIMEOUT').penalty).toBe(4);
  });

  it('charges an offence kept out of the streak its base penalty, leaving the streak as it was', () => {
    const { table } = setup();
    table.penalize('p', 'REQUEST_TIMEOUT');
    table.penalize('p', 'REQUEST_TIMEOUT'); // 2, 4
    const outside = table.penalize('p', 'REQUEST_TIMEOUT', 'block', { escalate: false });
    expect([outside.penalty, outside.streak]).toEqual([2, 1]);
    expect(table.penalize('p', 'REQUEST_TIMEOUT').penalty).toBe(6);
  });

  it('starts a new streak at an offence marked restartStreak (the peer served since, without credit)', () => {
    const { table } = setup();
    table.penalize('p', 'REQUEST_TIMEOUT');
    table.penalize('p', 'REQUEST_TIMEOUT'); // 2, 4
    const restarted = table.penalize('p', 'REQUEST_TIMEOUT', 'late answer since', { restartStreak: true });
    expect([restarted.penalty, restarted.streak]).toEqual([2, 1]);
    expect(table.penalize('p', 'REQUEST_TIMEOUT').penalty).toBe(4);
    // Kept out of the streak, the mark changes nothing: the streak goes on.
    const outside = table.penalize('p', 'REQUEST_TIMEOUT', 'silent', {
      escalate: false,
      restartStreak: true,
    });
    expect(outside.penalty).toBe(2);
    expect(table.penalize('p', 'REQUEST_TIMEOUT').penalty).toBe(6);
  });

  it('forgets the streak when a quarantine ends', () => {
    const { clock, table } = setup();
    let outcome = table.penalize('p', 'REQUEST_TIMEOUT');
    while (outcome.quarantine === null) outcome = table.penalize('p', 'REQUEST_TIMEOUT');
    clock.t = outcome.quarantine.until;
    expect(table.state('p')).toBe('healthy');
    expect(table.penalize('p', 'REQUEST_TIMEOUT').penalty).toBe(2);
  });
});

describe('PeerTrustTable: history and snapshots', () => {
  it('keeps the last 50 offences and exact per-kind counts', () => {
    const { clock, table } = setup({ allowList: ['peer'] });
    for (let i = 0; i < 120; i++) {
      clock.advance(1000);
      table.penalize('peer', i < 100 ? 'NOTFOUND_AFTER_ANNOUNCE' : 'REQUEST_TIMEOUT', `obj-${i}`);
    }
    const snapshot = table.snapshot('peer');
    expect(snapshot.offences).toHaveLength(MAX_OFFENCE_HISTORY);
    expect(snapshot.offences[0]?.evidence).toBe('obj-70');
    expect(snapshot.lastOffence).toMatchObject({
      kind: 'REQUEST_TIMEOUT',
      evidence: 'obj-119',
      at: clock.t,
      penalty: 40, // the 20th timeout in a row, 1 s apart (allow-listed, so never quarantined)
    });
    expect(snapshot.offenceCounts).toEqual({ NOTFOUND_AFTER_ANNOUNCE: 100, REQUEST_TIMEOUT: 20 });
    expect(snapshot.totalOffences).toBe(120);
  });

  it('truncates long evidence', () => {
    const { table } = setup();
    table.penalize('peer', 'REQUEST_TIMEOUT', 'x'.repeat(10_000));
    expect(table.snapshot('peer').lastOffence?.evidence).toHaveLength(MAX_EVIDENCE_LENGTH);
  });

  it('returns plain JSON-friendly snapshots, neutral for unknown peers, worst first in list()', () => {
    const { table } = setup();
    table.penalize('a', 'STALE_REPLAY', 'h');
    table.penalize('b', 'INVALID_OBJECT', 'h');
    table.reward('c');
    const snapshot = table.snapshot('b');
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot).toMatchObject({ peerId: 'b', score: -100, state: 'quarantined', totalOffences: 1 });
    expect(table.snapshot('nobody')).toEqual({
      peerId: 'nobody',
      score: 0,
      state: 'healthy',
      allowListed: false,
      offences: [],
      offenceCounts: {},
      totalOffences: 0,
      lastOffence: null,
      bannedUntil: null,
      quarantineReason: null,
    });
    expect(table.size).toBe(3); // reads do not create records
    expect(table.list().map((s) => s.peerId)).toEqual(['b', 'a', 'c']);
  });
});

describe('PeerTrustTable: bounded size', () => {
  it('keeps at most MAX_TRACKED_PEERS records while 100k peers come and go', () => {
    const { clock, table } = setup();
    const batch = Math.ceil(MAX_TRACKED_PEERS * EVICTION_BATCH_FRACTION);
    for (let i = 0; i < 100_000; i++) {
      if (i % 3 === 0) table.penalize(`peer-${i}`, 'REQUEST_TIMEOUT');
      else table.reward(`peer-${i}`);
      if (i % 1000 === 0) clock.advance(1000);
      expect(table.size).toBeLessThanOrEqual(MAX_TRACKED_PEERS);
    }
    expect(table.size).toBeGreaterThan(MAX_TRACKED_PEERS - batch);
  });

  it('evicts the most neutral records first: a bad record cannot be flushed out by newcomers', () => {
    const { table } = setup({ maxPeers: 100 });
    for (let i = 0; i < 6; i++) table.penalize('attacker', 'STALE_REPLAY');
    for (let i = 0; i < 10; i++) table.markQuarantined(`banned-${i}`, Number.MAX_SAFE_INTEGER, 'test');
    for (let i = 0; i < 10_000; i++) table.reward(`sybil-${i}`);
    expect(table.size).toBeLessThanOrEqual(100);
    expect(table.score('attacker')).toBe(-30);
    for (let i = 0; i < 10; i++) expect(table.state(`banned-${i}`)).toBe('quarantined');
  });

  it('stays bounded even when every record is quarantined (flood of banned identities)', () => {
    const { table } = setup({ maxPeers: 100 });
    for (let i = 0; i < 5000; i++) {
      expect(table.penalize(`sybil-${i}`, 'INVALID_SIGNATURE').quarantine).not.toBeNull();
      expect(table.size).toBeLessThanOrEqual(100);
    }
    expect(table.state('sybil-4999')).toBe('quarantined');
  });

  it('rejects a nonsensical maxPeers', () => {
    expect(() => new PeerTrustTable({ maxPeers: 0 })).toThrow(ReputationError);
  });
});
