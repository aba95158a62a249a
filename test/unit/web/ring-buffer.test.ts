/** The bounded containers every history of the trust-map server is made of. */
import { describe, expect, it } from 'vitest';
import { FeedLog } from '../../../src/web/server/feed.js';
import { PeerHistory } from '../../../src/web/server/peer-history.js';
import { BoundedMap, RingBuffer } from '../../../src/web/server/ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps the last `capacity` items, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.toArray()).toEqual([]);
    for (let i = 1; i <= 7; i++) ring.push(i);
    expect(ring.toArray()).toEqual([5, 6, 7]);
    expect(ring.size).toBe(3);
    expect(ring.last()).toBe(7);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});

describe('BoundedMap', () => {
  it('forgets the entry touched longest ago when full', () => {
    const map = new BoundedMap<string, number>(2);
    map.upsert('a', () => 1);
    map.upsert('b', () => 2);
    map.upsert('a', () => 99); // touches a: b is now the oldest
    map.upsert('c', () => 3);
    expect([...map.keys()]).toEqual(['a', 'c']);
    expect(map.get('a')).toBe(1);
  });
});

describe('PeerHistory', () => {
  it('bounds samples per pair and pairs overall, and remembers when a peer was last connected', () => {
    const history = new PeerHistory(4, 3);
    for (let t = 0; t < 10; t++) history.record('alice', 'p1', t, -t, t < 6);
    expect(history.samples('alice', 'p1').map((s) => s.at)).toEqual([6, 7, 8, 9]);
    expect(history.lastConnectedAt('alice', 'p1')).toBe(5);
    for (const peer of ['p2', 'p3', 'p4']) history.record('alice', peer, 1, 0, true);
    expect(history.stats()).toEqual({ pairs: 3, maxSamples: 1 });
    expect(history.samples('alice', 'p1')).toEqual([]);
  });
});

describe('FeedLog', () => {
  it('numbers events, keeps the last `capacity`, and hands out each new event once', () => {
    const feed = new FeedLog(2);
    feed.add(1, 'block', 'alice', 'one');
    feed.add(2, 'block', 'alice', 'two');
    feed.add(3, 'reorg', 'bob', 'three');
    expect(feed.all().map((e) => [e.seq, e.text])).toEqual([
      [2, 'two'],
      [3, 'three'],
    ]);
    expect(feed.takePending().map((e) => e.text)).toEqual(['two', 'three']);
    expect(feed.takePending()).toEqual([]);
  });
});
