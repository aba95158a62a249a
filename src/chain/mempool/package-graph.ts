/**
 * The mempool's family tree: which pooled transactions spend outputs of which other pooled
 * transactions (chains of unconfirmed transactions, "packages"). It owns only the links, by txid
 * hex; the mempool owns the entries and decides what to add and remove.
 *
 * Walks are bounded by the package limits, so a peer building a long chain costs us at most
 * MAX_PACKAGE_COUNT steps per walk, and every walk returns transactions parents first (a valid
 * order for a block).
 */

/**
 * Most pooled transactions in one package, counted both ways (unit: transactions): a transaction
 * with its unconfirmed ancestors, and a transaction with its unconfirmed descendants, each at most
 * 25 (itself included). Bitcoin Core's `-limitancestorcount` / `-limitdescendantcount` defaults:
 * every walk over the tree (admission, eviction, removal) then stays a few dozen steps, and a chain
 * of payments made block by block during a long partition (one generation per block) still fits.
 */
export const MAX_PACKAGE_COUNT = 25;

export class PackageGraph {
  /** Txid hex -> its pooled parents (transactions whose outputs it spends). */
  readonly #parents = new Map<string, ReadonlySet<string>>();
  /** Txid hex -> its pooled children. */
  readonly #children = new Map<string, Set<string>>();

  /** Links `txid` under its pooled `parents` (which must already be linked). */
  add(txid: string, parents: ReadonlySet<string>): void {
    // Most pooled transactions spend confirmed outputs only: no entry (`parentsOf` gives EMPTY),
    // rather than one empty Set each (~100 bytes x the pool).
    if (parents.size === 0) return;
    this.#parents.set(txid, parents);
    for (const parent of parents) {
      let children = this.#children.get(parent);
      if (children === undefined) this.#children.set(parent, (children = new Set()));
      children.add(txid);
    }
  }

  /**
   * Unlinks `txid`. Its children keep no link to it: the caller removes them too (the parent left
   * unconfirmed) or they now spend confirmed outputs (the parent was mined).
   */
  remove(txid: string): void {
    for (const parent of this.#parents.get(txid) ?? []) {
      const siblings = this.#children.get(parent);
      siblings?.delete(txid);
      if (siblings?.size === 0) this.#children.delete(parent);
    }
    for (const child of this.#children.get(txid) ?? []) {
      const parents = this.#parents.get(child);
      if (parents === undefined) continue;
      const rest = new Set(parents);
      rest.delete(txid);
      if (rest.size === 0) this.#parents.delete(child);
      else this.#parents.set(child, rest);
    }
    this.#parents.delete(txid);
    this.#children.delete(txid);
  }

  clear(): void {
    this.#parents.clear();
    this.#children.clear();
  }

  parentsOf(txid: string): ReadonlySet<string> {
    return this.#parents.get(txid) ?? EMPTY;
  }

  hasChildren(txid: string): boolean {
    return (this.#children.get(txid)?.size ?? 0) > 0;
  }

  /**
   * Every pooled ancestor of a transaction whose pooled parents are `parents`, or undefined as soon
   * as there are more than `limit`.
   */
  ancestorsOf(parents: ReadonlySet<string>, limit: number): Set<string> | undefined {
    return this.#walk(parents, (txid) => this.#parents.get(txid), limit);
  }

  /**
   * Every pooled descendant of `txid`, parents before children, or undefined as soon as there are
   * more than `limit`. Unbounded (`Infinity`) only for removals, whose size the admission limits
   * already bound.
   */
  descendantsOf(txid: string, limit = Number.POSITIVE_INFINITY): string[] | undefined {
    const found = this.#walk(this.#children.get(txid) ?? EMPTY, (t) => this.#children.get(t), limit);
    return found === undefined ? undefined : this.#parentsFirst(found);
  }

  /** Breadth-first closure of `start` over `next`, undefined once it exceeds `limit`. */
  #walk(
    start: Iterable<string>,
    next: (txid: string) => Iterable<string> | undefined,
    limit: number,
  ): Set<string> | undefined {
    const found = new Set<string>();
    const queue = [...start];
    for (let i = 0; i < queue.length; i++) {
      const txid = queue[i]!;
      if (found.has(txid)) continue;
      found.add(txid);
      if (found.size > limit) return undefined;
      for (const more of next(txid) ?? []) if (!found.has(more)) queue.push(more);
    }
    return found;
  }

  /** `txids` ordered so that every transaction comes after its parents among them. */
  #parentsFirst(txids: ReadonlySet<string>): string[] {
    const ordered: string[] = [];
    const placed = new Set<string>();
    const place = (txid: string): void => {
      if (placed.has(txid)) return;
      placed.add(txid);
      for (const parent of this.parentsOf(txid)) if (txids.has(parent)) place(parent);
      ordered.push(txid);
    };
    for (const txid of txids) place(txid);
    return ordered;
  }
}

const EMPTY: ReadonlySet<string> = new Set();
