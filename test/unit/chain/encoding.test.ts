/**
 * The canonical codec: valid objects round trip, every other encoding of them is rejected with an
 * encoding code (never another exception), and size limits are enforced before parsing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BlockHeader,
  decodeBlock,
  decodeHeader,
  decodeTransaction,
  encodeBlock,
  encodeHeader,
  encodeTransaction,
  headerBytesOfBlock,
  type Transaction,
  type TxInput,
} from '../../../src/chain/encoding/codec.js';
import {
  MAX_BLOCK_BYTES,
  MAX_BLOCK_TXS,
  MAX_HEADER_BYTES,
  MAX_TX_BYTES,
  MAX_TX_INPUTS,
  MAX_TX_OUTPUTS,
} from '../../../src/chain/encoding/limits.js';
import { type ErrorCode, ValidationError } from '../../../src/chain/errors.js';
import type { FullBlock } from '../../../src/chain/objects/block.js';
import { txidOf, txidOfBytes } from '../../../src/chain/objects/transaction.js';
import { MAX_MONEY } from '../../../src/chain/params.js';
import { blockArb, headerArb, transactionArb } from './arbitraries.js';
import { bytes, expectValidationError, GENESIS, thrownBy } from './builders.js';
import {
  concat,
  defaultField,
  insertAt,
  paddedVarint,
  parseFields,
  readVarint,
  tag,
  varint,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from './wire.js';

const ENCODING_CODES: readonly ErrorCode[] = ['OVERSIZE', 'MALFORMED_ENCODING', 'NON_CANONICAL_ENCODING'];
const REENCODING_CODES: readonly ErrorCode[] = ['MALFORMED_ENCODING', 'NON_CANONICAL_ENCODING'];

/** Asserts `fn` throws a REJECT ValidationError whose code is one of `codes`. */
function expectRejected(fn: () => unknown, codes: readonly ErrorCode[] = REENCODING_CODES): void {
  const err = thrownBy(fn);
  expect(err).toBeInstanceOf(ValidationError);
  expect(codes).toContain((err as ValidationError).code);
  expect((err as ValidationError).verdict).toBe('REJECT');
}

