/**
 * Peer reputation: named offences with fixed penalties, decaying trust scores, a persisted and
 * escalating quarantine (ban) list, and per-peer rate limits. Pure units with an injected clock and
 * no libp2p dependency; the libp2p wiring feeds `Reputation` into gossipsub's `appSpecificScore`,
 * the `ConnectionGater` and `hangUp`.
 *
 * @example
 * ```ts
 * import { RateLimiter, Reputation } from './p2p/reputation/index.js';
 *
 * const reputation = await Reputation.open({ dataDir, onQuarantine: (q) => void hangUp(q.peerId) });
 * const limiter = new RateLimiter();
 * if (!limiter.take(peer, 'objects')) reputation.recordOffence(peer, 'RATE_LIMIT_EXCEEDED', 'objects');
 * reputation.recordOffence(peer, 'INVALID_POW', blockIdHex); // quarantined at once
 * reputation.report(peer); // { score: -100, state: 'quarantined', offences: [...], bannedUntil, ... }
 * ```
 */
export { assertPeerId, type BanEntry, BanList, type BanListOptions, type BanOptions } from './ban-list.js';
export * from './constants.js';
export * from './errors.js';
export * from './offences.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export * from './timestamps.js';
export {
  type OffenceVerdict,
  type PeerReport,
  type QuarantineEvent,
  Reputation,
  type ReputationOptions,
} from './reputation.js';
export {
  type OffenceEntry,
  type PeerTrustSnapshot,
  PeerTrustTable,
  type PeerTrustTableOptions,
  type PenaltyOptions,
  type PenaltyOutcome,
  type QuarantineDecision,
  type TrustState,
} from './trust-score.js';
