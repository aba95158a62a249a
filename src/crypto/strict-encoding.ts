/**
 * Byte-level checks that make OpenSSL's Ed25519 verifier as strict as the consensus reference
 * (@noble/ed25519 with `zip215: false`). OpenSSL reduces a point's y coordinate mod p, accepts
 * x = 0 with the sign bit set, and accepts public keys of small order; the reference rejects all
 * three. Each check reads a few bytes and allocates nothing, so it costs nanoseconds next to a
 * ~115 µs verification.
 */

/**
 * The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. A signature's
 * S must be below it (RFC 8032 section 5.1.7), otherwise S and S + L would both verify.
 */
const GROUP_ORDER_LE = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
]);

/** Lowest byte of the field prime p = 2^255 - 19 (0xed); every other byte but the top is 0xff. */
const FIELD_PRIME_LOW_BYTE = 0xed;

/**
 * Canonical encodings of the 8 points of small order (the torsion subgroup E[8]), in the order
 * k·T for k = 0..7 where T is a generator. The reference rejects every public key among them:
 * a small-order key lets anyone forge signatures (with the identity as key, R = S·B verifies
 * for every message). Their only other encodings are rejected by the other checks here:
 * y >= p for y = 0 and y = 1, and the sign bit set on a point with x = 0.
 */
const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '0000000000000000000000000000000000000000000000000000000000000000',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
].map((hex) => Uint8Array.from(Buffer.from(hex, 'hex')));

/** True when the 32-byte little-endian integer at `bytes[offset..offset+32)` is below L. */
export function isScalarBelowGroupOrder(bytes: Uint8Array, offset: number): boolean {
  for (let i = 31; i >= 0; i--) {
    const byte = bytes[offset + i]!;
    const limit = GROUP_ORDER_LE[i]!;
    if (byte !== limit) return byte < limit;
  }
  return false; // equal to L
}

/**
 * True when the 32-byte point encoding at `offset` is strict: its y coordinate (the low 255 bits)
 * is below p, and it does not claim a negative x for a point whose x is 0. Those points are
 * y = 1 and y = p - 1, so the second rule forbids exactly two encodings with the sign bit set.
 * Says nothing about whether y is on the curve; the verifier finds that out.
 */
export function isStrictPointEncoding(bytes: Uint8Array, offset: number): boolean {
  const top = bytes[offset + 31]!;
  const signBitSet = top >= 0x80;
  if ((top & 0x7f) === 0x7f) {
    // y >= 2^255 - 256: y >= p iff the middle bytes are all 0xff and the low byte >= 0xed.
    for (let i = 30; i >= 1; i--) if (bytes[offset + i] !== 0xff) return true;
    const low = bytes[offset]!;
    if (low >= FIELD_PRIME_LOW_BYTE) return false;
    // y = p - 1 (low byte 0xec) is the point (0, -1): x = 0, so the sign bit must be clear.
    return !(signBitSet && low === FIELD_PRIME_LOW_BYTE - 1);
  }
  if (signBitSet && top === 0x80 && bytes[offset] === 0x01) {
    // y = 1 is the identity (0, 1): x = 0, so the sign bit must be clear.
    for (let i = 1; i <= 30; i++) if (bytes[offset + i] !== 0) return true;
    return false;
  }
  return true;
}

/** True when the 32 bytes at `offset` are the canonical encoding of a point of small order. */
export function isSmallOrderEncoding(bytes: Uint8Array, offset: number): boolean {
  const first = bytes[offset];
  // Fast exit: the small-order encodings start with only these five byte values.
  if (first !== 0x01 && first !== 0x26 && first !== 0x00 && first !== 0xc7 && first !== 0xec) return false;
  for (const encoding of SMALL_ORDER_ENCODINGS) {
    let equal = true;
    for (let i = 0; i < 32; i++) {
      if (bytes[offset + i] !== encoding[i]) {
        equal = false;
        break;
      }
    }
    if (equal) return true;
  }
  return false;
}
