/**
 * Compact blocks as pure functions: the encoding round-trips and is bounded, a block splits and
 * reassembles to the same bytes, short ids rebuild a block from a mempool, collisions and repeats
 * fall back without blame, and a compact block that misdescribes its block is told from a collision.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeHeader,
  encodeBlock,
  encodeTransaction,
  type Transaction,
} from '../../../src/chain/encoding/codec.js';
import { BLOCK_VERSION, merkleRoot } from '../../../src/chain/objects/block.js';
import { createCoinbase, txidOfBytes } from '../../../src/chain/objects/transaction.js';
import {
  assembleBlock,
  blockParts,
  type CompactBlock,
  compactBlockOf,
  decodeCompactBlock,
  encodeCompactBlock,
} from '../../../src/p2p/compact/compact-block.js';
import {
  compactMatchesBlock,
  fillMissing,
  type HeldTransaction,
  matchShortIds,
  rebuildBlock,
} from '../../../src/p2p/compact/reconstruct.js';
import { shortIdKey, shortIdOf } from '../../../src/p2p/compact/short-ids.js';
import { MAX_COMPACT_BLOCK_BYTES, SHORT_ID_BYTES } from '../../../src/p2p/wire/constants.js';
import { WireError } from '../../../src/p2p/wire/errors.js';
import { CompactBlock as CompactBlockMessage } from '../../../src/p2p/wire/messages.pb.js';

const NONCE = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
type Bytes = Uint8Array<ArrayBuffer>;

/** Distinct transactions of varied sizes (coinbase-shaped: the compact layer never validates them). */
function transactions(count: number, salt = 0): Transaction[] {
  return Array.from({ length: count }, (_, i) =>
    createCoinbase(
      i + 1,
      Array.from({ length: 1 + (i % 4) }, (_, k) => ({
        amount: BigInt(1_000 + i * 10 + k + salt),
        address: new Uint8Array(32).fill(i % 251) as Bytes,
      })),
      1_700_000_000_000 + i,
    ),
  );
}

/** A block of `txs` whose header carries their merkle root, canonically encoded. */
function blockOf(txs: Transaction[]): Uint8Array {
  const txids = txs.map((tx) => txidOfBytes(encodeTransaction(tx)));
  return encodeBlock({
    header: {
      version: BLOCK_VERSION,
      height: 7,
      prevHash: new Uint8Array(32).fill(9) as Bytes,
      merkleRoot: merkleRoot(txids) as Bytes,
      timestamp: 1_700_000_000_000,
      target: new Uint8Array(32).fill(0xff) as Bytes,
      minerPublicKey: new Uint8Array(32).fill(3) as Bytes,
      minerSignature: new Uint8Array(64).fill(4) as Bytes,
      nonce: 42n,
    },
    transactions: txs,
  });
}

function held(txs: readonly Uint8Array[]): HeldTransaction[] {
  return txs.map((bytes) => ({ txid: txidOfBytes(bytes), bytes }));
}

function kindOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof WireError ? err.kind : `not a WireError: ${String(err)}`;
  }
  return 'no error';
}

describe('compact block encoding', () => {
  it('splits a block into header and transactions and reassembles the same bytes', () => {
    const block = blockOf(transactions(300));
    const parts = blockParts(block);
    expect(parts.txs).toHaveLength(300);
    expect(assembleBlock(parts.header, parts.txs)).toEqual(block);
    expect(() => blockParts(Uint8Array.of(0x12, 0x01, 0x00))).toThrow(RangeError);
  });

  it('round-trips, with 6 bytes per transaction after the coinbase', () => {
    const block = blockOf(transactions(500));
    const compact = compactBlockOf(block, NONCE);
    const bytes = encodeCompactBlock(compact);
    expect(bytes.length).toBeLessThan(
      compact.header.length + compact.coinbase.length + 499 * SHORT_ID_BYTES + 20,
    );
    expect(bytes.length / block.length).toBeLessThan(0.1);
    const decoded = decodeCompactBlock(bytes);
    expect(decoded.shortIds).toEqual(compact.shortIds);
    expect(decoded.blockId).toEqual(compact.blockId);
    expect(decoded.coinbase).toEqual(compact.coinbase);
  });

  it('refuses what a peer may not send: bad nonce, partial short id, empty or huge fields, non-canonical', () => {
    const compact = compactBlockOf(blockOf(transactions(3)), NONCE);
    const good = encodeCompactBlock(compact);
    const with_ = (fields: Partial<Record<'header' | 'nonce' | 'coinbase' | 'shortIds', Uint8Array>>) =>
      CompactBlockMessage.encode({
        header: compact.header as Bytes,
        nonce: NONCE as Bytes,
        coinbase: compact.coinbase as Bytes,
        shortIds: new Uint8Array(12),
        ...(fields as Record<string, Bytes>),
      });
    expect(kindOf(() => decodeCompactBlock(good))).toBe('no error');
    expect(kindOf(() => decodeCompactBlock(with_({ nonce: new Uint8Array(7) })))).toBe('MALFORMED');
    expect(kindOf(() => decodeCompactBlock(with_({ shortIds: new Uint8Array(13) })))).toBe('MALFORMED');
    expect(kindOf(() => decodeCompactBlock(with_({ header: new Uint8Array(0) })))).toBe('MALFORMED');
    expect(kindOf(() => decodeCompactBlock(with_({ header: new Uint8Array(513) })))).toBe('MALFORMED');
    expect(kindOf(() => decodeCompactBlock(with_({ coinbase: new Uint8Array(0) })))).toBe('MALFORMED');
    expect(kindOf(() => decodeCompactBlock(Uint8Array.of(...good, 0x28, 0x01)))).toBe('NON_CANONICAL');
    expect(kindOf(() => decodeCompactBlock(new Uint8Array(MAX_COMPACT_BLOCK_BYTES + 1)))).toBe('OVERSIZE');
    expect(
      kindOf(() => decodeCompactBlock(with_({ shortIds: new Uint8Array(10_000 * SHORT_ID_BYTES) }))),
    ).toBe('OVERSIZE');
  });

  it('salts short ids per block and nonce', () => {
    const compact = compactBlockOf(blockOf(transactions(5)), NONCE);
    const txid = new Uint8Array(32).fill(5);
    const id = shortIdOf(shortIdKey(compact.header, NONCE), txid);
    expect(id).toBeLessThan(2 ** 48);
    expect(shortIdOf(shortIdKey(compact.header, Uint8Array.of(8, 7, 6, 5, 4, 3, 2, 1)), txid)).not.toBe(id);
  });
});

