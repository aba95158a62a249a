/**
 * Decodes every wire vector (test/vectors/wire.json) with the reference decoders and framing, and
 * checks its stated verdict: the decoded message, or the violation and the offence it costs.
 */
import { describe, expect, it } from 'vitest';
import { checkResponse } from '../../../src/p2p/getdata/client.js';
import { decodeData, decodeGetData } from '../../../src/p2p/wire/codec.js';
import { readVectors, unhex, type VectorFile } from './format.js';
import { decodeWireVector, readFrames, violationOffence, type WireMessageName } from './wire-judge.js';

const file = readVectors<
  VectorFile & {
    messages: Array<{
      name: string;
      message: WireMessageName;
      max?: number;
      hex?: string;
      prefix?: string;
      fill?: string;
      length?: number;
      expected: unknown;
    }>;
    framing: Array<{ name: string; maxFrameBytes: number; stream: string; expected: unknown }>;
    responses: Array<{ name: string; request: string; response: string; expected: unknown }>;
  }
>('wire');

function bytesOf(v: (typeof file.messages)[number]): Uint8Array {
  if (v.hex !== undefined) return unhex(v.hex);
  const out = new Uint8Array(v.length!).fill(parseInt(v.fill!, 16));
  out.set(unhex(v.prefix!));
  return out;
}

describe('wire message vectors', () => {
  it.each(file.messages)('$name', (v) => {
    expect(decodeWireVector(v.message, bytesOf(v), v.max)).toEqual(v.expected);
  });
});

describe('framing vectors', () => {
  it.each(file.framing)('$name', async (v) => {
    expect(await readFrames(v.maxFrameBytes, unhex(v.stream))).toEqual(v.expected);
  });
});

describe('getdata response vectors', () => {
  it.each(file.responses)('$name', (v) => {
    const violation = checkResponse(decodeGetData(unhex(v.request)).items, decodeData(unhex(v.response)));
    expect(
      violation === undefined
        ? { ok: true }
        : { violation: violation.kind, offence: violationOffence(violation.kind) },
    ).toEqual(v.expected);
  });
});
