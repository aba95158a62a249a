/**
 * Canonical, bounded encoding of the wire messages (protobuf via protons; schema in messages.proto).
 *
 * Same approach as the consensus codec (src/chain/encoding/codec.ts): every decode checks the byte
 * length against the message's limit before parsing, caps repeated fields while parsing, checks
 * each field's rules (hash lengths, known types, ranges), then re-encodes the result and compares
 * it with the input, so each message has exactly one valid encoding. Failures throw `WireError`
 * with kind OVERSIZE, MALFORMED or NON_CANONICAL.
 *
 * Encoders take values this node built itself: they check the same rules and throw RangeError or
 * TypeError (a local bug, never a peer's fault).
 */

import { randomBytes } from 'node:crypto';
import { type DecodeFailure, decodeCanonical, type ProtobufCodec } from '../../chain/encoding/canonical.js';
import { MAX_BLOCK_TXS, MAX_HEADER_BYTES, MAX_TX_BYTES } from '../../chain/encoding/limits.js';
import { toHex } from '../../crypto/hash.js';
import {
  INV_NONCE_BYTES,
  MAX_BLOCK_TXN_INDEXES,
  MAX_BLOCK_TXN_RESPONSE_BYTES,
  MAX_BLOCKS_PER_REQUEST,
  MAX_COMPACT_BLOCK_BYTES,
  MAX_CUMULATIVE_WORK_BYTES,
  MAX_DATA_FRAME_BYTES,
  MAX_GETDATA_BYTES,
  MAX_GETDATA_ITEMS,
  MAX_HEADERS_PER_REQUEST,
  MAX_INV_BYTES,
  MAX_INV_ITEMS,
  MAX_LOCATOR_HASHES,
  MAX_MEMPOOL_INV_ITEMS,
  MAX_PUSH_FRAME_BYTES,
  MAX_PUSH_SUBSCRIBE_BYTES,
  MAX_PUSH_TXS,
  MAX_SYNC_REQUEST_BYTES,
  MAX_SYNC_RESPONSE_BYTES,
  WIRE_HASH_BYTES,
} from './constants.js';
import { WireError } from './errors.js';
import { varintLength } from './framing.js';
import {
  BlockIds,
  BlockTxn,
  Data,
  GetData,
  Headers,
  Inv,
  InvType,
  PushMode,
  PushSubscribe,
  Status,
  SyncRequest,
  TxPush,
} from './messages.pb.js';

export { InvType, PushMode } from './messages.pb.js';

/** An inventory item: what kind of object, and its 32-byte id (txid or block id). */
export interface InvItem {
  type: InvType;
  hash: Uint8Array;
}

/** An object in a `Data` response: its kind and its canonical encoding (not yet validated). */
export interface DataObject {
  type: InvType;
  payload: Uint8Array;
}

export interface GetDataMessage {
  requestId: number;
  items: InvItem[];
}

export interface DataMessage {
  requestId: number;
  objects: DataObject[];
  notFound: InvItem[];
  deferred: InvItem[];
}

/** A decoded `SyncRequest`: exactly one query. */
export type SyncQuery =
  | { kind: 'status' }
  | { kind: 'getBlocks'; locator: Uint8Array[]; max: number }
  | { kind: 'getHeaders'; locator: Uint8Array[]; max: number }
  /** `maxAgeSeconds`: only transactions dated at most this long ago; absent: the whole mempool. */
  | { kind: 'getMempool'; maxAgeSeconds?: number }
  | { kind: 'getBlockTxn'; blockId: Uint8Array; indexes: number[] };

/** A node's view of its chain, as answered to a `status` query. */
export interface ChainStatus {
  genesis: Uint8Array;
  tip: Uint8Array;
  height: number;
  cumulativeWork: bigint;
}

// ---------------------------------------------------------------------------------------------
// InvType helpers
// ---------------------------------------------------------------------------------------------

/** The inventory types valid in announcements (INV_TYPE_UNSPECIFIED never is). */
export const INV_TYPES: readonly InvType[] = [InvType.TX, InvType.BLOCK];