/** Either `decode` throws an encoding ValidationError, or `input` was the canonical encoding of its result. */
function expectRejectedOrCanonical<T>(
  decode: (b: Uint8Array) => T,
  encode: (x: T) => Uint8Array,
  input: Uint8Array,
) {
  let decoded: T;
  try {
    decoded = decode(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    expect(ENCODING_CODES).toContain((err as ValidationError).code);
    return;
  }
  expect(encode(decoded)).toEqual(input);
}

interface Kind<T> {
  readonly name: string;
  readonly arb: fc.Arbitrary<T>;
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
  /** Wire type of every non-repeated field, by field number. */
  readonly singular: ReadonlyMap<number, number>;
}

const txKind: Kind<Transaction> = {
  name: 'transaction',
  arb: transactionArb,
  encode: encodeTransaction,
  decode: decodeTransaction,
  singular: new Map([
    [1, WIRE_VARINT],
    [4, WIRE_VARINT],
    [5, WIRE_VARINT],
  ]),
};

const headerKind: Kind<BlockHeader> = {
  name: 'block header',
  arb: headerArb,
  encode: encodeHeader,
  decode: decodeHeader,
  singular: new Map([
    [1, WIRE_VARINT],
    [2, WIRE_VARINT],
    [3, WIRE_LENGTH_DELIMITED],
    [4, WIRE_LENGTH_DELIMITED],
    [5, WIRE_VARINT],
    [6, WIRE_LENGTH_DELIMITED],
    [7, WIRE_LENGTH_DELIMITED],
    [8, WIRE_LENGTH_DELIMITED],
    [9, WIRE_FIXED64],
  ]),
};

const blockKind: Kind<FullBlock> = {
  name: 'block',
  arb: blockArb,
  encode: encodeBlock,
  decode: (b) => decodeBlock(b) as FullBlock,
  singular: new Map([[1, WIRE_LENGTH_DELIMITED]]),
};

/** Picks element `index` modulo the length. */
function pick<T>(items: readonly T[], index: number): T {
  return items[index % items.length]!;
}

function boundaries(encoded: Uint8Array): number[] {
  return [0, ...parseFields(encoded).map((f) => f.end)];
}

function encodingSuite<T>(kind: Kind<T>): void {
  const encodedArb = kind.arb.map((value) => kind.encode(value));

  describe(`${kind.name} encoding`, () => {
    it('round trips valid objects', () => {
      fc.assert(
        fc.property(kind.arb, (value) => {
          const encoded = kind.encode(value);
          const decoded = kind.decode(encoded);
          expect(decoded).toEqual(value);
          expect(kind.encode(decoded)).toEqual(encoded);
        }),
      );
    });

    it('rejects an unknown field at any position', () => {
      const unknownArb = fc.record({
        field: fc.integer({ min: 16, max: 2 ** 29 - 1 }),
        wireType: fc.constantFrom(WIRE_VARINT, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_FIXED32),
        payload: fc.uint8Array({ maxLength: 12 }),
        value: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      });
      fc.assert(
        fc.property(encodedArb, unknownArb, fc.nat(), (encoded, u, at) => {
          let field: Uint8Array;
          if (u.wireType === WIRE_VARINT) field = concat(tag(u.field, u.wireType), varint(u.value));
          else if (u.wireType === WIRE_FIXED64)
            field = concat(tag(u.field, u.wireType), new Uint8Array(8).fill(7));
          else if (u.wireType === WIRE_FIXED32)
            field = concat(tag(u.field, u.wireType), new Uint8Array(4).fill(7));
          else field = concat(tag(u.field, u.wireType), varint(u.payload.length), u.payload);
          const mutated = insertAt(encoded, pick(boundaries(encoded), at), field);
          expectValidationError(() => kind.decode(mutated), 'NON_CANONICAL_ENCODING', 'REJECT');
        }),
      );
    });

    it('rejects a duplicated non-repeated field', () => {
      fc.assert(
        fc.property(encodedArb, fc.nat(), fc.nat(), (encoded, which, at) => {
          const singular = parseFields(encoded).filter((f) => kind.singular.has(f.field));
          fc.pre(singular.length > 0);
          const field = pick(singular, which);
          const mutated = insertAt(
            encoded,
            pick(boundaries(encoded), at),
            encoded.slice(field.start, field.end),
          );
          expectValidationError(() => kind.decode(mutated), 'NON_CANONICAL_ENCODING', 'REJECT');
        }),
      );
    });

    it('rejects a default value written explicitly', () => {
      const fieldNumbers = [...kind.singular.keys()];
      fc.assert(
        fc.property(encodedArb, fc.nat(), fc.nat(), (encoded, which, at) => {
          const field = pick(fieldNumbers, which);
          const mutated = insertAt(
            encoded,
            pick(boundaries(encoded), at),
            defaultField(field, kind.singular.get(field)!),
          );
          expectValidationError(() => kind.decode(mutated), 'NON_CANONICAL_ENCODING', 'REJECT');
        }),
      );
    });

    it('rejects fields out of order', () => {
      fc.assert(
        fc.property(encodedArb, fc.nat(), (encoded, which) => {
          const fields = parseFields(encoded);
          const swappable = fields
            .slice(0, -1)
            .flatMap((f, i) => (f.field !== fields[i + 1]!.field ? [i] : []));
          fc.pre(swappable.length > 0);
          const i = pick(swappable, which);
          const a = fields[i]!;
          const b = fields[i + 1]!;
          const mutated = concat(
            encoded.subarray(0, a.start),
            encoded.subarray(b.start, b.end),
            encoded.subarray(a.start, a.end),
            encoded.subarray(b.end),
          );
          expectValidationError(() => kind.decode(mutated), 'NON_CANONICAL_ENCODING', 'REJECT');
        }),
      );
    });

    it('rejects a non-minimal varint (tag, value or length prefix)', () => {
      fc.assert(
        fc.property(
          encodedArb,
          fc.nat(),
          fc.nat(),
          fc.integer({ min: 1, max: 3 }),
          (encoded, which, part, extra) => {
            const field = pick(parseFields(encoded), which);
            // The varints of this field: its tag, then its value (wire type 0) or length prefix (wire type 2).
            const spans: [number, number][] = [[field.start, field.valueStart]];
            if (field.wireType === WIRE_VARINT || field.wireType === WIRE_LENGTH_DELIMITED) {
              spans.push([field.valueStart, readVarint(encoded, field.valueStart).end]);
            }
            const [start, end] = pick(spans, part);
            const { value } = readVarint(encoded, start);
            const mutated = concat(
              encoded.subarray(0, start),
              paddedVarint(value, extra),
              encoded.subarray(end),
            );
            expectRejected(() => kind.decode(mutated));
          },
        ),
      );
    });

    it('rejects truncation inside a field; a cut between fields is another canonical object or rejected', () => {
      fc.assert(
        fc.property(encodedArb, fc.nat(), (encoded, at) => {
          const cut = at % encoded.length;
          const truncated = encoded.slice(0, cut);
          if (boundaries(encoded).includes(cut)) {
            expectRejectedOrCanonical(kind.decode, kind.encode, truncated);
          } else {
            expectValidationError(() => kind.decode(truncated), 'MALFORMED_ENCODING', 'REJECT');
          }
        }),
      );
    });

    it('throws nothing but encoding ValidationErrors on random bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 400 }), (garbage) => {
          expectRejectedOrCanonical(kind.decode, kind.encode, garbage);
        }),
        { numRuns: 1_000 },
      );
    });

    it('throws nothing but encoding ValidationErrors on corrupted valid encodings', () => {
      const corruption = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      });
      fc.assert(
        fc.property(encodedArb, corruption, fc.uint8Array({ maxLength: 16 }), (encoded, writes, suffix) => {
          const mutated = concat(encoded, suffix);
          for (const [at, byte] of writes) mutated[at % mutated.length] = byte;
          expectRejectedOrCanonical(kind.decode, kind.encode, mutated);
        }),
        { numRuns: 500 },
      );
    });
  });
}

