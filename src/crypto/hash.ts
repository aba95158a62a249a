/**
 * Consensus hashing: SHA-256 from @noble/hashes, with tagged (domain-separated) hashing so a
 * hash computed for one purpose (txid, sighash, block id, merkle node) can never be replayed
 * as another.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** Length in bytes of every hash in the protocol. */
export const HASH_LENGTH = 32;

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

const tagPrefixes = new Map<string, Uint8Array>();

/** The 64-byte prefix of a tagged hash: sha256(tag) || sha256(tag). Cached per tag. */
export function tagPrefix(tag: string): Uint8Array {
  let prefix = tagPrefixes.get(tag);
  if (prefix === undefined) {
    const tagHash = nobleSha256(utf8ToBytes(tag));
    prefix = new Uint8Array(64);
    prefix.set(tagHash, 0);
    prefix.set(tagHash, 32);
    tagPrefixes.set(tag, prefix);
  }
  return prefix;
}

/**
 * BIP-340-style tagged hash: sha256(sha256(tag) || sha256(tag) || parts...), so a hash made for
 * one purpose can never be taken for another. Costs one SHA-256 over the parts plus 64 bytes.
 */
export function taggedHash(tag: string, ...parts: Uint8Array[]): Uint8Array {
  const hasher = nobleSha256.create().update(tagPrefix(tag));
  for (const part of parts) hasher.update(part);
  return hasher.digest();
}

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Bytes of a lowercase or uppercase hex string; throws on odd length or non-hex characters. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError('invalid hex string');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Constant-structure byte equality (not constant-time; nothing here compares secrets). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