/** True for TX and BLOCK: the types an `Inv` may announce. */
export function isKnownInvType(type: unknown): type is InvType {
  return type === InvType.TX || type === InvType.BLOCK;
}

/** True for the types a getdata request and its answer may name: TX, BLOCK and COMPACT_BLOCK. */
export function isGetDataType(type: unknown): type is InvType {
  return isKnownInvType(type) || type === InvType.COMPACT_BLOCK;
}

/** Map key of an item: `tx:<hex>`, `block:<hex>` or `cmpctblock:<hex>` (lowercase hex of the hash). */
export function invKey(type: InvType, hash: Uint8Array): string {
  if (!isGetDataType(type)) throw new TypeError(`unknown inventory type: ${String(type)}`);
  const name = type === InvType.TX ? 'tx' : type === InvType.BLOCK ? 'block' : 'cmpctblock';
  return `${name}:${toHex(hash)}`;
}

/** The type named `tx` or `block` (the relay engine's ObjectType). */
export function invTypeFromName(name: 'tx' | 'block'): InvType {
  if (name === 'tx') return InvType.TX;
  if (name === 'block') return InvType.BLOCK;
  throw new TypeError(`unknown inventory type name: ${String(name)}`);
}

/** Short lowercase name of a type, for logs and the relay engine: `tx` or `block`. */
export function invTypeName(type: InvType): 'tx' | 'block' {
  if (!isKnownInvType(type)) throw new TypeError(`unknown inventory type: ${String(type)}`);
  return type === InvType.TX ? 'tx' : 'block';
}

// ---------------------------------------------------------------------------------------------
// Generic bounded canonical decode
// ---------------------------------------------------------------------------------------------

type Codec<T> = ProtobufCodec<T>;

/** A repeated field over its cap is an oversize message on the wire. */
function wireError(kind: DecodeFailure, message: string): WireError {
  return new WireError(kind === 'TOO_MANY' ? 'OVERSIZE' : kind, message);
}

/** Bounded canonical decode of one wire message (shared by the wire codecs). */
export function decodeWire<T>(
  codec: Codec<T>,
  bytes: Uint8Array,
  maxBytes: number,
  limits: unknown,
  what: string,
): T {
  return decodeCanonical(codec, bytes, { maxBytes, limits, what, fail: wireError });
}

function checkItems(
  items: readonly { type: InvType; hash: Uint8Array }[],
  what: string,
  isAllowed: (type: unknown) => boolean = isKnownInvType,
): void {
  for (const [i, item] of items.entries()) {
    if (!isAllowed(item.type)) throw new WireError('MALFORMED', `${what}[${i}] has no valid type`);
    if (item.hash.length !== WIRE_HASH_BYTES) {
      throw new WireError(
        'MALFORMED',
        `${what}[${i}] hash is ${item.hash.length} bytes, not ${WIRE_HASH_BYTES}`,
      );
    }
  }
}

/**
 * A request that names an item twice would make us read and send it twice: an amplification no
 * honest client needs (it de-duplicates before asking).
 */
function checkDistinct(items: readonly { type: InvType; hash: Uint8Array }[], what: string): void {
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    const key = invKey(item.type, item.hash);
    if (seen.has(key)) throw new WireError('MALFORMED', `${what}[${i}] repeats an earlier item`);
    seen.add(key);
  }
}

function checkHashes(hashes: readonly Uint8Array[], what: string): void {
  for (const [i, hash] of hashes.entries()) {
    if (hash.length !== WIRE_HASH_BYTES) {
      throw new WireError('MALFORMED', `${what}[${i}] is ${hash.length} bytes, not ${WIRE_HASH_BYTES}`);
    }
  }
}

