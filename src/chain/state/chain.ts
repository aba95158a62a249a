/**
 * The chain state every node runs: the block tree, the active chain, its UTXO set and the mempool,
 * persisted in LevelDB (see block-store.ts for the key layout and the atomicity argument).
 *
 * `processBlock` is the full pipeline, cheapest first:
 *
 * 1. duplicate check on the id of the raw header bytes (before decoding a possibly 1 MB body);
 * 2. decode (bounded, canonical) and id;
 * 3. context-free header checks: proof of work, then the miner's signature;
 * 4. parent lookup: unknown -> orphan pool (result 'orphan'); known invalid -> REJECT;
 * 5. header against the parent chain: height, target, median time past, local clock;
 * 6. anti-DoS work: a block on a branch with less cumulative work than the tip is not stored
 *    (result 'low-work') when the branch is below the tip's work minus ANTI_DOS_WORK_BLOCKS blocks'
 *    worth, or the block itself is far easier than the tip's (ANTI_DOS_BLOCK_WORK_DIVISOR), unless
 *    headers-first sync proved that a chain of headers through it has the work (`expectHeaders`);
 *    so a cheap side chain costs a node neither disk nor memory;
 * 7. body: merkle root, coinbase, transaction syntax, timestamps, signatures;
 * 8. store (bytes + index entry, one batch), then fork choice: when the best valid branch has more
 *    work than the tip, it is planned on a UTXO overlay (disconnect to the fork point, connect the
 *    new blocks) and only written (one batch per block) once every block of it connected. A block
 *    that fails is marked invalid with its descendants, and the next best branch is tried (the old
 *    chain when nothing beats it), so a failed reorg leaves tip, UTXO set and mempool untouched;
 * 9. orphans whose parent just arrived are processed the same way, recursively.
 *
 * Invalid blocks throw ValidationError (callers use `.verdict`); a duplicate or an orphan is a
 * normal result (relay verdict IGNORE: codes BLOCK_DUPLICATE and BLOCK_UNKNOWN_PARENT). Ids are
 * remembered as invalid only when the failure is a property of the id: never for a bad proof of
 * work (free to forge), a timestamp too far in the future (valid later), or a body that does not
 * match its header (the sender tampered with it; an honest peer may serve the real block).
 *
 * Calls that change state are serialised (one at a time); the in-memory state only changes right
 * after the matching batch is written, so memory and disk agree at every await. Fork choice is
 * `compareChains` (fork-choice.ts): most cumulative work; on a tie the first seen stays.
 */
import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { BoundedMap } from '../../collections/bounded-map.js';
import { fromHex, HASH_LENGTH, toHex } from '../../crypto/hash.js';
import {
  type BlockHeader,
  decodeBlock,
  encodeBlock,
  encodeTransaction,
  headerBytesOfBlock,
} from '../encoding/codec.js';
import { type ErrorCode, ValidationError } from '../errors.js';
import { genesisBlock } from '../genesis.js';
import { type AcceptedTransaction, Mempool, type MempoolOptions } from '../mempool/mempool.js';
import { blockIdOf, blockIdOfBytes, bytesToBigInt, type FullBlock, workOf } from '../objects/block.js';
import { isCoinbase, outpointKey, txidOf } from '../objects/transaction.js';
import { type ChainParams, MEDIAN_TIME_SPAN } from '../params.js';
import {
  type BlockContext,
  checkBlockBody,
  checkHeaderContext,
  checkHeaderContextFree,
  connectBlockTransactions,
  isBodyTampering,
  type UtxoDiff,
} from '../rules/block.js';
import { expectedTarget, medianTimestamp } from '../rules/difficulty.js';
import type { Utxo } from '../rules/utxo.js';
import { type BlockEntry, BlockIndex, type ChainEntry } from './block-index.js';
import { BlockStore, STORE_VERSION } from './block-store.js';
import { asActiveTip, compareChains } from './fork-choice.js';
import { HeaderChain } from './header-chain.js';
import { OrphanPool } from './orphan-pool.js';
import { RecentTxIndex, type TxLocation } from './recent-txs.js';
import { type BlockUndo, type OwnedUtxo, UtxoOverlay, UtxoSet } from './utxo-set.js';

export type { BlockStatus, ChainEntry } from './block-index.js';

