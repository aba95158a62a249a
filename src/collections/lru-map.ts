/**
 * `LruMap`: a bounded map with least-recently-used eviction, used for example to cache imported
 * node:crypto KeyObjects so that a key seen again costs a Map lookup instead of an import. It is a
 * `BoundedMap` whose `get` also counts as a use.
 */
import { BoundedMap } from './bounded-map.js';

/**
 * Map of at most `maxEntries` entries. `get` marks an entry as recently used (one delete and one
 * set, both O(1)); `set` on a full map evicts the least recently used entry.
 */
export class LruMap<K, V> {
  readonly #entries: BoundedMap<K, V>;

  /** Throws RangeError unless `maxEntries` is a positive integer. */
  constructor(maxEntries: number) {
    this.#entries = new BoundedMap(maxEntries);
  }

  /** Most entries held. */
  get maxEntries(): number {
    return this.#entries.capacity;
  }

  /** The value for `key`, now the most recently used entry; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) this.#entries.set(key, value);
    return value;
  }

  /** Stores `value` as the most recently used entry, evicting the least recently used if full. */
  set(key: K, value: V): void {
    this.#entries.set(key, value);
  }

  /** Removes `key`; true when it was there. */
  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
