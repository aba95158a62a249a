/**
 * Rate limits of the address relay, per peer (Bitcoin Core's addr token bucket, plus a stream
 * bucket). Pure: time is passed in.
 *
 * - Addresses: a bucket of `ADDR_TOKEN_BURST` (1,000) tokens refilled at 0.1 per second; a new
 *   peer starts with 1 token (its self-announcement). Asking a peer for addresses (getaddr) grants
 *   it `GETADDR_MAX_ENTRIES` tokens for the answer. Addresses beyond the tokens are dropped without
 *   penalty: an honest relay may exceed them in a burst of new nodes (Core does the same).
 * - Streams: each addr/getaddr stream a peer opens costs one token of a bucket of 20 refilled at 1
 *   per second; a stream over it is reset and is an offence (RATE_LIMIT_EXCEEDED), since an honest
 *   peer opens one every few seconds at most.
 */
import {
  ADDR_INITIAL_TOKENS,
  ADDR_STREAM_BURST,
  ADDR_STREAMS_PER_SECOND,
  ADDR_TOKEN_BURST,
  ADDR_TOKENS_PER_SECOND,
  GETADDR_MAX_ENTRIES,
} from './constants.js';

interface Buckets {
  addrTokens: number;
  streamTokens: number;
  updatedAt: number;
}

export interface AddrRateLimiterOptions {
  tokensPerSecond?: number;
  burst?: number;
  initialTokens?: number;
  streamsPerSecond?: number;
  streamBurst?: number;
}

export class AddrRateLimiter {
  private readonly peers = new Map<string, Buckets>();
  private readonly rate: number;
  private readonly burst: number;
  private readonly initial: number;
  private readonly streamRate: number;
  private readonly streamBurst: number;

  constructor(options: AddrRateLimiterOptions = {}) {
    this.rate = options.tokensPerSecond ?? ADDR_TOKENS_PER_SECOND;
    this.burst = options.burst ?? ADDR_TOKEN_BURST;
    this.initial = options.initialTokens ?? ADDR_INITIAL_TOKENS;
    this.streamRate = options.streamsPerSecond ?? ADDR_STREAMS_PER_SECOND;
    this.streamBurst = options.streamBurst ?? ADDR_STREAM_BURST;
    for (const [name, value] of Object.entries({
      rate: this.rate,
      burst: this.burst,
      initial: this.initial,
      streamRate: this.streamRate,
      streamBurst: this.streamBurst,
    })) {
      if (!(value >= 0) || !Number.isFinite(value))
        throw new RangeError(`${name} must be a finite number >= 0`);
    }
  }

  private buckets(peer: string, now: number): Buckets {
    let b = this.peers.get(peer);
    if (b === undefined) {
      b = { addrTokens: this.initial, streamTokens: this.streamBurst, updatedAt: now };
      this.peers.set(peer, b);
      return b;
    }
    const elapsed = Math.max(0, now - b.updatedAt) / 1_000;
    b.addrTokens = Math.min(this.burst, b.addrTokens + elapsed * this.rate);
    b.streamTokens = Math.min(this.streamBurst, b.streamTokens + elapsed * this.streamRate);
    b.updatedAt = Math.max(b.updatedAt, now);
    return b;
  }

  /** Whether `peer` may open one more addr stream now (takes a token if so). */
  admitStream(peer: string, now: number): boolean {
    const b = this.buckets(peer, now);
    if (b.streamTokens < 1) return false;
    b.streamTokens -= 1;
    return true;
  }

  /** How many of `count` addresses from `peer` are accepted now (takes that many tokens). */
  takeAddresses(peer: string, count: number, now: number): number {
    const b = this.buckets(peer, now);
    const accepted = Math.max(0, Math.min(count, Math.floor(b.addrTokens)));
    b.addrTokens -= accepted;
    return accepted;
  }

  /** We asked `peer` for addresses: its answer may hold up to GETADDR_MAX_ENTRIES. */
  solicited(peer: string, now: number): void {
    const b = this.buckets(peer, now);
    b.addrTokens = Math.min(this.burst, b.addrTokens + GETADDR_MAX_ENTRIES);
  }

  /** Current address tokens of `peer` (for tests and the view). */
  tokens(peer: string, now: number): number {
    return this.buckets(peer, now).addrTokens;
  }

  forget(peer: string): void {
    this.peers.delete(peer);
  }
}
