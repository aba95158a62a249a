/**
 * Byte encodings of the chain state's LevelDB records (block index entries, UTXOs, undo data).
 * Local storage only, never sent to peers, so simple formats are fine: JSON for the rare, small
 * index and undo records, a fixed binary layout for UTXOs (the bulk of the data).
 */
import { fromHex, toHex } from '../../crypto/hash.js';
import type { ErrorCode } from '../errors.js';
import type { SpentOutput } from '../rules/transaction.js';
import type { Utxo } from '../rules/utxo.js';
import type { BlockEntry, BlockStatus } from './block-index.js';
import type { BlockUndo } from './utxo-set.js';

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export function encodeJson(value: unknown): Uint8Array {
  return textEncoder.encode(JSON.stringify(value));
}

export function decodeJson<T>(bytes: Uint8Array): T {
  return JSON.parse(textDecoder.decode(bytes)) as T;
}

export function encodeText(text: string): Uint8Array {
  return textEncoder.encode(text);
}

export function decodeText(bytes: Uint8Array): string {
  return textDecoder.decode(bytes);
}

interface EntryRecord {
  h: number;
  p: string;
  t: number;
  /** Target, hex. */
  g: string;
  /** Cumulative work, hex. */
  w: string;
  s: BlockStatus;
  q: number;
  c?: ErrorCode;
}

export function encodeEntry(entry: BlockEntry): Uint8Array {
  const record: EntryRecord = {
    h: entry.height,
    p: entry.parentHex,
    t: entry.timestamp,
    g: entry.target.toString(16),
    w: entry.cumulativeWork.toString(16),
    s: entry.status,
    q: entry.seq,
  };
  if (entry.invalidCode !== undefined) record.c = entry.invalidCode;
  return encodeJson(record);
}

export function decodeEntry(idHex: string, bytes: Uint8Array): BlockEntry {
  const r = decodeJson<EntryRecord>(bytes);
  const entry: BlockEntry = {
    id: fromHex(idHex),
    idHex,
    height: r.h,
    parentHex: r.p,
    timestamp: r.t,
    target: BigInt(`0x${r.g}`),
    cumulativeWork: BigInt(`0x${r.w}`),
    status: r.s,
    seq: r.q,
  };
  if (r.c !== undefined) entry.invalidCode = r.c;
  return entry;
}

/** UTXO layout: amount u64 BE (8) | height u32 BE (4) | flags u8 (bit 0: coinbase) | address. */
const UTXO_FIXED_BYTES = 13;

export function encodeUtxo(utxo: Utxo): Uint8Array {
  const out = new Uint8Array(UTXO_FIXED_BYTES + utxo.address.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, utxo.amount);
  view.setUint32(8, utxo.height);
  out[12] = utxo.coinbase ? 1 : 0;
  out.set(utxo.address, UTXO_FIXED_BYTES);
  return out;
}

export function decodeUtxo(bytes: Uint8Array): Utxo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    amount: view.getBigUint64(0),
    height: view.getUint32(8),
    coinbase: (bytes[12]! & 1) === 1,
    address: bytes.slice(UTXO_FIXED_BYTES),
  };
}

interface UndoRecord {
  /** Spent outputs: [key, amount (decimal), address hex, height, coinbase 0/1]. */
  s: Array<[string, string, string, number, number]>;
  /** Created outpoint keys. */
  c: string[];
}

export function encodeUndo(undo: BlockUndo): Uint8Array {
  const record: UndoRecord = {
    s: undo.spent.map((s) => [
      s.key,
      s.utxo.amount.toString(),
      toHex(s.utxo.address),
      s.utxo.height,
      s.utxo.coinbase ? 1 : 0,
    ]),
    c: [...undo.createdKeys],
  };
  return encodeJson(record);
}

export function decodeUndo(bytes: Uint8Array): BlockUndo {
  const r = decodeJson<UndoRecord>(bytes);
  const spent: SpentOutput[] = r.s.map(([key, amount, address, height, coinbase]) => ({
    key,
    utxo: { amount: BigInt(amount), address: fromHex(address), height, coinbase: coinbase === 1 },
  }));
  return { spent, createdKeys: r.c };
}
