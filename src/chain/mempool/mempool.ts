/**
 * The mempool: valid, unconfirmed transactions waiting for a block, and the relay pipeline that
 * admits them. Checks run cheapest first, and any failure leaves the pool unchanged:
 *
 * 1. decode (bounded, canonical) and txid;
 * 2. duplicate: already pooled, or in a recent block (IGNORE TX_DUPLICATE);
 * 3. context-free syntax; a loose coinbase is REJECTed;
 * 4. relay timestamp window (IGNORE TX_TIME_TOO_NEW / TX_TOO_OLD; replays of old transactions);
 * 5. Ed25519 signatures (REJECT TX_BAD_SIGNATURE);
 * 6. inputs against the UTXO set of the active tip, for inclusion at tip height + 1;
 * 7. conflicts: an input another pooled transaction spends (IGNORE TX_MEMPOOL_CONFLICT; there is
 *    no replace-by-fee, the first seen spend stays);
 * 8. fee >= minRelayFeePerByte x encoded size (IGNORE TX_FEE_TOO_LOW);
 * 9. capacity: when full, the new transaction must pay strictly more per byte than each one it
 *    evicts (lowest fee per byte first; expired ones go first), else IGNORE TX_FEE_TOO_LOW.
 *
 * Policy: no chains of unconfirmed transactions. Every input must be in the UTXO set of the tip,
 * so a transaction spending another pooled transaction's output is IGNOREd (TX_MISSING_INPUTS)
 * until its parent is mined. This keeps every pooled transaction independently valid: any subset
 * makes a valid block (no ordering, no package logic), a block or reorg only needs per-transaction
 * checks, and eviction never strands descendants. A wallet's change is spendable once confirmed.
 *
 * The chain keeps the pool consistent with its tip: on a connected block it removes the included
 * transactions and any that conflict with them; after a reorg it re-validates the whole pool plus
 * the disconnected blocks' transactions against the new tip (see `rebuild`).
 *
 * A reorg must not lose payments because of the no-chains policy: a transaction (pooled, or mined
 * on the losing branch) that spent the output of a transaction the reorg sent back to the pool
 * (unconfirmed again) no longer qualifies, so it waits, outside the pool (not relayed, not mined), until a block confirms that
 * parent; it is then re-admitted with its original entry time, and the node announces it again
 * (`takeReadmitted`): peers on the winning branch may never have seen it.
 */
import { BoundedMap } from '../../collections/bounded-map.js';
import { toHex } from '../../crypto/hash.js';
import { decodeTransaction, encodeTransaction, type Transaction } from '../encoding/codec.js';
import { ValidationError } from '../errors.js';
import { isCoinbase, outpointKey, txidOfBytes } from '../objects/transaction.js';
import type { ChainParams } from '../params.js';
import {
  checkRelayTimestamp,
  checkTransactionInputs,
  checkTransactionSignatures,
  checkTransactionSyntax,
} from '../rules/transaction.js';
import type { UtxoView } from '../rules/utxo.js';

/** Most transactions held: ~4 minutes of a 100 tx/s load generator, far above any block's needs. */
export const MAX_MEMPOOL_TXS = 20_000;
/** Most bytes of encoded transactions held (20 MB: 20 full blocks). */
export const MAX_MEMPOOL_BYTES = 20_000_000;
/** A transaction not mined within this time (ms since it entered the pool) is dropped. */
export const MEMPOOL_EXPIRY_MS = 60 * 60_000;
/**
 * Most transactions waiting for a parent a reorg made unconfirmed. Only transactions that were in
 * this pool can wait (no peer can add one), so this bounds what a deep reorg may make us keep.
 */
export const MAX_WAITING_TXS = 5_000;

/** Txid hex of every transaction `tx` spends from. */
function parentsOf(tx: Transaction): ReadonlySet<string> {
  return new Set(tx.inputs.map((input) => toHex(input.prevTxid)));
}

/** A transaction displaced by a reorg, waiting for a parent to be mined again. */
interface WaitingTransaction {
  readonly bytes: Uint8Array;
  readonly acceptedAt: number;
  /** Txid hex of every transaction it spends from. */
  readonly parents: ReadonlySet<string>;
}

/** What the mempool needs from the chain: the UTXO set and height of the active tip. */
export interface MempoolChainView extends UtxoView {
  /** Height of the active tip; pooled transactions are checked for inclusion at tip height + 1. */
  tipHeight(): number;
  /** True when the transaction is in a recent block of the active chain. */
  isConfirmed(txidHex: string): boolean;
}