/** Local-input checks for encoders: a failure is our bug, so a plain RangeError. */
function assertItems(
  items: readonly InvItem[],
  max: number,
  what: string,
  isAllowed: (type: unknown) => boolean = isKnownInvType,
): void {
  if (items.length > max) throw new RangeError(`${what}: ${items.length} items exceed ${max}`);
  for (const item of items) {
    if (!isAllowed(item.type)) throw new TypeError(`${what}: unknown inventory type ${String(item.type)}`);
    if (item.hash.length !== WIRE_HASH_BYTES)
      throw new RangeError(`${what}: hash of ${item.hash.length} bytes`);
  }
}

/** 1..MAX_BLOCK_TXN_INDEXES positions, strictly ascending, none of them the coinbase's (0). */
function blockTxnIndexesProblem(indexes: readonly number[]): string | undefined {
  if (indexes.length === 0 || indexes.length > MAX_BLOCK_TXN_INDEXES)
    return `${indexes.length} indexes (1..${MAX_BLOCK_TXN_INDEXES})`;
  let previous = 0;
  for (const [i, index] of indexes.entries()) {
    if (!Number.isInteger(index) || index <= previous || index >= MAX_BLOCK_TXS)
      return `indexes[${i}] = ${index} is not ascending within 1..${MAX_BLOCK_TXS - 1}`;
    previous = index;
  }
  return undefined;
}

function checkBlockTxnIndexes(indexes: readonly number[]): void {
  const problem = blockTxnIndexesProblem(indexes);
  if (problem !== undefined) throw new WireError('MALFORMED', `GetBlockTxn: ${problem}`);
}

function assertBlockTxnIndexes(indexes: readonly number[]): void {
  const problem = blockTxnIndexesProblem(indexes);
  if (problem !== undefined) throw new RangeError(`GetBlockTxn: ${problem}`);
}

function assertHashes(hashes: readonly Uint8Array[], max: number, what: string): void {
  if (hashes.length > max) throw new RangeError(`${what}: ${hashes.length} hashes exceed ${max}`);
  for (const hash of hashes) {
    if (hash.length !== WIRE_HASH_BYTES) throw new RangeError(`${what}: hash of ${hash.length} bytes`);
  }
}

function assertUint32(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new RangeError(`${what}: ${value}`);
}

type Bytes = Uint8Array<ArrayBuffer>;

/**
 * A fresh plain Uint8Array with the bytes of `view`. Decoded fields are copied out of the frame: a
 * 32-byte hash kept in a map must not pin a 64 KiB message (or a 4 MiB response) in memory, and
 * callers get plain Uint8Arrays rather than Buffer views.
 */
export const copy = (view: Uint8Array): Uint8Array => new Uint8Array(view);
/** Largest protobuf uint32. */
const MAX_UINT32 = 0xffff_ffff;
const copyItems = (items: readonly InvItem[]): InvItem[] =>
  items.map((item) => ({ type: item.type, hash: copy(item.hash) }));
const wireItems = (items: readonly InvItem[]) =>
  items.map((item) => ({ type: item.type, hash: item.hash as Bytes }));

// ---------------------------------------------------------------------------------------------
// Inv (gossipsub payload)
// ---------------------------------------------------------------------------------------------

/** Encodes a gossiped announcement of 1..MAX_INV_ITEMS items. */
export function encodeInv(items: readonly InvItem[]): Uint8Array {
  if (items.length === 0) throw new RangeError('Inv: no items');
  assertItems(items, MAX_INV_ITEMS, 'Inv');
  return Inv.encode({ items: wireItems(items), nonce: randomBytes(INV_NONCE_BYTES) as Bytes });
}

/** Decodes a gossiped announcement: 1..MAX_INV_ITEMS valid items, at most MAX_INV_BYTES. */
export function decodeInv(bytes: Uint8Array): InvItem[] {
  const inv = decodeWire(Inv as Codec<Inv>, bytes, MAX_INV_BYTES, { items: MAX_INV_ITEMS }, 'Inv');
  if (inv.items.length === 0) throw new WireError('MALFORMED', 'Inv has no items');
  if (inv.nonce.length !== INV_NONCE_BYTES)
    throw new WireError('MALFORMED', `Inv nonce is not ${INV_NONCE_BYTES} bytes`);
  checkItems(inv.items, 'Inv.items');
  return copyItems(inv.items);
}

