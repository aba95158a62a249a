/**
 * Crafted Ed25519 inputs for the differential tests: the torsion points, non-canonical point
 * encodings, signatures that only the cofactored equation accepts, and forgeries for small-order
 * keys that OpenSSL alone would accept. Built with noble's Point arithmetic; not a test file.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';

/** The prime order of the base point. */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/** The field prime. */
export const P = 2n ** 255n - 19n;

const B = ed.Point.BASE;

export function bytesToNumberLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

export function numberToBytesLE(n: bigint, length = 32): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The 8 points of small order, k·T for k = 0..7 with T a point of order 8. */
export const TORSION_POINTS: readonly ed.Point[] = (() => {
  const generator = ed.Point.fromHex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05');
  const points = [ed.Point.ZERO];
  for (let k = 1; k < 8; k++) points.push(points[k - 1]!.add(generator));
  return points;
})();

/** Canonical encodings of the 8 torsion points. */
export const TORSION_ENCODINGS: readonly Uint8Array[] = TORSION_POINTS.map((point) => point.toBytes());

/**
 * Every 32-byte string with the low 255 bits >= p (y = p + i, i = 0..18, either sign bit), plus
 * the two x = 0 points with the sign bit set. Some decode to points when y is reduced mod p
 * (y = p is a point of order 4, y = p + 1 the identity, others points of mixed order).
 */
export const NON_CANONICAL_ENCODINGS: readonly Uint8Array[] = (() => {
  const encodings: Uint8Array[] = [];
  for (let i = 0n; i < 19n; i++) {
    const bytes = numberToBytesLE(P + i);
    encodings.push(bytes);
    const negative = bytes.slice();
    negative[31]! |= 0x80;
    encodings.push(negative);
  }
  encodings.push(numberToBytesLE(1n | (1n << 255n)), numberToBytesLE(P - 1n + (1n << 255n)));
  return encodings;
})();

/** Non-canonical encodings that decode (reducing y mod p) to a point of small order. */
export const NON_CANONICAL_SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = NON_CANONICAL_ENCODINGS.filter(
  (bytes) => {
    try {
      return ed.Point.fromBytes(bytes, true).isSmallOrder();
    } catch {
      return false;
    }
  },
);

/** Every encoding of a small-order point, canonical or not. */
export const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = [
  ...TORSION_ENCODINGS,
  ...NON_CANONICAL_SMALL_ORDER_ENCODINGS,
];

/** The Ed25519 challenge k = SHA-512(R || A || M) mod L. */
export function challenge(r: Uint8Array, publicKey: Uint8Array, message: Uint8Array): bigint {
  return bytesToNumberLE(sha512(concat(r, publicKey, message))) % L;
}

/** Reduces any bigint to a nonzero scalar mod L. */
export function toScalar(n: bigint): bigint {
  const reduced = n % L;
  return reduced === 0n ? 1n : reduced;
}

/**
 * A signature that satisfies the cofactored equation but, unless the torsion parts cancel, not
 * the cofactorless one: key A = a·B + tA, nonce point R = r·B + tR, S = r + k·a mod L, so that
 * R + k·A - S·B = tR + k·tA, a point of small order.
 */
export function signWithTorsion(
  a: bigint,
  r: bigint,
  message: Uint8Array,
  torsionOfKey: ed.Point,
  torsionOfNonce: ed.Point,
): { publicKey: Uint8Array; signature: Uint8Array } {
  const publicKey = B.multiply(a).add(torsionOfKey).toBytes();
  const rBytes = B.multiply(r).add(torsionOfNonce).toBytes();
  const k = challenge(rBytes, publicKey, message);
  const s = (r + k * a) % L;
  return { publicKey, signature: concat(rBytes, numberToBytesLE(s)) };
}

/**
 * A forgery for a small-order key encoding Q: find s and a torsion point T with R = s·B - T and
 * k·Q = T, so OpenSSL's cofactorless check R = S·B - k·Q passes for any message. Tries up to
 * `attempts` values of s; null when none worked (each try succeeds with probability >= 1/8).
 */
export function forgeForSmallOrderKey(
  keyEncoding: Uint8Array,
  message: Uint8Array,
  seed: bigint,
  attempts = 32,
): Uint8Array | null {
  const key = ed.Point.fromBytes(keyEncoding, true);
  for (let attempt = 0n; attempt < BigInt(attempts); attempt++) {
    const s = toScalar(seed + attempt);
    const sB = B.multiply(s);
    for (const t of TORSION_POINTS) {
      const rBytes = sB.subtract(t).toBytes();
      const k = challenge(rBytes, keyEncoding, message);
      if (key.multiply(k, false).equals(t)) return concat(rBytes, numberToBytesLE(s));
    }
  }
  return null;
}

/** Raw node:crypto (OpenSSL) verification with no extra checks: the behaviour we must correct. */
export function verifyOpenSsl(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
  return nodeVerify(null, message, key, signature);
}

/**
 * A signature whose nonce point is given as raw bytes `rBytes`, which the caller guarantees
 * decode (reducing y mod p) to r·B plus a point of small order: S = r + k·a mod L with
 * k = H(rBytes || A || M). With a non-canonical rBytes only a ZIP-215 verifier accepts it.
 */
export function signWithNonceBytes(
  a: bigint,
  r: bigint,
  rBytes: Uint8Array,
  message: Uint8Array,
): { publicKey: Uint8Array; signature: Uint8Array } {
  const publicKey = B.multiply(a).toBytes();
  const k = challenge(rBytes, publicKey, message);
  return { publicKey, signature: concat(rBytes, numberToBytesLE((r + k * a) % L)) };
}
