/**
 * A bounded index of recently confirmed transactions (txid -> block), maintained as blocks are
 * connected and disconnected. The mempool uses it to answer TX_DUPLICATE cheaply for a
 * transaction that was just mined (instead of failing later on its spent inputs), and the RPC
 * uses it to locate recent transactions. Older txids fall out of it, which is harmless: their
 * inputs are spent, so a replay still fails with TX_MISSING_INPUTS.
 */
import { BoundedMap } from '../../collections/bounded-map.js';

/** Most txids remembered (~100 full blocks of small transactions); ~10 MB of memory at most. */
export const MAX_RECENT_TXS = 100_000;

export interface TxLocation {
  readonly blockIdHex: string;
  readonly height: number;
}

export class RecentTxIndex {
  /** Txid -> where it was last confirmed; the least recently confirmed txid is forgotten first. */
  readonly #byTxid: BoundedMap<string, TxLocation>;

  /** `maxEntries`: most txids remembered; throws RangeError unless a positive integer. */
  constructor(maxEntries = MAX_RECENT_TXS) {
    this.#byTxid = new BoundedMap(maxEntries);
  }

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
    for (const txidHex of txidHexes) this.#byTxid.set(txidHex, { blockIdHex, height });
  }

  removeBlock(blockIdHex: string, txidHexes: readonly string[]): void {
    for (const txidHex of txidHexes) {
      if (this.#byTxid.get(txidHex)?.blockIdHex === blockIdHex) this.#byTxid.delete(txidHex);
    }
  }
}