/** Encodes a `getMempool` answer: an `Inv` of at most MAX_MEMPOOL_INV_ITEMS TX items (may be empty). */
export function encodeMempoolInv(txids: readonly Uint8Array[]): Uint8Array {
  assertHashes(txids, MAX_MEMPOOL_INV_ITEMS, 'mempool Inv');
  return Inv.encode({ items: txids.map((hash) => ({ type: InvType.TX, hash: hash as Bytes })) });
}

/** Decodes a `getMempool` answer into txids; every item must be of type TX. */
export function decodeMempoolInv(bytes: Uint8Array): Uint8Array[] {
  const inv = decodeWire(
    Inv as Codec<Inv>,
    bytes,
    MAX_SYNC_RESPONSE_BYTES,
    { items: MAX_MEMPOOL_INV_ITEMS },
    'mempool Inv',
  );
  checkItems(inv.items, 'mempool Inv.items');
  if (inv.nonce.length !== 0) throw new WireError('MALFORMED', 'mempool Inv has a nonce');
  for (const [i, item] of inv.items.entries()) {
    if (item.type !== InvType.TX) throw new WireError('MALFORMED', `mempool Inv.items[${i}] is not a TX`);
  }
  return inv.items.map((item) => copy(item.hash));
}

// ---------------------------------------------------------------------------------------------
// txpush
// ---------------------------------------------------------------------------------------------

/** True for OWN and ALL (PUSH_MODE_UNSPECIFIED never is valid). */
export function isKnownPushMode(mode: unknown): mode is PushMode {
  return mode === PushMode.OWN || mode === PushMode.ALL;
}

/** What a subscriber asks a pusher for: which transactions, and whether compact blocks too. */
export interface PushRequest {
  readonly mode: PushMode;
  /** High-bandwidth compact block relay: push me the compact form of each new block. */
  readonly compactBlocks: boolean;
}

/** Encodes a subscription request of mode OWN or ALL, with or without compact blocks. */
export function encodePushSubscribe(mode: PushMode, compactBlocks = false): Uint8Array {
  if (!isKnownPushMode(mode)) throw new TypeError(`unknown push mode: ${String(mode)}`);
  return PushSubscribe.encode({ mode, compactBlocks });
}

/** Decodes a subscription request: at most MAX_PUSH_SUBSCRIBE_BYTES, mode OWN or ALL. */
export function decodePushSubscribe(bytes: Uint8Array): PushRequest {
  const message = decodeWire(
    PushSubscribe as Codec<PushSubscribe>,
    bytes,
    MAX_PUSH_SUBSCRIBE_BYTES,
    undefined,
    'PushSubscribe',
  );
  if (!isKnownPushMode(message.mode)) throw new WireError('MALFORMED', 'PushSubscribe has no valid mode');
  return { mode: message.mode, compactBlocks: message.compactBlocks };
}

/** Bytes one transaction adds to a `TxPush` frame (field tag, length varint, payload). */
export function txPushEntrySize(tx: Uint8Array): number {
  return 1 + varintLength(tx.length) + tx.length;
}

/** Encodes pushed transactions: 1..MAX_PUSH_TXS payloads of 1..MAX_TX_BYTES, at most MAX_PUSH_FRAME_BYTES. */
export function encodeTxPush(txs: readonly Uint8Array[]): Uint8Array {
  if (txs.length === 0 || txs.length > MAX_PUSH_TXS)
    throw new RangeError(`TxPush: ${txs.length} transactions (1..${MAX_PUSH_TXS})`);
  let size = 0;
  for (const tx of txs) {
    if (tx.length === 0 || tx.length > MAX_TX_BYTES) throw new RangeError(`TxPush: tx of ${tx.length} bytes`);
    size += txPushEntrySize(tx);
  }
  if (size > MAX_PUSH_FRAME_BYTES)
    throw new RangeError(`TxPush: ${size} bytes, over ${MAX_PUSH_FRAME_BYTES}`);
  return TxPush.encode({ txs: txs as Bytes[] });
}

