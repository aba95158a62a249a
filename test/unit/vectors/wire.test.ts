/**
 * Decodes every wire vector (test/vectors/wire.json) with the reference decoders and framing, and
 * checks its stated verdict: the decoded message, or the violation and the offence it costs.
 */
import { describe, expect, it } from 'vitest';
import { checkResponse } from '../../../src/p2p/getdata/client.js';
import { decodeData, decodeGetData } from '../../../src/p2p/wire/codec.js';
import { txidOfBytes } from '../../../src/chain/objects/transaction.js';
import { blockParts, compactBlockOf, encodeCompactBlock } from '../../../src/p2p/compact/compact-block.js';
import { shortIdKey, shortIdOf } from '../../../src/p2p/compact/short-ids.js';
import { hex, readVectors, unhex, type VectorFile } from './format.js';
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

const compactFile = file as typeof file & {
  compactBlocks: Array<{
    name: string;
    block: string;
    nonce: string;
    key: string;
    txids: string[];
    shortIds: string[];
    compactBlock: string;
  }>;
};

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

describe('compact block vectors', () => {
  it.each(compactFile.compactBlocks)('$name', (v) => {
    const block = unhex(v.block);
    const nonce = unhex(v.nonce);
    const { header, txs } = blockParts(block);
    expect(hex(shortIdKey(header, nonce))).toBe(v.key);
    expect(txs.slice(1).map((tx) => hex(txidOfBytes(tx)))).toEqual(v.txids);
    const key = unhex(v.key);
    expect(v.txids.map((txid) => shortIdOf(key, unhex(txid)).toString(16).padStart(12, '0'))).toEqual(
      v.shortIds,
    );
    expect(hex(encodeCompactBlock(compactBlockOf(block, nonce)))).toBe(v.compactBlock);
  });
});
