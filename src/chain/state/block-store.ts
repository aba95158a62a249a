/**
 * The chain's LevelDB (`<dataDir>/chain`): block bytes, block index entries, undo data, the UTXO
 * set and the tip pointer. Every state change is ONE atomic batch, so a crash (even kill -9)
 * between two batches leaves a consistent chain:
 *
 * - storing a new block: its bytes and its index entry;
 * - connecting a block: its UTXO changes, its undo data, its index entry and the new tip;
 * - disconnecting a block: the reverted UTXO changes, the deleted undo data and the new tip.
 *
 * Key layout (utf8 keys, binary values):
 *
 * | key                      | value                                                   |
 * |--------------------------|---------------------------------------------------------|
 * | `m/meta`                 | JSON { version, network }                               |
 * | `m/tip`                  | id hex of the active tip                                |
 * | `b/<block id hex>`       | canonical block bytes (absent for invalid blocks)       |
 * | `i/<block id hex>`       | index entry JSON (height, parent, work, status, ...)    |
 * | `r/<block id hex>`       | undo data JSON of a block on the active chain           |
 * | `u/<txid hex>:<index>`   | UTXO: amount u64, height u32, flags u8, address         |
 *
 * Writes are not fsync'ed by default: a killed process loses nothing (LevelDB hands every batch
 * to the OS before it resolves), a power cut may lose the last batches but never breaks one.
 */
import { ClassicLevel } from 'classic-level';
import type { UtxoDiff } from '../rules/block.js';
import type { Utxo } from '../rules/utxo.js';
import type { BlockEntry } from './block-index.js';
import {
  decodeEntry,
  decodeJson,
  decodeText,
  decodeUndo,
  decodeUtxo,
  encodeEntry,
  encodeJson,
  encodeText,
  encodeUndo,
  encodeUtxo,
} from './records.js';
import { type BlockUndo, undoOf } from './utxo-set.js';

/** Version of the key layout above; bumped on any incompatible change. */
export const STORE_VERSION = 1;

export interface StoreMeta {
  readonly version: number;
  readonly network: string;
}

const META_KEY = 'm/meta';
const TIP_KEY = 'm/tip';
const blockKey = (idHex: string): string => `b/${idHex}`;
const entryKey = (idHex: string): string => `i/${idHex}`;
const undoKey = (idHex: string): string => `r/${idHex}`;
const utxoKey = (key: string): string => `u/${key}`;

type Db = ClassicLevel<string, Uint8Array>;
type Op = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

/**
 * classic-level hands values out as Buffers; callers get plain Uint8Arrays (Buffer's `slice`
 * shares memory and its equality differs, which would leak into every consumer).
 */
function plain(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Everything under `prefix` (keys `<prefix>/...`): '0' is the character after '/'. */
function range(prefix: string): { gt: string; lt: string } {
  return { gt: `${prefix}/`, lt: `${prefix}0` };
}

export class BlockStore {
  private constructor(
    private readonly db: Db,
    private readonly sync: boolean,
  ) {}

  static async open(location: string, options: { sync?: boolean } = {}): Promise<BlockStore> {
    const db: Db = new ClassicLevel<string, Uint8Array>(location, {
      keyEncoding: 'utf8',
      valueEncoding: 'view',
    });
    await db.open();
    return new BlockStore(db, options.sync ?? false);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async readMeta(): Promise<StoreMeta | undefined> {
    const bytes = await this.db.get(META_KEY);
    return bytes === undefined ? undefined : decodeJson<StoreMeta>(plain(bytes));
  }

  async readTip(): Promise<string | undefined> {
    const bytes = await this.db.get(TIP_KEY);
    return bytes === undefined ? undefined : decodeText(plain(bytes));
  }

  async getBlock(idHex: string): Promise<Uint8Array | undefined> {
    const bytes = await this.db.get(blockKey(idHex));
    return bytes === undefined ? undefined : plain(bytes);
  }

  async getUndo(idHex: string): Promise<BlockUndo | undefined> {
    const bytes = await this.db.get(undoKey(idHex));
    return bytes === undefined ? undefined : decodeUndo(plain(bytes));
  }

  async loadEntries(): Promise<BlockEntry[]> {
    const entries: BlockEntry[] = [];
    for await (const [key, value] of this.db.iterator(range('i')))
      entries.push(decodeEntry(key.slice(2), plain(value)));
    return entries;
  }

  async *loadUtxos(): AsyncGenerator<[string, Utxo]> {
    for await (const [key, value] of this.db.iterator(range('u')))
      yield [key.slice(2), decodeUtxo(plain(value))];
  }

  /** First open: the meta record, genesis (bytes, entry, UTXOs, empty undo) and the tip, in one batch. */
  async writeGenesis(meta: StoreMeta, entry: BlockEntry, bytes: Uint8Array, diff: UtxoDiff): Promise<void> {
    await this.#write([
      { type: 'put', key: META_KEY, value: encodeJson(meta) },
      { type: 'put', key: blockKey(entry.idHex), value: bytes },
      ...this.#connectOps(entry, diff),
    ]);
  }

  /** A new block that passed header and body checks: its bytes and index entry. */
  async storeBlock(entry: BlockEntry, bytes: Uint8Array): Promise<void> {
    await this.#write([
      { type: 'put', key: blockKey(entry.idHex), value: bytes },
      { type: 'put', key: entryKey(entry.idHex), value: encodeEntry(entry) },
    ]);
  }

  /** Connects `entry` (whose status the caller set to connected-ok) on top of the tip. */
  async connect(entry: BlockEntry, diff: UtxoDiff): Promise<void> {
    await this.#write(this.#connectOps(entry, diff));
  }

  /** Disconnects the tip `entry`, making its parent the tip. */
  async disconnect(entry: BlockEntry, undo: BlockUndo): Promise<void> {
    const ops: Op[] = [];
    for (const key of undo.createdKeys) ops.push({ type: 'del', key: utxoKey(key) });
    for (const s of undo.spent) ops.push({ type: 'put', key: utxoKey(s.key), value: encodeUtxo(s.utxo) });
    ops.push({ type: 'del', key: undoKey(entry.idHex) });
    ops.push({ type: 'put', key: TIP_KEY, value: encodeText(entry.parentHex) });
    await this.#write(ops);
  }

  /** Persists entries that became invalid and drops their bytes (never served, never connected). */
  async markInvalid(entries: readonly BlockEntry[]): Promise<void> {
    const ops: Op[] = [];
    for (const entry of entries) {
      ops.push({ type: 'put', key: entryKey(entry.idHex), value: encodeEntry(entry) });
      ops.push({ type: 'del', key: blockKey(entry.idHex) });
    }
    await this.#write(ops);
  }

  #connectOps(entry: BlockEntry, diff: UtxoDiff): Op[] {
    const ops: Op[] = [];
    for (const s of diff.spent) ops.push({ type: 'del', key: utxoKey(s.key) });
    for (const c of diff.created) ops.push({ type: 'put', key: utxoKey(c.key), value: encodeUtxo(c.utxo) });
    ops.push({ type: 'put', key: undoKey(entry.idHex), value: encodeUndo(undoOf(diff)) });
    ops.push({ type: 'put', key: entryKey(entry.idHex), value: encodeEntry(entry) });
    ops.push({ type: 'put', key: TIP_KEY, value: encodeText(entry.idHex) });
    return ops;
  }

  async #write(ops: Op[]): Promise<void> {
    if (ops.length === 0) return;
    await this.db.batch(ops, { sync: this.sync });
  }
}