encodingSuite(txKind);
encodingSuite(headerKind);
encodingSuite(blockKind);

/** A plausible transaction for the fixed-example tests below. */
function sampleTx(overrides: Partial<Transaction> = {}): Transaction {
  return {
    version: 1,
    inputs: [
      {
        prevTxid: bytes(new Uint8Array(32).fill(1)),
        outputIndex: 3,
        publicKey: bytes(new Uint8Array(32).fill(2)),
        signature: bytes(new Uint8Array(64).fill(3)),
      },
    ],
    outputs: [{ amount: 5_000n, address: bytes(new Uint8Array(20).fill(4)) }],
    timestamp: 1_767_225_600_000,
    coinbaseHeight: 0,
    ...overrides,
  };
}

const emptyInput = (): TxInput => ({
  prevTxid: bytes(new Uint8Array(0)),
  outputIndex: 0,
  publicKey: bytes(new Uint8Array(0)),
  signature: bytes(new Uint8Array(0)),
});

describe('non-canonical examples', () => {
  it('rejects version 0 written as 08 00', () => {
    const encoded = encodeTransaction(sampleTx({ version: 0 }));
    expect(encoded[0]).not.toBe(0x08);
    expect(() => decodeTransaction(encoded)).not.toThrow();
    expectValidationError(
      () => decodeTransaction(concat(Uint8Array.of(0x08, 0x00), encoded)),
      'NON_CANONICAL_ENCODING',
      'REJECT',
    );
  });

  it('rejects version 1 written as the non-minimal varint 81 00, and a tag written as 88 00', () => {
    const encoded = encodeTransaction(sampleTx());
    expect([...encoded.subarray(0, 2)]).toEqual([0x08, 0x01]);
    const longValue = concat(Uint8Array.of(0x08, 0x81, 0x00), encoded.subarray(2));
    expectValidationError(() => decodeTransaction(longValue), 'NON_CANONICAL_ENCODING', 'REJECT');
    const longTag = concat(Uint8Array.of(0x88, 0x00, 0x01), encoded.subarray(2));
    expectValidationError(() => decodeTransaction(longTag), 'NON_CANONICAL_ENCODING', 'REJECT');
  });

  it('rejects a zero nonce written explicitly as fixed64', () => {
    const header = GENESIS.header;
    expect(header.nonce).toBe(0n);
    const encoded = encodeHeader(header);
    const explicit = concat(encoded, tag(9, WIRE_FIXED64), new Uint8Array(8));
    expectValidationError(() => decodeHeader(explicit), 'NON_CANONICAL_ENCODING', 'REJECT');
  });

  it('rejects an unknown field inside a nested input', () => {
    const tx = sampleTx();
    const rest = encodeTransaction({ ...tx, version: 0, inputs: [] });
    const withInput = (body: Uint8Array) =>
      concat(Uint8Array.of(0x08, 0x01), tag(2, WIRE_LENGTH_DELIMITED), varint(body.length), body, rest);
    const body = encodeInputBody(tx.inputs[0]!);
    expect(withInput(body)).toEqual(encodeTransaction(tx));
    // Unknown field 9 (varint 1) appended inside the input.
    const mutated = withInput(concat(body, Uint8Array.of(0x48, 0x01)));
    expectValidationError(() => decodeTransaction(mutated), 'NON_CANONICAL_ENCODING', 'REJECT');
  });

  // BUG (src/chain/encoding/objects.pb.ts, BlockHeader decode `obj.nonce = reader.fixed64()`): protons
  // reads fixed64 as a SIGNED 64-bit value, so a nonce >= 2^63 decodes negative and re-encodes to other
  // bytes. searchNonce and the .proto (fixed64) allow the whole u64 range, so an honest miner's block
  // would be rejected as NON_CANONICAL_ENCODING (REJECT) by every peer.
  it('round trips header nonces in [2^63, 2^64) (the full fixed64 range)', () => {
    for (const nonce of [1n << 63n, (1n << 63n) + 12_345n, (1n << 64n) - 2n, (1n << 64n) - 1n]) {
      const header = { ...GENESIS.header, nonce };
      const encoded = encodeHeader(header);
      expect(
        thrownBy(() => decodeHeader(encoded)),
        `nonce ${nonce}`,
      ).toBeUndefined();
      expect(decodeHeader(encoded).nonce).toBe(nonce);
      expect((decodeBlock(encodeBlock({ ...GENESIS, header })) as FullBlock).header.nonce).toBe(nonce);
    }
  });

  it('rejects a decodable header whose bytes have trailing garbage', () => {
    const encoded = encodeHeader(GENESIS.header);
    expectRejected(() => decodeHeader(concat(encoded, Uint8Array.of(0x00))));
  });

  it('rejects a block without a header as malformed', () => {
    const encoded = encodeBlock({ transactions: [sampleTx()] });
    expectValidationError(() => decodeBlock(encoded), 'MALFORMED_ENCODING', 'REJECT');
  });

  it('survives deeply nested groups (stack exhaustion) with MALFORMED_ENCODING', () => {
    // Field 6, wire type 3 (start group), repeated: skipping recurses once per byte.
    const nested = new Uint8Array(MAX_TX_BYTES).fill((6 << 3) | 3);
    expectRejected(() => decodeTransaction(nested));
    expectRejected(() => decodeBlock(new Uint8Array(MAX_BLOCK_BYTES).fill((6 << 3) | 3)));
  });

  it('rejects timestamps beyond the safe-integer range without crashing', () => {
    const encoded = encodeTransaction(sampleTx({ timestamp: 0 }));
    const huge = concat(encoded, tag(4, WIRE_VARINT), varint((1n << 63n) + 5n));
    expectRejected(() => decodeTransaction(huge));
  });

  it('txidOfBytes of the canonical bytes equals txidOf the decoded transaction', () => {
    fc.assert(
      fc.property(transactionArb, (tx) => {
        const encoded = encodeTransaction(tx);
        expect(txidOf(decodeTransaction(encoded))).toEqual(txidOfBytes(encoded));
      }),
    );
  });
});

