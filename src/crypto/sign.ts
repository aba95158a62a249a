/**
 * Ed25519 signing (RFC 8032 section 5.1.6) through node:crypto, ~10x faster than noble. The
 * scheme is deterministic, so the bytes equal noble's `sign` exactly (keys.test.ts checks).
 */
import { sign as nodeSign } from 'node:crypto';
import { signingKeyOf } from './keys.js';

/**
 * The 64-byte signature of `message` by `secretKey`. Throws a TypeError when `secretKey` is not a
 * 32-byte Uint8Array or `message` is not a Uint8Array.
 */
export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!(message instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array');
  const { keyObject } = signingKeyOf(secretKey);
  return Uint8Array.from(nodeSign(null, message, keyObject));
}
