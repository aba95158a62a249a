/**
 * Bounded, canonical protobuf decoding, shared by the consensus objects (src/chain/encoding) and
 * the wire messages (src/p2p/wire): the byte length is checked before parsing, repeated fields are
 * capped while parsing (protons `limits`), and the result is re-encoded and compared with the
 * input, so every message has exactly one valid encoding. Callers turn the failure kind into their
 * own typed error.
 */
import { bytesEqual } from '../../crypto/hash.js';

/** What went wrong: too many bytes, a repeated field over its cap, undecodable, or not canonical. */
export type DecodeFailure = 'OVERSIZE' | 'TOO_MANY' | 'MALFORMED' | 'NON_CANONICAL';

export interface ProtobufCodec<T> {
  encode(obj: Partial<T>): Uint8Array;
  decode(buf: Uint8Array, opts?: { limits?: unknown }): T;
}

export interface CanonicalDecodeOptions<T> {
  maxBytes: number;
  /** protons repeated-field limits. */
  limits?: unknown;
  /** Name of the message, for error messages. */
  what: string;
  /** Fixes up decoded values before re-encoding (e.g. fixed64 read as signed). */
  normalize?: (decoded: T) => void;
  /** Builds the caller's typed error. */
  fail: (kind: DecodeFailure, message: string) => Error;
}

export function decodeCanonical<T>(
  codec: ProtobufCodec<T>,
  bytes: Uint8Array,
  options: CanonicalDecodeOptions<T>,
): T {
  const { maxBytes, limits, what, normalize, fail } = options;
  if (bytes.length > maxBytes) throw fail('OVERSIZE', `${what} of ${bytes.length} bytes exceeds ${maxBytes}`);
  let decoded: T;
  try {
    decoded = codec.decode(bytes, { limits });
    normalize?.(decoded);
  } catch (err) {
    const kind = (err as Error).name === 'MaxLengthError' ? 'TOO_MANY' : 'MALFORMED';
    throw fail(kind, `${what}: ${(err as Error).message}`);
  }
  let reencoded: Uint8Array;
  try {
    reencoded = codec.encode(decoded);
  } catch (err) {
    throw fail('MALFORMED', `${what} cannot be re-encoded: ${(err as Error).message}`);
  }
  if (!bytesEqual(reencoded, bytes)) throw fail('NON_CANONICAL', `${what} is not canonically encoded`);
  return decoded;
}
