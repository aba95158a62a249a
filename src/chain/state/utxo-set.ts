/**
 * The UTXO set of the active chain, held in memory: every unspent output by outpoint key, plus an
 * address index so a wallet lists its coins without scanning the whole set. The persisted copy
 * lives in LevelDB (see block-store.ts); both change together, one block at a time.
 *
 * `UtxoOverlay` is a copy-on-write view over any UtxoView: reorganisations are planned and
 * validated on an overlay first, so a branch that turns out invalid never touches the real set.
 */
import { toHex } from '../../crypto/hash.js';
import type { UtxoDiff } from '../rules/block.js';
import type { SpentOutput } from '../rules/transaction.js';
import type { Utxo, UtxoView } from '../rules/utxo.js';

/** What connecting a block did to the UTXO set, and what disconnecting it must undo. */
export interface BlockUndo {
  /** Outputs the block spent that existed before it (restored on disconnect). */
  readonly spent: readonly SpentOutput[];
  /** Outpoint keys of the outputs the block added (removed on disconnect). */
  readonly createdKeys: readonly string[];
}

/** The undo record of a connected block's diff. */
export function undoOf(diff: UtxoDiff): BlockUndo {
  return { spent: diff.spent, createdKeys: diff.created.map((c) => c.key) };
}

/** An unspent output together with its outpoint. */
export interface OwnedUtxo {
  readonly key: string;
  readonly txidHex: string;
  readonly outputIndex: number;
  readonly utxo: Utxo;
}

/** Splits an outpoint key (`<txid hex>:<index>`, see outpointKey) into its parts. */
export function parseOutpointKey(key: string): { txidHex: string; outputIndex: number } {
  const colon = key.lastIndexOf(':');
  return { txidHex: key.slice(0, colon), outputIndex: Number(key.slice(colon + 1)) };
}

export class UtxoSet implements UtxoView {
  readonly #utxos = new Map<string, Utxo>();
  /** Address hex -> outpoint keys paying it. */
  readonly #byAddress = new Map<string, Set<string>>();

  get size(): number {
    return this.#utxos.size;
  }

  getUtxo(key: string): Utxo | undefined {
    return this.#utxos.get(key);
  }

  entries(): IterableIterator<[string, Utxo]> {
    return this.#utxos.entries();
  }

  add(key: string, utxo: Utxo): void {
    this.delete(key);
    this.#utxos.set(key, utxo);
    const addressHex = toHex(utxo.address);
    let keys = this.#byAddress.get(addressHex);
    if (keys === undefined) {
      keys = new Set();
      this.#byAddress.set(addressHex, keys);
    }
    keys.add(key);
  }

  delete(key: string): void {
    const utxo = this.#utxos.get(key);
    if (utxo === undefined) return;
    this.#utxos.delete(key);
    const addressHex = toHex(utxo.address);
    const keys = this.#byAddress.get(addressHex);
    keys?.delete(key);
    if (keys?.size === 0) this.#byAddress.delete(addressHex);
  }

  /** Applies a connected block's diff. */
  connect(diff: UtxoDiff): void {
    for (const s of diff.spent) this.delete(s.key);
    for (const c of diff.created) this.add(c.key, c.utxo);
  }

  /** Reverts a block with its undo record. */
  disconnect(undo: BlockUndo): void {
    for (const key of undo.createdKeys) this.delete(key);
    for (const s of undo.spent) this.add(s.key, s.utxo);
  }

  /** Unspent outputs paying `address`, largest first. */
  utxosOf(address: Uint8Array): OwnedUtxo[] {
    const keys = this.#byAddress.get(toHex(address));
    if (keys === undefined) return [];
    const owned: OwnedUtxo[] = [];
    for (const key of keys) {
      const utxo = this.#utxos.get(key)!;
      owned.push({ key, ...parseOutpointKey(key), utxo });
    }
    return owned.sort((a, b) =>
      a.utxo.amount === b.utxo.amount ? 0 : a.utxo.amount > b.utxo.amount ? -1 : 1,
    );
  }

  /** Sum of the unspent outputs paying `address`, in base units. */
  balanceOf(address: Uint8Array): bigint {
    const keys = this.#byAddress.get(toHex(address));
    let sum = 0n;
    for (const key of keys ?? []) sum += this.#utxos.get(key)!.amount;
    return sum;
  }
}

/** A copy-on-write view over `base`: changes are recorded here and never reach `base`. */
export class UtxoOverlay implements UtxoView {
  /** Outpoint key -> the output now, or null when removed. */
  readonly #changes = new Map<string, Utxo | null>();

  constructor(private readonly base: UtxoView) {}

  getUtxo(key: string): Utxo | undefined {
    const changed = this.#changes.get(key);
    if (changed !== undefined) return changed ?? undefined;
    return this.base.getUtxo(key);
  }

  connect(diff: UtxoDiff): void {
    for (const s of diff.spent) this.#changes.set(s.key, null);
    for (const c of diff.created) this.#changes.set(c.key, c.utxo);
  }

  disconnect(undo: BlockUndo): void {
    for (const key of undo.createdKeys) this.#changes.set(key, null);
    for (const s of undo.spent) this.#changes.set(s.key, s.utxo);
  }
}
