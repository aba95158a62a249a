/**
 * How the mempool stores what it pools (byte-slab.ts, pooled-entry.ts): bytes copied into shared
 * chunks, entries that decode their transaction on demand, and that the pool's answers are the
 * same as with decoded entries (bytes, txid, fields, block selection by timestamp).
 */
import { describe, expect, it } from 'vitest';
import { encodeTransaction, type Transaction } from '../../../src/chain/encoding/codec.js';
import { ByteSlab } from '../../../src/chain/mempool/byte-slab.js';
import {
  Mempool,
  SLAB_COMPACT_FACTOR,
  SLAB_COMPACT_SLACK_CHUNKS,
} from '../../../src/chain/mempool/mempool.js';
import { PooledEntry } from '../../../src/chain/mempool/pooled-entry.js';
import { outpointKey, txidOf, txidOfBytes } from '../../../src/chain/objects/transaction.js';
import { toHex } from '../../../src/crypto/hash.js';
import { ALICE, BOB, makeTx, PARAMS, payFromGenesis } from '../chain-state/helpers.js';
import { FakeChain, NOW } from './fake-chain.js';

const bytesOf = (...values: number[]) => Uint8Array.from(values);

describe('ByteSlab', () => {
  it('returns copies that share a chunk until it is full, then starts another', () => {
    const slab = new ByteSlab(8, 4);
    const source = bytesOf(1, 2, 3);
    const a = slab.store(source);
    const b = slab.store(bytesOf(4), bytesOf(5, 6));
    source.fill(0);
    expect(a).toEqual(bytesOf(1, 2, 3));
    expect(b).toEqual(bytesOf(4, 5, 6));
    expect(b.buffer).toBe(a.buffer);
    const c = slab.store(bytesOf(7, 8, 9)); // 6 + 3 > 8: a new chunk
    expect(c).toEqual(bytesOf(7, 8, 9));
    expect(c.buffer).not.toBe(a.buffer);
    expect(a).toEqual(bytesOf(1, 2, 3));
  });

  it('gives an item above the item limit its own buffer', () => {
    const slab = new ByteSlab(8, 4);
    const small = slab.store(bytesOf(1));
    const large = slab.store(bytesOf(1, 2, 3, 4, 5));
    expect(large).toEqual(bytesOf(1, 2, 3, 4, 5));
    expect(large.buffer).not.toBe(small.buffer);
    expect(large.byteLength).toBe(large.buffer.byteLength);
    expect(slab.store(bytesOf(2)).buffer).toBe(small.buffer);
  });

  it('writing through one view leaves its neighbours alone', () => {
    const slab = new ByteSlab(16, 8);
    const a = slab.store(bytesOf(1, 1));
    const b = slab.store(bytesOf(2, 2));
    a.fill(9);
    expect(b).toEqual(bytesOf(2, 2));
  });

  it('refuses sizes that make no sense', () => {
    expect(() => new ByteSlab(0)).toThrow(RangeError);
    expect(() => new ByteSlab(8, 9)).toThrow(RangeError);
    expect(() => new ByteSlab(8, -1)).toThrow(RangeError);
  });
});

function payment(i: number, timestamp = NOW): Uint8Array {
  return encodeTransaction(payFromGenesis(ALICE, i, BOB.address, 1_000n, timestamp, 10_000n));
}

describe('PooledEntry', () => {
  it('gives back the txid, bytes and decoded transaction it was built from', () => {
    const bytes = payment(0, NOW - 5);
    const txid = txidOfBytes(bytes);
    const slab = new ByteSlab();
    const entry = new PooledEntry(
      toHex(txid),
      slab.store(...PooledEntry.layout(txid, bytes)),
      7n,
      NOW - 5,
      NOW,
      ['k'],
    );
    expect(entry.txid).toEqual(txid);
    expect(entry.bytes).toEqual(bytes);
    expect(entry.size).toBe(bytes.length);
    expect(entry.timestamp).toBe(NOW - 5);
    expect(entry.tx.timestamp).toBe(NOW - 5);
    expect(txidOf(entry.tx)).toEqual(txid);
    expect([entry.fee, entry.acceptedAt, entry.spends]).toEqual([7n, NOW, ['k']]);
  });

  it('hands out copies that do not pin or change the slab', () => {
    const bytes = payment(1);
    const txid = txidOfBytes(bytes);
    const stored = new ByteSlab().store(...PooledEntry.layout(txid, bytes));
    const entry = new PooledEntry(toHex(txid), stored, 0n, NOW, NOW, []);
    const tx = entry.tx;
    expect(tx.inputs[0]!.signature.buffer).not.toBe(stored.buffer);
    expect(entry.tx).not.toBe(tx);
    entry.txid.fill(0);
    tx.inputs[0]!.signature.fill(0);
    expect(entry.txid).toEqual(txid);
    expect(entry.bytes).toEqual(bytes);
  });

  it('refuses a txid of the wrong length or no transaction', () => {
    expect(() => PooledEntry.layout(new Uint8Array(31), payment(2))).toThrow(RangeError);
    expect(() => new PooledEntry('00', new Uint8Array(32), 0n, NOW, NOW, [])).toThrow(RangeError);
  });
});

