/**
 * Finds the length prefixes inside a protobuf encoding, so the fuzzer can lie in them: a
 * tolerant walk of the wire format (independent of protons) that records every length-delimited
 * field's length varint and descends into its payload when that payload itself parses as a
 * message. Also finds the stream frame prefix when the bytes are a sequence of frames.
 */

/** Where a length varint sits and what it says. */
export interface LengthPrefix {
  /** Offset of the varint's first byte. */
  readonly start: number;
  /** Offset just past the varint. */
  readonly end: number;
  /** The length it encodes. */
  readonly value: number;
}

/** Deepest nesting the walk descends into (consensus objects nest 3 levels; frames add one). */
const MAX_DEPTH = 6;

/** Reads a varint at `pos` (at most 10 bytes); undefined when truncated or longer. */
export function readVarint(bytes: Uint8Array, pos: number): { value: number; end: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < bytes.length && i < pos + 10; i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return { value, end: i + 1 };
  }
  return undefined;
}

/** The minimal varint encoding of a non-negative integer (up to 2^53). */
export function encodeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/**
 * Walks `bytes[from, to)` as a message; returns false when it does not parse (the caller then
 * treats the range as opaque bytes), collecting prefixes of every length-delimited field found.
 */
function walkMessage(
  bytes: Uint8Array,
  from: number,
  to: number,
  depth: number,
  out: LengthPrefix[],
): boolean {
  const found: LengthPrefix[] = [];
  const nested: Array<[number, number]> = [];
  let pos = from;
  while (pos < to) {
    const key = readVarint(bytes, pos);
    if (key === undefined || key.end > to || key.value < 8) return false;
    pos = key.end;
    switch (key.value % 8) {
      case 0: {
        const v = readVarint(bytes, pos);
        if (v === undefined || v.end > to) return false;
        pos = v.end;
        break;
      }
      case 1:
        pos += 8;
        break;
      case 5:
        pos += 4;
        break;
      case 2: {
        const length = readVarint(bytes, pos);
        if (length === undefined || length.end + length.value > to) return false;
        found.push({ start: pos, end: length.end, value: length.value });
        nested.push([length.end, length.end + length.value]);
        pos = length.end + length.value;
        break;
      }
      default:
        return false;
    }
    if (pos > to) return false;
  }
  out.push(...found);
  if (depth < MAX_DEPTH) {
    for (const [start, end] of nested) walkMessage(bytes, start, end, depth + 1, out);
  }
  return true;
}

/** Every length prefix of a protobuf message, outermost first. */
export function messagePrefixes(bytes: Uint8Array): LengthPrefix[] {
  const out: LengthPrefix[] = [];
  walkMessage(bytes, 0, bytes.length, 0, out);
  return out;
}

/** The prefixes of a sequence of stream frames (each frame's length, then the messages inside). */
export function framePrefixes(bytes: Uint8Array): LengthPrefix[] {
  const out: LengthPrefix[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const length = readVarint(bytes, pos);
    if (length === undefined || length.end + length.value > bytes.length) break;
    out.push({ start: pos, end: length.end, value: length.value });
    walkMessage(bytes, length.end, length.end + length.value, 1, out);
    pos = length.end + length.value;
  }
  return out;
}