describe('rebuilding a block from a compact block', () => {
  const txs = transactions(200);
  const block = blockOf(txs);
  const parts = blockParts(block);
  const compact = compactBlockOf(block, NONCE);
  const others = transactions(300, 7).map(encodeTransaction);

  it('rebuilds the exact block from a mempool holding its transactions among others', () => {
    const match = matchShortIds(compact, held([...others, ...parts.txs.slice(1)]));
    expect(match.kind).toBe('partial');
    if (match.kind !== 'partial') return;
    expect(match.missing).toEqual([]);
    expect(rebuildBlock(compact, match.txs)).toEqual(block);
  });

  it('names the missing positions, takes them from a BlockTxn answer, and refuses wrong ones', () => {
    const missingPositions = [3, 50, 199];
    const mempool = parts.txs.slice(1).filter((_, i) => !missingPositions.includes(i + 1));
    const match = matchShortIds(compact, held(mempool));
    if (match.kind !== 'partial') throw new Error('expected a partial match');
    expect(match.missing).toEqual(missingPositions);
    const wrong = [parts.txs[3]!, parts.txs[51]!, parts.txs[199]!];
    expect(fillMissing(compact, match.txs, match.missing, wrong)).toBe(false);
    expect(match.txs[3]).toBeUndefined(); // nothing filled on a refusal
    expect(fillMissing(compact, match.txs, match.missing, wrong.slice(0, 2))).toBe(false);
    const right = missingPositions.map((p) => parts.txs[p]!);
    expect(fillMissing(compact, match.txs, match.missing, right)).toBe(true);
    expect(rebuildBlock(compact, match.txs)).toEqual(block);
  });

  it('leaves a short id two held transactions share missing, never guesses', () => {
    const twice = [...held(parts.txs.slice(1)), { txid: txidOfBytes(parts.txs[10]!), bytes: others[0]! }];
    const match = matchShortIds(compact, twice);
    if (match.kind !== 'partial') throw new Error('expected a partial match');
    expect(match.missing).toEqual([10]);
  });

  it('is ambiguous when the compact block repeats a short id (fetch the whole block)', () => {
    const repeated: CompactBlock = {
      ...compact,
      shortIds: [...compact.shortIds.slice(0, -1), compact.shortIds[0]!],
    };
    expect(matchShortIds(repeated, held(parts.txs)).kind).toBe('ambiguous');
  });

  it('rebuilds a block that does not match its header when a held transaction stands in for the real one (a collision)', () => {
    const match = matchShortIds(compact, held(parts.txs.slice(1)));
    if (match.kind !== 'partial') throw new Error('expected a partial match');
    match.txs[7] = others[1]; // what a 48-bit collision with a mempool transaction would put there
    const rebuilt = rebuildBlock(compact, match.txs)!;
    // Not the block: its merkle root is not the header's (the block pipeline says so).
    expect(rebuilt).not.toEqual(block);
    const { header, txs: rebuiltTxs } = blockParts(rebuilt);
    expect(decodeHeader(header).merkleRoot).not.toEqual(merkleRoot(rebuiltTxs.map((tx) => txidOfBytes(tx))));
    // ...and the whole block then shows the compact block was honest: no blame.
    expect(compactMatchesBlock(compact, block)).toBe(true);
  });

  it('tells a lying compact block from the whole block', () => {
    const shuffled: CompactBlock = { ...compact, shortIds: [...compact.shortIds].reverse() };
    expect(compactMatchesBlock(shuffled, block)).toBe(false);
    expect(compactMatchesBlock({ ...compact, shortIds: compact.shortIds.slice(1) }, block)).toBe(false);
    expect(compactMatchesBlock({ ...compact, coinbase: others[0]! }, block)).toBe(false);
    expect(compactMatchesBlock(compact, Uint8Array.of(1, 2, 3))).toBe(false);
  });
});
