/**
 * A minimal protobuf wire-format reader and writer, independent of protons, used to mutate valid
 * encodings into non-canonical or malformed ones (see encoding.test.ts).
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/** One top-level field of an encoded message: bytes [start, end), its payload from `valueStart`. */
export interface WireField {
  readonly field: number;
  readonly wireType: number;
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

/** Reads a varint at `pos`; returns its value and the position after it. Throws when truncated. */
export function readVarint(bytes: Uint8Array, pos: number): { value: bigint; end: number } {
  let value = 0n;
  let shift = 0n;
  for (let i = pos; i < bytes.length; i++) {
    const byte = bytes[i]!;
    value |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
    if (byte < 0x80) return { value, end: i + 1 };
  }
  throw new RangeError('truncated varint');
}

/** The minimal varint encoding of `value`. */
export function varint(value: bigint | number): Uint8Array {
  let v = BigInt(value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/** The varint encoding of `value` padded with `extra` redundant bytes (e.g. 1 -> 0x81 0x00). */
export function paddedVarint(value: bigint | number, extra: number): Uint8Array {
  const minimal = varint(value);
  const out = new Uint8Array(minimal.length + extra);
  out.set(minimal);
  for (let i = minimal.length - 1; i < out.length - 1; i++) out[i] = out[i]! | 0x80;
  return out;
}

export function tag(field: number, wireType: number): Uint8Array {
  return varint((BigInt(field) << 3n) | BigInt(wireType));
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

/** The top-level fields of a well-formed encoding, in order. */
export function parseFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const start = pos;
    const key = readVarint(bytes, pos);
    const field = Number(key.value >> 3n);
    const wireType = Number(key.value & 7n);
    const valueStart = key.end;
    let end: number;
    switch (wireType) {
      case WIRE_VARINT:
        end = readVarint(bytes, valueStart).end;
        break;
      case WIRE_FIXED64:
        end = valueStart + 8;
        break;
      case WIRE_LENGTH_DELIMITED: {
        const length = readVarint(bytes, valueStart);
        end = length.end + Number(length.value);
        break;
      }
      case WIRE_FIXED32:
        end = valueStart + 4;
        break;
      default:
        throw new RangeError(`unsupported wire type ${wireType}`);
    }
    if (end > bytes.length) throw new RangeError('truncated field');
    fields.push({ field, wireType, start, valueStart, end });
    pos = end;
  }
  return fields;
}

/** `bytes` with `insert` spliced in at `at`. */
export function insertAt(bytes: Uint8Array, at: number, insert: Uint8Array): Uint8Array {
  return concat(bytes.subarray(0, at), insert, bytes.subarray(at));
}

/** A field of `wireType` number `field` holding a default (zero or empty) value. */
export function defaultField(field: number, wireType: number): Uint8Array {
  switch (wireType) {
    case WIRE_FIXED64:
      return concat(tag(field, wireType), new Uint8Array(8));
    case WIRE_FIXED32:
      return concat(tag(field, wireType), new Uint8Array(4));
    default:
      return concat(tag(field, wireType), Uint8Array.of(0));
  }
}
