/**
 * Blocks: ids, the miner's signature hash, merkle roots, targets and work.
 *
 * The block id is a tagged hash of the full header (nonce and miner signature included) and is
 * the proof-of-work hash. The miner signs the header with an empty signature and nonce 0, so a
 * miner signs once per template and then only varies the nonce, which is the header's last field
 * (a fixed64): searching a nonce rewrites the final 8 bytes of the encoding.
 */
import { HASH_LENGTH, taggedHash } from '../../crypto/hash.js';
import { type Block, type BlockHeader, encodeHeader } from '../encoding/codec.js';

/** The only block version this node knows. */
export const BLOCK_VERSION = 1;

/** Tag of the block-id / proof-of-work hash (also used by the mining worker). */
export const BLOCK_ID_TAG = 'trustmesh/block';

/** A decoded block whose header is present (decodeBlock guarantees it). */
export type FullBlock = Block & { header: BlockHeader };

const EMPTY = new Uint8Array(0) as Uint8Array<ArrayBuffer>;
const ZERO_HASH = new Uint8Array(HASH_LENGTH);

export function blockIdOf(header: BlockHeader): Uint8Array {
  return blockIdOfBytes(encodeHeader(header));
}

export function blockIdOfBytes(headerBytes: Uint8Array): Uint8Array {
  return taggedHash(BLOCK_ID_TAG, headerBytes);
}

/** What the miner signs: the header with an empty signature and nonce 0, tagged with the network. */
export function headerSigningHash(header: BlockHeader, network: string): Uint8Array {
  const unsigned: BlockHeader = { ...header, minerSignature: EMPTY, nonce: 0n };
  return taggedHash(`trustmesh/${network}/block-signature`, encodeHeader(unsigned));
}

/**
 * Merkle root of txids. Leaves and inner nodes use distinct tags and an odd node is carried up
 * unchanged (not duplicated as in Bitcoin), so two different txid lists never share a root
 * (Bitcoin's CVE-2012-2459 mutation is impossible). The root of an empty list is all zeros.
 */
export function merkleRoot(txids: readonly Uint8Array[]): Uint8Array {
  if (txids.length === 0) return ZERO_HASH;
  let level = txids.map((id) => taggedHash('trustmesh/merkle-leaf', id));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(right === undefined ? level[i]! : taggedHash('trustmesh/merkle-node', level[i]!, right));
    }
    level = next;
  }
  return level[0]!;
}

/** A 32-byte big-endian number as a bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** A target as its 32-byte big-endian encoding; throws if it does not fit. */
export function targetToBytes(target: bigint): Uint8Array<ArrayBuffer> {
  if (target < 0n || target >> 256n !== 0n) throw new RangeError('target out of range');
  const out = new Uint8Array(HASH_LENGTH);
  let value = target;
  for (let i = HASH_LENGTH - 1; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

/** Expected number of hashes to find a block at `target`: 2^256 / (target + 1). */
export function workOf(target: bigint): bigint {
  return (1n << 256n) / (target + 1n);
}

/** True when the block id, read as a big-endian number, is at most the target. */
export function meetsTarget(blockId: Uint8Array, target: bigint): boolean {
  return bytesToBigInt(blockId) <= target;
}