describe('the mempool over pooled entries', () => {
  it('keeps many small transactions in one shared buffer, each readable on its own', () => {
    const pool = new Mempool(PARAMS, new FakeChain());
    const sent = [0, 1, 2, 3].map((i) => payment(i));
    const txids = sent.map((bytes) => pool.acceptTransaction(bytes, NOW).txidHex);
    for (const bytes of sent) bytes.fill(0);
    const entries = txids.map((txid) => pool.entry(txid)!);
    expect(new Set(entries.map((entry) => entry.bytes.buffer)).size).toBe(1);
    for (const entry of entries) {
      expect(toHex(txidOfBytes(entry.bytes))).toBe(entry.txidHex);
      expect(pool.get(entry.txidHex)).toEqual(entry.bytes);
    }
  });

  it('selects by the stored timestamp as it did by the decoded one', () => {
    const pool = new Mempool(PARAMS, new FakeChain());
    const early = pool.acceptTransaction(payment(5, NOW - 1_000), NOW).txidHex;
    pool.acceptTransaction(payment(6, NOW), NOW);
    const selected = pool.selectForBlock(1_000_000, { maxTimestamp: NOW - 500 });
    expect(selected.map((entry) => entry.txidHex)).toEqual([early]);
  });

  /**
   * The attack compaction answers: one cheap transaction stays pooled in every chunk while the
   * rest of the chunk's transactions are mined. Without compaction each one would keep its whole
   * chunk; here the chunks referenced by pooled entries stay within 3x their bytes plus the slack.
   */
  it('keeps the slab near the pooled bytes when one transaction per chunk stays and the rest are mined', () => {
    const chunk = 2_048;
    const view = new FakeChain();
    const pool = new Mempool(PARAMS, view, { slabChunkBytes: chunk });
    let coin = 0;
    const spend = (): Transaction => {
      const txid = new Uint8Array(32);
      new DataView(txid.buffer).setUint32(0, ++coin);
      view.utxos.set(outpointKey(txid, 0), {
        amount: 100_000n,
        address: ALICE.address,
        height: 1,
        coinbase: false,
      });
      return makeTx(ALICE, [{ txid, index: 0 }], [{ to: BOB.address, amount: 90_000n }], NOW);
    };
    const staying: string[] = [];
    for (let round = 0; round < 60; round++) {
      staying.push(pool.acceptTransaction(encodeTransaction(spend()), NOW).txidHex);
      const mined = Array.from({ length: 7 }, spend);
      for (const tx of mined) pool.acceptTransaction(encodeTransaction(tx), NOW);
      pool.removeConfirmed(mined, [], NOW);
    }
    expect(pool.size).toBe(staying.length);
    const entries = staying.map((txid) => pool.entry(txid)!);
    const pooledBytes = entries.reduce((sum, entry) => sum + entry.bytes.length + 32, 0);
    const buffers = new Set(entries.map((entry) => entry.bytes.buffer));
    const slabBytes = [...buffers].reduce((sum, buffer) => sum + buffer.byteLength, 0);
    // Without compaction: 60 chunks of 2 KB for ~16 KB of transactions.
    expect(slabBytes).toBeLessThanOrEqual(
      (1 + SLAB_COMPACT_FACTOR) * pooledBytes + SLAB_COMPACT_SLACK_CHUNKS * chunk,
    );
    expect(buffers.size).toBeLessThan(staying.length / 2);
    for (const entry of entries) {
      expect(toHex(txidOfBytes(entry.bytes))).toBe(entry.txidHex);
      expect(toHex(entry.txid)).toBe(entry.txidHex);
    }
  });
});
