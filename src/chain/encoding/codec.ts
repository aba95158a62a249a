/**
 * Canonical binary encoding of transactions, block headers and blocks (protobuf via protons).
 *
 * Every decode is bounded: the byte length is checked against the object's limit before parsing,
 * repeated fields are capped while parsing, and the result is re-encoded and compared with the
 * input, so each object has exactly one valid encoding (ids are hashes of these bytes, and a peer
 * cannot make two encodings of one object circulate).
 */
import { ValidationError } from '../errors.js';
import { type DecodeFailure, decodeCanonical, type ProtobufCodec } from './canonical.js';
import {
  MAX_BLOCK_BYTES,
  MAX_BLOCK_TXS,
  MAX_HEADER_BYTES,
  MAX_TX_BYTES,
  MAX_TX_INPUTS,
  MAX_TX_OUTPUTS,
} from './limits.js';
import { Block, BlockHeader, Transaction } from './objects.pb.js';

export type { Block, BlockHeader, Transaction, TxInput, TxOutput } from './objects.pb.js';

const TX_LIMITS = { inputs: MAX_TX_INPUTS, outputs: MAX_TX_OUTPUTS };
const BLOCK_LIMITS = { transactions: MAX_BLOCK_TXS, transactions$: TX_LIMITS };

type Codec<T> = ProtobufCodec<T>;

/**
 * Chain decode failures: too many bytes or too many entries in a repeated field (inputs, outputs,
 * transactions) are OVERSIZE; everything else is a malformed or non-canonical encoding.
 */
function chainError(kind: DecodeFailure, message: string): ValidationError {
  if (kind === 'OVERSIZE' || kind === 'TOO_MANY') return new ValidationError('OVERSIZE', message);
  if (kind === 'NON_CANONICAL') return new ValidationError('NON_CANONICAL_ENCODING', message);
  return new ValidationError('MALFORMED_ENCODING', message);
}

export function encodeTransaction(tx: Transaction): Uint8Array {
  return Transaction.encode(tx);
}

/** Decodes a transaction; throws ValidationError (OVERSIZE, MALFORMED_ENCODING, NON_CANONICAL_ENCODING). */
export function decodeTransaction(bytes: Uint8Array): Transaction {
  return decodeCanonical(Transaction as Codec<Transaction>, bytes, {
    maxBytes: MAX_TX_BYTES,
    limits: TX_LIMITS,
    what: 'transaction',
    normalize: unsignedAmounts,
    fail: chainError,
  });
}

export function encodeHeader(header: BlockHeader): Uint8Array {
  return BlockHeader.encode(header);
}

/** protons reads fixed64 as signed; nonces and amounts are unsigned 64-bit numbers. */
function unsignedNonce(header: BlockHeader | undefined): void {
  if (header !== undefined) header.nonce = BigInt.asUintN(64, header.nonce);
}

function unsignedAmounts(tx: Transaction): void {
  for (const output of tx.outputs) output.amount = BigInt.asUintN(64, output.amount);
}

export function decodeHeader(bytes: Uint8Array): BlockHeader {
  return decodeCanonical(BlockHeader as Codec<BlockHeader>, bytes, {
    maxBytes: MAX_HEADER_BYTES,
    limits: undefined,
    what: 'block header',
    normalize: unsignedNonce,
    fail: chainError,
  });
}

export function encodeBlock(block: Block): Uint8Array {
  return Block.encode(block);
}

/** Decodes a block; the header must be present. */
export function decodeBlock(bytes: Uint8Array): Block & { header: BlockHeader } {
  const block = decodeCanonical(Block as Codec<Block>, bytes, {
    maxBytes: MAX_BLOCK_BYTES,
    limits: BLOCK_LIMITS,
    what: 'block',
    normalize: (b) => {
      unsignedNonce(b.header);
      for (const tx of b.transactions) unsignedAmounts(tx);
    },
    fail: chainError,
  });
  if (block.header === undefined) throw new ValidationError('MALFORMED_ENCODING', 'block has no header');
  return block as Block & { header: BlockHeader };
}

/**
 * The encoded header at the start of an encoded block (field 1, length-delimited), without
 * decoding the transactions, so a block's id can be computed cheaply; undefined when the bytes do
 * not start with a well-formed header field. The full block is still decoded (canonically) later.
 */
export function headerBytesOfBlock(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes[0] !== 0x0a) return undefined; // field 1, wire type 2
  let pos = 1;
  let length = 0;
  let shift = 0;
  for (;;) {
    if (pos >= bytes.length || shift > 14) return undefined;
    const byte = bytes[pos++]!;
    length |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
  }
  if (length > MAX_HEADER_BYTES || pos + length > bytes.length) return undefined;
  return bytes.subarray(pos, pos + length);
}
