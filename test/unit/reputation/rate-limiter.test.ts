import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, MAX_RATE_LIMITED_PEERS } from '../../../src/p2p/reputation/constants.js';
import { InvalidCostError, InvalidRateLimitError } from '../../../src/p2p/reputation/errors.js';
import { RATE_CLASSES, type RateClass, RateLimiter } from '../../../src/p2p/reputation/rate-limiter.js';
import { fakeClock } from './fake-clock.js';

function setup(options: { maxPeers?: number } = {}) {
  const clock = fakeClock();
  const limiter = new RateLimiter({
    now: clock.now,
    limits: { inv: { ratePerSecond: 10, burst: 50 } },
    ...options,
  });
  return { clock, limiter };
}

describe('RateLimiter', () => {
  it('lets a fresh peer spend its whole burst at once, then refuses', () => {
    const { limiter } = setup();
    for (let i = 0; i < 50; i++) expect(limiter.take('p', 'inv')).toBe(true);
    expect(limiter.take('p', 'inv')).toBe(false);
    expect(limiter.available('p', 'inv')).toBe(0);
  });

  it('refills continuously at the configured rate, never above the burst', () => {
    const { clock, limiter } = setup();
    expect(limiter.take('p', 'inv', 50)).toBe(true);
    clock.advance(100); // 0.1 s at 10/s: one token
    expect(limiter.take('p', 'inv')).toBe(true);
    expect(limiter.take('p', 'inv')).toBe(false);
    clock.advance(1_000);
    expect(limiter.available('p', 'inv')).toBeCloseTo(10, 9);
    expect(limiter.take('p', 'inv', 10)).toBe(true);
    clock.advance(3_600_000);
    expect(limiter.available('p', 'inv')).toBe(50);
  });

  it('spends nothing on a refused take, and never passes a cost above the burst', () => {
    const { limiter } = setup();
    expect(limiter.take('p', 'inv', 40)).toBe(true);
    expect(limiter.take('p', 'inv', 11)).toBe(false);
    expect(limiter.take('p', 'inv', 10)).toBe(true);
    expect(limiter.take('q', 'inv', 51)).toBe(false);
    expect(limiter.available('q', 'inv')).toBe(50);
  });

  it('keeps classes and peers independent', () => {
    const { limiter } = setup();
    expect(limiter.take('p', 'inv', 50)).toBe(true);
    expect(limiter.take('p', 'inv')).toBe(false);
    expect(limiter.take('p', 'getdata')).toBe(true);
    expect(limiter.take('q', 'inv')).toBe(true);
  });

  it('forgets a peer on request, and idle peers on sweep (losslessly)', () => {
    const { clock, limiter } = setup();
    limiter.take('busy', 'inv', 50);
    limiter.take('idle', 'inv', 1);
    expect(limiter.forget('nobody')).toBe(false);
    clock.advance(1_000); // idle refilled to 50; busy has 10 of 50
    expect(limiter.sweep()).toBe(1);
    expect(limiter.size).toBe(1);
    expect(limiter.available('busy', 'inv')).toBeCloseTo(10, 9);
    expect(limiter.forget('busy')).toBe(true);
    expect(limiter.available('busy', 'inv')).toBe(50);
    expect(limiter.size).toBe(0);
  });

  it('stays bounded with 100k peers', () => {
    const { limiter } = setup();
    for (let i = 0; i < 100_000; i++) {
      limiter.take(`peer-${i}`, 'inv', 5);
      limiter.take(`peer-${i}`, 'bytes', 300);
    }
    expect(limiter.size).toBe(MAX_RATE_LIMITED_PEERS);
  });

  it('keeps recently active peers when evicting', () => {
    const { limiter } = setup({ maxPeers: 10 });
    limiter.take('flooder', 'inv', 50);
    for (let i = 0; i < 1000; i++) {
      limiter.take(`new-${i}`, 'inv');
      limiter.take('flooder', 'getdata'); // stays recently active
    }
    expect(limiter.size).toBe(10);
    expect(limiter.take('flooder', 'inv')).toBe(false);
  });

  it('validates costs and limits', () => {
    const { limiter } = setup();
    for (const cost of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => limiter.take('p', 'inv', cost)).toThrow(InvalidCostError);
    }
    expect(() => limiter.take('p', 'nope' as RateClass)).toThrow(InvalidRateLimitError);
    expect(() => new RateLimiter({ limits: { bytes: { ratePerSecond: 0, burst: 1 } } })).toThrow(
      InvalidRateLimitError,
    );
    expect(() => new RateLimiter({ maxPeers: 0 })).toThrow(InvalidRateLimitError);
  });

  it('never limits an honest peer at 100 tx/s network load with the default limits', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ now: clock.now });
    const refused: RateClass[] = [];
    const take = (cls: RateClass, cost: number) => {
      if (!limiter.take('honest', cls, cost)) refused.push(cls);
    };
    // On connecting: announces and serves a whole mempool of 10 000 transactions.
    take('inv', 10_000);
    take('getdata', 10_000);
    // Then an hour of relay: 100 tx/s of 300 B, a 1 MB block every 30 s, a sync request a second.
    for (let second = 1; second <= 3600; second++) {
      clock.advance(1_000);
      take('inv', 101);
      take('getdata', 100);
      take('objects', 101);
      take('bytes', 100 * 300 + (second % 30 === 0 ? 1_000_000 : 0));
      take('sync', 2);
    }
    expect(refused).toEqual([]);
  });

  it('documents a sane default for every class', () => {
    for (const cls of RATE_CLASSES) {
      const { ratePerSecond, burst } = DEFAULT_RATE_LIMITS[cls];
      expect(ratePerSecond).toBeGreaterThan(0);
      expect(burst).toBeGreaterThanOrEqual(ratePerSecond);
    }
  });
});
