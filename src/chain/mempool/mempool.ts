/**
 * The mempool: valid, unconfirmed transactions waiting for a block, and the relay pipeline that
 * admits them. Checks run cheapest first, and any failure leaves the pool unchanged:
 *
 * 1. decode (bounded, canonical) and txid;
 * 2. duplicate: already pooled, or in a recent block (IGNORE TX_DUPLICATE);
 * 3. context-free syntax; a loose coinbase is REJECTed;
 * 4. relay timestamp window (IGNORE TX_TIME_TOO_NEW / TX_TOO_OLD; replays of old transactions);
 * 5. Ed25519 signatures (REJECT TX_BAD_SIGNATURE);
 * 6. inputs against the UTXO set of the active tip plus the outputs of pooled transactions, for
 *    inclusion at tip height + 1;
 * 7. conflicts: an input another pooled transaction spends (IGNORE TX_MEMPOOL_CONFLICT; there is
 *    no replace-by-fee, the first seen spend stays);
 * 8. package limits: with its pooled ancestors it counts at most 25 transactions, and so does each
 *    of those ancestors with its pooled descendants (IGNORE TX_TOO_LONG_MEMPOOL_CHAIN);
 * 9. fee >= minRelayFeePerByte x encoded size (IGNORE TX_FEE_TOO_LOW);
 * 10. capacity: when full, the new transaction must pay strictly more per byte than each one it
 *    evicts (lowest fee per byte first among those no pooled transaction spends from; expired
 *    ones go first), else IGNORE TX_FEE_TOO_LOW.
 *
 * Chains of unconfirmed transactions (packages, as Bitcoin Core): a transaction may spend the
 * output of a pooled one. `package-graph.ts` keeps the links. A transaction that leaves the pool
 * unmined (expiry, eviction, a conflicting block) takes its descendants with it, since they spend
 * outputs that no longer exist; a mined one leaves its children in the pool, now spending confirmed
 * outputs. Block templates take a transaction only after its pooled parents.
 *
 * The chain keeps the pool consistent with its tip: on a connected block it removes the included
 * transactions and any that conflict with them; after a reorg it re-validates the disconnected
 * blocks' transactions and then the old pool, parents before children, against the new tip (see
 * `rebuild`). A payment that spent the change of a transaction the reorg made unconfirmed again
 * therefore stays in the pool with its parent, relayable and minable at once.
 */
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
import type { Utxo, UtxoView } from '../rules/utxo.js';
import { ByteSlab, SLAB_CHUNK_BYTES, SLAB_MAX_ITEM_BYTES } from './byte-slab.js';
import { OrphanTransactions } from './orphan-transactions.js';
import { MAX_PACKAGE_COUNT, PackageGraph } from './package-graph.js';
import { type MempoolEntry, PooledEntry } from './pooled-entry.js';

export type { MempoolEntry } from './pooled-entry.js';

/** Most transactions held: ~4 minutes of a 100 tx/s load generator, far above any block's needs. */
export const MAX_MEMPOOL_TXS = 20_000;
/**
 * How many times the pooled transactions' bytes (unit: ratio) the slab may take in after it was last
 * compacted, plus SLAB_COMPACT_SLACK_CHUNKS chunks, before it is compacted. A chunk is freed only
 * when every transaction in it left, so without compaction one transaction that stays keeps its
 * whole chunk: a peer that keeps a few cheap transactions pooled among traffic that gets mined would
 * make us hold a chunk per transaction (64 KB for ~250 bytes). With it, the chunks hold at most
 * about (1 + SLAB_COMPACT_FACTOR) x the pooled bytes, plus the slack.
 */
export const SLAB_COMPACT_FACTOR = 2;
/** Chunks (unit: chunks) the slab may hold beyond SLAB_COMPACT_FACTOR before it is compacted. */
export const SLAB_COMPACT_SLACK_CHUNKS = 4;

