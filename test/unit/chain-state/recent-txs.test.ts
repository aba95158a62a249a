/** RecentTxIndex: bounded, forgets the least recently confirmed txid first; disconnects undo. */
import { describe, expect, it } from 'vitest';
import { RecentTxIndex } from '../../../src/chain/state/recent-txs.js';

describe('RecentTxIndex', () => {
  it('keeps the most recently confirmed txids within its bound', () => {
    const index = new RecentTxIndex(3);
    index.addBlock('b1', 1, ['t1', 't2']);
    index.addBlock('b2', 2, ['t3', 't1']); // t1 confirmed again (after a reorg): now the newest
    index.addBlock('b3', 3, ['t4']); // evicts t2, the oldest
    expect(index.size).toBe(3);
    expect(index.has('t2')).toBe(false);
    expect(index.get('t1')).toEqual({ blockIdHex: 'b2', height: 2 });
    expect(['t3', 't4'].map((txid) => index.has(txid))).toEqual([true, true]);
  });

  it('removes a disconnected block only where it is still the recorded location', () => {
    const index = new RecentTxIndex();
    index.addBlock('b1', 1, ['t1', 't2']);
    index.addBlock('b2', 2, ['t2']);
    index.removeBlock('b1', ['t1', 't2']);
    expect(index.has('t1')).toBe(false);
    expect(index.get('t2')).toEqual({ blockIdHex: 'b2', height: 2 });
    expect(() => new RecentTxIndex(0)).toThrow(RangeError);
  });
});
