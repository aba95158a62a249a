/**
 * Byte lengths of the protocol's key, signature and address encodings. Every other module sizes
 * and validates these fields through the constants here, never through literals.
 */

/** Bytes in an Ed25519 secret key: the RFC 8032 32-byte seed (not the 64-byte expanded key). */
export const SECRET_KEY_LENGTH = 32;

/** Bytes in an Ed25519 public key: one compressed curve point (RFC 8032 section 5.1.2). */
export const PUBLIC_KEY_LENGTH = 32;

/** Bytes in an Ed25519 signature: R, a 32-byte point, then S, a 32-byte little-endian scalar. */
export const SIGNATURE_LENGTH = 64;

/**
 * Bytes in an address: the first 20 bytes of sha256(publicKey). 160 bits, like Bitcoin's
 * hash160: short enough for outputs, while finding a second key for a given address costs 2^160.
 */
export const ADDRESS_LENGTH = 20;
