/**
 * Differential tests: the fast verifier (`verifySignature`, OpenSSL plus pre-checks and a
 * fallback) must give the reference's verdict (noble strict) on every input. Random valid
 * signatures, crafted torsion signatures and small-order forgeries are mutated (bit flips,
 * S + k·L, non-canonical and small-order R or A, wrong lengths, constant bytes) and both
 * verifiers must agree on each. Deterministic tests pin each known OpenSSL/noble difference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { publicKeyOf, sign, verifyReference, verifySignature } from '../../../src/crypto/index.js';
import {
  bytesToNumberLE,
  concat,
  forgeForSmallOrderKey,
  L,
  NON_CANONICAL_ENCODINGS,
  NON_CANONICAL_SMALL_ORDER_ENCODINGS,
  numberToBytesLE,
  SMALL_ORDER_ENCODINGS,
  signWithNonceBytes,
  signWithTorsion,
  TORSION_ENCODINGS,
  TORSION_POINTS,
  toScalar,
  verifyOpenSsl,
} from './edge-cases.js';

interface Case {
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
}

const WRONG_LENGTHS = [0, 1, 31, 32, 33, 63, 65, 96] as const;

/** 32-byte strings to substitute for R or A. */
const SPECIAL_ENCODINGS: readonly Uint8Array[] = [
  ...TORSION_ENCODINGS,
  ...NON_CANONICAL_ENCODINGS,
  new Uint8Array(32),
  new Uint8Array(32).fill(0xff),
];

const messageArb = fc.uint8Array({ maxLength: 48 });
const scalarArb = fc.bigInt({ min: 1n, max: L - 1n });

// ---- base cases -----------------------------------------------------------------------------

/** An honest signature (node:crypto signing, checked equal to noble's in keys.test.ts). */
const honestArb = fc
  .record({ secretKey: fc.uint8Array({ minLength: 32, maxLength: 32 }), message: messageArb })
  .map(({ secretKey, message }): Case => ({
    signature: sign(message, secretKey),
    message,
    publicKey: publicKeyOf(secretKey),
  }));

/** Key and nonce with torsion components: cofactored-valid, usually cofactorless-invalid. */
const torsionArb = fc
  .record({
    a: scalarArb,
    r: scalarArb,
    message: messageArb,
    keyTorsion: fc.integer({ min: 0, max: 7 }),
    nonceTorsion: fc.integer({ min: 0, max: 7 }),
  })
  .map(({ a, r, message, keyTorsion, nonceTorsion }): Case => {
    const crafted = signWithTorsion(
      a,
      r,
      message,
      TORSION_POINTS[keyTorsion]!,
      TORSION_POINTS[nonceTorsion]!,
    );
    return { ...crafted, message };
  });

/** A small-order nonce point R (r = 0), canonically or non-canonically encoded. */
const smallOrderNonceArb = fc
  .record({ a: scalarArb, message: messageArb, rBytes: fc.constantFrom(...SMALL_ORDER_ENCODINGS) })
  .map(({ a, message, rBytes }): Case => ({ ...signWithNonceBytes(a, 0n, rBytes, message), message }));

/** A forgery that OpenSSL alone accepts, for a small-order key in any encoding. */
const smallOrderKeyArb = fc
  .record({ key: fc.constantFrom(...SMALL_ORDER_ENCODINGS), message: messageArb, seed: scalarArb })
  .map(({ key, message, seed }): Case => {
    const signature = forgeForSmallOrderKey(key, message, seed) ?? new Uint8Array(64);
    return { signature, message, publicKey: key };
  });

// ---- mutations --------------------------------------------------------------------------------

type Mutation = (c: Case) => Case;

const flipBit = (bytes: Uint8Array, bit: number): Uint8Array => {
  if (bytes.length === 0) return Uint8Array.of(1 << (bit % 8));
  const out = bytes.slice();
  const index = Math.floor(bit / 8) % bytes.length;
  out[index]! ^= 1 << (bit % 8);
  return out;
};

const resize = (bytes: Uint8Array, length: number, fill: number): Uint8Array => {
  const out = new Uint8Array(length).fill(fill);
  out.set(bytes.subarray(0, Math.min(length, bytes.length)));
  return out;
};