/** A decoded `TxPush` frame: transactions, or one compact block (never both, never neither). */
export type PushFrame =
  { kind: 'txs'; txs: Uint8Array[] } | { kind: 'compactBlock'; compactBlock: Uint8Array };

/** Encodes a push of one encoded CompactBlock (1..MAX_COMPACT_BLOCK_BYTES bytes). */
export function encodeCompactBlockPush(compactBlock: Uint8Array): Uint8Array {
  if (compactBlock.length === 0 || compactBlock.length > MAX_COMPACT_BLOCK_BYTES)
    throw new RangeError(`TxPush: compact block of ${compactBlock.length} bytes`);
  return TxPush.encode({ txs: [], compactBlock: compactBlock as Bytes });
}

/**
 * Decodes a push frame: at most MAX_PUSH_FRAME_BYTES; either 1..MAX_PUSH_TXS transactions of
 * 1..MAX_TX_BYTES bytes each, or one compact block of at most MAX_COMPACT_BLOCK_BYTES (their
 * contents are checked by the consensus layer and the compact block decoder).
 */
export function decodePushFrame(bytes: Uint8Array): PushFrame {
  const push = decodeWire(
    TxPush as Codec<TxPush>,
    bytes,
    MAX_PUSH_FRAME_BYTES,
    { txs: MAX_PUSH_TXS },
    'TxPush',
  );
  if (push.compactBlock.length > 0) {
    if (push.txs.length > 0)
      throw new WireError('MALFORMED', 'TxPush has both transactions and a compact block');
    if (push.compactBlock.length > MAX_COMPACT_BLOCK_BYTES)
      throw new WireError('OVERSIZE', `TxPush.compactBlock is ${push.compactBlock.length} bytes`);
    return { kind: 'compactBlock', compactBlock: copy(push.compactBlock) };
  }
  if (push.txs.length === 0) throw new WireError('MALFORMED', 'TxPush has no transactions');
  for (const [i, tx] of push.txs.entries()) {
    if (tx.length === 0) throw new WireError('MALFORMED', `TxPush.txs[${i}] is empty`);
    if (tx.length > MAX_TX_BYTES)
      throw new WireError('OVERSIZE', `TxPush.txs[${i}] is ${tx.length} bytes, over ${MAX_TX_BYTES}`);
  }
  return { kind: 'txs', txs: push.txs.map(copy) };
}

// ---------------------------------------------------------------------------------------------
// getdata
// ---------------------------------------------------------------------------------------------

export function encodeGetData(message: GetDataMessage): Uint8Array {
  assertUint32(message.requestId, 'GetData.requestId');
  if (message.items.length === 0) throw new RangeError('GetData: no items');
  assertItems(message.items, MAX_GETDATA_ITEMS, 'GetData', isGetDataType);
  return GetData.encode({ requestId: message.requestId, items: wireItems(message.items) });
}

/** Decodes a request: 1..MAX_GETDATA_ITEMS valid items, at most MAX_GETDATA_BYTES. */
export function decodeGetData(bytes: Uint8Array): GetDataMessage {
  const message = decodeWire(
    GetData as Codec<GetData>,
    bytes,
    MAX_GETDATA_BYTES,
    { items: MAX_GETDATA_ITEMS },
    'GetData',
  );
  if (message.items.length === 0) throw new WireError('MALFORMED', 'GetData has no items');
  checkItems(message.items, 'GetData.items', isGetDataType);
  checkDistinct(message.items, 'GetData.items');
  return { requestId: message.requestId, items: copyItems(message.items) };
}