/** The body (no length prefix) of an encoded TxInput: a transaction's first field's payload. */
function encodeInputBody(input: TxInput): Uint8Array {
  const encoded = encodeTransaction({
    version: 0,
    inputs: [input],
    outputs: [],
    timestamp: 0,
    coinbaseHeight: 0,
  });
  const [field] = parseFields(encoded);
  return encoded.slice(readVarint(encoded, field!.valueStart).end, field!.end);
}

/**
 * A canonical transaction of exactly `size` bytes: a coinbase whose single output carries an
 * address of the right length (the codec does not care that it is not 20 bytes).
 */
function transactionOfSize(size: number): Transaction {
  for (let length = size; length > size - 40; length--) {
    const tx: Transaction = {
      version: 1,
      inputs: [],
      outputs: [{ amount: 1n, address: bytes(new Uint8Array(length).fill(9)) }],
      timestamp: 1,
      coinbaseHeight: 1,
    };
    for (const timestamp of [1, 200, 20_000, 3_000_000]) {
      tx.timestamp = timestamp;
      if (encodeTransaction(tx).length === size) return tx;
    }
  }
  throw new Error(`no transaction of ${size} bytes`);
}

function headerOfSize(size: number): BlockHeader {
  for (let length = size; length > 0; length--) {
    const header = { ...GENESIS.header, minerSignature: bytes(new Uint8Array(length).fill(5)) };
    if (encodeHeader(header).length === size) return header;
  }
  throw new Error(`no header of ${size} bytes`);
}

