/**
 * The chain state's small parts on their own: orphan pool bounds and lookups, record encodings,
 * fork-choice ties in the block index, the UTXO overlay.
 */
import { describe, expect, it } from 'vitest';
import { type BlockEntry, BlockIndex } from '../../../src/chain/state/block-index.js';
import { OrphanPool } from '../../../src/chain/state/orphan-pool.js';
import {
  decodeEntry,
  decodeUndo,
  decodeUtxo,
  encodeEntry,
  encodeUndo,
  encodeUtxo,
} from '../../../src/chain/state/records.js';
import { UtxoOverlay, UtxoSet } from '../../../src/chain/state/utxo-set.js';

const orphan = (id: string, parent: string, size = 10) => ({
  idHex: id,
  parentHex: parent,
  height: 1,
  bytes: new Uint8Array(size),
});

describe('OrphanPool', () => {
  it('evicts the oldest beyond the count and byte bounds', () => {
    const pool = new OrphanPool(3, 100);
    for (const id of ['a', 'b', 'c', 'd']) pool.add(orphan(id, 'p'));
    expect(['a', 'b', 'c', 'd'].map((id) => pool.has(id))).toEqual([false, true, true, true]);
    pool.add(orphan('big', 'q', 80)); // 110 bytes: the oldest goes
    expect(['b', 'c', 'd', 'big'].map((id) => pool.has(id))).toEqual([false, true, true, true]);
    expect(pool.bytes).toBeLessThanOrEqual(100);
    expect(pool.has('big')).toBe(true);
    expect(pool.add(orphan('huge', 'q', 101))).toBe(false);
  });

  it('hands children back by parent and finds the missing ancestor of a chain', () => {
    const pool = new OrphanPool();
    pool.add(orphan('c', 'b'));
    pool.add(orphan('b', 'a'));
    pool.add(orphan('x', 'b'));
    expect(pool.missingAncestorOf('c')).toBe('a');
    expect(pool.takeChildren('b').map((o) => o.idHex)).toEqual(['c', 'x']);
    expect(pool.size).toBe(1);
    pool.add(orphan('c', 'b'));
    expect(pool.removeDescendants('a')).toBe(2);
    expect(pool.size).toBe(0);
  });
});

describe('records', () => {
  it('round-trip', () => {
    const entry: BlockEntry = {
      id: new Uint8Array(32).fill(1),
      idHex: '01'.repeat(32),
      height: 7,
      parentHex: '02'.repeat(32),
      timestamp: 1_700_000_000_123,
      target: (1n << 255n) - 1n,
      cumulativeWork: 123456789012345678901234567890n,
      status: 'invalid',
      invalidCode: 'BLOCK_MISSING_INPUTS',
      seq: 42,
    };
    expect(decodeEntry(entry.idHex, encodeEntry(entry))).toEqual(entry);
    const utxo = {
      amount: (1n << 64n) - 1n,
      address: new Uint8Array(20).fill(9),
      height: 4_000_000_000,
      coinbase: true,
    };
    expect(decodeUtxo(encodeUtxo(utxo))).toEqual(utxo);
    const undo = { spent: [{ key: 'ab:3', utxo }], createdKeys: ['cd:0', 'cd:1'] };
    expect(decodeUndo(encodeUndo(undo))).toEqual(undo);
  });
});

describe('BlockIndex', () => {
  const entry = (idHex: string, parentHex: string, work: bigint, seq: number): BlockEntry => ({
    id: new Uint8Array(32),
    idHex,
    height: 1,
    parentHex,
    timestamp: 0,
    target: 1n,
    cumulativeWork: work,
    status: 'valid-header',
    seq,
  });

  it('most work wins; on ties the preferred tip, then the first seen', () => {
    const index = new BlockIndex();
    index.add(entry('g', '', 1n, 0));
    index.add(entry('a', 'g', 2n, 1));
    index.add(entry('b', 'g', 2n, 2));
    expect(index.best()?.idHex).toBe('a');
    index.rescanBest('b');
    expect(index.best()?.idHex).toBe('b');
    index.rescanBest();
    expect(index.best()?.idHex).toBe('a');
    index.add(entry('c', 'a', 3n, 3));
    expect(index.markInvalid('a', 'BLOCK_MISSING_INPUTS').map((e) => [e.idHex, e.invalidCode])).toEqual([
      ['a', 'BLOCK_MISSING_INPUTS'],
      ['c', 'BLOCK_INVALID_PARENT'],
    ]);
    index.rescanBest();
    expect(index.best()?.idHex).toBe('b');
  });
});

describe('UtxoOverlay', () => {
  it('records changes without touching the base set', () => {
    const base = new UtxoSet();
    const address = new Uint8Array(20).fill(1);
    const utxo = { amount: 5n, address, height: 1, coinbase: false };
    base.add('a:0', utxo);
    const overlay = new UtxoOverlay(base);
    overlay.connect({ spent: [{ key: 'a:0', utxo }], created: [{ key: 'b:0', utxo }], fees: 0n });
    expect(overlay.getUtxo('a:0')).toBeUndefined();
    expect(overlay.getUtxo('b:0')).toEqual(utxo);
    expect(base.getUtxo('a:0')).toEqual(utxo);
    expect(base.getUtxo('b:0')).toBeUndefined();
    overlay.disconnect({ spent: [{ key: 'a:0', utxo }], createdKeys: ['b:0'] });
    expect(overlay.getUtxo('a:0')).toEqual(utxo);
    expect(overlay.getUtxo('b:0')).toBeUndefined();
    expect(base.balanceOf(address)).toBe(5n);
    expect(base.utxosOf(address).map((u) => [u.txidHex, u.outputIndex])).toEqual([['a', 0]]);
  });
});
