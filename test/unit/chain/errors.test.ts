/**
 * The verdict table: every error code's verdict is pinned here, so a change to ERROR_VERDICTS (a
 * change to who gets punished) must be made twice, on purpose.
 */
import { describe, expect, it } from 'vitest';
import {
  ERROR_VERDICTS,
  type ErrorCode,
  ensure,
  ValidationError,
  type Verdict,
} from '../../../src/chain/errors.js';
import { isBodyTampering } from '../../../src/chain/rules/block.js';

/** REJECT: provably invalid bytes, the same verdict on every node whatever its state or clock. */
const REJECT: readonly ErrorCode[] = [
  'OVERSIZE',
  'MALFORMED_ENCODING',
  'NON_CANONICAL_ENCODING',
  'UNSUPPORTED_VERSION',
  'HASH_MISMATCH',
  'TX_NO_OUTPUTS',
  'TX_TOO_MANY_INPUTS',
  'TX_TOO_MANY_OUTPUTS',
  'TX_BAD_FIELD_LENGTH',
  'TX_BAD_AMOUNT',
  'TX_DUPLICATE_INPUT',
  'TX_BAD_COINBASE',
  'TX_BAD_SIGNATURE',
  'TX_WRONG_SPENDER',
  'TX_INSUFFICIENT_FUNDS',
  'BLOCK_BAD_POW',
  'BLOCK_BAD_SIGNATURE',
  'BLOCK_BAD_MERKLE_ROOT',
  'BLOCK_BAD_COINBASE',
  'BLOCK_DUPLICATE_TX',
  'BLOCK_BAD_STRUCTURE',
  'BLOCK_BAD_HEIGHT',
  'BLOCK_BAD_TARGET',
  'BLOCK_TIME_TOO_OLD',
  'BLOCK_TX_TIME_TOO_NEW',
  'BLOCK_DOUBLE_SPEND',
  'BLOCK_MISSING_INPUTS',
  'BLOCK_IMMATURE_SPEND',
  'BLOCK_COINBASE_TOO_LARGE',
  'BLOCK_INVALID_PARENT',
];

/** IGNORE: depends on our state or clock, or is relay policy; an honest peer can trip it. */
const IGNORE: readonly ErrorCode[] = [
  'TX_MISSING_INPUTS',
  'TX_IMMATURE_SPEND',
  'TX_DUPLICATE',
  'TX_MEMPOOL_CONFLICT',
  'TX_TIME_TOO_NEW',
  'TX_TOO_OLD',
  'TX_FEE_TOO_LOW',
  'TX_TOO_LONG_MEMPOOL_CHAIN',
  'BLOCK_UNKNOWN_PARENT',
  'BLOCK_TIME_TOO_NEW',
  'BLOCK_DUPLICATE',
];

const EXPECTED: Record<ErrorCode, Verdict> = Object.fromEntries([
  ...REJECT.map((code) => [code, 'REJECT']),
  ...IGNORE.map((code) => [code, 'IGNORE']),
]) as Record<ErrorCode, Verdict>;

describe('ERROR_VERDICTS', () => {
  it('matches the documented verdict of every code, and has no undocumented code', () => {
    expect(new Set(REJECT).size + new Set(IGNORE).size).toBe(REJECT.length + IGNORE.length);
    expect({ ...ERROR_VERDICTS }).toEqual(EXPECTED);
  });

  it.each(Object.entries(ERROR_VERDICTS) as [ErrorCode, Verdict][])('%s -> %s', (code, verdict) => {
    const err = new ValidationError(code, 'detail');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ValidationError');
    expect(err.code).toBe(code);
    expect(err.verdict).toBe(verdict);
    expect(err.message).toBe(`${code}: detail`);
  });

  it('gives the mempool and block variants of a ledger failure different verdicts', () => {
    expect(ERROR_VERDICTS.TX_MISSING_INPUTS).toBe('IGNORE');
    expect(ERROR_VERDICTS.BLOCK_MISSING_INPUTS).toBe('REJECT');
    expect(ERROR_VERDICTS.TX_IMMATURE_SPEND).toBe('IGNORE');
    expect(ERROR_VERDICTS.BLOCK_IMMATURE_SPEND).toBe('REJECT');
    expect(ERROR_VERDICTS.TX_TIME_TOO_NEW).toBe('IGNORE');
    expect(ERROR_VERDICTS.BLOCK_TIME_TOO_NEW).toBe('IGNORE');
  });
});

describe('ensure', () => {
  it('throws a ValidationError with the code only when the condition fails', () => {
    expect(() => ensure(true, 'TX_BAD_AMOUNT', 'never')).not.toThrow();
    expect(() => ensure(false, 'TX_BAD_AMOUNT', 'amount 0')).toThrow(
      new ValidationError('TX_BAD_AMOUNT', 'amount 0'),
    );
  });

  it('carries machine-readable detail', () => {
    expect(new ValidationError('TX_TOO_OLD', 'old', { ageMs: 5 }).detail).toEqual({ ageMs: 5 });
    expect(new ValidationError('TX_TOO_OLD', 'old').detail).toEqual({});
  });
});

describe('isBodyTampering', () => {
  it('is true only for encoding failures and a merkle mismatch (never for a provably invalid block)', () => {
    const tampering = Object.keys(ERROR_VERDICTS).filter((code) => isBodyTampering(code as ErrorCode));
    expect(tampering.sort()).toEqual(
      ['BLOCK_BAD_MERKLE_ROOT', 'MALFORMED_ENCODING', 'NON_CANONICAL_ENCODING', 'OVERSIZE'].sort(),
    );
  });
});
