/**
 * `BoundedMap`: a Map with a maximum size that forgets its oldest entry first, "oldest" meaning
 * least recently written (`set` moves a key to the newest end; `get` does not). It is the one
 * implementation of the bounded FIFO tables that keep what a peer can make us remember finite.
 *
 * @example
 * ```ts
 * const seen = new BoundedMap<string, number>(2);
 * seen.set('a', 1);
 * seen.set('b', 2);
 * seen.set('c', 3); // evicts 'a'
 * seen.has('a'); // false
 * ```
 */
export class BoundedMap<K, V> implements Iterable<[K, V]> {
  readonly #entries = new Map<K, V>();
  /** Most entries held (unit: entries). */
  readonly capacity: number;

  /** Throws RangeError unless `capacity` is a positive integer. */
  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** Stores `value` as the newest entry; on a full map, the oldest entry (never this one) goes. */
  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as K);
    return this;
  }

  /** The value for `key`, or undefined; does not change the eviction order. */
  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Entries oldest first; deleting during iteration is safe (as for a Map). */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.#entries.entries();
  }

  keys(): IterableIterator<K> {
    return this.#entries.keys();
  }

  values(): IterableIterator<V> {
    return this.#entries.values();
  }
}
