/**
 * Short transaction ids of compact block relay (BIP152-style): 6 bytes naming a transaction inside
 * one compact block, so a block of 500 transactions travels as ~3 KB of ids instead of ~100 KB.
 *
 * The ids are salted per compact block: `key = SHA-256(header bytes || nonce)` (the header commits
 * to the block, the 8-byte nonce is the sender's choice) and `shortId = first 6 bytes of
 * SHA-256(key || txid)`. An attacker who wants two transactions with one short id must grind for
 * each key anew, after the block's proof of work exists, and can aim at only one sender's nonce;
 * 48 bits make an accidental collision between a 500-transaction block and a 20,000-transaction
 * mempool about 1 in 28,000 blocks' worth of a billion (500 x 20,000 / 2^48). Collisions are not an
 * offence: the receiver falls back to asking for the transactions or the whole block.
 *
 * SHA-256 via node:crypto: the same function every implementation computes from PROTOCOL.md, and
 * the fastest one here (~1 us per id), since a receiver hashes its whole mempool once per block.
 */
import { createHash } from 'node:crypto';
import { SHORT_ID_BYTES } from '../wire/constants.js';

/** The salt of one compact block's short ids: SHA-256 of its header's encoding then its nonce. */
export function shortIdKey(headerBytes: Uint8Array, nonce: Uint8Array): Uint8Array {
  return createHash('sha256').update(headerBytes).update(nonce).digest();
}

/** The short id of `txid` under `key`, as a number below 2^48 (exact in a double). */
export function shortIdOf(key: Uint8Array, txid: Uint8Array): number {
  const digest = createHash('sha256').update(key).update(txid).digest();
  return digest.readUIntBE(0, SHORT_ID_BYTES);
}
