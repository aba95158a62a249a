/**
 * A bounded cache of successful signature verifications, so a transaction verified when it was
 * relayed is not verified again when its block arrives (Bitcoin Core keeps a signature cache for
 * the same reason).
 *
 * Entries are sha256(publicKey || signature || message), computed by node:crypto in ~1 µs for a
 * 250-byte message against ~115 µs for a verification. Only successes are stored, so an attacker
 * cannot make a valid signature look invalid, and making an invalid one look valid would need a
 * SHA-256 collision. Lengths are checked before hashing: the concatenation is unambiguous only
 * because the key and signature have fixed lengths. Eviction is first-in first-out: an entry is
 * typically looked up once, when its block arrives.
 */
import { hash } from 'node:crypto';
import { BoundedSet } from '../collections/bounded-set.js';
import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH } from './constants.js';
import { verifySignature } from './verify.js';

/**
 * Default capacity (entries). 100,000 covers several blocks' worth of mempool transactions; an
 * entry is a 32-character string in a Set, ~100 bytes, so a full cache takes ~10 MB.
 */
export const DEFAULT_SIGNATURE_CACHE_ENTRIES = 100_000;

/** A verifier with the shape of `verifySignature`. */
export type SignatureVerifier = (
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
) => boolean;

/**
 * The cache key for a (signature, message, publicKey) triple, or null when the lengths are wrong
 * (such a triple is invalid and must never match a cached entry).
 */
function entryKey(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): string | null {
  if (!(signature instanceof Uint8Array) || !(message instanceof Uint8Array)) return null;
  if (!(publicKey instanceof Uint8Array)) return null;
  if (signature.length !== SIGNATURE_LENGTH || publicKey.length !== PUBLIC_KEY_LENGTH) return null;
  const preimage = Buffer.allocUnsafe(PUBLIC_KEY_LENGTH + SIGNATURE_LENGTH + message.length);
  preimage.set(publicKey, 0);
  preimage.set(signature, PUBLIC_KEY_LENGTH);
  preimage.set(message, PUBLIC_KEY_LENGTH + SIGNATURE_LENGTH);
  return hash('sha256', preimage, 'binary');
}

/** Remembers up to `maxEntries` successful verifications. */
export class SignatureCache {
  readonly maxEntries: number;
  readonly #verifier: SignatureVerifier;
  readonly #entries: BoundedSet<string>;

  /**
   * @param maxEntries capacity; the oldest entry is evicted when it is full.
   * @param verifier used on a miss; defaults to the consensus `verifySignature` (tests pass a
   *   counting wrapper).
   */
  constructor(maxEntries = DEFAULT_SIGNATURE_CACHE_ENTRIES, verifier: SignatureVerifier = verifySignature) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
    this.maxEntries = maxEntries;
    this.#entries = new BoundedSet(maxEntries);
    this.#verifier = verifier;
  }

  /**
   * Same verdict as `verifySignature`: true from the cache when this exact triple verified
   * before, otherwise verifies it and remembers a success. Never throws.
   */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    const key = entryKey(signature, message, publicKey);
    if (key === null) return false;
    if (this.#entries.has(key)) return true;
    if (!this.#verifier(signature, message, publicKey)) return false;
    this.#entries.add(key);
    return true;
  }

  /** True when this exact triple verified successfully and is still cached. */
  has(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    const key = entryKey(signature, message, publicKey);
    return key !== null && this.#entries.has(key);
  }

  /** Number of cached successes. */
  get size(): number {
    return this.#entries.size;
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.clear();
  }
}

/** The process-wide cache shared by transaction and block validation. */
export const signatureCache = new SignatureCache();

/** `verifySignature` through the process-wide `signatureCache`. Never throws. */
export function verifySignatureCached(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  return signatureCache.verify(signature, message, publicKey);
}
