/**
 * The `CompactBlock` message (PROTOCOL.md 6.1): a block as its header, its coinbase and the short
 * ids of its other transactions. Builds one from a stored block's bytes, and encodes and decodes
 * it canonically and bounded like every wire message (a failure is a `WireError`).
 */
import { randomBytes } from 'node:crypto';
import { MAX_BLOCK_TXS, MAX_HEADER_BYTES, MAX_TX_BYTES } from '../../chain/encoding/limits.js';
import { blockIdOfBytes } from '../../chain/objects/block.js';
import { txidOfBytes } from '../../chain/objects/transaction.js';
import type { ProtobufCodec } from '../../chain/encoding/canonical.js';
import { copy, decodeWire } from '../wire/codec.js';
import { COMPACT_NONCE_BYTES, MAX_COMPACT_BLOCK_BYTES, SHORT_ID_BYTES } from '../wire/constants.js';
import { WireError } from '../wire/errors.js';
import { CompactBlock as CompactBlockMessage } from '../wire/messages.pb.js';
import { shortIdKey, shortIdOf } from './short-ids.js';

export interface CompactBlock {
  /** Canonical encoding of the block's header. */
  readonly header: Uint8Array;
  /** The block id (hash of `header`). */
  readonly blockId: Uint8Array;
  readonly nonce: Uint8Array;
  /** Canonical encoding of the coinbase. */
  readonly coinbase: Uint8Array;
  /** Short ids of transactions 1..n-1, in block order. */
  readonly shortIds: readonly number[];
}

/** The top-level fields of an encoded block: its header's bytes and each transaction's bytes. */
export interface BlockParts {
  readonly header: Uint8Array;
  readonly txs: Uint8Array[];
}

function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let factor = 1;
  for (let pos = at; pos < bytes.length && pos < at + 5; pos++) {
    const byte = bytes[pos]!;
    value += (byte & 0x7f) * factor;
    if ((byte & 0x80) === 0) return [value, pos + 1];
    factor *= 128;
  }
  throw new RangeError('truncated varint in block');
}

/**
 * Splits a canonical block encoding (field 1: header, field 2: each transaction) without decoding
 * it. For blocks this node stored (already validated); a RangeError means the bytes are no block.
 */
export function blockParts(bytes: Uint8Array): BlockParts {
  let header: Uint8Array | undefined;
  const txs: Uint8Array[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const tag = bytes[pos++];
    const [length, start] = readVarint(bytes, pos);
    const end = start + length;
    if (end > bytes.length) throw new RangeError('truncated field in block');
    if (tag === 0x0a && header === undefined && txs.length === 0) header = bytes.subarray(start, end);
    else if (tag === 0x12 && header !== undefined) txs.push(bytes.subarray(start, end));
    else throw new RangeError(`unexpected field tag ${String(tag)} in block`);
    pos = end;
  }
  if (header === undefined || txs.length === 0) throw new RangeError('block without header or coinbase');
  return { header, txs };
}

function appendField(out: number[], tag: number, field: Uint8Array): void {
  out.push(tag);
  let length = field.length;
  while (length >= 0x80) {
    out.push((length & 0x7f) | 0x80);
    length >>>= 7;
  }
  out.push(length);
}

/** The canonical block encoding of a header and its transactions (the inverse of blockParts). */
export function assembleBlock(header: Uint8Array, txs: readonly Uint8Array[]): Uint8Array {
  const prefix: number[] = [];
  let size = 0;
  const parts: Uint8Array[] = [];
  for (const [tag, field] of [[0x0a, header] as const, ...txs.map((tx) => [0x12, tx] as const)]) {
    prefix.length = 0;
    appendField(prefix, tag, field);
    const framing = Uint8Array.from(prefix);
    parts.push(framing, field);
    size += framing.length + field.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The compact form of a stored block, salted with `nonce` (random by default). */
export function compactBlockOf(
  blockBytes: Uint8Array,
  nonce: Uint8Array = randomBytes(COMPACT_NONCE_BYTES),
): CompactBlock {
  const { header, txs } = blockParts(blockBytes);
  const key = shortIdKey(header, nonce);
  return {
    header,
    blockId: blockIdOfBytes(header),
    nonce: new Uint8Array(nonce),
    coinbase: txs[0]!,
    shortIds: txs.slice(1).map((tx) => shortIdOf(key, txidOfBytes(tx))),
  };
}

type Bytes = Uint8Array<ArrayBuffer>;

export function encodeCompactBlock(compact: CompactBlock): Uint8Array {
  const shortIds = new Uint8Array(compact.shortIds.length * SHORT_ID_BYTES);
  const view = Buffer.from(shortIds.buffer);
  compact.shortIds.forEach((id, i) => view.writeUIntBE(id, i * SHORT_ID_BYTES, SHORT_ID_BYTES));
  return CompactBlockMessage.encode({
    header: compact.header as Bytes,
    nonce: compact.nonce as Bytes,
    coinbase: compact.coinbase as Bytes,
    shortIds,
  });
}

/**
 * Decodes a compact block: at most MAX_COMPACT_BLOCK_BYTES, canonical; a header of 1..512 bytes, an
 * 8-byte nonce, a coinbase of 1..MAX_TX_BYTES, and short ids in whole 6-byte units, at most one per
 * transaction a block may hold after its coinbase. Whether the header and coinbase are valid is the
 * chain's business (the rebuilt block goes through the block rules).
 */
export function decodeCompactBlock(bytes: Uint8Array): CompactBlock {
  const message = decodeWire(
    CompactBlockMessage as ProtobufCodec<CompactBlockMessage>,
    bytes,
    MAX_COMPACT_BLOCK_BYTES,
    undefined,
    'CompactBlock',
  );
  const { header, nonce, coinbase, shortIds } = message;
  if (header.length === 0 || header.length > MAX_HEADER_BYTES)
    throw new WireError('MALFORMED', `CompactBlock.header is ${header.length} bytes`);
  if (nonce.length !== COMPACT_NONCE_BYTES)
    throw new WireError(
      'MALFORMED',
      `CompactBlock.nonce is ${nonce.length} bytes, not ${COMPACT_NONCE_BYTES}`,
    );
  if (coinbase.length === 0 || coinbase.length > MAX_TX_BYTES)
    throw new WireError('MALFORMED', `CompactBlock.coinbase is ${coinbase.length} bytes`);
  if (shortIds.length % SHORT_ID_BYTES !== 0)
    throw new WireError(
      'MALFORMED',
      `CompactBlock.shortIds is ${shortIds.length} bytes, not a multiple of 6`,
    );
  const count = shortIds.length / SHORT_ID_BYTES;
  if (count > MAX_BLOCK_TXS - 1) throw new WireError('OVERSIZE', `CompactBlock has ${count} short ids`);
  const view = Buffer.from(shortIds.buffer, shortIds.byteOffset, shortIds.length);
  const ids = Array.from({ length: count }, (_, i) => view.readUIntBE(i * SHORT_ID_BYTES, SHORT_ID_BYTES));
  const headerCopy = copy(header);
  return {
    header: headerCopy,
    blockId: blockIdOfBytes(headerCopy),
    nonce: copy(nonce),
    coinbase: copy(coinbase),
    shortIds: ids,
  };
}
