/**
 * The ledger's view of unspent outputs, as the rules see it: a read-only lookup by outpoint key.
 * Chain state implements it over the UTXO set; rules never mutate it, they return diffs.
 */

/** An unspent transaction output. */
export interface Utxo {
  /** Amount in base units. */
  readonly amount: bigint;
  /** 20-byte address that may spend it. */
  readonly address: Uint8Array;
  /** Height of the block that created it. */
  readonly height: number;
  /** True when created by a coinbase (subject to maturity). */
  readonly coinbase: boolean;
}

export interface UtxoView {
  /** The unspent output at `key` (see outpointKey), or undefined when absent or spent. */
  getUtxo(key: string): Utxo | undefined;
}
