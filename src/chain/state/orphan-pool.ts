/**
 * Orphan pool: blocks whose parent we do not know yet, kept (bytes only, in memory) until the
 * parent arrives, then handed back to the chain to be processed in order.
 *
 * Only blocks that passed the context-free header checks (proof of work, miner signature) get
 * here, so filling the pool costs an attacker real work on the real network. It is bounded by
 * count and bytes; when full, the oldest orphan is evicted (an honest peer will serve it again
 * during sync). Nothing is persisted: after a restart, sync fetches missing blocks anyway.
 */

/** Most orphans held: enough for a sync burst that arrives out of order. */
export const MAX_ORPHANS = 64;
/** Most bytes of orphan blocks held (8 full 1 MB blocks). */
export const MAX_ORPHAN_BYTES = 8_000_000;

export interface Orphan {
  readonly idHex: string;
  readonly parentHex: string;
  readonly height: number;
  readonly bytes: Uint8Array;
}

export class OrphanPool {
  /** Insertion order is age order (oldest first). */
  readonly #orphans = new Map<string, Orphan>();
  readonly #byParent = new Map<string, Set<string>>();
  #bytes = 0;

  constructor(
    private readonly maxCount = MAX_ORPHANS,
    private readonly maxBytes = MAX_ORPHAN_BYTES,
  ) {}

  get size(): number {
    return this.#orphans.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  has(idHex: string): boolean {
    return this.#orphans.has(idHex);
  }

  get(idHex: string): Orphan | undefined {
    return this.#orphans.get(idHex);
  }

  /** Adds an orphan, evicting the oldest ones while over a bound. Returns false when already held. */
  add(orphan: Orphan): boolean {
    if (this.#orphans.has(orphan.idHex) || orphan.bytes.length > this.maxBytes) return false;
    this.#orphans.set(orphan.idHex, orphan);
    this.#bytes += orphan.bytes.length;
    let siblings = this.#byParent.get(orphan.parentHex);
    if (siblings === undefined) {
      siblings = new Set();
      this.#byParent.set(orphan.parentHex, siblings);
    }
    siblings.add(orphan.idHex);
    while (this.#orphans.size > this.maxCount || this.#bytes > this.maxBytes) {
      const oldest = this.#orphans.keys().next().value as string;
      this.remove(oldest);
    }
    return true;
  }

  remove(idHex: string): Orphan | undefined {
    const orphan = this.#orphans.get(idHex);
    if (orphan === undefined) return undefined;
    this.#orphans.delete(idHex);
    this.#bytes -= orphan.bytes.length;
    const siblings = this.#byParent.get(orphan.parentHex);
    siblings?.delete(idHex);
    if (siblings?.size === 0) this.#byParent.delete(orphan.parentHex);
    return orphan;
  }

  /** Removes and returns the orphans whose parent is `parentHex`, oldest first. */
  takeChildren(parentHex: string): Orphan[] {
    const ids = [...(this.#byParent.get(parentHex) ?? [])];
    return ids.map((id) => this.remove(id)).filter((o): o is Orphan => o !== undefined);
  }

  /** Removes every orphan descending from `idHex` (its parent turned out invalid). */
  removeDescendants(idHex: string): number {
    let removed = 0;
    const stack = [idHex];
    while (stack.length > 0) {
      for (const child of this.takeChildren(stack.pop()!)) {
        removed++;
        stack.push(child.idHex);
      }
    }
    return removed;
  }

  /**
   * The first missing ancestor of orphan `idHex`: the parent id of the oldest orphan in its chain
   * (what sync should fetch next), or undefined when `idHex` is not an orphan.
   */
  missingAncestorOf(idHex: string): string | undefined {
    let orphan = this.#orphans.get(idHex);
    if (orphan === undefined) return undefined;
    for (let steps = 0; steps <= this.maxCount; steps++) {
      const parent = this.#orphans.get(orphan.parentHex);
      if (parent === undefined) return orphan.parentHex;
      orphan = parent;
    }
    return orphan.parentHex;
  }
}
