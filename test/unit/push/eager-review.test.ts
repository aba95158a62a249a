/**
 * EagerReview: over a window of fresh transactions, the eager peer that delivers first markedly less
 * often than the best one (or lets fetches win a quarter of the window) is named for replacement;
 * peers at the same depth stay.
 */
import { describe, expect, it } from 'vitest';
import { EagerReview } from '../../../src/p2p/push/eager-review.js';

function review(clock: { t: number }, eager: string[], deliveries = 10, minMs = 1_000): EagerReview {
  const r = new EagerReview(() => clock.t, { deliveries, minMs });
  r.restart(eager);
  return r;
}

describe('EagerReview', () => {
  it('names the eager peer that delivered first less than half as often as the best', () => {
    const clock = { t: 0 };
    const r = review(clock, ['fast', 'slow']);
    clock.t = 2_000;
    const verdicts = [];
    for (let i = 0; i < 7; i++) verdicts.push(r.record('fast', false));
    for (let i = 0; i < 2; i++) verdicts.push(r.record('slow', false));
    verdicts.push(r.record('someone-else', false)); // a non-eager peer's own transaction: counted in the window only
    expect(verdicts.slice(0, -1).every((v) => v === undefined)).toBe(true);
    expect(verdicts.at(-1)).toBe('slow');
  });

  it('keeps two peers that split the firsts, and waits for the window to last minMs', () => {
    const clock = { t: 0 };
    const r = review(clock, ['a', 'b']);
    for (let i = 0; i < 10; i++) expect(r.record(i % 2 === 0 ? 'a' : 'b', false)).toBeUndefined();
    clock.t = 1_000; // the deliveries are in, the time now too: the window ends, nobody lags
    expect(r.record('a', false)).toBeUndefined();
    // A new window began: 10 more deliveries needed before the next verdict.
    for (let i = 0; i < 9; i++) expect(r.record('a', false)).toBeUndefined();
    clock.t = 2_000;
    expect(r.record('a', false)).toBe('b');
  });

  it('replaces the worst when fetches after announcements won a quarter of the window', () => {
    const clock = { t: 5_000 };
    const r = review(clock, ['a', 'b']);
    clock.t += 1_000;
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push(r.record('a', false), r.record('b', false));
    verdicts.push(r.record('x', true), r.record('y', true), r.record('z', true));
    expect(verdicts.every((v) => v === undefined)).toBe(true); // 3 of 9: the window is not over
    expect(['a', 'b']).toContain(r.record('w', true)); // 4 of 10 fetched: one of the two goes
    // A fetch from an eager peer is not a first delivery of its pushes.
    r.restart(['a', 'b']);
    clock.t += 1_000;
    for (let i = 0; i < 5; i++) r.record('a', false);
    for (let i = 0; i < 4; i++) r.record('b', true);
    expect(r.record('b', true)).toBe('b');
  });

  it('a single eager peer is replaced only when fetches outrun it', () => {
    const clock = { t: 5_000 };
    const r = review(clock, ['only']);
    clock.t += 1_000;
    for (let i = 0; i < 9; i++) r.record('only', false);
    expect(r.record('other', false)).toBeUndefined();
    clock.t += 1_000;
    for (let i = 0; i < 7; i++) r.record('only', false);
    for (let i = 0; i < 2; i++) r.record('other', true);
    expect(r.record('other', true)).toBe('only');
  });
});