export interface MempoolOptions {
  readonly maxCount?: number;
  readonly maxBytes?: number;
  readonly expiryMs?: number;
}

export interface MempoolEntry {
  readonly txid: Uint8Array;
  readonly txidHex: string;
  readonly bytes: Uint8Array;
  readonly tx: Transaction;
  /** Inputs minus outputs, in base units. */
  readonly fee: bigint;
  /** Encoded size in bytes. */
  readonly size: number;
  /** When it entered the pool (ms since the Unix epoch, by the node's clock). */
  readonly acceptedAt: number;
  /** Outpoint keys it spends. */
  readonly spends: readonly string[];
}

export interface AcceptedTransaction {
  readonly txid: Uint8Array;
  readonly txidHex: string;
  readonly fee: bigint;
}

export interface BlockSelectionOptions {
  /** Most transactions to return. */
  readonly maxCount?: number;
  /** Skip transactions dated after this (a block may not include transactions dated far after it). */
  readonly maxTimestamp?: number;
}

interface AcceptMode {
  readonly acceptedAt: number;
  /** False for transactions coming back from disconnected blocks or a rebuild: they were valid once. */
  readonly checkRelayTimestamp: boolean;
}

/** a pays strictly more per byte than b. */
function paysMorePerByte(a: { fee: bigint; size: number }, b: { fee: bigint; size: number }): boolean {
  return a.fee * BigInt(b.size) > b.fee * BigInt(a.size);
}

export class Mempool {
  readonly #entries = new Map<string, MempoolEntry>();
  /** Outpoint key -> txid hex of the pooled transaction spending it. */
  readonly #spentBy = new Map<string, string>();
  #bytes = 0;
  readonly #maxCount: number;
  readonly #maxBytes: number;
  readonly #expiryMs: number;
  /** Txid hex -> a transaction displaced by a reorg, waiting for a parent to be mined. */
  readonly #waiting = new BoundedMap<string, WaitingTransaction>(MAX_WAITING_TXS);
  /** Txid hex of waiting transactions re-admitted since the last `takeReadmitted`. */
  #readmitted: string[] = [];

  constructor(
    private readonly params: ChainParams,
    private readonly chain: MempoolChainView,
    options: MempoolOptions = {},
  ) {
    this.#maxCount = options.maxCount ?? MAX_MEMPOOL_TXS;
    this.#maxBytes = options.maxBytes ?? MAX_MEMPOOL_BYTES;
    this.#expiryMs = options.expiryMs ?? MEMPOOL_EXPIRY_MS;
  }

  /** Number of transactions held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Total encoded bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  has(txidHex: string): boolean {
    return this.#entries.has(txidHex);
  }

  /** The encoded transaction, or undefined. */
  get(txidHex: string): Uint8Array | undefined {
    return this.#entries.get(txidHex)?.bytes;
  }

  entry(txidHex: string): MempoolEntry | undefined {
    return this.#entries.get(txidHex);
  }

  txids(): string[] {
    return [...this.#entries.keys()];
  }

  entries(): IterableIterator<MempoolEntry> {
    return this.#entries.values();
  }

  /** Txid hex of the pooled transaction spending `outpointKey`, if any. */
  spenderOf(outpointKey: string): string | undefined {
    return this.#spentBy.get(outpointKey);
  }

  /** The relay pipeline (see the module comment); throws ValidationError and then changes nothing. */
  acceptTransaction(bytes: Uint8Array, now: number): AcceptedTransaction {
    return this.#accept(bytes, now, { acceptedAt: now, checkRelayTimestamp: true });
  }

  /**
   * Transactions for a block template: highest fee per byte first (earliest on ties), up to
   * `maxBytes` of encoded transactions. Pooled transactions never conflict, so any selection is
   * valid on the tip.
   */
  selectForBlock(maxBytes: number, options: BlockSelectionOptions = {}): MempoolEntry[] {
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    const sorted = [...this.#entries.values()].sort((a, b) => {
      if (paysMorePerByte(a, b)) return -1;
      if (paysMorePerByte(b, a)) return 1;
      return a.acceptedAt - b.acceptedAt;
    });
    const selected: MempoolEntry[] = [];
    let total = 0;
    for (const entry of sorted) {
      if (selected.length >= maxCount) break;
      if (options.maxTimestamp !== undefined && entry.tx.timestamp > options.maxTimestamp) continue;
      if (total + entry.size > maxBytes) continue;
      selected.push(entry);
      total += entry.size;
    }
    return selected;
  }

