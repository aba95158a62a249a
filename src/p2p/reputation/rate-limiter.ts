/**
 * `RateLimiter`: token buckets keyed by (peer, class), so one peer cannot make us process more than a
 * fixed rate of announcements, requests, objects, bytes or sync requests, whatever it sends.
 *
 * Each bucket holds up to `burst` tokens and refills continuously at `ratePerSecond`; `take(peer,
 * cls, cost)` spends `cost` tokens if it can and says whether it did. A refused take spends nothing,
 * so a peer that overshoots briefly is served again as soon as tokens refill. Refusing is the
 * limiter's whole job: the caller drops the excess and reports `RATE_LIMIT_EXCEEDED` to the trust
 * score, which quarantines a sustained flooder. A cost above the class's burst can never pass: the
 * caller must treat it as oversize.
 *
 * Defaults (`DEFAULT_RATE_LIMITS`) sit 10x or more above an honest peer at 100 tx/s network load.
 *
 * Memory is bounded: a bucket that has refilled to `burst` is indistinguishable from a new one, so
 * `sweep()` forgets such idle peers at no cost to accuracy; `forget(peer)` drops a peer on
 * disconnect; and beyond `maxPeers` the least recently active peer is forgotten, which only hands it
 * a fresh burst (an attacker needs more than `maxPeers` live connections to exploit that).
 * Time comes from an injected clock, so tests are deterministic.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter();
 * if (!limiter.take(peerId, 'inv', inv.items.length)) {
 *   reputation.recordOffence(peerId, 'RATE_LIMIT_EXCEEDED', `inv x${inv.items.length}`);
 *   return;
 * }
 * ```
 */
import { BoundedMap } from '../../collections/bounded-map.js';
import {
  DEFAULT_RATE_LIMITS,
  MAX_RATE_LIMITED_PEERS,
  RATE_CLASSES,
  type RateClass,
  type RateLimit,
} from './constants.js';

import { InvalidCostError, InvalidRateLimitError } from './errors.js';

export { RATE_CLASSES, type RateClass, type RateLimit };

/**
 * Oldest peers checked for an idle one before evicting the oldest (unit: peers): an idle peer's
 * buckets are lossless to forget, and a short scan keeps `take` O(1).
 */
const IDLE_SCAN_PEERS = 8;

/** Options of `RateLimiter`; every field has a documented default. */
export interface RateLimiterOptions {
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
  /** Overrides of `DEFAULT_RATE_LIMITS`, per class. */
  limits?: Partial<Record<RateClass, RateLimit>>;
  /** Most peers with buckets. Default `MAX_RATE_LIMITED_PEERS` (1024). */
  maxPeers?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

type PeerBuckets = Partial<Record<RateClass, Bucket>>;

/** Per-(peer, class) token buckets. See the module comment. */
export class RateLimiter {
  /** The limits in force, per class. */
  readonly limits: Readonly<Record<RateClass, RateLimit>>;
  private readonly now: () => number;
  /** Least recently active first (re-set on every take); beyond `maxPeers` the oldest goes. */
  private readonly peers: BoundedMap<string, PeerBuckets>;

  constructor(options: RateLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    const maxPeers = options.maxPeers ?? MAX_RATE_LIMITED_PEERS;
    if (!Number.isSafeInteger(maxPeers) || maxPeers < 1) {
      throw new InvalidRateLimitError(`maxPeers must be a positive integer, got ${options.maxPeers}`);
    }
    this.peers = new BoundedMap(maxPeers);
    const limits = { ...DEFAULT_RATE_LIMITS, ...options.limits };
    for (const cls of RATE_CLASSES) {
      const { ratePerSecond, burst } = limits[cls];
      if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0 && Number.isFinite(burst) && burst > 0)) {
        throw new InvalidRateLimitError(
          `limit of class ${cls} needs a finite ratePerSecond > 0 and burst > 0, got ${ratePerSecond}/s, ${burst}`,
        );
      }
    }
    this.limits = Object.freeze(limits);
  }

  /** Number of peers with buckets (never above `maxPeers`). */
  get size(): number {
    return this.peers.size;
  }

  /**
   * Spends `cost` units of `cls` for `peerId` if the bucket holds them. Returns false (spending
   * nothing) otherwise. Throws `InvalidCostError` for a cost that is not a finite number > 0.
   */
  take(peerId: string, cls: RateClass, cost = 1): boolean {
    if (!(Number.isFinite(cost) && cost > 0)) throw new InvalidCostError(cost);
    const limit = this.limitOf(cls);
    const now = this.now();
    let buckets = this.peers.get(peerId);
    if (buckets === undefined) {
      if (this.peers.size >= this.peers.capacity) this.evictIdle(now);
      buckets = {};
    }
    this.peers.set(peerId, buckets); // most recently active last; evicts the oldest when full
    let bucket = buckets[cls];
    if (bucket === undefined) {
      bucket = { tokens: limit.burst, updatedAt: now };
      buckets[cls] = bucket;
    }
    refill(bucket, limit, now);
    if (bucket.tokens < cost) return false;
    bucket.tokens -= cost;
    return true;
  }

  /** Tokens `peerId` could spend on `cls` right now (the full burst for an unknown peer). */
  available(peerId: string, cls: RateClass): number {
    const limit = this.limitOf(cls);
    const bucket = this.peers.get(peerId)?.[cls];
    if (bucket === undefined) return limit.burst;
    refill(bucket, limit, this.now());
    return bucket.tokens;
  }

  /** Forgets a peer's buckets (call on disconnect). Returns whether it had any. */
  forget(peerId: string): boolean {
    return this.peers.delete(peerId);
  }

  /** Forgets every peer whose buckets are all full again (idle); lossless. Returns how many. */
  sweep(): number {
    const now = this.now();
    let forgotten = 0;
    for (const [peerId, buckets] of this.peers) {
      if (this.isIdle(buckets, now)) {
        this.peers.delete(peerId);
        forgotten++;
      }
    }
    return forgotten;
  }

  private limitOf(cls: RateClass): RateLimit {
    const limit = (this.limits as Partial<Record<string, RateLimit>>)[cls];
    if (limit === undefined) throw new InvalidRateLimitError(`unknown rate class: ${JSON.stringify(cls)}`);
    return limit;
  }

  private isIdle(buckets: PeerBuckets, now: number): boolean {
    for (const cls of RATE_CLASSES) {
      const bucket = buckets[cls];
      if (bucket === undefined) continue;
      const limit = this.limits[cls];
      refill(bucket, limit, now);
      if (bucket.tokens < limit.burst) return false;
    }
    return true;
  }

  /**
   * Frees one slot if an idle peer is among the `IDLE_SCAN_PEERS` least recently active; otherwise
   * the next `set` evicts the least recently active peer.
   */
  private evictIdle(now: number): void {
    let scanned = 0;
    for (const [peerId, buckets] of this.peers) {
      if (this.isIdle(buckets, now)) {
        this.peers.delete(peerId);
        return;
      }
      if (++scanned >= IDLE_SCAN_PEERS) return;
    }
  }
}

function refill(bucket: Bucket, limit: RateLimit, now: number): void {
  const elapsed = now - bucket.updatedAt;
  if (elapsed <= 0) return; // same instant, or the clock stepped back
  bucket.tokens = Math.min(limit.burst, bucket.tokens + (elapsed * limit.ratePerSecond) / 1000);
  bucket.updatedAt = now;
}
