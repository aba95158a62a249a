/**
 * One pooled transaction as the mempool keeps it: its txid and encoded bytes in one shared slab
 * (byte-slab.ts), plus the few numbers the pool decides on (fee, size, times) and the outpoints it
 * spends. The decoded transaction is not kept: `tx` decodes the bytes again on each read.
 *
 * Why: a decoded payment is ~25 JS objects (arrays, input and output objects, six byte views,
 * bigints), ~1.5 KB of heap on top of its ~260 encoded bytes, and the pool holds up to 20,000 of
 * them while reading their fields only to build a block template or to spend a pooled parent's
 * output. Decoding a payment again takes microseconds; 10,000 decoded ones cost ~15 MB per node
 * (heap snapshot of a devnet node with 10,000 pooled payments, docs/performance.md).
 *
 * Readers: `tx` returns a fresh object every time, over its own copy of the bytes (so holding it
 * keeps no slab chunk alive); `txid` is a fresh 32-byte copy; `bytes` is a view into the slab, to
 * be read (and sent), not written.
 */
import { decodeTransaction, type Transaction } from '../encoding/codec.js';
import type { ByteSlab } from './byte-slab.js';

/** Length (unit: bytes) of a txid, stored before the transaction's bytes. */
const TXID_BYTES = 32;

export interface MempoolEntry {
  readonly txid: Uint8Array;
  readonly txidHex: string;
  readonly bytes: Uint8Array;
  /** Decoded from `bytes` on each read (see the module comment): read `timestamp` when it is enough. */
  readonly tx: Transaction;
  /** The transaction's own timestamp (ms since the Unix epoch), `tx.timestamp`. */
  readonly timestamp: number;
  /** Inputs minus outputs, in base units. */
  readonly fee: bigint;
  /** Encoded size in bytes. */
  readonly size: number;
  /** When it entered the pool (ms since the Unix epoch, by the node's clock). */
  readonly acceptedAt: number;
  /** Outpoint keys it spends. */
  readonly spends: readonly string[];
}

export class PooledEntry implements MempoolEntry {
  /** The txid, then the encoded transaction: a view into the pool's slab (moved by `relocate`). */
  #stored: Uint8Array;

  /** `stored`: the 32-byte txid followed by the encoded transaction. */
  constructor(
    readonly txidHex: string,
    stored: Uint8Array,
    readonly fee: bigint,
    readonly timestamp: number,
    readonly acceptedAt: number,
    readonly spends: readonly string[],
  ) {
    if (stored.length <= TXID_BYTES) throw new RangeError('a pooled entry needs a txid and a transaction');
    this.#stored = stored;
  }

  /** A txid and encoded transaction laid out as `PooledEntry` stores them. */
  static layout(txid: Uint8Array, bytes: Uint8Array): readonly Uint8Array[] {
    if (txid.length !== TXID_BYTES)
      throw new RangeError(`a txid has ${TXID_BYTES} bytes, got ${txid.length}`);
    return [txid, bytes];
  }

  /** Bytes this entry takes in the slab: the txid and the encoded transaction. */
  get storedBytes(): number {
    return this.#stored.length;
  }

  /** Copies the stored txid and bytes into `slab`, so the chunk it was in no longer needs to live. */
  relocate(slab: ByteSlab): void {
    this.#stored = slab.store(this.#stored);
  }

  get txid(): Uint8Array {
    return this.#stored.slice(0, TXID_BYTES);
  }

  get bytes(): Uint8Array {
    return this.#stored.subarray(TXID_BYTES);
  }

  get size(): number {
    return this.#stored.length - TXID_BYTES;
  }

  get tx(): Transaction {
    return decodeTransaction(this.#stored.slice(TXID_BYTES));
  }
}
