/**
 * Orphan transactions: validly signed transactions that spend outputs of a transaction we do not
 * have yet (TX_MISSING_INPUTS with an unknown parent), held until that parent arrives, as Bitcoin
 * Core's orphanage. Relay does not keep an order across peers: a payment can reach us before the
 * payment whose change it spends (fetched from a faster peer), and without this it would be lost
 * until someone announced it again.
 *
 * It owns the held bytes and the index from awaited parent to orphans; the mempool decides what
 * enters (signatures verified, parent unknown) and re-validates what it takes back. Bounded: at
 * most MAX_ORPHAN_TXS, each at most one transaction's size, ORPHAN_EXPIRY_MS each. When full, a
 * random orphan makes room (expired ones first), so a flood of junk orphans cannot pin out an
 * honest one for sure, and costs us at most a full pool of bytes.
 */

/** Most orphans held (unit: transactions); Bitcoin Core's default. At most 100 x 100 KB. */
export const MAX_ORPHAN_TXS = 100;

/** How long (unit: ms) an orphan waits for its parent: 20 minutes, as Bitcoin Core. */
export const ORPHAN_EXPIRY_MS = 20 * 60_000;

interface Orphan {
  readonly bytes: Uint8Array;
  /** Txid hex of every parent it waits for. */
  readonly awaited: ReadonlySet<string>;
  readonly addedAt: number;
}

export class OrphanTransactions {
  /** Txid hex -> orphan. */
  readonly #orphans = new Map<string, Orphan>();
  /** Parent txid hex -> txid hex of the orphans waiting for it. */
  readonly #byParent = new Map<string, Set<string>>();

  constructor(
    private readonly maxCount = MAX_ORPHAN_TXS,
    private readonly expiryMs = ORPHAN_EXPIRY_MS,
    private readonly random: () => number = Math.random,
  ) {}

  get size(): number {
    return this.#orphans.size;
  }

  has(txidHex: string): boolean {
    return this.#orphans.has(txidHex);
  }

  /** Holds `bytes` (its own copy) until one of `awaited` arrives; evicts to make room. */
  add(txidHex: string, bytes: Uint8Array, awaited: ReadonlySet<string>, now: number): void {
    if (this.#orphans.has(txidHex) || awaited.size === 0 || this.maxCount === 0) return;
    this.expire(now);
    if (this.#orphans.size >= this.maxCount) {
      const txids = [...this.#orphans.keys()];
      this.#delete(txids[Math.floor(this.random() * txids.length)]!);
    }
    this.#orphans.set(txidHex, { bytes: bytes.slice(), awaited, addedAt: now });
    for (const parent of awaited) {
      let waiting = this.#byParent.get(parent);
      if (waiting === undefined) this.#byParent.set(parent, (waiting = new Set()));
      waiting.add(txidHex);
    }
  }

  /** Removes and returns the orphans waiting for `parentTxidHex` (oldest first), unexpired ones only. */
  takeChildrenOf(parentTxidHex: string, now: number): Uint8Array[] {
    const waiting = this.#byParent.get(parentTxidHex);
    if (waiting === undefined) return [];
    const taken: Uint8Array[] = [];
    for (const txidHex of [...waiting]) {
      const orphan = this.#orphans.get(txidHex)!;
      this.#delete(txidHex);
      if (now - orphan.addedAt <= this.expiryMs) taken.push(orphan.bytes);
    }
    return taken;
  }

  /** Removes and returns every orphan (a reorg: the mempool retries them all against the new tip). */
  takeAll(now: number): Uint8Array[] {
    this.expire(now);
    const all = [...this.#orphans.values()].map((orphan) => orphan.bytes);
    this.clear();
    return all;
  }

  /** Drops orphans older than the expiry time. */
  expire(now: number): void {
    for (const [txidHex, orphan] of this.#orphans) {
      if (now - orphan.addedAt > this.expiryMs) this.#delete(txidHex);
    }
  }

  clear(): void {
    this.#orphans.clear();
    this.#byParent.clear();
  }

  #delete(txidHex: string): void {
    const orphan = this.#orphans.get(txidHex);
    if (orphan === undefined) return;
    this.#orphans.delete(txidHex);
    for (const parent of orphan.awaited) {
      const waiting = this.#byParent.get(parent);
      waiting?.delete(txidHex);
      if (waiting?.size === 0) this.#byParent.delete(parent);
    }
  }
}
