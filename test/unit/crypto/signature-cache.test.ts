/**
 * SignatureCache: successes are served from the cache, failures are never stored, the bound
 * holds, and the verdict always equals verifySignature's.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SIGNATURE_CACHE_ENTRIES,
  publicKeyOf,
  SignatureCache,
  sign,
  signatureCache,
  verifySignature,
  verifySignatureCached,
} from '../../../src/crypto/index.js';

interface Triple {
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
}

function signed(seed: number, text = `message ${seed}`): Triple {
  const secretKey = new Uint8Array(32).fill(seed & 0xff);
  secretKey[0] = seed >> 8;
  const message = new TextEncoder().encode(text);
  return { signature: sign(message, secretKey), message, publicKey: publicKeyOf(secretKey) };
}

/** A cache whose underlying verifier counts its calls. */
function countingCache(maxEntries?: number): { cache: SignatureCache; calls: () => number } {
  let calls = 0;
  const cache = new SignatureCache(maxEntries, (signature, message, publicKey) => {
    calls++;
    return verifySignature(signature, message, publicKey);
  });
  return { cache, calls: () => calls };
}

describe('SignatureCache', () => {
  it('verifies a valid signature once, then serves it from the cache', () => {
    const { cache, calls } = countingCache();
    const { signature, message, publicKey } = signed(1);
    expect(cache.has(signature, message, publicKey)).toBe(false);
    expect(cache.verify(signature, message, publicKey)).toBe(true);
    expect(calls()).toBe(1);
    expect(cache.has(signature, message, publicKey)).toBe(true);
    for (let i = 0; i < 5; i++) expect(cache.verify(signature, message, publicKey)).toBe(true);
    expect(calls()).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('never caches an invalid signature', () => {
    const { cache, calls } = countingCache();
    const { signature, message, publicKey } = signed(2);
    const forged = signature.slice();
    forged[40]! ^= 1;
    for (let i = 0; i < 3; i++) expect(cache.verify(forged, message, publicKey)).toBe(false);
    expect(calls()).toBe(3);
    expect(cache.has(forged, message, publicKey)).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('keys on the whole triple: another message, key or signature is a miss', () => {
    const { cache } = countingCache();
    const a = signed(3);
    const b = signed(4);
    expect(cache.verify(a.signature, a.message, a.publicKey)).toBe(true);
    expect(cache.has(a.signature, b.message, a.publicKey)).toBe(false);
    expect(cache.has(a.signature, a.message, b.publicKey)).toBe(false);
    expect(cache.has(b.signature, a.message, a.publicKey)).toBe(false);
    expect(cache.verify(a.signature, b.message, a.publicKey)).toBe(false);
  });

  it('cannot be fooled by shifting bytes between key, signature and message', () => {
    const { cache, calls } = countingCache();
    const { signature, message, publicKey } = signed(5);
    expect(cache.verify(signature, message, publicKey)).toBe(true);
    // Same concatenation publicKey || signature || message, split differently.
    const shiftedSignature = signature.subarray(0, 63);
    const shiftedMessage = new Uint8Array([signature[63]!, ...message]);
    expect(cache.has(shiftedSignature, shiftedMessage, publicKey)).toBe(false);
    expect(cache.verify(shiftedSignature, shiftedMessage, publicKey)).toBe(false);
    const longKey = new Uint8Array([...publicKey, signature[0]!]);
    expect(cache.verify(signature.subarray(1), message, longKey)).toBe(false);
    expect(calls()).toBe(1);
  });

  it('holds at most maxEntries entries, evicting the oldest first', () => {
    const { cache, calls } = countingCache(3);
    const triples = [10, 11, 12, 13, 14].map((seed) => signed(seed));
    for (const t of triples) expect(cache.verify(t.signature, t.message, t.publicKey)).toBe(true);
    expect(cache.size).toBe(3);
    expect(triples.map((t) => cache.has(t.signature, t.message, t.publicKey))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
    expect(calls()).toBe(5);
    const first = triples[0]!;
    expect(cache.verify(first.signature, first.message, first.publicKey)).toBe(true);
    expect(calls()).toBe(6);
    expect(cache.size).toBe(3);
  });

  it('clear() forgets everything', () => {
    const { cache } = countingCache();
    const { signature, message, publicKey } = signed(20);
    cache.verify(signature, message, publicKey);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.has(signature, message, publicKey)).toBe(false);
  });

  it('rejects a non-positive or fractional capacity', () => {
    expect(() => new SignatureCache(0)).toThrow(RangeError);
    expect(() => new SignatureCache(1.5)).toThrow(RangeError);
  });

  it('by default holds DEFAULT_SIGNATURE_CACHE_ENTRIES successes before evicting the oldest', () => {
    // Any 64-byte signature and 32-byte key "verify" here: this checks the bound, not Ed25519.
    const cache = new SignatureCache(undefined, () => true);
    const signature = new Uint8Array(64);
    const publicKey = new Uint8Array(32);
    const message = (i: number) => new Uint8Array(new Uint32Array([i]).buffer);
    for (let i = 0; i < DEFAULT_SIGNATURE_CACHE_ENTRIES; i++) cache.verify(signature, message(i), publicKey);
    expect(cache.size).toBe(DEFAULT_SIGNATURE_CACHE_ENTRIES);
    expect(cache.has(signature, message(0), publicKey)).toBe(true);
    cache.verify(signature, message(DEFAULT_SIGNATURE_CACHE_ENTRIES), publicKey);
    expect(cache.size).toBe(DEFAULT_SIGNATURE_CACHE_ENTRIES);
    expect(cache.has(signature, message(0), publicKey)).toBe(false);
    expect(cache.has(signature, message(1), publicKey)).toBe(true);
  });

  it('never throws, returning false, on malformed input', () => {
    const cache = new SignatureCache();
    const junk = [undefined, null, 'ab', new Uint8Array(0), new Uint8Array(65)] as unknown as Uint8Array[];
    for (const value of junk) {
      expect(cache.verify(value, new Uint8Array(1), new Uint8Array(32))).toBe(false);
      expect(cache.verify(new Uint8Array(64), value, new Uint8Array(32))).toBe(false);
      expect(cache.verify(new Uint8Array(64), new Uint8Array(1), value)).toBe(false);
      expect(cache.has(new Uint8Array(64), new Uint8Array(1), value)).toBe(false);
    }
  });
});

describe('verifySignatureCached', () => {
  it('uses the process-wide signatureCache', () => {
    const { signature, message, publicKey } = signed(30, 'relayed transaction');
    signatureCache.clear();
    expect(verifySignatureCached(signature, message, publicKey)).toBe(true);
    expect(signatureCache.has(signature, message, publicKey)).toBe(true);
    const tampered = new TextEncoder().encode('relayed transaction!');
    expect(verifySignatureCached(signature, tampered, publicKey)).toBe(false);
    expect(signatureCache.has(signature, tampered, publicKey)).toBe(false);
    signatureCache.clear();
  });
});
