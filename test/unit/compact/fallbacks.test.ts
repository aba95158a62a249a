/** CompactFallbacks: which blocks are fetched whole, who lied about them, within its bounds. */
import { describe, expect, it } from 'vitest';
import { encodeBlock, encodeTransaction } from '../../../src/chain/encoding/codec.js';
import { BLOCK_VERSION, merkleRoot } from '../../../src/chain/objects/block.js';
import { createCoinbase, txidOfBytes } from '../../../src/chain/objects/transaction.js';
import { compactBlockOf } from '../../../src/p2p/compact/compact-block.js';
import {
  CompactFallbacks,
  MAX_CLAIMS_PER_BLOCK,
  MAX_FULL_BLOCK_FALLBACKS,
} from '../../../src/p2p/compact/fallbacks.js';

type Bytes = Uint8Array<ArrayBuffer>;

function block(): Uint8Array {
  const txs = [1, 2, 3].map((h) =>
    createCoinbase(h, [{ amount: BigInt(h), address: new Uint8Array(32) as Bytes }], h),
  );
  return encodeBlock({
    header: {
      version: BLOCK_VERSION,
      height: 1,
      prevHash: new Uint8Array(32) as Bytes,
      merkleRoot: merkleRoot(txs.map((tx) => txidOfBytes(encodeTransaction(tx)))) as Bytes,
      timestamp: 1,
      target: new Uint8Array(32).fill(0xff) as Bytes,
      minerPublicKey: new Uint8Array(32) as Bytes,
      minerSignature: new Uint8Array(64) as Bytes,
      nonce: 1n,
    },
    transactions: txs,
  });
}

describe('CompactFallbacks', () => {
  it('names the peers whose compact block misdescribed the whole block, and forgets the block', () => {
    const bytes = block();
    const honest = compactBlockOf(bytes);
    const lie = { ...honest, shortIds: [...honest.shortIds].reverse() };
    const fallbacks = new CompactFallbacks();
    fallbacks.fetchWhole('block:b', { peer: 'honest', compact: honest });
    fallbacks.fetchWhole('block:b', { peer: 'liar', compact: lie });
    expect(fallbacks.wantsWhole('block:b')).toBe(true);
    expect(fallbacks.settle('block:b', bytes)).toEqual(['liar']);
    expect(fallbacks.wantsWhole('block:b')).toBe(false);
    expect(fallbacks.settle('block:b', bytes)).toEqual([]);
  });

  it('keeps a bounded number of blocks and of compact blocks per block', () => {
    const bytes = block();
    const lie = { ...compactBlockOf(bytes), shortIds: [] };
    const fallbacks = new CompactFallbacks();
    for (let i = 0; i < MAX_CLAIMS_PER_BLOCK + 3; i++)
      fallbacks.fetchWhole('block:x', { peer: `p${i}`, compact: lie });
    expect(fallbacks.settle('block:x', bytes)).toHaveLength(MAX_CLAIMS_PER_BLOCK);
    for (let i = 0; i <= MAX_FULL_BLOCK_FALLBACKS; i++) fallbacks.fetchWhole(`block:${i}`);
    expect(fallbacks.wantsWhole('block:0')).toBe(false); // the oldest was forgotten
    expect(fallbacks.wantsWhole(`block:${MAX_FULL_BLOCK_FALLBACKS}`)).toBe(true);
  });
});