export function encodeData(message: DataMessage): Uint8Array {
  assertUint32(message.requestId, 'Data.requestId');
  if (message.objects.length > MAX_GETDATA_ITEMS) throw new RangeError('Data: too many objects');
  for (const object of message.objects) {
    if (!isGetDataType(object.type)) throw new TypeError(`Data: unknown object type ${String(object.type)}`);
    if (object.payload.length === 0) throw new RangeError('Data: empty payload');
  }
  assertItems(message.notFound, MAX_GETDATA_ITEMS, 'Data.notFound', isGetDataType);
  assertItems(message.deferred, MAX_GETDATA_ITEMS, 'Data.deferred', isGetDataType);
  return Data.encode({
    requestId: message.requestId,
    objects: message.objects.map((object) => ({ type: object.type, payload: object.payload as Bytes })),
    notFound: wireItems(message.notFound),
    deferred: wireItems(message.deferred),
  });
}

/**
 * Decodes a response: each list at most MAX_GETDATA_ITEMS entries, objects of a known type with a
 * non-empty payload, at most MAX_DATA_FRAME_BYTES. Whether it answers the request is the caller's check.
 */
export function decodeData(bytes: Uint8Array): DataMessage {
  const limits = { objects: MAX_GETDATA_ITEMS, notFound: MAX_GETDATA_ITEMS, deferred: MAX_GETDATA_ITEMS };
  const message = decodeWire(Data as Codec<Data>, bytes, MAX_DATA_FRAME_BYTES, limits, 'Data');
  for (const [i, object] of message.objects.entries()) {
    if (!isGetDataType(object.type)) throw new WireError('MALFORMED', `Data.objects[${i}] has no valid type`);
    if (object.payload.length === 0)
      throw new WireError('MALFORMED', `Data.objects[${i}] has an empty payload`);
  }
  checkItems(message.notFound, 'Data.notFound', isGetDataType);
  checkItems(message.deferred, 'Data.deferred', isGetDataType);
  return {
    requestId: message.requestId,
    objects: message.objects.map((object) => ({ type: object.type, payload: copy(object.payload) })),
    notFound: copyItems(message.notFound),
    deferred: copyItems(message.deferred),
  };
}

// ---------------------------------------------------------------------------------------------
// sync
// ---------------------------------------------------------------------------------------------

export function encodeSyncRequest(query: SyncQuery): Uint8Array {
  switch (query.kind) {
    case 'status':
      return SyncRequest.encode({ status: {} });
    case 'getMempool': {
      const { maxAgeSeconds } = query;
      if (maxAgeSeconds === undefined) return SyncRequest.encode({ getMempool: { maxAgeSeconds: 0 } });
      if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 1 || maxAgeSeconds > MAX_UINT32) {
        throw new RangeError(`GetMempool.maxAgeSeconds must be 1..${MAX_UINT32}, got ${maxAgeSeconds}`);
      }
      return SyncRequest.encode({ getMempool: { maxAgeSeconds } });
    }
    case 'getBlocks':
      assertHashes(query.locator, MAX_LOCATOR_HASHES, 'GetBlocks.locator');
      if (!Number.isInteger(query.max) || query.max < 1 || query.max > MAX_BLOCKS_PER_REQUEST) {
        throw new RangeError(`GetBlocks.max must be 1..${MAX_BLOCKS_PER_REQUEST}, got ${query.max}`);
      }
      return SyncRequest.encode({ getBlocks: { locator: query.locator as Bytes[], max: query.max } });
    case 'getHeaders':
      assertHashes(query.locator, MAX_LOCATOR_HASHES, 'GetHeaders.locator');
      if (!Number.isInteger(query.max) || query.max < 1 || query.max > MAX_HEADERS_PER_REQUEST) {
        throw new RangeError(`GetHeaders.max must be 1..${MAX_HEADERS_PER_REQUEST}, got ${query.max}`);
      }
      return SyncRequest.encode({ getHeaders: { locator: query.locator as Bytes[], max: query.max } });
    case 'getBlockTxn':
      assertHashes([query.blockId], 1, 'GetBlockTxn.blockId');
      assertBlockTxnIndexes(query.indexes);
      return SyncRequest.encode({ getBlockTxn: { blockId: query.blockId as Bytes, indexes: query.indexes } });
  }
}