const withS = (c: Case, s: bigint): Case => ({
  ...c,
  signature: concat(c.signature.subarray(0, 32), numberToBytesLE(s)),
});

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.constant((c: Case) => c) },
  fc.nat(511).map((bit) => (c: Case) => ({ ...c, signature: flipBit(c.signature, bit) })),
  fc.nat(511).map((bit) => (c: Case) => ({ ...c, message: flipBit(c.message, bit) })),
  fc.nat(255).map((bit) => (c: Case) => ({ ...c, publicKey: flipBit(c.publicKey, bit) })),
  // S + k·L for k = 1..15 (16·L exceeds 2^256): the classic malleability.
  fc
    .integer({ min: 1, max: 15 })
    .map((k) => (c: Case) => withS(c, bytesToNumberLE(c.signature.subarray(32)) + BigInt(k) * L)),
  // Any S in [L, 2^256).
  fc.bigInt({ min: L, max: 2n ** 256n - 1n }).map((s) => (c: Case) => withS(c, s)),
  // S in [0, 2^256) near the boundary.
  fc.bigInt({ min: -2n, max: 2n }).map((delta) => (c: Case) => withS(c, L + delta)),
  fc
    .constantFrom(...SPECIAL_ENCODINGS)
    .map((r) => (c: Case) => ({ ...c, signature: concat(r, c.signature.subarray(32, 64)) })),
  fc.constantFrom(...SPECIAL_ENCODINGS).map((key) => (c: Case) => ({ ...c, publicKey: key })),
  fc
    .record({ length: fc.constantFrom(...WRONG_LENGTHS), fill: fc.constantFrom(0, 0xff) })
    .map(({ length, fill }) => (c: Case) => ({ ...c, signature: resize(c.signature, length, fill) })),
  fc
    .record({ length: fc.constantFrom(...WRONG_LENGTHS), fill: fc.constantFrom(0, 0xff) })
    .map(({ length, fill }) => (c: Case) => ({ ...c, publicKey: resize(c.publicKey, length, fill) })),
  fc.constantFrom(0, 0xff).map((fill) => (c: Case) => ({ ...c, signature: new Uint8Array(64).fill(fill) })),
  fc.constantFrom(0, 0xff).map((fill) => (c: Case) => ({ ...c, publicKey: new Uint8Array(32).fill(fill) })),
);

/** Checks agreement on every mutated case; returns how many cases each side accepted. */
function assertAgreement(base: fc.Arbitrary<Case>, numRuns: number): { accepted: number; runs: number } {
  const tally = { accepted: 0, runs: 0 };
  fc.assert(
    fc.property(base, mutationArb, (c, mutate) => {
      const { signature, message, publicKey } = mutate(c);
      const expected = verifyReference(signature, message, publicKey);
      tally.runs++;
      if (expected) tally.accepted++;
      expect(verifySignature(signature, message, publicKey)).toBe(expected);
    }),
    { numRuns },
  );
  return tally;
}

/**
 * Per test (unit: ms): thousands of reference verifications take seconds alone and, with the suite's
 * node processes on the same two cores, once took longer than the suite's 30 s default.
 */
const DIFFERENTIAL_TIMEOUT_MS = 120_000;

