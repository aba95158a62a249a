/**
 * Keys, signing and addresses: node:crypto results equal noble's byte for byte.
 */
import { createHash } from 'node:crypto';
import * as ed from '@noble/ed25519';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADDRESS_LENGTH,
  addressOf,
  generateSecretKey,
  PUBLIC_KEY_LENGTH,
  publicKeyOf,
  SECRET_KEY_LENGTH,
  SIGNATURE_LENGTH,
  sha256,
  sign,
  verifySignature,
} from '../../../src/crypto/index.js';

const secretKeyArb = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('constants', () => {
  it('have the Ed25519 and address sizes', () => {
    expect([SECRET_KEY_LENGTH, PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH, ADDRESS_LENGTH]).toEqual([
      32, 32, 64, 20,
    ]);
  });
});

describe('generateSecretKey', () => {
  it('returns 32 fresh random bytes each time', () => {
    const keys = Array.from({ length: 50 }, () => generateSecretKey());
    for (const key of keys) {
      expect(key).toBeInstanceOf(Uint8Array);
      expect(key.length).toBe(SECRET_KEY_LENGTH);
    }
    expect(new Set(keys.map((key) => Buffer.from(key).toString('hex'))).size).toBe(keys.length);
  });
});

describe('publicKeyOf', () => {
  it("equals noble's getPublicKey", () => {
    fc.assert(
      fc.property(secretKeyArb, (secretKey) => {
        expect(publicKeyOf(secretKey)).toEqual(ed.getPublicKey(secretKey));
      }),
      { numRuns: 200 },
    );
  });

  it('returns a copy the caller may modify without corrupting the key cache', () => {
    const secretKey = new Uint8Array(32).fill(3);
    const first = publicKeyOf(secretKey);
    first.fill(0);
    expect(publicKeyOf(secretKey)).toEqual(ed.getPublicKey(secretKey));
  });

  it('accepts a view into a larger buffer', () => {
    const backing = new Uint8Array(100).map((_, i) => i);
    const view = backing.subarray(10, 42);
    expect(publicKeyOf(view)).toEqual(ed.getPublicKey(view.slice()));
  });

  it('throws a TypeError on a malformed secret key', () => {
    for (const bad of [new Uint8Array(31), new Uint8Array(33), new Uint8Array(0), 'x', undefined]) {
      expect(() => publicKeyOf(bad as Uint8Array)).toThrow(TypeError);
    }
  });
});

describe('sign', () => {
  it("equals noble's deterministic signature byte for byte, and verifies", () => {
    fc.assert(
      fc.property(secretKeyArb, fc.uint8Array({ maxLength: 300 }), (secretKey, message) => {
        const signature = sign(message, secretKey);
        expect(signature.length).toBe(SIGNATURE_LENGTH);
        expect(signature).toEqual(ed.sign(message, secretKey));
        expect(verifySignature(signature, message, publicKeyOf(secretKey))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('returns a plain Uint8Array and is deterministic', () => {
    const secretKey = generateSecretKey();
    const message = new TextEncoder().encode('same message');
    const signature = sign(message, secretKey);
    expect(Object.getPrototypeOf(signature)).toBe(Uint8Array.prototype);
    expect(sign(message, secretKey)).toEqual(signature);
  });

  it('signs a message that is a view into a larger buffer', () => {
    const secretKey = new Uint8Array(32).fill(5);
    const backing = new Uint8Array(64).map((_, i) => i * 3);
    const view = backing.subarray(7, 40);
    expect(sign(view, secretKey)).toEqual(ed.sign(view.slice(), secretKey));
  });

  it('throws a TypeError on a malformed secret key or message', () => {
    const message = new Uint8Array(3);
    expect(() => sign(message, new Uint8Array(31))).toThrow(TypeError);
    expect(() => sign(message, new Uint8Array(64))).toThrow(TypeError);
    expect(() => sign('abc' as unknown as Uint8Array, new Uint8Array(32))).toThrow(TypeError);
  });
});

describe('addressOf', () => {
  it('is the first 20 bytes of sha256(publicKey)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (publicKey) => {
        const address = addressOf(publicKey);
        expect(address.length).toBe(ADDRESS_LENGTH);
        expect(address).toEqual(sha256(publicKey).slice(0, ADDRESS_LENGTH));
      }),
      { numRuns: 100 },
    );
  });

  it('matches node:crypto SHA-256 on the RFC 8032 TEST 1 public key', () => {
    const publicKey = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
    // sha256 of the key computed independently, with node:crypto rather than noble.
    const expected = createHash('sha256').update(publicKey).digest().subarray(0, 20);
    expect(Buffer.from(addressOf(new Uint8Array(publicKey)))).toEqual(expected);
  });
});
