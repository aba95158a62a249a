/** RateLimiter beyond `maxPeers`: an idle peer among the oldest goes first, else the oldest peer. */
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/p2p/reputation/rate-limiter.js';
import { fakeClock } from './fake-clock.js';

function setup() {
  const clock = fakeClock();
  const limiter = new RateLimiter({
    now: clock.now,
    maxPeers: 3,
    limits: { inv: { ratePerSecond: 10, burst: 50 } },
  });
  return { clock, limiter };
}

describe('RateLimiter eviction', () => {
  it('forgets an idle peer rather than the least recently active busy one', () => {
    const { clock, limiter } = setup();
    limiter.take('busy', 'inv', 50); // needs 5 s to refill
    limiter.take('idle-1', 'inv', 1); // needs 0.1 s
    limiter.take('idle-2', 'inv', 1);
    clock.advance(1000);
    limiter.take('new-1', 'inv');
    limiter.take('new-2', 'inv');
    expect(limiter.size).toBe(3);
    expect(limiter.available('busy', 'inv')).toBe(10); // still tracked: 10 tokens refilled in 1 s
  });

  it('forgets the least recently active peer when none is idle', () => {
    const { limiter } = setup();
    for (const peer of ['a', 'b', 'c']) limiter.take(peer, 'inv', 50);
    limiter.take('a', 'inv', 0.5); // refused, but a is now the most recently active
    limiter.take('d', 'inv', 50);
    expect(limiter.size).toBe(3);
    expect(limiter.available('b', 'inv')).toBe(50); // forgotten: a fresh burst
    expect(limiter.available('a', 'inv')).toBe(0);
    expect(limiter.available('c', 'inv')).toBe(0);
  });
});
