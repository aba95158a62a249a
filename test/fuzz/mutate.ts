/**
 * Fast-check-driven mutation of valid encodings: an input is either random bytes or a seed (a
 * valid encoding) with a chain of mutations: flip a bit, overwrite a byte with an interesting
 * value, truncate, extend, insert, delete, duplicate a range, splice in a range of another seed,
 * or lie in a length prefix (shorter, longer, zero, huge, non-minimal). Mutations are plain data,
 * so fast-check can replay and shrink them, and every input is reproducible from its seed.
 */
import fc from 'fast-check';
import { encodeVarint, type LengthPrefix } from './protobuf-prefixes.js';

/** Positions are fractions of the current length, in 1/POSITION_SCALE steps (survive truncation). */
const POSITION_SCALE = 0x1_0000;
/** Longest run of random bytes added by one mutation (enough to cross a varint and a hash). */
const MAX_ADDED_BYTES = 64;
/** Longest purely random input. */
const MAX_RANDOM_BYTES = 512;
/** Most mutations chained on one seed. */
const MAX_MUTATIONS = 4;
/** Byte values that sit on varint, sign and type boundaries. */
const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x07, 0x08, 0x0a, 0x12, 0x1a, 0x7f, 0x80, 0x81, 0xfe, 0xff];
/** What a lying length prefix says instead of the truth. */
const LIES = ['plus', 'minus', 'zero', 'huge', 'max32', 'pad'] as const;

type Lie = (typeof LIES)[number];

export type Mutation =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'set'; readonly at: number; readonly value: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'extend'; readonly bytes: Uint8Array }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly length: number }
  | {
      readonly op: 'splice';
      readonly at: number;
      readonly donor: number;
      readonly from: number;
      readonly length: number;
    }
  | { readonly op: 'lie'; readonly prefix: number; readonly lie: Lie; readonly delta: number };

/** One fuzz input, as data: how to build its bytes from the target's seeds. */
export type FuzzCase =
  | { readonly kind: 'random'; readonly bytes: Uint8Array }
  | { readonly kind: 'mutant'; readonly seed: number; readonly mutations: readonly Mutation[] };

/** How a target finds the length prefixes of its inputs (messages or frame sequences). */
export type PrefixFinder = (bytes: Uint8Array) => LengthPrefix[];

const position = fc.integer({ min: 0, max: POSITION_SCALE - 1 });
const addedBytes = fc.uint8Array({ minLength: 1, maxLength: MAX_ADDED_BYTES });

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    op: fc.constant('set' as const),
    at: position,
    value: fc.oneof(fc.constantFrom(...INTERESTING_BYTES), fc.integer({ min: 0, max: 255 })),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: position }),
  fc.record({ op: fc.constant('extend' as const), bytes: addedBytes }),
  fc.record({ op: fc.constant('insert' as const), at: position, bytes: addedBytes }),
  fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    op: fc.constant('splice' as const),
    at: position,
    donor: fc.nat(),
    from: position,
    length: fc.integer({ min: 1, max: 256 }),
  }),
  // Lies in length prefixes weigh double: they are what bounded decoders exist for.
  {
    arbitrary: fc.record({
      op: fc.constant('lie' as const),
      prefix: fc.nat(),
      lie: fc.constantFrom(...LIES),
      delta: fc.integer({ min: 1, max: 300 }),
    }),
    weight: 2,
  },
);

/** Inputs for a target with `seedCount` seeds: 1 in 8 random, the rest mutated seeds. */
export function fuzzCaseArb(seedCount: number): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('random' as const),
        bytes: fc.uint8Array({ maxLength: MAX_RANDOM_BYTES }),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('mutant' as const),
        seed: fc.integer({ min: 0, max: seedCount - 1 }),
        mutations: fc.array(mutationArb, { minLength: 1, maxLength: MAX_MUTATIONS }),
      }),
      weight: 7,
    },
  );
}

const at = (fraction: number, length: number): number => Math.floor((fraction / POSITION_SCALE) * length);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The varint that `lie` puts in place of a prefix saying `value`. */
function lieVarint(value: number, lie: Lie, delta: number): Uint8Array {
  switch (lie) {
    case 'plus':
      return encodeVarint(value + delta);
    case 'minus':
      return encodeVarint(Math.max(0, value - delta));
    case 'zero':
      return encodeVarint(0);
    case 'huge':
      return encodeVarint(2 ** 31 + delta);
    case 'max32':
      return encodeVarint(2 ** 32 - 1);
    case 'pad': {
      // The same value, non-minimally encoded with `delta % 3 + 1` redundant bytes.
      const minimal = encodeVarint(value);
      const padded = new Uint8Array(minimal.length + (delta % 3) + 1);
      padded.set(minimal);
      for (let i = minimal.length - 1; i < padded.length - 1; i++) padded[i] = padded[i]! | 0x80;
      return padded;
    }
  }
}

function apply(
  bytes: Uint8Array,
  m: Mutation,
  seeds: readonly Uint8Array[],
  prefixes: PrefixFinder,
): Uint8Array {
  const n = bytes.length;
  switch (m.op) {
    case 'flip': {
      if (n === 0) return bytes;
      const out = Uint8Array.from(bytes);
      out[at(m.at, n)]! ^= 1 << m.bit;
      return out;
    }
    case 'set': {
      if (n === 0) return bytes;
      const out = Uint8Array.from(bytes);
      out[at(m.at, n)] = m.value;
      return out;
    }
    case 'truncate':
      return bytes.subarray(0, at(m.at, n));
    case 'extend':
      return concat(bytes, m.bytes);
    case 'insert': {
      const i = at(m.at, n + 1);
      return concat(bytes.subarray(0, i), m.bytes, bytes.subarray(i));
    }
    case 'delete': {
      const i = at(m.at, n);
      return concat(bytes.subarray(0, i), bytes.subarray(i + m.length));
    }
    case 'duplicate': {
      const i = at(m.at, n);
      return concat(bytes.subarray(0, i + m.length), bytes.subarray(i));
    }
    case 'splice': {
      const donor = seeds[m.donor % seeds.length]!;
      const from = at(m.from, donor.length);
      const i = at(m.at, n);
      return concat(bytes.subarray(0, i), donor.subarray(from, from + m.length), bytes.subarray(i));
    }
    case 'lie': {
      const found = prefixes(bytes);
      if (found.length === 0) return bytes;
      const prefix = found[m.prefix % found.length]!;
      return concat(
        bytes.subarray(0, prefix.start),
        lieVarint(prefix.value, m.lie, m.delta),
        bytes.subarray(prefix.end),
      );
    }
  }
}

/** The bytes of a fuzz case. */
export function materialize(
  input: FuzzCase,
  seeds: readonly Uint8Array[],
  prefixes: PrefixFinder,
): Uint8Array {
  if (input.kind === 'random') return input.bytes;
  let bytes = seeds[input.seed]!;
  for (const mutation of input.mutations) bytes = apply(bytes, mutation, seeds, prefixes);
  return bytes;
}