  /**
   * A block was connected: drops its transactions and every pooled transaction spending the same
   * outputs, then re-admits the waiting transactions whose parent it confirmed.
   */
  removeConfirmed(transactions: readonly Transaction[], txidHexes: readonly string[], now: number): void {
    const confirmed = new Set<string>();
    transactions.forEach((tx, i) => {
      if (isCoinbase(tx)) return;
      const txidHex = txidHexes[i] ?? toHex(txidOfBytes(encodeTransaction(tx)));
      confirmed.add(txidHex);
      this.#remove(txidHex);
      for (const input of tx.inputs) {
        const spender = this.#spentBy.get(outpointKey(input.prevTxid, input.outputIndex));
        if (spender !== undefined) this.#remove(spender);
      }
    });
    if (this.#waiting.size > 0) this.#retryWaiting(now, confirmed);
  }

  /** Transactions waiting outside the pool for a parent a reorg made unconfirmed. */
  get waitingCount(): number {
    return this.#waiting.size;
  }

  /** Txids (hex) re-admitted from the waiting set since the last call: to announce again. */
  takeReadmitted(): string[] {
    const readmitted = this.#readmitted;
    this.#readmitted = [];
    return readmitted;
  }

  /**
   * After a reorg: re-validates every pooled transaction, plus `returning` (the non-coinbase
   * transactions of the disconnected blocks, oldest first), against the new tip. Returning
   * transactions go first (they were mined once, so they win conflicts) and skip the relay
   * timestamp check; what is no longer valid is dropped.
   */
  rebuild(returning: readonly Uint8Array[], now: number): void {
    const previous = [...this.#entries.values()];
    this.#entries.clear();
    this.#spentBy.clear();
    this.#bytes = 0;
    for (const bytes of returning) {
      const err = this.#tryAccept(bytes, now, { acceptedAt: now, checkRelayTimestamp: false });
      // Mined after its parent on the losing branch: both are unconfirmed again.
      if (err?.code === 'TX_MISSING_INPUTS') {
        const tx = decodeTransaction(bytes);
        this.#wait(toHex(txidOfBytes(bytes)), { bytes, acceptedAt: now, parents: parentsOf(tx) });
      }
    }
    for (const entry of previous) {
      const err = this.#tryAccept(entry.bytes, now, {
        acceptedAt: entry.acceptedAt,
        checkRelayTimestamp: false,
      });
      if (err?.code === 'TX_MISSING_INPUTS') {
        const waiting = { bytes: entry.bytes, acceptedAt: entry.acceptedAt, parents: parentsOf(entry.tx) };
        this.#wait(entry.txidHex, waiting);
      }
    }
    // The new branch may confirm what waiting transactions spend from.
    this.#retryWaiting(now);
    this.expire(now);
  }

  /**
   * Keeps `tx` aside if one of its parents is pooled (unconfirmed again) or itself waiting (a chain
   * of payments mined one after the other on the losing branch): it waits for that parent.
   */
  #wait(txidHex: string, waiting: WaitingTransaction): void {
    const { parents } = waiting;
    if (![...parents].some((parent) => this.#entries.has(parent) || this.#waiting.has(parent))) return;
    this.#waiting.set(txidHex, waiting);
  }

  /**
   * Retries the waiting transactions (those with a parent in `confirmed`, or all): re-admitted ones
   * leave the set; those still missing a pooled parent stay; expired or otherwise invalid ones go.
   */
  #retryWaiting(now: number, confirmed?: ReadonlySet<string>): void {
    for (const [txidHex, waiting] of [...this.#waiting]) {
      if (confirmed !== undefined && ![...waiting.parents].some((p) => confirmed.has(p))) continue;
      this.#waiting.delete(txidHex);
      if (now - waiting.acceptedAt >= this.#expiryMs) continue;
      const err = this.#tryAccept(waiting.bytes, now, {
        acceptedAt: waiting.acceptedAt,
        checkRelayTimestamp: false,
      });
      if (err === undefined) this.#readmitted.push(txidHex);
      else if (err.code === 'TX_MISSING_INPUTS') this.#wait(txidHex, waiting);
    }
  }