/** Ids remembered as invalid without being stored (header failures with valid PoW); oldest evicted. */
export const MAX_INVALID_IDS = 10_000;
/** Blocks of the active chain whose txids are loaded into the recent-tx index on open. */
export const RECENT_BLOCKS_ON_OPEN = 100;
/**
 * Depth, in blocks at the tip's difficulty, below the tip's cumulative work under which a branch's
 * blocks are not stored unless proven by headers (Bitcoin Core's anti-DoS threshold: 144 blocks,
 * one day; on the 5 s devnet, 12 minutes). Honest forks are far shallower: a tie or a short
 * partition is a few blocks deep.
 */
export const ANTI_DOS_WORK_BLOCKS = 144n;
/**
 * A side-chain block below the tip's work is stored without headers only if its own work is at
 * least the tip block's divided by this: an honest block near the tip was mined at about the tip's
 * difficulty (the retarget moves it by at most 4x per window; 16 leaves room for two windows),
 * while a cheap side chain at the minimum difficulty is thousands of times easier.
 */
export const ANTI_DOS_BLOCK_WORK_DIVISOR = 16n;
/** Block ids of header chains proven to carry more work than the tip (one headers-first sync session's worth). */
export const MAX_PROVEN_HEADERS = 20_000;
/** Headers of recent blocks kept in memory to answer `getHeaders` without reading whole blocks. */
export const HEADER_CACHE_ENTRIES = 4_096;
/** Locator entries listed one by one from the tip before the steps start doubling (Bitcoin's 10). */
const LOCATOR_DENSE_ENTRIES = 10;

const ZERO_HASH_HEX = '00'.repeat(HASH_LENGTH);

export type ChainLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

const SILENT: ChainLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export interface ChainOptions {
  /** The node's data directory; the chain lives in `<dataDir>/chain`. */
  readonly dataDir: string;
  readonly params: ChainParams;
  /** Clock in ms since the Unix epoch (tests inject one). */
  readonly now?: () => number;
  readonly logger?: ChainLogger;
  /** fsync every batch: survives power loss, not just process crashes (slower). Default false. */
  readonly syncWrites?: boolean;
  readonly mempool?: MempoolOptions;
}

export interface ReorgInfo {
  /** Ids (hex) of the blocks removed from the active chain, tip first. */
  readonly disconnected: string[];
  /** Ids (hex) of the blocks added to the active chain, oldest first. */
  readonly connected: string[];
}

export interface BlockResult {
  /**
   * connected: on the active chain; side-chain: stored and valid so far, on a branch with no more
   * work than the tip; orphan: parent unknown, held in the orphan pool; duplicate: already known;
   * low-work: valid header on a branch far below the tip's work (anti-DoS), not stored.
   */
  readonly status: 'connected' | 'side-chain' | 'orphan' | 'duplicate' | 'low-work';
  readonly id: Uint8Array;
  readonly idHex: string;
  readonly height: number;
  /** Present when accepting the block disconnected blocks from the active chain. */
  readonly reorg?: ReorgInfo;
}

/** Payload of the `block` event: a block just connected to the active chain. */
export interface ConnectedBlock {
  readonly entry: ChainEntry;
  readonly block: FullBlock;
  readonly txids: readonly string[];
}

export type ChainEvents = {
  /** A block was connected to the active chain (in chain order, also during a reorg). */
  block: [ConnectedBlock];
  /** The active chain switched branches; emitted before the `block` events of the new branch. */
  reorg: [ReorgInfo];
  /** The active tip changed (once per processed block that changed it). */
  tip: [ChainEntry];
  /**
   * Orphan transactions entered the mempool once the parent they waited for arrived (txids hex,
   * parents first): nobody announced them to us after we could accept them, so we announce them.
   */
  adopted: [readonly string[]];
};

interface PlannedDisconnect {
  readonly entry: BlockEntry;
  readonly undo: BlockUndo;
  readonly block: FullBlock;
  readonly txids: readonly string[];
}

interface PlannedConnect {
  readonly entry: BlockEntry;
  readonly block: FullBlock;
  readonly txids: readonly string[];
  readonly diff: UtxoDiff;
}

type Plan =
  | { readonly disconnects: PlannedDisconnect[]; readonly connects: PlannedConnect[] }
  | { readonly failed: BlockEntry; readonly error: ValidationError };

interface Activation {
  readonly failures: Map<string, ValidationError>;
  readonly reorg?: ReorgInfo;
}