/** Decodes a sync request: exactly one query; a locator of at most 64 hashes and 1 <= max <= 500. */
export function decodeSyncRequest(bytes: Uint8Array): SyncQuery {
  const request = decodeWire(
    SyncRequest as Codec<SyncRequest>,
    bytes,
    MAX_SYNC_REQUEST_BYTES,
    {
      getBlocks: { locator: MAX_LOCATOR_HASHES },
      getHeaders: { locator: MAX_LOCATOR_HASHES },
      getBlockTxn: { indexes: MAX_BLOCK_TXN_INDEXES },
    },
    'SyncRequest',
  );
  if (request.status !== undefined) return { kind: 'status' };
  if (request.getMempool !== undefined) {
    const { maxAgeSeconds } = request.getMempool;
    return maxAgeSeconds === 0 ? { kind: 'getMempool' } : { kind: 'getMempool', maxAgeSeconds };
  }
  if (request.getBlocks !== undefined) {
    const { locator, max } = request.getBlocks;
    checkHashes(locator, 'GetBlocks.locator');
    if (max < 1 || max > MAX_BLOCKS_PER_REQUEST) {
      throw new WireError('MALFORMED', `GetBlocks.max must be 1..${MAX_BLOCKS_PER_REQUEST}, got ${max}`);
    }
    return { kind: 'getBlocks', locator: locator.map(copy), max };
  }
  if (request.getHeaders !== undefined) {
    const { locator, max } = request.getHeaders;
    checkHashes(locator, 'GetHeaders.locator');
    if (max < 1 || max > MAX_HEADERS_PER_REQUEST) {
      throw new WireError('MALFORMED', `GetHeaders.max must be 1..${MAX_HEADERS_PER_REQUEST}, got ${max}`);
    }
    return { kind: 'getHeaders', locator: locator.map(copy), max };
  }
  if (request.getBlockTxn !== undefined) {
    const { blockId, indexes } = request.getBlockTxn;
    checkHashes([blockId], 'GetBlockTxn.blockId');
    checkBlockTxnIndexes(indexes);
    return { kind: 'getBlockTxn', blockId: copy(blockId), indexes: [...indexes] };
  }
  throw new WireError('MALFORMED', 'SyncRequest sets no query');
}

/** Minimal big-endian bytes of a non-negative bigint (empty for 0). */
export function bigintToBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('negative value');
  const out: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) out.push(Number(v & 0xffn));
  return Uint8Array.from(out.reverse());
}