  /** Drops transactions that entered the pool more than the expiry time ago; returns how many. */
  expire(now: number): number {
    let removed = 0;
    for (const entry of [...this.#entries.values()]) {
      if (this.#isExpired(entry, now)) {
        this.#remove(entry.txidHex);
        removed++;
      }
    }
    return removed;
  }

  /** Empties the pool (and the transactions waiting to re-enter it). */
  clear(): void {
    this.#entries.clear();
    this.#spentBy.clear();
    this.#waiting.clear();
    this.#bytes = 0;
  }

  #isExpired(entry: MempoolEntry, now: number): boolean {
    return now - entry.acceptedAt > this.#expiryMs;
  }

  /** Accepts like `#accept`; returns the ValidationError instead of throwing it. */
  #tryAccept(bytes: Uint8Array, now: number, mode: AcceptMode): ValidationError | undefined {
    try {
      this.#accept(bytes, now, mode);
      return undefined;
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return err;
    }
  }

  #accept(input: Uint8Array, now: number, mode: AcceptMode): AcceptedTransaction {
    // Own copy: the caller's buffer may be reused, and decoded fields are views into it.
    const bytes = input.slice();
    const tx = decodeTransaction(bytes);
    const txid = txidOfBytes(bytes);
    const txidHex = toHex(txid);
    if (this.#entries.has(txidHex) || this.chain.isConfirmed(txidHex)) {
      throw new ValidationError('TX_DUPLICATE', `transaction ${txidHex} is already known`);
    }
    checkTransactionSyntax(tx, false);
    if (mode.checkRelayTimestamp) checkRelayTimestamp(tx, this.params, now);
    checkTransactionSignatures(tx, this.params);
    const { fee, spent } = checkTransactionInputs(
      tx,
      this.chain,
      this.chain.tipHeight() + 1,
      this.params,
      'mempool',
    );
    for (const s of spent) {
      const other = this.#spentBy.get(s.key);
      if (other !== undefined) {
        throw new ValidationError(
          'TX_MEMPOOL_CONFLICT',
          `input ${s.key} is already spent by pooled ${other}`,
        );
      }
    }
    const size = bytes.length;
    const minFee = this.params.minRelayFeePerByte * BigInt(size);
    if (fee < minFee)
      throw new ValidationError('TX_FEE_TOO_LOW', `fee ${fee} below the relay minimum ${minFee}`);
    const evictions = this.#planEvictions({ fee, size }, now);
    if (evictions === undefined) {
      throw new ValidationError(
        'TX_FEE_TOO_LOW',
        'mempool full of transactions paying at least as much per byte',
      );
    }
    for (const evicted of evictions) this.#remove(evicted.txidHex);
    const entry: MempoolEntry = {
      txid,
      txidHex,
      bytes,
      tx,
      fee,
      size,
      acceptedAt: mode.acceptedAt,
      spends: spent.map((s) => s.key),
    };
    this.#entries.set(txidHex, entry);
    for (const key of entry.spends) this.#spentBy.set(key, txidHex);
    this.#bytes += size;
    return { txid, txidHex, fee };
  }

  /**
   * The entries to evict so `incoming` fits, or undefined when it does not pay enough. Expired
   * entries go first, then the lowest fee per byte, each of which `incoming` must outbid. O(n) per
   * eviction, and only when the pool is full.
   */
  #planEvictions(incoming: { fee: bigint; size: number }, now: number): MempoolEntry[] | undefined {
    let count = this.#entries.size + 1;
    let bytes = this.#bytes + incoming.size;
    const fits = (): boolean => count <= this.#maxCount && bytes <= this.#maxBytes;
    if (fits()) return [];
    if (incoming.size > this.#maxBytes) return undefined;
    const evictions: MempoolEntry[] = [];
    const chosen = new Set<string>();
    const evict = (entry: MempoolEntry): void => {
      evictions.push(entry);
      chosen.add(entry.txidHex);
      count--;
      bytes -= entry.size;
    };
    for (const entry of this.#entries.values()) if (this.#isExpired(entry, now)) evict(entry);
    while (!fits()) {
      let lowest: MempoolEntry | undefined;
      for (const entry of this.#entries.values()) {
        if (!chosen.has(entry.txidHex) && (lowest === undefined || paysMorePerByte(lowest, entry)))
          lowest = entry;
      }
      if (lowest === undefined || !paysMorePerByte(incoming, lowest)) return undefined;
      evict(lowest);
    }
    return evictions;
  }

  #remove(txidHex: string): void {
    const entry = this.#entries.get(txidHex);
    if (entry === undefined) return;
    this.#entries.delete(txidHex);
    for (const key of entry.spends) {
      if (this.#spentBy.get(key) === txidHex) this.#spentBy.delete(key);
    }
    this.#bytes -= entry.size;
  }
}
