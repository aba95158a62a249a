/**
 * Proof-of-work nonce search over an encoded header. The nonce is the header's last field (a
 * fixed64, little-endian), so the hash state over the tag prefix and everything before the nonce is
 * computed once and copied for each attempt. Uses node:crypto's SHA-256 (the same function as the
 * consensus hash, ~3x faster); validation re-checks the result with the consensus hash.
 */
import { createHash } from 'node:crypto';
import { tagPrefix } from '../../crypto/hash.js';
import { BLOCK_ID_TAG, targetToBytes } from '../objects/block.js';

/** Bytes at the end of an encoded header that hold the nonce. */
export const NONCE_BYTES = 8;

/** Largest nonce (the fixed64 is unsigned). */
export const MAX_NONCE = (1n << 64n) - 1n;

/** Lexicographic (big-endian numeric) comparison: a <= b. */
function lessOrEqual(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]!;
  }
  return true;
}

/**
 * Tries nonces start, start+1, ... (at most `attempts`) on `headerBytes`, an encoded header whose
 * nonce is non-zero (so the fixed64 is present as its final 8 bytes). Returns the first nonce whose
 * block id meets `target`, or undefined.
 */
export function searchNonce(
  headerBytes: Uint8Array,
  target: bigint,
  start: bigint,
  attempts: number,
): bigint | undefined {
  const targetBytes = targetToBytes(target);
  const base = createHash('sha256')
    .update(tagPrefix(BLOCK_ID_TAG))
    .update(headerBytes.subarray(0, headerBytes.length - NONCE_BYTES));
  const nonceBytes = Buffer.alloc(NONCE_BYTES);
  let nonce = start;
  for (let i = 0; i < attempts && nonce <= MAX_NONCE; i++, nonce++) {
    if (nonce === 0n) continue; // nonce 0 is not encoded in proto3, so it cannot sit in the last 8 bytes
    nonceBytes.writeBigUInt64LE(nonce);
    const digest = base.copy().update(nonceBytes).digest();
    if (lessOrEqual(digest, targetBytes)) return nonce;
  }
  return undefined;
}
