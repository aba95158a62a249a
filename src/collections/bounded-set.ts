/**
 * `BoundedSet`: a set with a maximum size that forgets its oldest entries first ("oldest" meaning
 * least recently added: adding a present key makes it the newest), so the memory a peer can make us
 * spend on remembering, say, rejected objects stays bounded. A `BoundedMap` with no values.
 */
import { BoundedMap } from './bounded-map.js';

export class BoundedSet<T = string> {
  readonly #entries: BoundedMap<T, true>;

  /** `capacity`: most entries held (unit: entries); throws RangeError unless a positive integer. */
  constructor(capacity: number) {
    this.#entries = new BoundedMap(capacity);
  }

  /** Adds `key` as the newest entry, forgetting the oldest one when full. */
  add(key: T): void {
    this.#entries.set(key, true);
  }

  has(key: T): boolean {
    return this.#entries.has(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
