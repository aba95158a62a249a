/**
 * From a validation verdict to the offence the sender committed (or none). This is the one place
 * where consensus verdicts become blame, so every REJECT code maps to a flagrant offence and IGNORE
 * codes map to a judgement call only where the sender could have known better.
 */
import type { ErrorCode, ValidationError } from '../../chain/errors.js';
import type { ChainParams } from '../../chain/params.js';
import type { OffenceKind } from '../reputation/offences.js';

/**
 * Beyond the relay window plus this grace (ms), a stale transaction counts as a deliberate replay
 * (STALE_REPLAY) rather than a copy that went stale in transit or a skewed clock.
 */
export const REPLAY_GRACE_MS = 5 * 60_000;

const REJECT_OFFENCES: Partial<Record<ErrorCode, OffenceKind>> = {
  TX_BAD_SIGNATURE: 'INVALID_SIGNATURE',
  BLOCK_BAD_SIGNATURE: 'INVALID_SIGNATURE',
  HASH_MISMATCH: 'INVALID_HASH',
  BLOCK_BAD_MERKLE_ROOT: 'INVALID_MERKLE_ROOT',
  BLOCK_BAD_POW: 'INVALID_POW',
  MALFORMED_ENCODING: 'MALFORMED_MESSAGE',
  NON_CANONICAL_ENCODING: 'MALFORMED_MESSAGE',
  UNSUPPORTED_VERSION: 'MALFORMED_MESSAGE',
  OVERSIZE: 'OVERSIZE_MESSAGE',
};

/** The offence for delivering an object that failed with `error`, or null when the sender is blameless. */
export function offenceFor(error: ValidationError, params: ChainParams): OffenceKind | null {
  if (error.verdict === 'REJECT') return REJECT_OFFENCES[error.code] ?? 'INVALID_OBJECT';
  switch (error.code) {
    case 'TX_TIME_TOO_NEW':
    case 'BLOCK_TIME_TOO_NEW':
      return 'TIMESTAMP_OUT_OF_WINDOW';
    case 'TX_TOO_OLD':
      return (error.detail.ageMs ?? 0) > params.txMaxAgeMs + REPLAY_GRACE_MS
        ? 'STALE_REPLAY'
        : 'TIMESTAMP_OUT_OF_WINDOW';
    default:
      // Duplicates, missing inputs, conflicts, fees, unknown parents: honest peers hit these in
      // races and reorgs. They cost the attacker nothing to us beyond the rate limits.
      return null;
  }
}
