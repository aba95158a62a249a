/** The fuzzer's mutation engine: reproducible, never alters its seeds, and lies in real prefixes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzCaseArb, materialize } from '../../fuzz/mutate.js';
import { encodeVarint, framePrefixes, messagePrefixes, readVarint } from '../../fuzz/protobuf-prefixes.js';
import { frames } from '../../fuzz/seeds.js';

// A message with a nested length-delimited field: field 1 = { field 2 = "abc" }, field 3 = varint 5.
const NESTED = Uint8Array.from([0x0a, 0x05, 0x12, 0x03, 0x61, 0x62, 0x63, 0x18, 0x05]);

describe('protobuf prefixes', () => {
  it('finds every length prefix, nested ones included', () => {
    expect(messagePrefixes(NESTED)).toEqual([
      { start: 1, end: 2, value: 5 },
      { start: 3, end: 4, value: 3 },
    ]);
  });

  it('finds the frame prefixes of a frame sequence and the messages inside', () => {
    const stream = frames([NESTED, Uint8Array.from([0x18, 0x01])]);
    expect(framePrefixes(stream).map((p) => [p.start, p.value])).toEqual([
      [0, 9],
      [2, 5],
      [4, 3],
      [10, 2],
    ]);
  });

  it('round-trips varints', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), (n) => {
        const bytes = encodeVarint(n);
        expect(readVarint(bytes, 0)).toEqual({ value: n, end: bytes.length });
      }),
    );
  });
});

describe('mutation', () => {
  it('is reproducible and leaves the seeds unchanged', () => {
    const seeds = [NESTED.slice(), frames([NESTED])];
    const copies = seeds.map((s) => Uint8Array.from(s));
    const once = fc.sample(fuzzCaseArb(seeds.length), { numRuns: 200, seed: 5 });
    const twice = fc.sample(fuzzCaseArb(seeds.length), { numRuns: 200, seed: 5 });
    const bytesOnce = once.map((c) => materialize(c, seeds, messagePrefixes));
    expect(twice.map((c) => materialize(c, seeds, messagePrefixes))).toEqual(bytesOnce);
    expect(seeds).toEqual(copies);
    // Most mutants differ from every seed.
    const changed = bytesOnce.filter((b) => !seeds.some((s) => Buffer.from(s).equals(b)));
    expect(changed.length).toBeGreaterThan(150);
  });

  it('a lie rewrites one length prefix and keeps the bytes around it', () => {
    const lie = { op: 'lie', prefix: 1, lie: 'plus', delta: 200 } as const;
    const out = materialize({ kind: 'mutant', seed: 0, mutations: [lie] }, [NESTED], messagePrefixes);
    // Prefix 1 (value 3 at offset 3) now says 203, a two-byte varint.
    expect(readVarint(out, 3)).toEqual({ value: 203, end: 5 });
    expect(out.subarray(0, 3)).toEqual(NESTED.subarray(0, 3));
    expect(out.subarray(5)).toEqual(NESTED.subarray(4));
  });
});