/** Most bytes of encoded transactions held (20 MB: 20 full blocks). */
export const MAX_MEMPOOL_BYTES = 20_000_000;
/** A transaction not mined within this time (ms since it entered the pool) is dropped. */
export const MEMPOOL_EXPIRY_MS = 60 * 60_000;

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
  /** Most orphan transactions held (default MAX_ORPHAN_TXS). */
  readonly maxOrphans?: number;
  /** Size (unit: bytes) of the slab's chunks (default SLAB_CHUNK_BYTES; tests use small ones). */
  readonly slabChunkBytes?: number;
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
  readonly #entries = new Map<string, PooledEntry>();
  /** Outpoint key -> txid hex of the pooled transaction spending it. */
  readonly #spentBy = new Map<string, string>();
  /** Which pooled transactions spend outputs of which. */
  readonly #packages = new PackageGraph();
  /** Relayed transactions whose parent we lack, until it arrives. */
  readonly #orphans: OrphanTransactions;
  /** Txid hex of orphans accepted since the last `takeAdopted`. */
  #adopted: string[] = [];
  #bytes = 0;
  /** Where pooled transactions' bytes are kept (see byte-slab.ts); replaced when compacted. */
  #slab: ByteSlab;
  readonly #slabChunkBytes: number;
  /** Bytes copied into the slab since it was last compacted (txids included). */
  #slabStored = 0;
  /** Slab bytes of the entries pooled now (txids included). */
  #slabLive = 0;
  readonly #maxCount: number;
  readonly #maxBytes: number;
  readonly #expiryMs: number;
  /** The UTXO set of the tip plus the outputs of pooled transactions (spent or not). */
  readonly #view: UtxoView = { getUtxo: (key) => this.chain.getUtxo(key) ?? this.#pooledOutput(key) };

  constructor(
    private readonly params: ChainParams,
    private readonly chain: MempoolChainView,
    options: MempoolOptions = {},
  ) {
    this.#maxCount = options.maxCount ?? MAX_MEMPOOL_TXS;
    this.#maxBytes = options.maxBytes ?? MAX_MEMPOOL_BYTES;
    this.#expiryMs = options.expiryMs ?? MEMPOOL_EXPIRY_MS;
    this.#orphans = new OrphanTransactions(options.maxOrphans);
    this.#slabChunkBytes = options.slabChunkBytes ?? SLAB_CHUNK_BYTES;
    this.#slab = this.#newSlab();
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

  /** Txids (hex) of every pooled transaction, parents before children. */
  txids(): string[] {
    return [...this.#entries.keys()];
  }

  /** Every pooled entry, parents before children. */
  entries(): IterableIterator<MempoolEntry> {
    return this.#entries.values();
  }

  /** Txid hex of the pooled transaction spending `outpointKey`, if any. */
  spenderOf(outpointKey: string): string | undefined {
    return this.#spentBy.get(outpointKey);
  }

  /** Txids (hex) of the pooled transactions spending from `txidHex`, directly or not, parents first. */
  descendantsOf(txidHex: string): string[] {
    return this.#packages.descendantsOf(txidHex) ?? [];
  }

  /**
   * The relay pipeline (see the module comment); throws ValidationError and then leaves the pool
   * unchanged. A validly signed transaction whose parent is unknown (TX_MISSING_INPUTS) is held as
   * an orphan; an accepted one brings in the orphans waiting for it (see `takeAdopted`).
   */
  acceptTransaction(bytes: Uint8Array, now: number): AcceptedTransaction {
    const result = this.#tryAccept(bytes, now, { acceptedAt: now, checkRelayTimestamp: true });
    if (result instanceof ValidationError) {
      if (result.code === 'TX_MISSING_INPUTS') this.#holdOrphan(bytes, now);
      throw result;
    }
    this.#adoptChildrenOf([result.txidHex], now);
    return result;
  }

  /** Orphan transactions held, waiting for a parent. */
  get orphanCount(): number {
    return this.#orphans.size;
  }

  /**
   * Txids (hex) of orphans that entered the pool since the last call, parents first: the node
   * announces them, as it announces what the relay accepted.
   */
  takeAdopted(): string[] {
    const adopted = this.#adopted;
    this.#adopted = [];
    return adopted;
  }

  /**
   * Transactions for a block template: highest fee per byte first (earliest on ties), each after
   * its pooled parents (a transaction whose parent does not fit stays out), up to `maxBytes` of
   * encoded transactions. Pooled transactions never conflict, so the selection, in the order
   * returned, is valid on the tip.
   */
  selectForBlock(maxBytes: number, options: BlockSelectionOptions = {}): MempoolEntry[] {
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    let candidates: MempoolEntry[] = [...this.#entries.values()].sort((a, b) => {
      if (paysMorePerByte(a, b)) return -1;
      if (paysMorePerByte(b, a)) return 1;
      return a.acceptedAt - b.acceptedAt;
    });
    const selected: MempoolEntry[] = [];
    const chosen = new Set<string>();
    let total = 0;
    // Each pass takes what fits and whose parents are taken; a child passed over for its parent
    // gets another pass. A pass that takes nothing ends it: at most one pass per generation.
    while (candidates.length > 0) {
      const passedOver: MempoolEntry[] = [];
      const before = selected.length;
      for (const entry of candidates) {
        if (selected.length >= maxCount) break;
        if (options.maxTimestamp !== undefined && entry.timestamp > options.maxTimestamp) continue;
        if (total + entry.size > maxBytes) continue;
        if (!this.#allChosen(this.#packages.parentsOf(entry.txidHex), chosen)) {
          passedOver.push(entry);
          continue;
        }
        selected.push(entry);
        chosen.add(entry.txidHex);
        total += entry.size;
      }
      if (selected.length === before || selected.length >= maxCount) break;
      candidates = passedOver;
    }
    return selected;
  }

  /** True when every txid of `parents` is in `chosen` (no array built: runs per template entry). */
  #allChosen(parents: ReadonlySet<string>, chosen: ReadonlySet<string>): boolean {
    for (const parent of parents) if (!chosen.has(parent)) return false;
    return true;
  }

  /**
   * A block was connected: drops its transactions (their pooled children stay, now spending
   * confirmed outputs) and every pooled transaction spending the same outputs, with its
   * descendants; then takes in the orphans waiting for a transaction it confirmed.
   */
  removeConfirmed(transactions: readonly Transaction[], txidHexes: readonly string[], now: number): void {
    const confirmed: string[] = [];
    transactions.forEach((tx, i) => {
      if (isCoinbase(tx)) return;
      const txidHex = txidHexes[i] ?? toHex(txidOfBytes(encodeTransaction(tx)));
      confirmed.push(txidHex);
      this.#remove(txidHex);
      for (const input of tx.inputs) {
        const spender = this.#spentBy.get(outpointKey(input.prevTxid, input.outputIndex));
        if (spender !== undefined) this.#removeWithDescendants(spender);
      }
    });
    this.#adoptChildrenOf(confirmed, now);
  }

  /**
   * After a reorg: re-validates `returning` (the non-coinbase transactions of the disconnected
   * blocks, oldest first), then every pooled transaction, in that order (parents first), against
   * the new tip. Returning transactions go first (they were mined once, so they win conflicts)
   * and skip the relay timestamp check; what is no longer valid is dropped, and with it what
   * spends from it.
   */
  rebuild(returning: readonly Uint8Array[], now: number): void {
    const previous = [...this.#entries.values()];
    this.#entries.clear();
    this.#spentBy.clear();
    this.#packages.clear();
    this.#bytes = 0;
    this.#slabLive = 0;
    for (const bytes of returning)
      this.#tryAccept(bytes, now, { acceptedAt: now, checkRelayTimestamp: false });
    for (const entry of previous) {
      this.#tryAccept(entry.bytes, now, { acceptedAt: entry.acceptedAt, checkRelayTimestamp: false });
    }
    this.expire(now);
    // The new branch may confirm what an orphan waited for.
    const adopted: string[] = [];
    for (const bytes of this.#orphans.takeAll(now)) {
      const result = this.#tryAccept(bytes, now, { acceptedAt: now, checkRelayTimestamp: true });
      if (result instanceof ValidationError) {
        if (result.code === 'TX_MISSING_INPUTS') this.#holdOrphan(bytes, now);
      } else adopted.push(result.txidHex);
    }
    this.#adopted.push(...adopted);
    this.#adoptChildrenOf(adopted, now);
  }

  /**
   * Drops transactions that entered the pool more than the expiry time ago, with their
   * descendants; returns how many left.
   */
  expire(now: number): number {
    const before = this.#entries.size;
    for (const entry of [...this.#entries.values()]) {
      if (this.#entries.has(entry.txidHex) && this.#isExpired(entry, now)) {
        this.#removeWithDescendants(entry.txidHex);
      }
    }
    return before - this.#entries.size;
  }

  /** Empties the pool (and the orphans). */
  clear(): void {
    this.#entries.clear();
    this.#spentBy.clear();
    this.#packages.clear();
    this.#orphans.clear();
    this.#adopted = [];
    this.#bytes = 0;
    this.#slabLive = 0;
    this.#compactSlabIfWasteful();
  }

  #isExpired(entry: MempoolEntry, now: number): boolean {
    return now - entry.acceptedAt > this.#expiryMs;
  }

  /** Output `index` of pooled transaction `txid`, as an unspent output at tip height + 1. */
  #pooledOutput(key: string): Utxo | undefined {
    const colon = key.lastIndexOf(':');
    const entry = this.#entries.get(key.slice(0, colon));
    if (entry === undefined) return undefined;
    const output = entry.tx.outputs[Number(key.slice(colon + 1))];
    if (output === undefined) return undefined;
    return {
      amount: output.amount,
      address: output.address,
      height: this.chain.tipHeight() + 1,
      coinbase: false,
    };
  }

  /** Accepts like `#accept`; returns the ValidationError instead of throwing it. */
  #tryAccept(bytes: Uint8Array, now: number, mode: AcceptMode): AcceptedTransaction | ValidationError {
    try {
      return this.#accept(bytes, now, mode);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return err;
    }
  }

  /**
   * Holds `bytes` (which failed with TX_MISSING_INPUTS, so it decodes and its signatures verify)
   * as an orphan, waiting for the parents neither pooled nor recently confirmed. A transaction all
   * of whose parents we know spends an output that is gone: it is not held.
   */
  #holdOrphan(bytes: Uint8Array, now: number): void {
    const tx = decodeTransaction(bytes);
    const awaited = new Set<string>();
    for (const input of tx.inputs) {
      const parent = toHex(input.prevTxid);
      if (!this.#entries.has(parent) && !this.chain.isConfirmed(parent)) awaited.add(parent);
    }
    this.#orphans.add(toHex(txidOfBytes(bytes)), bytes, awaited, now);
  }

  /**
   * Takes in the orphans waiting for `parents` (just pooled or confirmed), then those waiting for
   * them, and so on. Each orphan is tried once per arrival of a parent; at most MAX_ORPHAN_TXS.
   */
  #adoptChildrenOf(parents: readonly string[], now: number): void {
    if (this.#orphans.size === 0) return;
    const queue = [...parents];
    for (let i = 0; i < queue.length && this.#orphans.size > 0; i++) {
      for (const bytes of this.#orphans.takeChildrenOf(queue[i]!, now)) {
        const result = this.#tryAccept(bytes, now, { acceptedAt: now, checkRelayTimestamp: true });
        if (result instanceof ValidationError) {
          if (result.code === 'TX_MISSING_INPUTS') this.#holdOrphan(bytes, now);
          continue;
        }
        this.#adopted.push(result.txidHex);
        queue.push(result.txidHex);
      }
    }
  }

  #accept(bytes: Uint8Array, now: number, mode: AcceptMode): AcceptedTransaction {
    // Decoded fields are views into `bytes`: only used during the checks, never kept (the pool
    // keeps its own copy of the bytes, in its slab).
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
      this.#view,
      this.chain.tipHeight() + 1,
      this.params,
      'mempool',
    );
    const parents = new Set<string>();
    for (const s of spent) {
      const other = this.#spentBy.get(s.key);
      if (other !== undefined) {
        throw new ValidationError(
          'TX_MEMPOOL_CONFLICT',
          `input ${s.key} is already spent by pooled ${other}`,
        );
      }
      const parent = s.key.slice(0, s.key.lastIndexOf(':'));
      if (this.#entries.has(parent)) parents.add(parent);
    }
    const ancestors = this.#checkPackageLimits(txidHex, parents);
    const size = bytes.length;
    const minFee = this.params.minRelayFeePerByte * BigInt(size);
    if (fee < minFee)
      throw new ValidationError('TX_FEE_TOO_LOW', `fee ${fee} below the relay minimum ${minFee}`);
    const evictions = this.#planEvictions({ fee, size }, ancestors, now);
    if (evictions === undefined) {
      throw new ValidationError(
        'TX_FEE_TOO_LOW',
        'mempool full of transactions paying at least as much per byte',
      );
    }
    for (const evicted of evictions) this.#remove(evicted.txidHex);
    const stored = this.#slab.store(...PooledEntry.layout(txid, bytes));
    this.#slabStored += stored.length;
    this.#slabLive += stored.length;
    const entry = new PooledEntry(
      txidHex,
      stored,
      fee,
      tx.timestamp,
      mode.acceptedAt,
      spent.map((s) => s.key),
    );
    this.#entries.set(txidHex, entry);
    for (const key of entry.spends) this.#spentBy.set(key, txidHex);
    this.#packages.add(txidHex, parents);
    this.#bytes += size;
    return { txid, txidHex, fee };
  }

  /**
   * Throws TX_TOO_LONG_MEMPOOL_CHAIN unless a transaction with pooled `parents` keeps every package
   * within MAX_PACKAGE_COUNT; returns its pooled ancestors. At most 25 x 25 steps.
   */
  #checkPackageLimits(txidHex: string, parents: ReadonlySet<string>): ReadonlySet<string> {
    const tooLong = (what: string) =>
      new ValidationError('TX_TOO_LONG_MEMPOOL_CHAIN', `transaction ${txidHex} would ${what}`);
    const ancestors = this.#packages.ancestorsOf(parents, MAX_PACKAGE_COUNT - 1);
    if (ancestors === undefined) {
      throw tooLong(`have more than ${MAX_PACKAGE_COUNT - 1} unconfirmed ancestors`);
    }
    for (const ancestor of ancestors) {
      // With the newcomer, the ancestor and its descendants must stay within the limit.
      if (this.#packages.descendantsOf(ancestor, MAX_PACKAGE_COUNT - 2) === undefined) {
        throw tooLong(`give ${ancestor} more than ${MAX_PACKAGE_COUNT - 1} unconfirmed descendants`);
      }
    }
    return ancestors;
  }

  /**
   * The entries to evict so `incoming` fits, or undefined when it does not pay enough. Expired
   * entries go first (with their descendants), then the lowest fee per byte among the entries no
   * remaining one spends from, each of which `incoming` must outbid. `incoming`'s own ancestors
   * stay. O(n) per eviction, and only when the pool is full.
   */
  #planEvictions(
    incoming: { fee: bigint; size: number },
    ancestors: ReadonlySet<string>,
    now: number,
  ): MempoolEntry[] | undefined {
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
    for (const entry of this.#entries.values()) {
      if (chosen.has(entry.txidHex) || ancestors.has(entry.txidHex) || !this.#isExpired(entry, now)) continue;
      evict(entry);
      for (const txid of this.#packages.descendantsOf(entry.txidHex) ?? []) {
        if (!chosen.has(txid)) evict(this.#entries.get(txid)!);
      }
    }
    const isLeaf = (entry: MempoolEntry): boolean =>
      (this.#packages.descendantsOf(entry.txidHex) ?? []).every((txid) => chosen.has(txid));
    while (!fits()) {
      let lowest: MempoolEntry | undefined;
      for (const entry of this.#entries.values()) {
        if (chosen.has(entry.txidHex) || ancestors.has(entry.txidHex)) continue;
        if (lowest !== undefined && !paysMorePerByte(lowest, entry)) continue;
        if (isLeaf(entry)) lowest = entry;
      }
      if (lowest === undefined || !paysMorePerByte(incoming, lowest)) return undefined;
      evict(lowest);
    }
    return evictions;
  }

  /** Removes `txidHex` (children stay: the caller knows they are still valid). */
  #remove(txidHex: string): void {
    const entry = this.#entries.get(txidHex);
    if (entry === undefined) return;
    this.#entries.delete(txidHex);
    for (const key of entry.spends) {
      if (this.#spentBy.get(key) === txidHex) this.#spentBy.delete(key);
    }
    this.#packages.remove(txidHex);
    this.#bytes -= entry.size;
    this.#slabLive -= entry.storedBytes;
    this.#compactSlabIfWasteful();
  }

  #newSlab(): ByteSlab {
    return new ByteSlab(this.#slabChunkBytes, Math.min(SLAB_MAX_ITEM_BYTES, this.#slabChunkBytes));
  }

  /**
   * Copies every pooled entry into a fresh slab once the slab took in too many bytes of
   * transactions that left since (see SLAB_COMPACT_FACTOR): no entry then references the old
   * chunks, and they are freed. It runs at most once per SLAB_COMPACT_FACTOR x (pooled bytes) taken
   * in, so its copying costs less than one copy per byte accepted.
   */
  #compactSlabIfWasteful(): void {
    const slack = SLAB_COMPACT_SLACK_CHUNKS * this.#slabChunkBytes;
    if (this.#slabStored <= SLAB_COMPACT_FACTOR * this.#slabLive + slack) return;
    this.#slab = this.#newSlab();
    for (const entry of this.#entries.values()) entry.relocate(this.#slab);
    this.#slabStored = this.#slabLive;
  }

  /** Removes `txidHex` and everything that spends from it, children first. */
  #removeWithDescendants(txidHex: string): void {
    for (const txid of (this.#packages.descendantsOf(txidHex) ?? []).reverse()) this.#remove(txid);
    this.#remove(txidHex);
  }
}
