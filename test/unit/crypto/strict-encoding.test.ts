/**
 * The byte-level pre-checks against their definitions computed with bigints and noble.
 */
import * as ed from '@noble/ed25519';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isScalarBelowGroupOrder,
  isSmallOrderEncoding,
  isStrictPointEncoding,
} from '../../../src/crypto/strict-encoding.js';
import {
  bytesToNumberLE,
  L,
  NON_CANONICAL_ENCODINGS,
  numberToBytesLE,
  P,
  SMALL_ORDER_ENCODINGS,
  TORSION_ENCODINGS,
  TORSION_POINTS,
} from './edge-cases.js';

const SIGN_BIT = 1n << 255n;

/** The definition: y (low 255 bits) < p, and not x = 0 (y = 1 or y = p - 1) with the sign bit. */
function strictByDefinition(bytes: Uint8Array): boolean {
  const n = bytesToNumberLE(bytes);
  const y = n & (SIGN_BIT - 1n);
  if (y >= P) return false;
  return !((n & SIGN_BIT) !== 0n && (y === 1n || y === P - 1n));
}

/** Interesting 32-byte strings: around L, around p, torsion and non-canonical encodings. */
const EDGE_BYTES: readonly Uint8Array[] = [
  ...[0n, 1n, L - 1n, L, L + 1n, 2n * L, P - 2n, P - 1n, P, P + 1n, 2n ** 255n - 1n, 2n ** 256n - 1n].flatMap(
    (n) => [numberToBytesLE(n), numberToBytesLE(n ^ SIGN_BIT)],
  ),
  ...TORSION_ENCODINGS,
  ...NON_CANONICAL_ENCODINGS,
];

const bytesArb = fc.oneof(
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
  fc.constantFrom(...EDGE_BYTES),
  // Random values just below / above L and p.
  fc
    .bigInt({ min: -300n, max: 300n })
    .chain((delta) => fc.constantFrom(numberToBytesLE(L + delta), numberToBytesLE((P + delta) % 2n ** 256n))),
);

describe('isScalarBelowGroupOrder', () => {
  it('matches S < L on random and edge values, at any offset', () => {
    fc.assert(
      fc.property(bytesArb, fc.integer({ min: 0, max: 40 }), (bytes, offset) => {
        const buffer = new Uint8Array(offset + 32);
        buffer.set(bytes, offset);
        expect(isScalarBelowGroupOrder(buffer, offset)).toBe(bytesToNumberLE(bytes) < L);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts L - 1 and rejects L, L + 1 and 2^256 - 1', () => {
    expect(isScalarBelowGroupOrder(numberToBytesLE(L - 1n), 0)).toBe(true);
    expect(isScalarBelowGroupOrder(numberToBytesLE(L), 0)).toBe(false);
    expect(isScalarBelowGroupOrder(numberToBytesLE(L + 1n), 0)).toBe(false);
    expect(isScalarBelowGroupOrder(numberToBytesLE(2n ** 256n - 1n), 0)).toBe(false);
  });
});

describe('isStrictPointEncoding', () => {
  it('matches the definition on random and edge values, at any offset', () => {
    fc.assert(
      fc.property(bytesArb, fc.integer({ min: 0, max: 40 }), (bytes, offset) => {
        const buffer = new Uint8Array(offset + 32);
        buffer.set(bytes, offset);
        expect(isStrictPointEncoding(buffer, offset)).toBe(strictByDefinition(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with noble strict decoding wherever the bytes are a point', () => {
    for (const bytes of EDGE_BYTES) {
      let lenient: ed.Point | null = null;
      try {
        lenient = ed.Point.fromBytes(bytes, true);
      } catch {
        // not decodable even leniently
      }
      if (lenient === null) continue;
      let strictOk = true;
      try {
        ed.Point.fromBytes(bytes, false);
      } catch {
        strictOk = false;
      }
      expect(isStrictPointEncoding(bytes, 0)).toBe(strictOk);
    }
  });

  it('rejects every non-canonical encoding', () => {
    for (const bytes of NON_CANONICAL_ENCODINGS) expect(isStrictPointEncoding(bytes, 0)).toBe(false);
  });
});

describe('isSmallOrderEncoding', () => {
  it('lists exactly the canonical encodings of the 8 torsion points', () => {
    for (const point of TORSION_POINTS) expect(point.isSmallOrder()).toBe(true);
    for (const bytes of TORSION_ENCODINGS) expect(isSmallOrderEncoding(bytes, 0)).toBe(true);
    expect(new Set(TORSION_ENCODINGS.map((bytes) => Buffer.from(bytes).toString('hex'))).size).toBe(8);
  });

  it('leaves every other small-order encoding to isStrictPointEncoding', () => {
    for (const bytes of SMALL_ORDER_ENCODINGS) {
      expect(isSmallOrderEncoding(bytes, 0) || !isStrictPointEncoding(bytes, 0)).toBe(true);
    }
  });

  it('is false for random strings and for points of large order', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const expected = TORSION_ENCODINGS.some((t) => Buffer.from(t).equals(Buffer.from(bytes)));
        expect(isSmallOrderEncoding(bytes, 0)).toBe(expected);
      }),
      { numRuns: 500 },
    );
    expect(isSmallOrderEncoding(ed.Point.BASE.toBytes(), 0)).toBe(false);
  });
});
