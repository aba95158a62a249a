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
  normalize: (decoded: T) => void = () => undefined,
): T {
  if (bytes.length > maxBytes) {
    throw new ValidationError('OVERSIZE', `${what} of ${bytes.length} bytes exceeds ${maxBytes}`);
  }
  let decoded: T;
  try {
    decoded = codec.decode(bytes, { limits });
    normalize(decoded);
  } catch (err) {
    throw new ValidationError('MALFORMED_ENCODING', `${what}: ${(err as Error).message}`);
  }
  let reencoded: Uint8Array;
  try {
    reencoded = codec.encode(decoded);
  } catch (err) {
    throw new ValidationError(
      'MALFORMED_ENCODING',
      `${what} cannot be re-encoded: ${(err as Error).message}`,
    );
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
  return decodeCanonical(
    Transaction as Codec<Transaction>,
    bytes,
    MAX_TX_BYTES,
    TX_LIMITS,
    'transaction',
    unsignedAmounts,
  );
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
  return decodeCanonical(
    BlockHeader as Codec<BlockHeader>,
    bytes,
    MAX_HEADER_BYTES,
    undefined,
    'block header',
    unsignedNonce,
  );
}

export function encodeBlock(block: Block): Uint8Array {
  return Block.encode(block);
}

/** Decodes a block; the header must be present. */
export function decodeBlock(bytes: Uint8Array): Block & { header: BlockHeader } {
  const block = decodeCanonical(Block as Codec<Block>, bytes, MAX_BLOCK_BYTES, BLOCK_LIMITS, 'block', (b) => {
    unsignedNonce(b.header);
    for (const tx of b.transactions) unsignedAmounts(tx);
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