describe(
  'verifySignature agrees with verifyReference (noble strict)',
  { timeout: DIFFERENTIAL_TIMEOUT_MS },
  () => {
    it('on honest signatures and their mutations', () => {
      const tally = assertAgreement(honestArb, 1500);
      // Unmutated cases are ~1/4 of the runs; make sure valid signatures were really exercised.
      expect(tally.accepted).toBeGreaterThan(tally.runs / 10);
    });

    it('on signatures whose key and nonce carry torsion components, and their mutations', () => {
      const tally = assertAgreement(torsionArb, 250);
      expect(tally.accepted).toBeGreaterThan(tally.runs / 10);
    });

    it('on signatures with a small-order nonce point in any encoding, and their mutations', () => {
      assertAgreement(smallOrderNonceArb, 250);
    });

    it('on forgeries for small-order keys in any encoding, and their mutations', () => {
      assertAgreement(smallOrderKeyArb, 250);
    });

    it('on arbitrary bytes of any length', () => {
      const lengthArb = (length: number) =>
        fc.oneof(fc.uint8Array({ minLength: length, maxLength: length }), fc.uint8Array({ maxLength: 70 }));
      fc.assert(
        fc.property(lengthArb(64), messageArb, lengthArb(32), (signature, message, publicKey) => {
          expect(verifySignature(signature, message, publicKey)).toBe(
            verifyReference(signature, message, publicKey),
          );
        }),
        { numRuns: 1000 },
      );
    });

    it('never throws on values that are not byte arrays', () => {
      const junk: unknown[] = [
        undefined,
        null,
        0,
        'ab',
        {},
        [1, 2],
        new Uint16Array(32),
        new ArrayBuffer(64),
      ];
      const good = new Uint8Array(32);
      for (const value of junk) {
        const v = value as Uint8Array;
        expect(verifySignature(v, good, good)).toBe(false);
        expect(verifySignature(new Uint8Array(64), v, good)).toBe(false);
        expect(verifySignature(new Uint8Array(64), good, v)).toBe(false);
        expect(verifyReference(v, good, good)).toBe(false);
      }
    });
  },
);

describe('each known OpenSSL / noble strict difference', () => {
  const message = new TextEncoder().encode('pay 5 to mallory');

  it('small-order keys (all encodings): OpenSSL accepts forgeries, the reference and we reject', () => {
    for (const key of SMALL_ORDER_ENCODINGS) {
      const forgery = forgeForSmallOrderKey(key, message, 12345n);
      expect(forgery).not.toBeNull();
      expect(verifyOpenSsl(forgery!, message, key)).toBe(true);
      expect(verifyReference(forgery!, message, key)).toBe(false);
      expect(verifySignature(forgery!, message, key)).toBe(false);
    }
    expect(NON_CANONICAL_SMALL_ORDER_ENCODINGS.length).toBe(6);
  });

  it('torsion in R or A: the reference and we accept what cofactorless OpenSSL rejects', () => {
    let openSslRejected = 0;
    for (let i = 0; i < 8; i++) {
      const { publicKey, signature } = signWithTorsion(
        toScalar(1000n + BigInt(i)),
        toScalar(2000n + BigInt(i)),
        message,
        TORSION_POINTS[i]!,
        TORSION_POINTS[(i * 3 + 1) % 8]!,
      );
      if (!verifyOpenSsl(signature, message, publicKey)) openSslRejected++;
      expect(verifyReference(signature, message, publicKey)).toBe(true);
      expect(verifySignature(signature, message, publicKey)).toBe(true);
    }
    expect(openSslRejected).toBeGreaterThan(0);
  });

  it('a small-order R encoded non-canonically: everyone rejects; canonically: the reference accepts', () => {
    const a = toScalar(777n);
    for (const rBytes of NON_CANONICAL_SMALL_ORDER_ENCODINGS) {
      const { publicKey, signature } = signWithNonceBytes(a, 0n, rBytes, message);
      expect(verifyOpenSsl(signature, message, publicKey)).toBe(false);
      expect(verifyReference(signature, message, publicKey)).toBe(false);
      expect(verifySignature(signature, message, publicKey)).toBe(false);
    }
    for (const rBytes of TORSION_ENCODINGS) {
      const { publicKey, signature } = signWithNonceBytes(a, 0n, rBytes, message);
      expect(verifyReference(signature, message, publicKey)).toBe(true);
      expect(verifySignature(signature, message, publicKey)).toBe(true);
    }
  });

  it('S + L: OpenSSL, the reference and we all reject', () => {
    const secretKey = new Uint8Array(32).fill(9);
    const signature = sign(message, secretKey);
    const publicKey = publicKeyOf(secretKey);
    const malleated = concat(
      signature.subarray(0, 32),
      numberToBytesLE(bytesToNumberLE(signature.subarray(32)) + L),
    );
    expect(verifyOpenSsl(malleated, message, publicKey)).toBe(false);
    expect(verifyReference(malleated, message, publicKey)).toBe(false);
    expect(verifySignature(malleated, message, publicKey)).toBe(false);
  });
});
