/**
 * The block index: one entry per known block that passed header and body checks (the tree of all
 * branches, not only the active chain), held in memory and persisted by block-store.ts.
 *
 * Each entry carries what fork choice and header rules need without reading block bytes: height,
 * parent, timestamp, target, cumulative work and a status:
 *
 * - `valid-header`: header and body passed every check that needs no UTXO set; never connected.
 * - `connected-ok`: its transactions connected against its parent chain at least once.
 * - `invalid`: it failed to connect, or descends from a block that did (never retried).
 *
 * The best candidate is the valid entry that fork choice (`compareChains`, fork-choice.ts) ranks
 * first: the most cumulative work; on a tie the current tip, then the entry seen first (lowest
 * `seq`), wins.
 */
import type { ErrorCode } from '../errors.js';
import { asActiveTip, compareChains, type ForkCandidate } from './fork-choice.js';

export type BlockStatus = 'valid-header' | 'connected-ok' | 'invalid';

/** A block index entry as queries return it. */
export interface ChainEntry {
  readonly id: Uint8Array;
  readonly idHex: string;
  readonly height: number;
  /** Parent id in hex; all zeros for genesis. */
  readonly parentHex: string;
  /** Header timestamp, ms since the Unix epoch. */
  readonly timestamp: number;
  readonly target: bigint;
  /** Sum of the expected work of every block from genesis to this one. */
  readonly cumulativeWork: bigint;
  readonly status: BlockStatus;
}

/** The index's own mutable entry. */
export interface BlockEntry extends ChainEntry {
  status: BlockStatus;
  /** Why it is invalid (for `status: 'invalid'`): rethrown when the block is offered again. */
  invalidCode?: ErrorCode;
  /** Arrival order, persisted: decides ties between equal-work branches. */
  readonly seq: number;
}

export class BlockIndex {
  readonly #entries = new Map<string, BlockEntry>();
  /** Parent id hex -> ids of its children in the index. */
  readonly #children = new Map<string, Set<string>>();
  #best: BlockEntry | undefined;
  #nextSeq = 0;

  get size(): number {
    return this.#entries.size;
  }

  /** The arrival number for the next new entry. */
  nextSeq(): number {
    return this.#nextSeq;
  }

  get(idHex: string): BlockEntry | undefined {
    return this.#entries.get(idHex);
  }

  has(idHex: string): boolean {
    return this.#entries.has(idHex);
  }

  values(): IterableIterator<BlockEntry> {
    return this.#entries.values();
  }

  /** Adds an entry (new block, or one loaded from disk). */
  add(entry: BlockEntry): void {
    this.#entries.set(entry.idHex, entry);
    let siblings = this.#children.get(entry.parentHex);
    if (siblings === undefined) {
      siblings = new Set();
      this.#children.set(entry.parentHex, siblings);
    }
    siblings.add(entry.idHex);
    if (entry.seq >= this.#nextSeq) this.#nextSeq = entry.seq + 1;
    if (entry.status !== 'invalid' && (this.#best === undefined || compareChains(entry, this.#best) < 0)) {
      this.#best = entry;
    }
  }

  /** The valid entry with the most work (see the module comment for ties). */
  best(): BlockEntry | undefined {
    return this.#best;
  }

  /**
   * Recomputes the best candidate from scratch (after entries became invalid, or after loading);
   * `tipHex`, the active tip, wins ties as fork choice requires.
   */
  rescanBest(tipHex?: string): void {
    const candidate = (entry: BlockEntry): ForkCandidate =>
      entry.idHex === tipHex ? asActiveTip(entry) : entry;
    let best: BlockEntry | undefined;
    for (const entry of this.#entries.values()) {
      if (entry.status === 'invalid') continue;
      if (best === undefined || compareChains(candidate(entry), candidate(best)) < 0) best = entry;
    }
    this.#best = best;
  }

  /**
   * Marks `idHex` and all its descendants invalid; returns the entries whose status changed (the
   * caller persists them). The best candidate must then be recomputed with rescanBest.
   */
  markInvalid(idHex: string, code: ErrorCode): BlockEntry[] {
    const changed: BlockEntry[] = [];
    const stack: Array<[string, ErrorCode]> = [[idHex, code]];
    while (stack.length > 0) {
      const [hex, why] = stack.pop()!;
      const entry = this.#entries.get(hex);
      if (entry === undefined || entry.status === 'invalid') continue;
      entry.status = 'invalid';
      entry.invalidCode = why;
      changed.push(entry);
      for (const child of this.#children.get(hex) ?? []) stack.push([child, 'BLOCK_INVALID_PARENT']);
    }
    return changed;
  }

  /**
   * Up to `count` entries ending at `entry`, newest first (entry, parent, grandparent, ...).
   * Stops at genesis.
   */
  lastAncestors(entry: BlockEntry, count: number): BlockEntry[] {
    const out: BlockEntry[] = [];
    let current: BlockEntry | undefined = entry;
    while (current !== undefined && out.length < count) {
      out.push(current);
      current = this.#entries.get(current.parentHex);
    }
    return out;
  }
}
