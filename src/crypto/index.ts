/**
 * The crypto module every node uses for consensus: SHA-256 and tagged hashing, Ed25519 keys,
 * signing, the strict verifier and its cache of successes, and addresses.
 *
 * @example
 * ```ts
 * import { generateSecretKey, publicKeyOf, sign, verifySignature } from './crypto/index.js';
 *
 * const secretKey = generateSecretKey();
 * const message = new TextEncoder().encode('pay 5 to alice');
 * const signature = sign(message, secretKey);
 * verifySignature(signature, message, publicKeyOf(secretKey)); // true
 * ```
 */
export { ADDRESS_LENGTH, PUBLIC_KEY_LENGTH, SECRET_KEY_LENGTH, SIGNATURE_LENGTH } from './constants.js';
export * from './hash.js';
export { addressOf, generateSecretKey, publicKeyOf } from './keys.js';
export { verifyReference } from './reference.js';
export { sign } from './sign.js';
export {
  DEFAULT_SIGNATURE_CACHE_ENTRIES,
  SignatureCache,
  type SignatureVerifier,
  signatureCache,
  verifySignatureCached,
} from './signature-cache.js';
export { PUBLIC_KEY_CACHE_ENTRIES, verifySignature } from './verify.js';