function blockOfSize(size: number): FullBlock {
  const headerBytes = encodeHeader(GENESIS.header).length;
  for (const txSize of [size - headerBytes - 8, size - headerBytes - 7, size - headerBytes - 6]) {
    const block: FullBlock = { header: GENESIS.header, transactions: [transactionOfSize(txSize)] };
    if (encodeBlock(block).length === size) return block;
  }
  throw new Error(`no block of ${size} bytes`);
}

describe('size limits', () => {
  it('accepts a transaction of exactly MAX_TX_BYTES and rejects one byte more as OVERSIZE', () => {
    const atLimit = encodeTransaction(transactionOfSize(MAX_TX_BYTES));
    expect(atLimit.length).toBe(MAX_TX_BYTES);
    expect(() => decodeTransaction(atLimit)).not.toThrow();
    const over = encodeTransaction(transactionOfSize(MAX_TX_BYTES + 1));
    expectValidationError(() => decodeTransaction(over), 'OVERSIZE', 'REJECT');
  });

  it('checks the size before parsing: oversize garbage is OVERSIZE, not MALFORMED', () => {
    expectValidationError(
      () => decodeTransaction(new Uint8Array(MAX_TX_BYTES + 1).fill(0xff)),
      'OVERSIZE',
      'REJECT',
    );
    expectValidationError(
      () => decodeHeader(new Uint8Array(MAX_HEADER_BYTES + 1).fill(0xff)),
      'OVERSIZE',
      'REJECT',
    );
    expectValidationError(
      () => decodeBlock(new Uint8Array(MAX_BLOCK_BYTES + 1).fill(0xff)),
      'OVERSIZE',
      'REJECT',
    );
  });

  it('accepts a header of exactly MAX_HEADER_BYTES and rejects one byte more', () => {
    const atLimit = encodeHeader(headerOfSize(MAX_HEADER_BYTES));
    expect(atLimit.length).toBe(MAX_HEADER_BYTES);
    expect(() => decodeHeader(atLimit)).not.toThrow();
    const over = encodeHeader(headerOfSize(MAX_HEADER_BYTES + 1));
    expectValidationError(() => decodeHeader(over), 'OVERSIZE', 'REJECT');
  });

  it('accepts a block of exactly MAX_BLOCK_BYTES and rejects one byte more', () => {
    const atLimit = encodeBlock(blockOfSize(MAX_BLOCK_BYTES));
    expect(atLimit.length).toBe(MAX_BLOCK_BYTES);
    expect(() => decodeBlock(atLimit)).not.toThrow();
    const over = encodeBlock(blockOfSize(MAX_BLOCK_BYTES + 1));
    expectValidationError(() => decodeBlock(over), 'OVERSIZE', 'REJECT');
  });

  it('caps repeated inputs at MAX_TX_INPUTS', () => {
    const tx = (n: number) => encodeTransaction(sampleTx({ inputs: Array.from({ length: n }, emptyInput) }));
    expect(decodeTransaction(tx(MAX_TX_INPUTS)).inputs).toHaveLength(MAX_TX_INPUTS);
    expect(tx(MAX_TX_INPUTS + 1).length).toBeLessThan(MAX_TX_BYTES);
    expectValidationError(() => decodeTransaction(tx(MAX_TX_INPUTS + 1)), 'OVERSIZE', 'REJECT');
  });

  it('caps repeated outputs at MAX_TX_OUTPUTS', () => {
    const output = { amount: 0n, address: bytes(new Uint8Array(0)) };
    const tx = (n: number) =>
      encodeTransaction(sampleTx({ outputs: Array.from({ length: n }, () => output) }));
    expect(decodeTransaction(tx(MAX_TX_OUTPUTS)).outputs).toHaveLength(MAX_TX_OUTPUTS);
    expect(tx(MAX_TX_OUTPUTS + 1).length).toBeLessThan(MAX_TX_BYTES);
    expectValidationError(() => decodeTransaction(tx(MAX_TX_OUTPUTS + 1)), 'OVERSIZE', 'REJECT');
  });

  it('caps a block at MAX_BLOCK_TXS transactions, and its transactions at MAX_TX_INPUTS', () => {
    const tiny: Transaction = { version: 1, inputs: [], outputs: [], timestamp: 0, coinbaseHeight: 0 };
    const block = (n: number) =>
      encodeBlock({ header: GENESIS.header, transactions: Array.from({ length: n }, () => tiny) });
    expect(decodeBlock(block(MAX_BLOCK_TXS)).transactions).toHaveLength(MAX_BLOCK_TXS);
    expectValidationError(() => decodeBlock(block(MAX_BLOCK_TXS + 1)), 'OVERSIZE', 'REJECT');

    const wide = sampleTx({ inputs: Array.from({ length: MAX_TX_INPUTS + 1 }, emptyInput) });
    const encoded = encodeBlock({ header: GENESIS.header, transactions: [wide] });
    expectValidationError(() => decodeBlock(encoded), 'OVERSIZE', 'REJECT');
  });
});