export class Chain extends EventEmitter<ChainEvents> {
  readonly params: ChainParams;
  /** Unconfirmed transactions, kept valid against the tip. */
  readonly mempool: Mempool;
  readonly #store: BlockStore;
  readonly #now: () => number;
  readonly #log: ChainLogger;
  readonly #index = new BlockIndex();
  readonly #utxos = new UtxoSet();
  readonly #orphans = new OrphanPool();
  readonly #recent = new RecentTxIndex();
  /** Ids not stored but known invalid -> why; the oldest forgotten first beyond MAX_INVALID_IDS. */
  readonly #invalidIds = new BoundedMap<string, ErrorCode>(MAX_INVALID_IDS);
  /** Ids of blocks on header chains proven (headers-first) to carry more work than the tip. */
  readonly #proven = new BoundedMap<string, true>(MAX_PROVEN_HEADERS);
  /** Header bytes of recently stored blocks, by id hex. */
  readonly #headers = new BoundedMap<string, Uint8Array>(HEADER_CACHE_ENTRIES);
  /** Active chain: id hex by height. */
  readonly #active: string[] = [];
  #tip!: BlockEntry;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(store: BlockStore, options: ChainOptions) {
    super();
    this.params = options.params;
    this.#store = store;
    this.#now = options.now ?? Date.now;
    this.#log = options.logger ?? SILENT;
    this.mempool = new Mempool(
      options.params,
      {
        getUtxo: (key) => this.#utxos.getUtxo(key),
        tipHeight: () => this.#tip.height,
        isConfirmed: (txidHex) => this.#recent.has(txidHex),
      },
      options.mempool,
    );
  }

  /**
   * Opens (or creates, with genesis) the chain in `<dataDir>/chain`, loads the index, UTXO set and
   * tip, and resumes at the last committed tip. If a crash interrupted a reorg, the heavier branch
   * is then activated again.
   */
  static async open(options: ChainOptions): Promise<Chain> {
    await mkdir(options.dataDir, { recursive: true });
    const store = await BlockStore.open(join(options.dataDir, 'chain'), {
      sync: options.syncWrites ?? false,
    });
    try {
      const meta = await store.readMeta();
      if (meta === undefined) {
        await writeGenesis(store, options.params);
      } else if (meta.version !== STORE_VERSION || meta.network !== options.params.network) {
        throw new Error(
          `chain data in ${options.dataDir} is for network ${meta.network} (store v${meta.version}), ` +
            `not ${options.params.network} (store v${STORE_VERSION})`,
        );
      }
      const chain = new Chain(store, options);
      await chain.#load();
      await chain.#exclusive(() => chain.#activateBestChain());
      return chain;
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  /** Waits for pending work, then closes the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#exclusive(async () => {
      this.#closed = true;
      await this.#store.close();
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Blocks

  /** The block pipeline (see the module comment). Throws ValidationError for invalid blocks. */
  processBlock(bytes: Uint8Array): Promise<BlockResult> {
    return this.#exclusive(async () => {
      const result = await this.#processOne(bytes);
      if (result.status === 'connected' || result.status === 'side-chain')
        await this.#processOrphansOf(result.idHex);
      return result;
    });
  }

  async #processOne(bytes: Uint8Array): Promise<BlockResult> {
    // 1. Duplicate, from the raw header bytes: a known id is a duplicate whatever body came with
    // it (we hold the real one), so a 1 MB body is not decoded for nothing.
    const rawHeader = headerBytesOfBlock(bytes);
    if (rawHeader !== undefined) {
      const known = this.#knownResult(toHex(blockIdOfBytes(rawHeader)));
      if (known !== undefined) return known;
    }
    // 2. Decode.
    const block = decodeBlock(bytes) as FullBlock;
    const { header } = block;
    const id = blockIdOf(header);
    const idHex = toHex(id);
    const known = this.#knownResult(idHex);
    if (known !== undefined) return known;
    // 3. Proof of work and signature. Only the signature failure is worth remembering.
    this.#judge(
      idHex,
      (code) => code === 'BLOCK_BAD_SIGNATURE',
      () => checkHeaderContextFree(header, id, this.params),
    );
    // 4. Parent.
    const parentHex = toHex(header.prevHash);
    const parent = this.#index.get(parentHex);
    if (parent === undefined || parent.status === 'invalid') {
      if (parent !== undefined || this.#invalidIds.has(parentHex)) {
        this.#rememberInvalid(idHex, 'BLOCK_INVALID_PARENT');
        throw new ValidationError('BLOCK_INVALID_PARENT', `parent ${parentHex} is invalid`);
      }
      this.#orphans.add({ idHex, parentHex, height: header.height, bytes: bytes.slice() });
      this.#log.debug({ block: idHex, parent: parentHex }, 'orphan block');
      return { status: 'orphan', id, idHex, height: header.height };
    }
    // 5. Header against the parent chain.
    this.#judge(
      idHex,
      (code) => code !== 'BLOCK_TIME_TOO_NEW',
      () => checkHeaderContext(header, this.#contextFor(parent), this.params, this.#now()),
    );
    // 6. Anti-DoS work.
    const target = bytesToBigInt(header.target);
    const cumulativeWork = parent.cumulativeWork + workOf(target);
    if (this.#isUnprovenLowWork(parent, target, idHex)) {
      this.#log.debug({ block: idHex, height: header.height }, 'low-work block not stored');
      return { status: 'low-work', id, idHex, height: header.height };
    }
    // 7. Body.
    this.#judge(
      idHex,
      (code) => !isBodyTampering(code),
      () => checkBlockBody(block, this.params),
    );
    // 8. Store, then fork choice.
    const entry: BlockEntry = {
      id,
      idHex,
      height: header.height,
      parentHex,
      timestamp: header.timestamp,
      target,
      cumulativeWork,
      status: 'valid-header',
      seq: this.#index.nextSeq(),
    };
    await this.#store.storeBlock(entry, bytes);
    this.#index.add(entry);
    this.#proven.delete(idHex);
    if (rawHeader !== undefined) this.#headers.set(idHex, rawHeader.slice());
    const activation = await this.#activateBestChain();
    if (entry.status === 'invalid') {
      this.#orphans.removeDescendants(idHex);
      const own = activation.failures.get(idHex);
      if (own !== undefined) throw own;
      let ancestor = this.#index.get(parentHex);
      while (ancestor !== undefined && !activation.failures.has(ancestor.idHex)) {
        ancestor = this.#index.get(ancestor.parentHex);
      }
      const why = ancestor === undefined ? 'invalid' : activation.failures.get(ancestor.idHex)!.message;
      throw new ValidationError(
        'BLOCK_INVALID_PARENT',
        `ancestor ${ancestor?.idHex} of ${idHex} failed: ${why}`,
      );
    }
    const status = this.#active[entry.height] === idHex ? 'connected' : 'side-chain';
    this.#log.debug({ block: idHex, height: entry.height, status }, 'block accepted');
    return {
      status,
      id,
      idHex,
      height: entry.height,
      ...(activation.reorg ? { reorg: activation.reorg } : {}),
    };
  }

  /** The result for an already known id, or undefined; throws for a known-invalid id. */
  #knownResult(idHex: string): BlockResult | undefined {
    const entry = this.#index.get(idHex);
    const invalidCode = entry?.status === 'invalid' ? entry.invalidCode : this.#invalidIds.get(idHex);
    if (entry?.status === 'invalid' || invalidCode !== undefined) {
      throw new ValidationError(
        invalidCode ?? 'BLOCK_INVALID_PARENT',
        `block ${idHex} is known to be invalid`,
      );
    }
    if (entry !== undefined) return { status: 'duplicate', id: entry.id, idHex, height: entry.height };
    const orphan = this.#orphans.get(idHex);
    if (orphan !== undefined)
      return { status: 'duplicate', id: fromHex(idHex), idHex, height: orphan.height };
    return undefined;
  }

  /** Runs `check`; on a ValidationError whose code `remember` accepts, remembers the id as invalid. */
  #judge<T>(idHex: string, remember: (code: ErrorCode) => boolean, check: () => T): T {
    try {
      return check();
    } catch (err) {
      if (err instanceof ValidationError && remember(err.code)) this.#rememberInvalid(idHex, err.code);
      throw err;
    }
  }

  #rememberInvalid(idHex: string, code: ErrorCode): void {
    this.#invalidIds.set(idHex, code);
    this.#orphans.removeDescendants(idHex);
  }

  /** Processes orphans waiting for `parentHex`, then theirs, and so on; their failures are logged. */
  async #processOrphansOf(parentHex: string): Promise<void> {
    const queue = [parentHex];
    while (queue.length > 0) {
      for (const orphan of this.#orphans.takeChildren(queue.shift()!)) {
        try {
          const result = await this.#processOne(orphan.bytes);
          if (result.status === 'connected' || result.status === 'side-chain') queue.push(result.idHex);
        } catch (err) {
          this.#orphans.removeDescendants(orphan.idHex);
          this.#log.warn({ block: orphan.idHex, err: (err as Error).message }, 'orphan block rejected');
        }
      }
    }
  }

  /** Header context of a child of `parent`: median time past and the required target. */
  #contextFor(parent: BlockEntry): BlockContext {
    const window = this.params.retargetWindow + 1;
    const ancestors = this.#index.lastAncestors(parent, Math.max(MEDIAN_TIME_SPAN, window));
    return {
      parentHeight: parent.height,
      medianTimePast: medianTimestamp(ancestors.slice(0, MEDIAN_TIME_SPAN).map((a) => a.timestamp)),
      expectedTarget: expectedTarget(this.params, ancestors.slice(0, window).reverse()),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Fork choice and reorganisation

  async #activateBestChain(): Promise<Activation> {
    const failures = new Map<string, ValidationError>();
    const disconnected: PlannedDisconnect[] = [];
    const connected: PlannedConnect[] = [];
    for (;;) {
      const best = this.#index.best();
      if (best === undefined || compareChains(best, asActiveTip(this.#tip)) >= 0) break;
      const plan = await this.#plan(best);
      if ('failed' in plan) {
        failures.set(plan.failed.idHex, plan.error);
        const changed = this.#index.markInvalid(plan.failed.idHex, plan.error.code);
        this.#index.rescanBest(this.#tip.idHex);
        await this.#store.markInvalid(changed);
        for (const entry of changed) this.#orphans.removeDescendants(entry.idHex);
        this.#log.warn({ block: plan.failed.idHex, err: plan.error.message }, 'block failed to connect');
        continue;
      }
      await this.#execute(plan, disconnected, connected);
    }
    if (disconnected.length === 0 && connected.length === 0) return { failures };
    const now = this.#now();
    if (disconnected.length > 0) {
      const returning: Uint8Array[] = [];
      for (const d of [...disconnected].reverse()) {
        for (const tx of d.block.transactions) if (!isCoinbase(tx)) returning.push(encodeTransaction(tx));
      }
      this.mempool.rebuild(returning, now);
    } else {
      for (const c of connected) this.mempool.removeConfirmed(c.block.transactions, c.txids, now);
      this.mempool.expire(now);
    }
    const reorg =
      disconnected.length > 0
        ? {
            disconnected: disconnected.map((d) => d.entry.idHex),
            connected: connected.map((c) => c.entry.idHex),
          }
        : undefined;
    if (reorg !== undefined) {
      this.#log.info({ disconnected: reorg.disconnected.length, connected: reorg.connected.length }, 'reorg');
      this.#emitSafely('reorg', reorg);
    }
    for (const c of connected) this.#emitSafely('block', { entry: c.entry, block: c.block, txids: c.txids });
    this.#emitSafely('tip', this.#tip);
    this.#emitAdopted();
    return reorg === undefined ? { failures } : { failures, reorg };
  }

  /**
   * Plans the switch from the tip to `best` on a UTXO overlay: reads the undo data of the blocks to
   * disconnect and connects every block of the new branch. Nothing is written.
   */
  async #plan(best: BlockEntry): Promise<Plan> {
    const branch: BlockEntry[] = [];
    let cursor = best;
    while (this.#active[cursor.height] !== cursor.idHex) {
      branch.push(cursor);
      cursor = this.#requireEntry(cursor.parentHex);
    }
    branch.reverse();
    const forkHeight = cursor.height;
    const overlay = new UtxoOverlay(this.#utxos);
    const disconnects: PlannedDisconnect[] = [];
    for (let height = this.#tip.height; height > forkHeight; height--) {
      const entry = this.#requireEntry(this.#active[height]!);
      const undo = await this.#store.getUndo(entry.idHex);
      if (undo === undefined) throw new Error(`undo data of active block ${entry.idHex} is missing`);
      const block = await this.#readBlock(entry.idHex);
      overlay.disconnect(undo);
      disconnects.push({ entry, undo, block, txids: block.transactions.map((tx) => toHex(txidOf(tx))) });
    }
    const connects: PlannedConnect[] = [];
    for (const entry of branch) {
      const block = await this.#readBlock(entry.idHex);
      const txids = block.transactions.map((tx) => txidOf(tx));
      let diff: UtxoDiff;
      try {
        diff = connectBlockTransactions(block, txids, overlay, this.params);
      } catch (err) {
        if (err instanceof ValidationError) return { failed: entry, error: err };
        throw err;
      }
      overlay.connect(diff);
      connects.push({ entry, block, txids: txids.map(toHex), diff });
    }
    return { disconnects, connects };
  }

  /** Writes a validated plan, one batch per block, updating memory after each batch. */
  async #execute(
    plan: { disconnects: PlannedDisconnect[]; connects: PlannedConnect[] },
    disconnected: PlannedDisconnect[],
    connected: PlannedConnect[],
  ): Promise<void> {
    for (const d of plan.disconnects) {
      await this.#store.disconnect(d.entry, d.undo);
      this.#utxos.disconnect(d.undo);
      this.#active.pop();
      this.#tip = this.#requireEntry(d.entry.parentHex);
      this.#recent.removeBlock(d.entry.idHex, d.txids);
      disconnected.push(d);
    }
    for (const c of plan.connects) {
      const previous = c.entry.status;
      c.entry.status = 'connected-ok';
      try {
        await this.#store.connect(c.entry, c.diff);
      } catch (err) {
        c.entry.status = previous;
        throw err;
      }
      this.#utxos.connect(c.diff);
      this.#active.push(c.entry.idHex);
      this.#tip = c.entry;
      this.#recent.addBlock(c.entry.idHex, c.entry.height, c.txids);
      connected.push(c);
    }
  }

  async #readBlock(idHex: string): Promise<FullBlock> {
    const bytes = await this.#store.getBlock(idHex);
    if (bytes === undefined) throw new Error(`bytes of stored block ${idHex} are missing`);
    return decodeBlock(bytes) as FullBlock;
  }

  #requireEntry(idHex: string): BlockEntry {
    const entry = this.#index.get(idHex);
    if (entry === undefined) throw new Error(`block ${idHex} is missing from the index`);
    return entry;
  }

  #emitSafely<K extends keyof ChainEvents>(event: K, ...args: ChainEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: ChainEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.#log.error({ event, err: (err as Error).message }, 'chain event listener threw');
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Loading

  async #load(): Promise<void> {
    for (const entry of await this.#store.loadEntries()) this.#index.add(entry);
    const tipHex = await this.#store.readTip();
    if (tipHex === undefined) throw new Error('chain database has no tip');
    this.#tip = this.#requireEntry(tipHex);
    for (let entry: BlockEntry | undefined = this.#tip; entry !== undefined;) {
      this.#active[entry.height] = entry.idHex;
      entry = entry.height === 0 ? undefined : this.#requireEntry(entry.parentHex);
    }
    for await (const [key, utxo] of this.#store.loadUtxos()) this.#utxos.add(key, utxo);
    this.#index.rescanBest(this.#tip.idHex);
    const from = Math.max(0, this.#tip.height - RECENT_BLOCKS_ON_OPEN + 1);
    for (let height = from; height <= this.#tip.height; height++) {
      const idHex = this.#active[height]!;
      const block = await this.#readBlock(idHex);
      this.#recent.addBlock(
        idHex,
        height,
        block.transactions.map((tx) => toHex(txidOf(tx))),
      );
    }
    this.#log.info(
      { height: this.#tip.height, tip: this.#tip.idHex, utxos: this.#utxos.size },
      'chain loaded',
    );
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#closed) throw new Error('chain is closed');
      return fn();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------------------------------------
  // Transactions

  /** The mempool's relay pipeline at `now` (default: the chain's clock). Throws ValidationError. */
  acceptTransaction(bytes: Uint8Array, now: number = this.#now()): AcceptedTransaction {
    if (this.#closed) throw new Error('chain is closed');
    const accepted = this.mempool.acceptTransaction(bytes, now);
    this.#emitAdopted();
    return accepted;
  }

  #emitAdopted(): void {
    const adopted = this.mempool.takeAdopted();
    if (adopted.length > 0) this.#emitSafely('adopted', adopted);
  }

  /** Where a recently confirmed transaction is (a bounded index of recent blocks), if known. */
  findTransaction(txidHex: string): TxLocation | undefined {
    return this.#recent.get(txidHex);
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  tip(): ChainEntry {
    return this.#tip;
  }

  /** The genesis block's entry (height 0 of every branch). */
  genesis(): ChainEntry {
    return this.#requireEntry(this.#active[0]!);
  }

  get height(): number {
    return this.#tip.height;
  }

  getEntry(idHex: string): ChainEntry | undefined {
    return this.#index.get(idHex);
  }

  /** True when the block is known: stored (any branch), in the orphan pool, or known invalid. */
  hasBlock(idHex: string): boolean {
    return this.#index.has(idHex) || this.#orphans.has(idHex) || this.#invalidIds.has(idHex);
  }

  isInvalid(idHex: string): boolean {
    return this.#index.get(idHex)?.status === 'invalid' || this.#invalidIds.has(idHex);
  }

  isOrphan(idHex: string): boolean {
    return this.#orphans.has(idHex);
  }

  /** The parent id sync should fetch for orphan `idHex` (the first missing ancestor), if it is one. */
  missingAncestorOf(idHex: string): string | undefined {
    return this.#orphans.missingAncestorOf(idHex);
  }

  /** Blocks in the index (stored, on any branch, valid or not). */
  get blockCount(): number {
    return this.#index.size;
  }

  get orphanCount(): number {
    return this.#orphans.size;
  }

  /** True when `idHex` is on the active chain. */
  isActive(idHex: string): boolean {
    const entry = this.#index.get(idHex);
    return entry !== undefined && this.#active[entry.height] === idHex;
  }

  /** Canonical bytes of a stored valid block (any branch). */
  async getBlockBytes(idHex: string): Promise<Uint8Array | undefined> {
    return this.hasStoredBlock(idHex) ? this.#store.getBlock(idHex) : undefined;
  }

  /** True when `idHex` is a stored block not known invalid (what `getBlockBytes` serves). */
  hasStoredBlock(idHex: string): boolean {
    const entry = this.#index.get(idHex);
    return entry !== undefined && entry.status !== 'invalid';
  }

  /** Canonical header bytes of a stored valid block. */
  async getHeaderBytes(idHex: string): Promise<Uint8Array | undefined> {
    const bytes = await this.getBlockBytes(idHex);
    return bytes === undefined ? undefined : headerBytesOfBlock(bytes)?.slice();
  }

  /** The active chain's block at `height`. */
  getBlockByHeight(height: number): ChainEntry | undefined {
    const idHex = this.#active[height];
    return idHex === undefined ? undefined : this.#index.get(idHex);
  }

  /**
   * Bitcoin-style block locator of the active chain: the tip and the 9 blocks below it, then
   * steps doubling back, then genesis. Logarithmic in the height.
   */
  locator(): Uint8Array[] {
    const ids: Uint8Array[] = [];
    let step = 1;
    for (let height = this.#tip.height; height > 0; height -= step) {
      ids.push(this.#requireEntry(this.#active[height]!).id);
      if (ids.length >= LOCATOR_DENSE_ENTRIES) step *= 2;
    }
    ids.push(this.genesis().id);
    return ids;
  }

  /**
   * The least cumulative work a branch needs for its blocks to be stored without headers proving
   * more: the tip's work minus ANTI_DOS_WORK_BLOCKS blocks at the tip's target (0 near genesis).
   */
  antiDosWork(): bigint {
    const margin = ANTI_DOS_WORK_BLOCKS * workOf(this.#tip.target);
    return this.#tip.cumulativeWork > margin ? this.#tip.cumulativeWork - margin : 0n;
  }

  /**
   * Where a block with this (already proof-of-work checked) header would go, before its body is
   * known: 'orphan' (parent unknown), 'low-work' (step 6 would not store it), or 'store' (the
   * pipeline decides: it stores the block, or rejects it, e.g. for a parent known invalid). Lets
   * compact block relay skip rebuilding a block the pipeline would not keep, without ever judging
   * a block differently from the pipeline.
   */
  placeOfHeader(header: BlockHeader, idHex: string): 'store' | 'orphan' | 'low-work' {
    const parentHex = toHex(header.prevHash);
    const parent = this.#index.get(parentHex);
    if (parent === undefined) return this.#invalidIds.has(parentHex) ? 'store' : 'orphan';
    if (parent.status === 'invalid') return 'store';
    return this.#isUnprovenLowWork(parent, bytesToBigInt(header.target), idHex) ? 'low-work' : 'store';
  }

  /** Step 6: a block of `target` on `parent` is below the anti-DoS work, and no headers proved it. */
  #isUnprovenLowWork(parent: ChainEntry, target: bigint, idHex: string): boolean {
    return this.#isLowWork(parent.cumulativeWork + workOf(target), target) && !this.#proven.has(idHex);
  }

  /** Anti-DoS work (step 6 of the pipeline): whether a branch block is too cheap to store unproven. */
  #isLowWork(cumulativeWork: bigint, target: bigint): boolean {
    if (cumulativeWork >= this.#tip.cumulativeWork) return false;
    if (cumulativeWork < this.antiDosWork()) return true;
    return workOf(target) * ANTI_DOS_BLOCK_WORK_DIVISOR < workOf(this.#tip.target);
  }

  /**
   * An empty header chain starting at the stored, not invalid block `idHex` (headers-first sync
   * extends it with a peer's headers), or undefined when we do not store that block.
   */
  headerChainFrom(idHex: string): HeaderChain | undefined {
    const entry = this.#index.get(idHex);
    if (entry === undefined || entry.status === 'invalid') return undefined;
    const ancestors = this.#index.lastAncestors(entry, HeaderChain.ancestorsNeeded(this.params));
    return new HeaderChain(entry, ancestors, this.params, this.#now);
  }

  /**
   * Headers-first: when `headers` carries more work than the tip, its blocks will be stored when
   * they arrive (from any peer) even where each alone is below the anti-DoS work. Returns whether
   * it did.
   */
  expectHeaders(headers: HeaderChain): boolean {
    if (headers.work <= this.#tip.cumulativeWork) return false;
    for (const idHex of headers.ids) if (!this.#index.has(idHex)) this.#proven.set(idHex, true);
    return true;
  }

  /**
   * Header bytes of up to `max` active blocks after `forkPointHex`, oldest first (see blocksAfter):
   * from memory for recent blocks, else cut from the stored block.
   */
  async headersAfter(forkPointHex: string, max: number): Promise<Uint8Array[]> {
    const headers: Uint8Array[] = [];
    for (const id of this.blocksAfter(forkPointHex, max)) {
      const idHex = toHex(id);
      let header = this.#headers.get(idHex);
      if (header === undefined) {
        const bytes = await this.#store.getBlock(idHex);
        header = bytes === undefined ? undefined : headerBytesOfBlock(bytes)?.slice();
        if (header === undefined) break; // not stored (cannot happen for an active block): stop here
        this.#headers.set(idHex, header);
      }
      headers.push(header);
    }
    return headers;
  }

  /** The first locator id on our active chain, else genesis. */
  findForkPoint(locator: readonly Uint8Array[]): ChainEntry {
    for (const id of locator) {
      const idHex = toHex(id);
      if (this.isActive(idHex)) return this.#requireEntry(idHex);
    }
    return this.genesis();
  }

  /**
   * Ids of up to `max` active blocks after `forkPointHex`, oldest first. A fork point off the active
   * chain is replaced by its last active ancestor; an unknown one gives [].
   */
  blocksAfter(forkPointHex: string, max: number): Uint8Array[] {
    let entry = this.#index.get(forkPointHex);
    while (entry !== undefined && this.#active[entry.height] !== entry.idHex)
      entry = this.#index.get(entry.parentHex);
    if (entry === undefined) return [];
    const ids: Uint8Array[] = [];
    for (let height = entry.height + 1; height <= this.#tip.height && ids.length < max; height++) {
      ids.push(this.#requireEntry(this.#active[height]!).id);
    }
    return ids;
  }

  getUtxo(key: string): Utxo | undefined {
    return this.#utxos.getUtxo(key);
  }

  /** Confirmed unspent outputs paying `address`, largest first. */
  utxosOf(address: Uint8Array): OwnedUtxo[] {
    return this.#utxos.utxosOf(address);
  }

  /** Sum of the confirmed unspent outputs paying `address`, in base units. */
  balanceOf(address: Uint8Array): bigint {
    return this.#utxos.balanceOf(address);
  }

  get utxoCount(): number {
    return this.#utxos.size;
  }

  /** Every UTXO of the active chain (tests and consistency checks). */
  utxoEntries(): IterableIterator<[string, Utxo]> {
    return this.#utxos.entries();
  }

  /** Median timestamp of the last 11 active blocks: a new block on the tip must be dated after it. */
  medianTimePast(): number {
    return this.#contextFor(this.#tip).medianTimePast;
  }

  /** The target a block on the tip must carry. */
  nextTarget(): bigint {
    return this.#contextFor(this.#tip).expectedTarget;
  }

  /** Header context of a child of the stored block `parentHex` (block builders, tests). */
  blockContext(parentHex: string): BlockContext | undefined {
    const parent = this.#index.get(parentHex);
    return parent === undefined ? undefined : this.#contextFor(parent);
  }

  /** The clock the chain judges timestamps by. */
  now(): number {
    return this.#now();
  }
}

/** The first open of a data dir: meta, genesis block, its index entry, its UTXOs and the tip. */
async function writeGenesis(store: BlockStore, params: ChainParams): Promise<void> {
  const block = genesisBlock(params);
  const id = blockIdOf(block.header);
  const target = bytesToBigInt(block.header.target);
  const coinbase = block.transactions[0]!;
  const txid = txidOf(coinbase);
  const diff: UtxoDiff = {
    spent: [],
    created: coinbase.outputs.map((output, index) => ({
      key: outpointKey(txid, index),
      utxo: { amount: output.amount, address: output.address, height: 0, coinbase: true },
    })),
    fees: 0n,
  };
  const entry: BlockEntry = {
    id,
    idHex: toHex(id),
    height: 0,
    parentHex: ZERO_HASH_HEX,
    timestamp: block.header.timestamp,
    target,
    cumulativeWork: workOf(target),
    status: 'connected-ok',
    seq: 0,
  };
  await store.writeGenesis(
    { version: STORE_VERSION, network: params.network },
    entry,
    encodeBlock(block),
    diff,
  );
}
