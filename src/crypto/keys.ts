/**
 * Ed25519 key material: generating secret keys, deriving public keys and addresses, and the
 * bounded cache of imported node:crypto private KeyObjects that `sign` uses.
 */
import { createPrivateKey, createPublicKey, getRandomValues, type KeyObject } from 'node:crypto';
import { ADDRESS_LENGTH, SECRET_KEY_LENGTH } from './constants.js';
import { sha256 } from './hash.js';
import { LruMap } from '../collections/lru-map.js';

/**
 * Imported private keys kept (count). A node signs with a handful of keys (its miner key, its
 * wallet); 1,024 also covers test harnesses and attack simulations that juggle many wallets,
 * while bounding how many secrets linger in memory. An import costs ~50 µs (it derives the
 * public key), about one signature's worth.
 */
const SIGNING_KEY_CACHE_ENTRIES = 1_024;

/** A secret key imported into node:crypto, with its derived public key. */
export interface SigningKey {
  readonly keyObject: KeyObject;
  readonly publicKey: Uint8Array<ArrayBuffer>;
}

const signingKeys = new LruMap<string, SigningKey>(SIGNING_KEY_CACHE_ENTRIES);

/** A fresh secret key: 32 bytes from the operating system's CSPRNG. */
export function generateSecretKey(): Uint8Array<ArrayBuffer> {
  return getRandomValues(new Uint8Array(SECRET_KEY_LENGTH));
}

/**
 * The secret key imported into node:crypto, from the cache when possible. Throws a TypeError
 * unless `secretKey` is a 32-byte Uint8Array.
 */
export function signingKeyOf(secretKey: Uint8Array): SigningKey {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== SECRET_KEY_LENGTH) {
    throw new TypeError(`secret key must be a ${SECRET_KEY_LENGTH}-byte Uint8Array`);
  }
  const d = Buffer.from(secretKey.buffer, secretKey.byteOffset, secretKey.byteLength).toString('base64url');
  let key = signingKeys.get(d);
  if (key === undefined) {
    // JWK is ~10x faster to import than PKCS#8 DER. For a private OKP key node:crypto derives the
    // public half from `d` and does not read `x`, which the JWK shape still requires to be a
    // string (keys.test.ts checks the derived key and signatures against noble's).
    const keyObject = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d, x: '' }, format: 'jwk' });
    const x = createPublicKey(keyObject).export({ format: 'jwk' }).x;
    if (typeof x !== 'string') throw new Error('node:crypto exported an Ed25519 public key without x');
    key = { keyObject, publicKey: Uint8Array.from(Buffer.from(x, 'base64url')) };
    signingKeys.set(d, key);
  }
  return key;
}

/** The 32-byte public key of `secretKey` (RFC 8032 section 5.1.5). Throws on a malformed key. */
export function publicKeyOf(secretKey: Uint8Array): Uint8Array<ArrayBuffer> {
  return signingKeyOf(secretKey).publicKey.slice();
}

/** The 20-byte address of `publicKey`: the first ADDRESS_LENGTH bytes of sha256(publicKey). */
export function addressOf(publicKey: Uint8Array): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(sha256(publicKey).subarray(0, ADDRESS_LENGTH));
}
