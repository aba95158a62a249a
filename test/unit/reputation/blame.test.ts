/**
 * The blame tables: every typed error a peer can cause maps to the offence its class deserves, and
 * blameless failures (races, duplicates, missing inputs) to none.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/chain/errors.js';
import { REGTEST } from '../../../src/chain/params.js';
import { offenceFor, REPLAY_GRACE_MS } from '../../../src/p2p/reputation/blame.js';
import { PeerFault } from '../../../src/p2p/reputation/faults.js';
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