function bytesToBigint(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

export function encodeStatus(status: ChainStatus): Uint8Array {
  assertHashes([status.genesis, status.tip], 2, 'Status');
  assertUint32(status.height, 'Status.height');
  const work = bigintToBytes(status.cumulativeWork);
  if (work.length > MAX_CUMULATIVE_WORK_BYTES) throw new RangeError('Status.cumulativeWork too large');
  return Status.encode({
    genesis: status.genesis as Bytes,
    tip: status.tip as Bytes,
    height: status.height,
    cumulativeWork: work as Bytes,
  });
}

/** Decodes a `Status`: 32-byte genesis and tip, minimal big-endian cumulativeWork of at most 64 bytes. */
export function decodeStatus(bytes: Uint8Array): ChainStatus {
  const status = decodeWire(Status as Codec<Status>, bytes, MAX_SYNC_RESPONSE_BYTES, undefined, 'Status');
  checkHashes([status.genesis, status.tip], 'Status.genesis/tip');
  if (status.cumulativeWork.length > MAX_CUMULATIVE_WORK_BYTES) {
    throw new WireError('OVERSIZE', `Status.cumulativeWork of ${status.cumulativeWork.length} bytes`);
  }
  if (status.cumulativeWork[0] === 0) {
    throw new WireError('NON_CANONICAL', 'Status.cumulativeWork has a leading zero byte');
  }
  return {
    genesis: copy(status.genesis),
    tip: copy(status.tip),
    height: status.height,
    cumulativeWork: bytesToBigint(status.cumulativeWork),
  };
}

export function encodeBlockIds(ids: readonly Uint8Array[]): Uint8Array {
  assertHashes(ids, MAX_BLOCKS_PER_REQUEST, 'BlockIds');
  return BlockIds.encode({ ids: ids as Bytes[] });
}

/** Decodes a `BlockIds` of at most `max` (<= MAX_BLOCKS_PER_REQUEST) 32-byte ids. */
export function decodeBlockIds(bytes: Uint8Array, max = MAX_BLOCKS_PER_REQUEST): Uint8Array[] {
  const limit = Math.min(max, MAX_BLOCKS_PER_REQUEST);
  const message = decodeWire(
    BlockIds as Codec<BlockIds>,
    bytes,
    MAX_SYNC_RESPONSE_BYTES,
    { ids: limit },
    'BlockIds',
  );
  checkHashes(message.ids, 'BlockIds.ids');
  return message.ids.map(copy);
}

/** Encodes a `BlockTxn` answer: the transactions asked for, in order, or none. */
export function encodeBlockTxn(txs: readonly Uint8Array[]): Uint8Array {
  if (txs.length > MAX_BLOCK_TXN_INDEXES) throw new RangeError(`BlockTxn: ${txs.length} transactions`);
  for (const tx of txs) {
    if (tx.length === 0 || tx.length > MAX_TX_BYTES)
      throw new RangeError(`BlockTxn: tx of ${tx.length} bytes`);
  }
  return BlockTxn.encode({ txs: txs as Bytes[] });
}

/**
 * Decodes a `BlockTxn` answer to a request for `asked` positions: at most
 * MAX_BLOCK_TXN_RESPONSE_BYTES, either no transaction (the server does not hold the block) or
 * exactly `asked`, each 1..MAX_TX_BYTES bytes (more is OVERSIZE, fewer MALFORMED).
 */
export function decodeBlockTxn(bytes: Uint8Array, asked: number): Uint8Array[] {
  const message = decodeWire(
    BlockTxn as Codec<BlockTxn>,
    bytes,
    MAX_BLOCK_TXN_RESPONSE_BYTES,
    { txs: Math.min(asked, MAX_BLOCK_TXN_INDEXES) },
    'BlockTxn',
  );
  if (message.txs.length !== 0 && message.txs.length !== asked)
    throw new WireError('MALFORMED', `BlockTxn holds ${message.txs.length} transactions for ${asked} asked`);
  for (const [i, tx] of message.txs.entries()) {
    if (tx.length === 0 || tx.length > MAX_TX_BYTES)
      throw new WireError('MALFORMED', `BlockTxn.txs[${i}] is ${tx.length} bytes`);
  }
  return message.txs.map(copy);
}

export function encodeHeaders(headers: readonly Uint8Array[]): Uint8Array {
  if (headers.length > MAX_HEADERS_PER_REQUEST) throw new RangeError(`${headers.length} headers`);
  for (const header of headers) {
    if (header.length === 0 || header.length > MAX_HEADER_BYTES) throw new RangeError('header of a bad size');
  }
  return Headers.encode({ headers: headers as Bytes[] });
}

/**
 * Decodes a `Headers` of at most `max` (<= MAX_HEADERS_PER_REQUEST) non-empty headers of at most
 * MAX_HEADER_BYTES each; the headers themselves are decoded and checked by the chain.
 */
export function decodeHeaders(bytes: Uint8Array, max = MAX_HEADERS_PER_REQUEST): Uint8Array[] {
  const limit = Math.min(max, MAX_HEADERS_PER_REQUEST);
  const message = decodeWire(
    Headers as Codec<Headers>,
    bytes,
    MAX_SYNC_RESPONSE_BYTES,
    { headers: limit },
    'Headers',
  );
  for (const [i, header] of message.headers.entries()) {
    if (header.length === 0 || header.length > MAX_HEADER_BYTES) {
      throw new WireError('MALFORMED', `Headers.headers[${i}] is ${header.length} bytes`);
    }
  }
  return message.headers.map(copy);
}
