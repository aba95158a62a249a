/**
 * `PeerActivity`: a timeout is silent when the peer sent nothing for a second of the wait (a
 * stalled process), not when it kept talking (a withholder); service is reported once; memory is
 * bounded.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_ACTIVITY_PEERS,
  MAX_SILENCES_PER_PEER,
  SILENCE_GAP_MS,
} from '../../../src/p2p/reputation/constants.js';
import { PeerActivity } from '../../../src/p2p/reputation/peer-activity.js';

const TIMEOUT_MS = 2_000;

describe('PeerActivity: stalled or withholding', () => {
  it('a peer never heard from is silent', () => {
    expect(new PeerActivity().timeout('p', 0, TIMEOUT_MS)).toEqual({ silent: true, servedSince: false });
  });

  it('a peer announcing every 0.5 s throughout the wait is not silent', () => {
    const activity = new PeerActivity();
    for (let t = 0; t <= TIMEOUT_MS; t += 500) activity.heard('p', t);
    expect(activity.timeout('p', 10, TIMEOUT_MS + 10).silent).toBe(false);
  });

  it('a peer that stopped right after announcing is silent: the silence is still running', () => {
    const activity = new PeerActivity();
    activity.heard('p', 0);
    activity.heard('p', 500);
    expect(activity.timeout('p', 510, 510 + TIMEOUT_MS).silent).toBe(true);
    // Heard again 0.9 s before the judgement: the 1.1 s before it was a silence all the same.
    activity.heard('p', 1_600);
    expect(activity.timeout('p', 510, 510 + TIMEOUT_MS).silent).toBe(true);
  });

  it('a past silence counts only when it overlaps the wait by SILENCE_GAP_MS', () => {
    const activity = new PeerActivity();
    activity.heard('p', 0);
    activity.heard('p', 3_000); // silent from 0 to 3 s
    for (let t = 3_400; t <= 6_000; t += 400) activity.heard('p', t);
    // Waiting from 2.1 s: 0.9 s of that silence only.
    expect(activity.timeout('p', 2_100, 4_100).silent).toBe(false);
    // Waiting from 1.9 s: 1.1 s of it.
    expect(activity.timeout('p', 1_900, 3_900).silent).toBe(true);
  });

  it('the time before we first heard from the peer is a silence', () => {
    const activity = new PeerActivity();
    activity.heard('p', 1_500);
    activity.heard('p', 2_000);
    expect(activity.timeout('p', 0, TIMEOUT_MS).silent).toBe(true);
    // 0.9 s before we first heard from it, 0.6 s since: no second of silence.
    expect(activity.timeout('p', 600, 2_600).silent).toBe(false);
    // Nothing since 2 s: by 3.1 s the silence still running is 1.1 s long.
    expect(activity.timeout('p', 1_100, 3_100).silent).toBe(true);
  });

  it('reports service once, with the next timeout that is not silent', () => {
    const activity = new PeerActivity();
    activity.heard('p', 0);
    activity.served('p', 100);
    // A silent timeout leaves the mark for the next one.
    expect(activity.timeout('p', 200, 200 + TIMEOUT_MS)).toEqual({ silent: true, servedSince: true });
    for (let t = 2_400; t <= 5_000; t += 300) activity.heard('p', t);
    expect(activity.timeout('p', 2_500, 4_500)).toEqual({ silent: false, servedSince: true });
    expect(activity.timeout('p', 2_600, 4_600)).toEqual({ silent: false, servedSince: false });
  });

  it('forgets a peer on request; a forgotten peer is silent until heard again', () => {
    const activity = new PeerActivity();
    for (let t = 0; t <= 2_000; t += 200) activity.heard('p', t);
    activity.forget('p');
    expect(activity.size).toBe(0);
    expect(activity.timeout('p', 0, 2_000).silent).toBe(true);
  });

  it('keeps at most MAX_SILENCES_PER_PEER silences per peer and maxPeers peers', () => {
    const activity = new PeerActivity({ maxPeers: 3 });
    for (let i = 0; i < 10; i++) activity.heard(`p${i}`, i);
    expect(activity.size).toBe(3);
    activity.heard('p7', 10); // p7 is now the most recent: p8 goes first
    activity.heard('q', 11);
    expect(activity.timeout('p7', 5, 6).silent).toBe(false);
    expect(activity.timeout('p8', 5, 6).silent).toBe(true);

    const one = new PeerActivity();
    let t = 0;
    for (let i = 0; i < 3 * MAX_SILENCES_PER_PEER; i++) {
      one.heard('p', t);
      t += 2 * SILENCE_GAP_MS;
    }
    // Only the newest silences are kept: an old one no longer makes an old wait silent...
    expect(one.timeout('p', SILENCE_GAP_MS / 2, SILENCE_GAP_MS * 2).silent).toBe(false);
    // ...while a recent one still does.
    expect(one.timeout('p', t - 4 * SILENCE_GAP_MS, t - 2 * SILENCE_GAP_MS).silent).toBe(true);
    expect(MAX_ACTIVITY_PEERS).toBeGreaterThanOrEqual(1_000);
  });

  it('rejects nonsense options', () => {
    expect(() => new PeerActivity({ maxPeers: 0 })).toThrow(RangeError);
    expect(() => new PeerActivity({ silenceGapMs: 0 })).toThrow(RangeError);
  });
});
