/**
 * Canonical binary encoding of transactions, block headers and blocks (protobuf via protons).
 *
 * Every decode is bounded: the byte length is checked against the object's limit before parsing,
 * repeated fields are capped while parsing, and the result is re-encoded and compared with the
 * input, so each object has exactly one valid encoding (ids are hashes of these bytes, and a peer
 * cannot make two encodings of one object circulate).
 */
import { bytesEqual } from '../../crypto/hash.js';
import { ValidationError } from '../errors.js';
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

interface Codec<T> {
  encode(obj: Partial<T>): Uint8Array;
  decode(buf: Uint8Array, opts?: { limits?: unknown }): T;
}

function decodeCanonical<T>(
  codec: Codec<T>,
  bytes: Uint8Array,
  maxBytes: number,
  limits: unknown,
  what: string,
): T {
  if (bytes.length > maxBytes) {
    throw new ValidationError('OVERSIZE', `${what} of ${bytes.length} bytes exceeds ${maxBytes}`);
  }
  let decoded: T;
  try {
    decoded = codec.decode(bytes, { limits });
  } catch (err) {
    throw new ValidationError('MALFORMED_ENCODING', `${what}: ${(err as Error).message}`);
  }
  let reencoded: Uint8Array;
  try {
    reencoded = codec.encode(decoded);
  } catch (err) {
    throw new ValidationError('MALFORMED_ENCODING', `${what} cannot be re-encoded: ${(err as Error).message}`);
  }
  if (!bytesEqual(reencoded, bytes)) {
    throw new ValidationError('NON_CANONICAL_ENCODING', `${what} is not canonically encoded`);
  }
  return decoded;
}

export function encodeTransaction(tx: Transaction): Uint8Array {
  return Transaction.encode(tx);
}

/** Decodes a transaction; throws ValidationError (OVERSIZE, MALFORMED_ENCODING, NON_CANONICAL_ENCODING). */
export function decodeTransaction(bytes: Uint8Array): Transaction {
  return decodeCanonical(Transaction as Codec<Transaction>, bytes, MAX_TX_BYTES, TX_LIMITS, 'transaction');
}

export function encodeHeader(header: BlockHeader): Uint8Array {
  return BlockHeader.encode(header);
}

export function decodeHeader(bytes: Uint8Array): BlockHeader {
  return decodeCanonical(BlockHeader as Codec<BlockHeader>, bytes, MAX_HEADER_BYTES, undefined, 'block header');
}

export function encodeBlock(block: Block): Uint8Array {
  return Block.encode(block);
}

/** Decodes a block; the header must be present. */
export function decodeBlock(bytes: Uint8Array): Block {
  const block = decodeCanonical(Block as Codec<Block>, bytes, MAX_BLOCK_BYTES, BLOCK_LIMITS, 'block');
  if (block.header === undefined) throw new ValidationError('MALFORMED_ENCODING', 'block has no header');
  return block;
}
