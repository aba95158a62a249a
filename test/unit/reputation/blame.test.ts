/**
 * The blame tables: every typed error a peer can cause maps to the offence its class deserves, and
 * blameless failures (races, duplicates, missing inputs) to none.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../../src/chain/encoding/codec.js';
import { ValidationError } from '../../../src/chain/errors.js';
import { DEVNET, REGTEST } from '../../../src/chain/params.js';
import { checkRelayTimestamp } from '../../../src/chain/rules/transaction.js';
import {
  CLOCK_SKEW_LIMIT_MS,
  escalatesTimeout,
  offenceFor,
  REPLAY_GRACE_MS,
} from '../../../src/p2p/reputation/blame.js';
import { createLogger } from '../../../src/node/logger.js';
import { Blame } from '../../../src/p2p/reputation/blame.js';
import { PeerFault } from '../../../src/p2p/reputation/faults.js';
import { RateLimiter } from '../../../src/p2p/reputation/rate-limiter.js';
import { Reputation } from '../../../src/p2p/reputation/reputation.js';
import { fakeClock } from './fake-clock.js';
import { OFFENCES } from '../../../src/p2p/reputation/offences.js';
import { WireError } from '../../../src/p2p/wire/errors.js';
import { ProtocolViolationError } from '../../../src/p2p/wire/violations.js';

const classOf = (kind: string | null) =>
  kind === null ? null : OFFENCES[kind as keyof typeof OFFENCES].class;

describe('blame: what each typed error costs its sender', () => {
  it('consensus REJECTs are flagrant, with their own kind where one exists', () => {
    expect(offenceFor(new ValidationError('TX_BAD_SIGNATURE', 'x'), REGTEST)).toBe('INVALID_SIGNATURE');
    expect(offenceFor(new ValidationError('BLOCK_BAD_POW', 'x'), REGTEST)).toBe('INVALID_POW');
    expect(offenceFor(new ValidationError('BLOCK_BAD_MERKLE_ROOT', 'x'), REGTEST)).toBe(
      'INVALID_MERKLE_ROOT',
    );
    const other = offenceFor(new ValidationError('TX_BAD_AMOUNT', 'x'), REGTEST);
    expect(other).toBe('INVALID_OBJECT');
    expect(classOf(other)).toBe('flagrant');
  });

  it('IGNORE verdicts honest peers hit in races cost nothing', () => {
    for (const code of ['TX_MISSING_INPUTS', 'TX_DUPLICATE', 'BLOCK_DUPLICATE'] as const) {
      expect(offenceFor(new ValidationError(code, 'x'), REGTEST)).toBeNull();
    }
  });

  it('a stale transaction is a timestamp judgement call, far beyond the window a replay', () => {
    const justStale = new ValidationError('TX_TOO_OLD', 'x', { ageMs: REGTEST.txMaxAgeMs + 1 });
    const replayed = new ValidationError('TX_TOO_OLD', 'x', {
      ageMs: REGTEST.txMaxAgeMs + REPLAY_GRACE_MS + 1,
    });
    expect(offenceFor(justStale, REGTEST)).toBe('TIMESTAMP_OUT_OF_WINDOW');
    expect(offenceFor(replayed, REGTEST)).toBe('STALE_REPLAY');
  });

  it('grades a timestamp by how far outside the window it lies: beyond any clock error it is flagrant', () => {
    const p = DEVNET;
    const cases: Array<[ValidationError, string]> = [
      // In the future: mild up to the drift + 10 minutes (12 min), flagrant beyond.
      [
        new ValidationError('TX_TIME_TOO_NEW', 'x', { aheadMs: p.txMaxFutureDriftMs + 1 }),
        'TIMESTAMP_OUT_OF_WINDOW',
      ],
      [new ValidationError('TX_TIME_TOO_NEW', 'x', { aheadMs: 12 * 60_000 }), 'TIMESTAMP_OUT_OF_WINDOW'],
      [new ValidationError('TX_TIME_TOO_NEW', 'x', { aheadMs: 12 * 60_000 + 1 }), 'IMPLAUSIBLE_TIMESTAMP'],
      [new ValidationError('TX_TIME_TOO_NEW', 'x', { aheadMs: 60 * 60_000 }), 'IMPLAUSIBLE_TIMESTAMP'],
      [new ValidationError('BLOCK_TIME_TOO_NEW', 'x', { aheadMs: 12 * 60_000 }), 'TIMESTAMP_OUT_OF_WINDOW'],
      [new ValidationError('BLOCK_TIME_TOO_NEW', 'x', { aheadMs: 12 * 60_000 + 1 }), 'IMPLAUSIBLE_TIMESTAMP'],
      // In the past: mild to 15 minutes, a replay to 25, flagrant beyond.
      [new ValidationError('TX_TOO_OLD', 'x', { ageMs: 15 * 60_000 }), 'TIMESTAMP_OUT_OF_WINDOW'],
      [new ValidationError('TX_TOO_OLD', 'x', { ageMs: 25 * 60_000 }), 'STALE_REPLAY'],
      [new ValidationError('TX_TOO_OLD', 'x', { ageMs: 25 * 60_000 + 1 }), 'IMPLAUSIBLE_TIMESTAMP'],
      [new ValidationError('TX_TOO_OLD', 'x', { ageMs: 60 * 60_000 }), 'IMPLAUSIBLE_TIMESTAMP'],
      // Without the distance (no detail), the mildest grade.
      [new ValidationError('TX_TIME_TOO_NEW', 'x'), 'TIMESTAMP_OUT_OF_WINDOW'],
      [new ValidationError('TX_TOO_OLD', 'x'), 'TIMESTAMP_OUT_OF_WINDOW'],
    ];
    for (const [error, offence] of cases)
      expect([error.detail, offenceFor(error, p)]).toEqual([error.detail, offence]);
    expect(CLOCK_SKEW_LIMIT_MS).toBe(10 * 60_000);
    expect(p.txMaxAgeMs + REPLAY_GRACE_MS + CLOCK_SKEW_LIMIT_MS).toBe(25 * 60_000);
    expect(classOf('IMPLAUSIBLE_TIMESTAMP')).toBe('flagrant');
  });

  it('grades what the relay-window rule really raises, by the same bytes and clock', () => {
    const now = DEVNET.genesisTimestamp + 1_000_000_000;
    const judge = (timestamp: number): string | null => {
      try {
        checkRelayTimestamp({ timestamp } as Transaction, DEVNET, now);
        return null;
      } catch (err) {
        return offenceFor(err as ValidationError, DEVNET);
      }
    };
    expect(judge(now + 60 * 60_000)).toBe('IMPLAUSIBLE_TIMESTAMP'); // the future-timestamp attacker
    expect(judge(now - 60 * 60_000)).toBe('IMPLAUSIBLE_TIMESTAMP'); // the replay attacker's copies
    expect(judge(now + 3 * 60_000)).toBe('TIMESTAMP_OUT_OF_WINDOW'); // a clock a minute fast
    expect(judge(now - 20 * 60_000)).toBe('STALE_REPLAY');
    expect(judge(now)).toBeNull();
  });

  it('escalates transaction timeouts only: a block among the items keeps the flat penalty', () => {
    const tx = `tx:${'ab'.repeat(32)}`;
    const block = `block:${'cd'.repeat(32)}`;
    expect(escalatesTimeout(new PeerFault('REQUEST_TIMED_OUT', `${tx} and 4 more not served in time`))).toBe(
      true,
    );
    expect(escalatesTimeout(new PeerFault('REQUEST_TIMED_OUT', `${block} not served in time`))).toBe(false);
    expect(escalatesTimeout(new PeerFault('REQUEST_TIMED_OUT', 'x', [tx, tx]))).toBe(true);
    expect(escalatesTimeout(new PeerFault('REQUEST_TIMED_OUT', 'x', [tx, block]))).toBe(false);
    expect(escalatesTimeout(new PeerFault('REQUEST_TIMED_OUT', 'x', []))).toBe(false);
    expect(escalatesTimeout(new PeerFault('REQUEST_TIMED_OUT', ''))).toBe(false);
  });

  it('keeps a timeout during which the peer fell silent (a stalled process) out of the streak', () => {
    const tx = `tx:${'ab'.repeat(32)}`;
    const active = { silent: false, servedSince: false };
    const silent = { silent: true, servedSince: false };
    expect(escalatesTimeout(new PeerFault('REQUEST_TIMED_OUT', 'x', [tx], active))).toBe(true);
    expect(escalatesTimeout(new PeerFault('REQUEST_TIMED_OUT', 'x', [tx], silent))).toBe(false);
    // Still charged, as a judgement call.
    expect(offenceFor(new PeerFault('REQUEST_TIMED_OUT', 'x', [tx], silent), REGTEST)).toBe(
      'REQUEST_TIMEOUT',
    );
  });

  it('wire violations are flagrant; relay faults are judgement calls unless they are lies', () => {
    expect(offenceFor(new WireError('OVERSIZE', 'x'), REGTEST)).toBe('OVERSIZE_MESSAGE');
    expect(offenceFor(new ProtocolViolationError('NON_CANONICAL', 'x'), REGTEST)).toBe('MALFORMED_MESSAGE');
    expect(classOf(offenceFor(new ProtocolViolationError('TOO_MANY_PENDING', 'x'), REGTEST))).toBe(
      'flagrant',
    );
    expect(offenceFor(new PeerFault('UNREQUESTED_OBJECT', 'x'), REGTEST)).toBe('INVALID_HASH');
    expect(classOf(offenceFor(new PeerFault('REQUEST_TIMED_OUT', 'x'), REGTEST))).toBe('judgement');
    expect(classOf(offenceFor(new PeerFault('NOT_FOUND_AFTER_ANNOUNCE', 'x'), REGTEST))).toBe('judgement');
    expect(offenceFor(new PeerFault('RATE_LIMITED', 'x'), REGTEST)).toBe('RATE_LIMIT_EXCEEDED');
  });
});

describe('blame: what the relay saw of a peer decides how its timeouts escalate', () => {
  it('charges silent timeouts the flat 2 outside the streak, and restarts the streak after service', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trustmesh-blame-'));
    const clock = fakeClock();
    const reputation = await Reputation.open({ dataDir: dir, now: clock.now });
    try {
      const blame = new Blame({
        reputation,
        limiter: new RateLimiter({ now: clock.now }),
        uploads: new RateLimiter({ now: clock.now }),
        params: REGTEST,
        metrics: null,
        logger: createLogger({ name: 'test', level: 'silent' }),
        gossipVerdicts: () => undefined,
      });
      const peer = '12D3KooWStalledPeer';
      const timeout = (i: number, silent: boolean, servedSince = false): PeerFault =>
        new PeerFault('REQUEST_TIMED_OUT', `t${i}`, [`tx:${i.toString(16).padStart(64, '0')}`], {
          silent,
          servedSince,
        });
      // Ten stalls in a row, one timeout each, the peer silent every time: never escalates.
      for (let i = 0; i < 10; i++) {
        blame.punish(peer, timeout(i, true));
        clock.advance(6_000);
      }
      expect(reputation.isQuarantined(peer)).toBe(false);
      blame.punish(peer, timeout(10, false));
      blame.punish(peer, timeout(11, false));
      blame.punish(peer, timeout(12, true));
      blame.punish(peer, timeout(13, false, true)); // it served since: a new streak
      blame.punish(peer, timeout(14, false));
      const penalties = reputation.report(peer).offences.map((o) => o.penalty);
      expect(penalties).toEqual([...Array<number>(10).fill(2), 2, 4, 2, 2, 4]);
      expect(reputation.isQuarantined(peer)).toBe(false);
    } finally {
      await reputation.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
