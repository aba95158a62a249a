/**
 * Orphan transactions: a payment that arrives before the payment whose change it spends is held
 * (still refused with TX_MISSING_INPUTS, so the relay's verdict is unchanged) and enters the pool
 * when that parent does, by relay or in a block, and is reported for announcing. Bounded in count
 * and time; a transaction whose parent is known and spent, or whose signature fails, is not held.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeTransaction, type Transaction } from '../../../src/chain/encoding/codec.js';
import { ValidationError } from '../../../src/chain/errors.js';
import { Mempool } from '../../../src/chain/mempool/mempool.js';
import { OrphanTransactions, ORPHAN_EXPIRY_MS } from '../../../src/chain/mempool/orphan-transactions.js';
import { outpointKey, txidOf } from '../../../src/chain/objects/transaction.js';
import { toHex } from '../../../src/crypto/hash.js';
import { ALICE, BOB, makeTx, PARAMS, payFromGenesis } from '../chain-state/helpers.js';
import { FakeChain, NOW, TIP_HEIGHT } from './fake-chain.js';

let view: FakeChain;
let pool: Mempool;

beforeEach(() => {
  view = new FakeChain();
  pool = new Mempool(PARAMS, view);
});

const hex = (tx: Transaction): string => toHex(txidOf(tx));

/** ALICE spends output 1 (her change) of `parent`: 1,000 to BOB, the rest back to her. */
function spendChange(parent: Transaction, timestamp = NOW): Transaction {
  const amount = parent.outputs[1]!.amount;
  return makeTx(
    ALICE,
    [{ txid: txidOf(parent), index: 1 }],
    [
      { to: BOB.address, amount: 1_000n },
      { to: ALICE.address, amount: amount - 11_000n },
    ],
    timestamp,
  );
}

function refusedCode(tx: Transaction, now = NOW): string {
  try {
    pool.acceptTransaction(encodeTransaction(tx), now);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).code;
  }
  throw new Error('accepted');
}

describe('orphan transactions', () => {
  it('a child before its parent is refused, held, and enters the pool with its parent', () => {
    const parent = payFromGenesis(ALICE, 0, BOB.address, 1_000n, NOW);
    const child = spendChange(parent);
    const grandchild = spendChange(child);
    expect(refusedCode(grandchild)).toBe('TX_MISSING_INPUTS');
    expect(refusedCode(child)).toBe('TX_MISSING_INPUTS');
    expect(pool.orphanCount).toBe(2);
    expect(pool.size).toBe(0);
    pool.acceptTransaction(encodeTransaction(parent), NOW);
    expect(pool.txids()).toEqual([hex(parent), hex(child), hex(grandchild)]);
    expect(pool.takeAdopted()).toEqual([hex(child), hex(grandchild)]);
    expect(pool.takeAdopted()).toEqual([]);
    expect(pool.orphanCount).toBe(0);
  });

  it('enters the pool when a block confirms its parent', () => {
    const parent = payFromGenesis(ALICE, 0, BOB.address, 1_000n, NOW);
    const child = spendChange(parent);
    expect(refusedCode(child)).toBe('TX_MISSING_INPUTS');
    parent.outputs.forEach((output, index) =>
      view.utxos.set(outpointKey(txidOf(parent), index), {
        amount: output.amount,
        address: output.address,
        height: TIP_HEIGHT + 1,
        coinbase: false,
      }),
    );
    pool.removeConfirmed([parent], [hex(parent)], NOW);
    expect(pool.has(hex(child))).toBe(true);
    expect(pool.takeAdopted()).toEqual([hex(child)]);
  });

  it('is not held when its parent is known (the output is spent, not late) or its signature fails', () => {
    const parent = payFromGenesis(ALICE, 0, BOB.address, 1_000n, NOW);
    view.confirmed.add(hex(parent)); // confirmed, and its outputs already spent
    expect(refusedCode(spendChange(parent))).toBe('TX_MISSING_INPUTS');
    const forged = spendChange(payFromGenesis(ALICE, 1, BOB.address, 1_000n, NOW));
    const bytes = encodeTransaction(forged);
    bytes[bytes.length - 10]! ^= 1; // a byte the signature covers
    expect(() => pool.acceptTransaction(bytes, NOW)).toThrow(/signature/);
    expect(pool.orphanCount).toBe(0);
  });

  it('waits at most ORPHAN_EXPIRY_MS for its parent', () => {
    const parent = payFromGenesis(ALICE, 0, BOB.address, 1_000n, NOW);
    const child = spendChange(parent);
    expect(refusedCode(child)).toBe('TX_MISSING_INPUTS');
    // Another orphan, after the first one's expiry: the first is dropped.
    const later = NOW + ORPHAN_EXPIRY_MS + 1;
    const other = payFromGenesis(ALICE, 1, BOB.address, 1_000n, later);
    expect(refusedCode(spendChange(other, later), later)).toBe('TX_MISSING_INPUTS');
    expect(pool.orphanCount).toBe(1);
    pool.acceptTransaction(encodeTransaction(other), later);
    expect(pool.takeAdopted()).toEqual([hex(spendChange(other, later))]);
  });
});

describe('OrphanTransactions bounds', () => {
  it('holds at most its capacity, a random one making room', () => {
    const draws = [0, 0.99];
    const orphans = new OrphanTransactions(2, ORPHAN_EXPIRY_MS, () => draws.shift() ?? 0);
    const awaited = new Set(['p']);
    orphans.add('a', new Uint8Array([1]), awaited, 0);
    orphans.add('b', new Uint8Array([2]), awaited, 0);
    orphans.add('c', new Uint8Array([3]), awaited, 0); // evicts index 0: a
    orphans.add('d', new Uint8Array([4]), awaited, 0); // evicts index 1 of [b, c]: c
    expect(orphans.size).toBe(2);
    expect(['a', 'b', 'c', 'd'].filter((t) => orphans.has(t))).toEqual(['b', 'd']);
    expect(orphans.takeChildrenOf('p', 0).map((bytes) => bytes[0])).toEqual([2, 4]);
    expect(orphans.size).toBe(0);
  });
});
