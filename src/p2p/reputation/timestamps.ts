/**
 * Timestamp offences: what a peer is charged for delivering an object dated outside the window the
 * chain's rules accept (`TX_TIME_TOO_NEW`, `TX_TOO_OLD`, `BLOCK_TIME_TOO_NEW`), by how far outside.
 *
 * The rules themselves (src/chain/rules) stay pure: given the object and the node's clock they
 * reject it with the distance in `detail` (`aheadMs`, `ageMs`). This module only grades the sender:
 *
 * - just outside the window: `TIMESTAMP_OUT_OF_WINDOW`, a mild judgement call (a few seconds of
 *   clock skew, or a copy that crossed the window's edge in transit);
 * - stale by more than the window plus `REPLAY_GRACE_MS`: `STALE_REPLAY`, a heavier judgement call;
 * - further out than any honest clock error explains (`CLOCK_SKEW_LIMIT_MS` beyond the window, the
 *   replay grace included on the stale side): `IMPLAUSIBLE_TIMESTAMP`, flagrant.
 *
 * Why an honest node never reaches the last tier: it validates every object against its own clock
 * before relaying it (and creates its own transactions with that clock), so an object it sends is
 * at most `txMaxFutureDriftMs` (`maxBlockFutureDriftMs` for a block) ahead of its clock, and at most
 * `txMaxAgeMs` old by it when it is offered, plus the time in transit (covered by `REPLAY_GRACE_MS`).
 * To land `CLOCK_SKEW_LIMIT_MS` further out at the receiver, the two clocks must disagree by more
 * than 10 minutes: a broken clock, not skew.
 */
import type { ValidationError } from '../../chain/errors.js';
import type { ChainParams } from '../../chain/params.js';
import type { OffenceKind } from './offences.js';

/**
 * Beyond the relay window plus this grace (ms), a stale transaction counts as a deliberate replay
 * (STALE_REPLAY) rather than a copy that went stale in transit or a skewed clock.
 */
export const REPLAY_GRACE_MS = 5 * 60_000;

/**
 * The largest disagreement (ms) between two honest nodes' clocks that the penalties allow for:
 * 10 minutes. NTP keeps clocks within a second; a clock 10 minutes off already breaks most of the
 * node's relay (the window itself is 10 minutes wide in the past and 2 minutes in the future), so an
 * object dated further than this beyond the window is no honest node's.
 */
export const CLOCK_SKEW_LIMIT_MS = 10 * 60_000;

/** How far ahead (ms) a transaction may be dated before its sender is charged IMPLAUSIBLE_TIMESTAMP. */
export function implausibleTxAheadMs(params: ChainParams): number {
  return params.txMaxFutureDriftMs + CLOCK_SKEW_LIMIT_MS;
}

/** How far ahead (ms) a block may be dated before its sender is charged IMPLAUSIBLE_TIMESTAMP. */
export function implausibleBlockAheadMs(params: ChainParams): number {
  return params.maxBlockFutureDriftMs + CLOCK_SKEW_LIMIT_MS;
}

/** How old (ms) a transaction may be before its sender is charged STALE_REPLAY. */
export function replayAgeMs(params: ChainParams): number {
  return params.txMaxAgeMs + REPLAY_GRACE_MS;
}

/** How old (ms) a transaction may be before its sender is charged IMPLAUSIBLE_TIMESTAMP. */
export function implausibleTxAgeMs(params: ChainParams): number {
  return replayAgeMs(params) + CLOCK_SKEW_LIMIT_MS;
}

/**
 * The offence for a timestamp failure (`TX_TIME_TOO_NEW`, `BLOCK_TIME_TOO_NEW`, `TX_TOO_OLD`), or
 * undefined for any other code. A failure without its distance in `detail` is graded mildest.
 */
export function offenceForTimestamp(error: ValidationError, params: ChainParams): OffenceKind | undefined {
  const aheadMs = error.detail.aheadMs ?? 0;
  const ageMs = error.detail.ageMs ?? 0;
  switch (error.code) {
    case 'TX_TIME_TOO_NEW':
      return aheadMs > implausibleTxAheadMs(params) ? 'IMPLAUSIBLE_TIMESTAMP' : 'TIMESTAMP_OUT_OF_WINDOW';
    case 'BLOCK_TIME_TOO_NEW':
      return aheadMs > implausibleBlockAheadMs(params) ? 'IMPLAUSIBLE_TIMESTAMP' : 'TIMESTAMP_OUT_OF_WINDOW';
    case 'TX_TOO_OLD':
      if (ageMs > implausibleTxAgeMs(params)) return 'IMPLAUSIBLE_TIMESTAMP';
      return ageMs > replayAgeMs(params) ? 'STALE_REPLAY' : 'TIMESTAMP_OUT_OF_WINDOW';
    default:
      return undefined;
  }
}
