/**
 * A bounded index of recently confirmed transactions (txid -> block), maintained as blocks are
 * connected and disconnected. The mempool uses it to answer TX_DUPLICATE cheaply for a
 * transaction that was just mined (instead of failing later on its spent inputs), and the RPC
 * uses it to locate recent transactions. Older txids fall out of it, which is harmless: their
 * inputs are spent, so a replay still fails with TX_MISSING_INPUTS.
 */

/** Most txids remembered (~100 full blocks of small transactions); ~10 MB of memory at most. */
export const MAX_RECENT_TXS = 100_000;

export interface TxLocation {
  readonly blockIdHex: string;
  readonly height: number;
}

export class RecentTxIndex {
  /** Insertion order is age order. */
  readonly #byTxid = new Map<string, TxLocation>();

  constructor(private readonly maxEntries = MAX_RECENT_TXS) {}

  get size(): number {
    return this.#byTxid.size;
  }

  get(txidHex: string): TxLocation | undefined {
    return this.#byTxid.get(txidHex);
  }

  has(txidHex: string): boolean {
    return this.#byTxid.has(txidHex);
  }

  addBlock(blockIdHex: string, height: number, txidHexes: readonly string[]): void {
    for (const txidHex of txidHexes) {
      this.#byTxid.delete(txidHex);
      this.#byTxid.set(txidHex, { blockIdHex, height });
    }
    while (this.#byTxid.size > this.maxEntries) {
      this.#byTxid.delete(this.#byTxid.keys().next().value as string);
    }
  }

  removeBlock(blockIdHex: string, txidHexes: readonly string[]): void {
    for (const txidHex of txidHexes) {
      if (this.#byTxid.get(txidHex)?.blockIdHex === blockIdHex) this.#byTxid.delete(txidHex);
    }
  }
}
