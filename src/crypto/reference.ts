/**
 * The consensus reference verifier: @noble/ed25519 in strict RFC 8032 mode (`zip215: false`).
 * Its verdict on every input is, by definition, the valid/invalid rule for signatures in this
 * protocol; `verifySignature` is a faster implementation that must agree with it, and the
 * differential tests hold it to that. Too slow for the hot path (~1.3 ms per call).
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';

// noble's synchronous API needs a SHA-512 implementation plugged in once per process.
ed.hashes.sha512 = sha512;

/** Options for the reference: RFC 8032 strict decoding, cofactored equation, no small-order keys. */
const STRICT: ed.EdDSAVerifyOpts = { zip215: false };

/**
 * True when `signature` is a valid strict Ed25519 signature of `message` by `publicKey`. Never
 * throws: any input noble rejects by throwing (wrong type or length) is simply invalid.
 */
export function verifyReference(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed.verify(signature, message, publicKey, STRICT) === true;
  } catch {
    return false;
  }
}
