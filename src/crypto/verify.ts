/**
 * The consensus signature verifier, the hot path of transaction and block validation.
 *
 * Its verdict equals the reference's (`verifyReference`: @noble/ed25519 strict mode) on every
 * input, at the speed of OpenSSL. OpenSSL (through node:crypto) checks the cofactorless equation
 * R = S·B - k·A and compares R byte for byte; the reference checks the cofactored equation
 * 8·(R + k·A - S·B) = 0 after strict decoding. They differ in four ways, handled here:
 *
 * 1. S >= L: both reject; checked first anyway, it is the cheapest test.
 * 2. A public key whose y is not reduced (y >= p), or that has x = 0 with the sign bit set:
 *    OpenSSL reduces or ignores it, the reference rejects. Rejected by `isStrictPointEncoding`.
 *    (For R, OpenSSL's byte comparison with a canonical encoding already rejects both; we test
 *    R too so such signatures skip the slow path below.)
 * 3. A public key of small order: OpenSSL accepts forgeries for it (for the identity, R = S·B
 *    verifies any message), the reference rejects every such key. Rejected by
 *    `isSmallOrderEncoding`.
 * 4. R or A with a component in the torsion subgroup (crafted by an attacker; honest signers
 *    never produce one): the cofactored equation can hold while the cofactorless one fails, so
 *    the reference accepts what OpenSSL rejects. The converse cannot happen once 1-3 are
 *    excluded. So when OpenSSL says no, the reference decides. A valid signature costs one
 *    OpenSSL call; an invalid one also costs a reference verification (~1.3 ms). That is the
 *    price of exact agreement: testing R and A for a torsion component takes scalar
 *    multiplications, which cost about as much as the reference itself.
 *
 * Public keys are imported as JWK (~6-10 µs) and kept in a bounded LRU map of KeyObjects.
 */
import { createPublicKey, type KeyObject, verify as nodeVerify } from 'node:crypto';
import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH } from './constants.js';
import { LruMap } from '../collections/lru-map.js';
import { verifyReference } from './reference.js';
import { isScalarBelowGroupOrder, isSmallOrderEncoding, isStrictPointEncoding } from './strict-encoding.js';

/**
 * Imported public keys kept (count). 10,000 covers the signers of several full blocks and a
 * busy mempool; a KeyObject holds ~1.6 KB of native memory (measured), so ~16 MB when full.
 */
export const PUBLIC_KEY_CACHE_ENTRIES = 10_000;

/** Byte offset of S, the scalar half of a signature (R is bytes 0-31). */
const S_OFFSET = 32;

const publicKeys = new LruMap<string, KeyObject>(PUBLIC_KEY_CACHE_ENTRIES);

/**
 * The KeyObject for `publicKey`, imported on first use; null when the key is one the reference
 * rejects before looking at any signature (non-strict encoding or small order).
 */
function verifyingKeyOf(publicKey: Uint8Array): KeyObject | null {
  const x = Buffer.from(publicKey.buffer, publicKey.byteOffset, PUBLIC_KEY_LENGTH).toString('base64url');
  let key = publicKeys.get(x);
  if (key === undefined) {
    if (!isStrictPointEncoding(publicKey, 0) || isSmallOrderEncoding(publicKey, 0)) return null;
    // node:crypto imports any 32 bytes without decoding the point; OpenSSL's verify rejects a y
    // that is not on the curve, as the reference does.
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    publicKeys.set(x, key);
  }
  return key;
}

/**
 * True when `signature` is a valid Ed25519 signature of `message` by `publicKey` under the
 * consensus rule (RFC 8032 strict, non-malleable; see the module comment). Never throws: inputs
 * of the wrong type or length are invalid.
 */
export function verifySignature(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || !(message instanceof Uint8Array)) return false;
  if (!(publicKey instanceof Uint8Array)) return false;
  if (signature.length !== SIGNATURE_LENGTH || publicKey.length !== PUBLIC_KEY_LENGTH) return false;
  if (!isScalarBelowGroupOrder(signature, S_OFFSET) || !isStrictPointEncoding(signature, 0)) return false;
  let accepted: boolean;
  try {
    const key = verifyingKeyOf(publicKey);
    if (key === null) return false;
    accepted = nodeVerify(null, message, key, signature);
  } catch {
    // node:crypto has not been seen to throw here; if it ever does, the reference decides.
    return verifyReference(signature, message, publicKey);
  }
  // OpenSSL's acceptance implies the reference's; its rejection may not (case 4 above).
  return accepted || verifyReference(signature, message, publicKey);
}
