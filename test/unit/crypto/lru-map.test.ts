/**
 * LruMap: bounded, evicts the least recently used entry.
 */
import { describe, expect, it } from 'vitest';
import { LruMap } from '../../../src/collections/lru-map.js';

describe('LruMap', () => {
  it('evicts the least recently used entry when full', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1); // a is now the most recent
    map.set('c', 3); // evicts b
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
    expect(map.size).toBe(2);
  });

  it('overwrites an existing key without evicting another', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 10);
    expect(map.size).toBe(2);
    expect(map.get('a')).toBe(10);
    expect(map.get('b')).toBe(2);
  });

  it('never exceeds its bound', () => {
    const map = new LruMap<number, number>(100);
    for (let i = 0; i < 1000; i++) map.set(i, i);
    expect(map.size).toBe(100);
    expect(map.get(899)).toBeUndefined();
    expect(map.get(900)).toBe(900);
    map.clear();
    expect(map.size).toBe(0);
  });

  it('rejects a non-positive capacity', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
    expect(() => new LruMap(Number.NaN)).toThrow(RangeError);
  });
});
