/**
 * Length-prefixed framing of stream messages: each frame is an unsigned LEB128 varint length (the
 * minimal encoding, at most as many bytes as the largest allowed length needs) followed by that
 * many bytes. The length is checked against the stream's maximum BEFORE any of the body is read,
 * so a peer cannot make us buffer more than one maximal frame.
 */
import type { AbortOptions, Stream } from '@libp2p/interface';
import { lpStream } from 'it-length-prefixed-stream';
import { WireError } from './errors.js';

/** Reads and writes whole frames on one stream. */
export interface FrameStream {
  /**
   * The next frame's body, or `undefined` when the remote closed its side (at a frame boundary, or
   * in the middle of a frame: a connection can drop anywhere). Throws `WireError` (OVERSIZE,
   * NON_CANONICAL length prefix) or the stream's own error (reset, abort).
   */
  read(options?: AbortOptions): Promise<Uint8Array | undefined>;
  /** Writes one frame (length prefix + body). */
  write(body: Uint8Array, options?: AbortOptions): Promise<void>;
}

/** Bytes of the minimal varint encoding of `value`. */
export function varintLength(value: number): number {
  let length = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) length++;
  return length;
}

/** Wraps `stream` (whose sink it takes over) to read frames of at most `maxFrameBytes`. */
export function frameStream(stream: Stream, maxFrameBytes: number): FrameStream {
  const maxLengthLength = varintLength(maxFrameBytes);

  // Typed structurally: it-length-prefixed-stream uses another major version of uint8arraylist.
  const lengthDecoder = (buf: { byteLength: number; get(index: number): number }): number => {
    const n = buf.byteLength;
    if (n > maxLengthLength)
      throw new WireError('OVERSIZE', `length prefix longer than ${maxLengthLength} bytes`);
    const last = buf.get(n - 1);
    // lpStream reads one more byte and calls again when we throw a RangeError.
    if ((last & 0x80) !== 0) throw new RangeError('incomplete varint');
    if (n > 1 && last === 0) throw new WireError('NON_CANONICAL', 'length prefix is not minimally encoded');
    let value = 0;
    for (let i = n - 1; i >= 0; i--) value = value * 0x80 + (buf.get(i) & 0x7f);
    return value;
  };

  const lp = lpStream(stream, { maxDataLength: maxFrameBytes, maxLengthLength, lengthDecoder });

  return {
    async read(options) {
      try {
        const frame = await lp.read(options);
        return frame.subarray();
      } catch (err) {
        const name = (err as Error).name;
        if (name === 'UnexpectedEOFError') return undefined;
        if (name === 'InvalidDataLengthError') {
          throw new WireError('OVERSIZE', `frame longer than ${maxFrameBytes} bytes`);
        }
        if (name === 'InvalidDataLengthLengthError') {
          throw new WireError('OVERSIZE', `length prefix longer than ${maxLengthLength} bytes`);
        }
        throw err;
      }
    },
    async write(body, options) {
      await lp.write(body, options);
    },
  };
}

/** A peer sent nothing (or not a whole frame) on a stream for longer than its idle limit. */
export class StreamIdleError extends Error {
  override readonly name = 'StreamIdleError';
  constructor(readonly timeoutMs: number) {
    super(`no complete frame within ${timeoutMs} ms`);
  }
}

/**
 * The next frame, as `frames.read`, but failing with `StreamIdleError` when no complete frame
 * arrives within `timeoutMs` (the timer is cleared as soon as the read settles).
 */
export async function readFrameWithin(
  frames: FrameStream,
  timeoutMs: number,
): Promise<Uint8Array | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new StreamIdleError(timeoutMs)), timeoutMs);
  try {
    return await frames.read({ signal: controller.signal });
  } catch (err) {
    if (controller.signal.aborted) throw controller.signal.reason;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