describe('headerBytesOfBlock', () => {
  it('returns the canonical header bytes of any valid block', () => {
    fc.assert(
      fc.property(blockArb, (block) => {
        expect(headerBytesOfBlock(encodeBlock(block))).toEqual(encodeHeader(block.header));
      }),
    );
  });

  it('returns undefined when the bytes do not start with a well-formed header field', () => {
    const header = encodeHeader(GENESIS.header);
    const tooLong = encodeHeader(headerOfSize(MAX_HEADER_BYTES + 1));
    const cases: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['transaction field first', encodeBlock({ transactions: [sampleTx()] })],
      ['tag only', Uint8Array.of(0x0a)],
      ['unterminated length', Uint8Array.of(0x0a, 0x80, 0x80)],
      ['length over 3 bytes', Uint8Array.of(0x0a, 0x80, 0x80, 0x80, 0x00)],
      ['truncated header', encodeBlock(GENESIS).subarray(0, header.length)],
      [
        'header over MAX_HEADER_BYTES',
        concat(tag(1, WIRE_LENGTH_DELIMITED), varint(tooLong.length), tooLong),
      ],
    ];
    for (const [name, input] of cases) expect(headerBytesOfBlock(input), name).toBeUndefined();
  });

  it('never throws, and never reads past the input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (garbage) => {
        const input = concat(Uint8Array.of(0x0a), garbage);
        const header = headerBytesOfBlock(input);
        if (header !== undefined) expect(header.byteOffset + header.length).toBeLessThanOrEqual(input.length);
      }),
    );
  });
});

describe('amount encoding across the whole range', () => {
  it('round trips amounts at every power-of-two boundary up to MAX_MONEY (incl. [2^31, 2^32))', () => {
    const amounts: bigint[] = [];
    for (let bit = 0n; bit < 51n; bit++) amounts.push((1n << bit) - 1n, 1n << bit, (1n << bit) + 1n);
    amounts.push(2_147_483_648n, 3_000_000_000n, 4_294_967_295n, MAX_MONEY);
    for (const amount of amounts.filter((a) => a > 0n && a <= MAX_MONEY)) {
      const tx = {
        version: 1,
        inputs: [],
        outputs: [{ amount, address: new Uint8Array(20) }],
        timestamp: 1,
        coinbaseHeight: 1,
      };
      const bytes = encodeTransaction(tx);
      expect(decodeTransaction(bytes).outputs[0]!.amount).toBe(amount);
    }
  });
});
