/** BoundedMap and BoundedSet: bounded, forget the least recently written entry first. */
import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../../src/collections/bounded-map.js';
import { BoundedSet } from '../../../src/collections/bounded-set.js';

describe('BoundedMap', () => {
  it('evicts the least recently written entry; get does not refresh', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    expect(map.get('a')).toBe(1); // a read: a stays the oldest
    map.set('c', 3);
    expect([...map.keys()]).toEqual(['b', 'c']);
    map.set('b', 20); // a write: b becomes the newest
    map.set('d', 4);
    expect([...map]).toEqual([
      ['b', 20],
      ['d', 4],
    ]);
  });

  it('never exceeds its capacity and allows deletion while iterating', () => {
    const map = new BoundedMap<number, number>(100);
    for (let i = 0; i < 1000; i++) map.set(i, i);
    expect(map.size).toBe(100);
    expect(map.has(899)).toBe(false);
    expect(map.get(900)).toBe(900);
    for (const [key] of map) if (key % 2 === 0) map.delete(key);
    expect(map.size).toBe(50);
    expect([...map.values()][0]).toBe(901);
    map.clear();
    expect(map.size).toBe(0);
  });

  it('rejects a capacity that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new BoundedMap(bad)).toThrow(RangeError);
    }
  });
});

describe('BoundedSet', () => {
  it('forgets the least recently added key first', () => {
    const set = new BoundedSet(2);
    set.add('a');
    set.add('b');
    set.add('a'); // a becomes the newest
    set.add('c'); // evicts b
    expect(set.has('a')).toBe(true);
    expect(set.has('b')).toBe(false);
    expect(set.has('c')).toBe(true);
    expect(set.size).toBe(2);
    set.clear();
    expect(set.size).toBe(0);
  });
});
