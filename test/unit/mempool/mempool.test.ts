/**
 * Mempool relay pipeline and policy, against an in-memory UTXO view: every rule's failure has the
 * right code and verdict and leaves the pool unchanged; capacity, eviction, expiry, block
 * selection, and maintenance on connected blocks and reorgs.
 */
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeTransaction } from '../../../src/chain/encoding/codec.js';
import { ValidationError } from '../../../src/chain/errors.js';
import { Mempool, type MempoolOptions } from '../../../src/chain/mempool/mempool.js';
import { outpointKey, txidOf } from '../../../src/chain/objects/transaction.js';
import { toHex } from '../../../src/crypto/hash.js';
import {
  ALICE,
  BOB,
  CAROL,
  genesisOutpoint,
  MINER,
  makeTx,
  PARAMS,
  payFromGenesis,
} from '../chain-state/helpers.js';
import { FakeChain, GENESIS_AMOUNT, NOW } from './fake-chain.js';

let view: FakeChain;
let pool: Mempool;

function newPool(options: MempoolOptions = {}): Mempool {
  return new Mempool(PARAMS, view, options);
}

beforeEach(() => {
  view = new FakeChain();
  pool = newPool();
});

function snapshot(p: Mempool = pool) {
  return { size: p.size, bytes: p.bytes, txids: p.txids().sort() };
}

/** ALICE pays BOB `amount` from her genesis output `i`. */
function pay(i: number, fee = 10_000n, timestamp = NOW): Uint8Array {
  return encodeTransaction(payFromGenesis(ALICE, i, BOB.address, 1_000n, timestamp, fee));
}

function expectRefused(
  bytes: Uint8Array,
  code: string,
  verdict: 'REJECT' | 'IGNORE',
  now = NOW,
  p = pool,
): void {
  const before = snapshot(p);
  let error: unknown;
  try {
    p.acceptTransaction(bytes, now);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).code).toBe(code);
  expect((error as ValidationError).verdict).toBe(verdict);
  expect(snapshot(p)).toEqual(before);
}

describe('accepting', () => {
  it('accepts a valid payment and reports its fee', () => {
    const bytes = pay(0, 12_345n);
    const accepted = pool.acceptTransaction(bytes, NOW);
    expect(accepted.fee).toBe(12_345n);
    expect(accepted.txidHex).toBe(toHex(accepted.txid));
    expect(pool.has(accepted.txidHex)).toBe(true);
    expect(pool.get(accepted.txidHex)).toEqual(bytes);
    expect(pool.size).toBe(1);
    expect(pool.bytes).toBe(bytes.length);
    const { txid, index } = genesisOutpoint(ALICE, 0);
    expect(pool.spenderOf(outpointKey(txid, index))).toBe(accepted.txidHex);
  });

  it('keeps its own copy of the bytes', () => {
    const bytes = pay(0);
    const { txidHex } = pool.acceptTransaction(bytes, NOW);
    bytes.fill(0);
    expect(txidOf(pool.entry(txidHex)!.tx)).toEqual(pool.entry(txidHex)!.txid);
  });
});

describe('every rule refuses and changes nothing', () => {
  beforeEach(() => {
    pool.acceptTransaction(pay(50), NOW); // something in the pool
  });

  it('malformed and non-canonical bytes', () => {
    expectRefused(new Uint8Array([0x12, 0x05, 0x01]), 'MALFORMED_ENCODING', 'REJECT');
    const bytes = pay(0);
    const padded = new Uint8Array([...bytes, 0x08, 0x00]); // an explicit default value
    expectRefused(padded, 'NON_CANONICAL_ENCODING', 'REJECT');
  });

  it('duplicate of a pooled transaction', () => {
    const bytes = pay(0);
    pool.acceptTransaction(bytes, NOW);
    expectRefused(bytes, 'TX_DUPLICATE', 'IGNORE');
  });

  it('duplicate of a recently confirmed transaction', () => {
    const bytes = pay(1);
    view.confirmed.add(toHex(txidOf(payFromGenesis(ALICE, 1, BOB.address, 1_000n, NOW, 10_000n))));
    expectRefused(bytes, 'TX_DUPLICATE', 'IGNORE');
  });

  it('a loose coinbase', () => {
    expectRefused(encodeTransaction(view.immatureCoinbase), 'TX_BAD_COINBASE', 'REJECT');
  });

  it('dated too far in the future / older than the relay window', () => {
    expectRefused(pay(2, 10_000n, NOW + PARAMS.txMaxFutureDriftMs + 1), 'TX_TIME_TOO_NEW', 'IGNORE');
    expectRefused(pay(2, 10_000n, NOW - PARAMS.txMaxAgeMs - 1), 'TX_TOO_OLD', 'IGNORE');
    // The window's edges are accepted.
    pool.acceptTransaction(pay(2, 10_000n, NOW + PARAMS.txMaxFutureDriftMs), NOW);
    pool.acceptTransaction(pay(3, 10_000n, NOW - PARAMS.txMaxAgeMs), NOW);
  });

  it('bad signature', () => {
    const tx = payFromGenesis(ALICE, 4, BOB.address, 1_000n, NOW);
    tx.inputs[0]!.signature = tx.inputs[0]!.signature.slice();
    tx.inputs[0]!.signature[10]! ^= 0x01;
    expectRefused(encodeTransaction(tx), 'TX_BAD_SIGNATURE', 'REJECT');
  });

  it('missing inputs (unknown outpoint)', () => {
    const tx = makeTx(ALICE, [{ txid: randomBytes(32), index: 0 }], [{ to: BOB.address, amount: 1n }], NOW);
    expectRefused(encodeTransaction(tx), 'TX_MISSING_INPUTS', 'IGNORE');
  });

  it('wrong spender: a key that does not own the output', () => {
    // BOB signs a spend of ALICE's output.
    const tx = makeTx(BOB, [genesisOutpoint(ALICE, 6)], [{ to: BOB.address, amount: 1_000n }], NOW);
    expectRefused(encodeTransaction(tx), 'TX_WRONG_SPENDER', 'REJECT');
  });

  it('insufficient funds: outputs above inputs', () => {
    const tx = makeTx(
      ALICE,
      [genesisOutpoint(ALICE, 7)],
      [{ to: BOB.address, amount: GENESIS_AMOUNT + 1n }],
      NOW,
    );
    expectRefused(encodeTransaction(tx), 'TX_INSUFFICIENT_FUNDS', 'REJECT');
  });

  it('immature coinbase spend', () => {
    const tx = makeTx(
      MINER,
      [{ txid: txidOf(view.immatureCoinbase), index: 0 }],
      [{ to: BOB.address, amount: 1n }],
      NOW,
    );
    expectRefused(encodeTransaction(tx), 'TX_IMMATURE_SPEND', 'IGNORE');
  });

  it('conflict with a pooled transaction (first seen stays, no replacement)', () => {
    pool.acceptTransaction(pay(8, 10_000n), NOW);
    expectRefused(pay(8, 50_000n), 'TX_MEMPOOL_CONFLICT', 'IGNORE');
  });

  it('fee below the relay minimum', () => {
    const zero = pay(9, 0n);
    expectRefused(zero, 'TX_FEE_TOO_LOW', 'IGNORE');
    const size = BigInt(pay(9, 1_000n).length);
    expectRefused(pay(9, size * PARAMS.minRelayFeePerByte - 1n), 'TX_FEE_TOO_LOW', 'IGNORE');
    pool.acceptTransaction(pay(9, size * PARAMS.minRelayFeePerByte), NOW);
  });
});

describe('capacity', () => {
  it('when full, evicts the lowest fee per byte for a better payer, else refuses', () => {
    pool = newPool({ maxCount: 3 });
    const low = pool.acceptTransaction(pay(0, 1_000n), NOW);
    const mid = pool.acceptTransaction(pay(1, 2_000n), NOW);
    const high = pool.acceptTransaction(pay(2, 3_000n), NOW);
    expectRefused(pay(3, 1_000n), 'TX_FEE_TOO_LOW', 'IGNORE'); // equal to the lowest: not enough
    const better = pool.acceptTransaction(pay(4, 1_500n), NOW);
    expect(pool.has(low.txidHex)).toBe(false);
    expect(pool.txids().sort()).toEqual([mid.txidHex, high.txidHex, better.txidHex].sort());
    // The evicted transaction's input is free again.
    const { txid, index } = genesisOutpoint(ALICE, 0);
    expect(pool.spenderOf(outpointKey(txid, index))).toBeUndefined();
  });

  it('the byte bound evicts as many as needed', () => {
    const size = pay(0, 1_000n).length;
    pool = newPool({ maxBytes: size * 3 });
    pool.acceptTransaction(pay(0, 1_000n), NOW);
    pool.acceptTransaction(pay(1, 1_100n), NOW);
    pool.acceptTransaction(pay(2, 5_000n), NOW);
    // A transaction twice the size (two inputs) paying well evicts the two cheapest.
    const big = makeTx(
      ALICE,
      [genesisOutpoint(ALICE, 3), genesisOutpoint(ALICE, 4)],
      [{ to: BOB.address, amount: GENESIS_AMOUNT * 2n - 100_000n }],
      NOW,
    );
    const bigBytes = encodeTransaction(big);
    expect(bigBytes.length).toBeLessThanOrEqual(size * 2);
    pool.acceptTransaction(bigBytes, NOW);
    expect(pool.size).toBe(2);
    expect(pool.bytes).toBeLessThanOrEqual(size * 3);
  });

  it('expired transactions make room first, whatever they pay', () => {
    pool = newPool({ maxCount: 2, expiryMs: 60_000 });
    const old = pool.acceptTransaction(pay(0, 90_000n), NOW);
    pool.acceptTransaction(pay(1, 90_000n), NOW + 30_000);
    const later = NOW + 61_000;
    const fresh = pool.acceptTransaction(pay(2, 1_000n, later), later);
    expect(pool.has(old.txidHex)).toBe(false);
    expect(pool.has(fresh.txidHex)).toBe(true);
  });
});

describe('expiry', () => {
  it('drops transactions older than the expiry time', () => {
    pool = newPool({ expiryMs: 60 * 60_000 });
    const a = pool.acceptTransaction(pay(0), NOW);
    const b = pool.acceptTransaction(pay(1, 10_000n, NOW + 30 * 60_000), NOW + 30 * 60_000);
    expect(pool.expire(NOW + 60 * 60_000)).toBe(0);
    expect(pool.expire(NOW + 60 * 60_000 + 1)).toBe(1);
    expect(pool.has(a.txidHex)).toBe(false);
    expect(pool.has(b.txidHex)).toBe(true);
    expect(pool.bytes).toBe(pool.get(b.txidHex)!.length);
  });
});

describe('block templates and maintenance', () => {
  it('selectForBlock: highest fee per byte first, within the byte budget and timestamp bound', () => {
    const low = pool.acceptTransaction(pay(0, 1_000n), NOW);
    const high = pool.acceptTransaction(pay(1, 9_000n), NOW);
    const mid = pool.acceptTransaction(pay(2, 5_000n), NOW);
    const size = pool.get(low.txidHex)!.length;
    expect(pool.selectForBlock(1_000_000).map((e) => e.txidHex)).toEqual([
      high.txidHex,
      mid.txidHex,
      low.txidHex,
    ]);
    expect(pool.selectForBlock(size * 2).map((e) => e.txidHex)).toEqual([high.txidHex, mid.txidHex]);
    expect(pool.selectForBlock(1_000_000, { maxCount: 1 }).map((e) => e.txidHex)).toEqual([high.txidHex]);
    const future = pool.acceptTransaction(pay(3, 20_000n, NOW + 60_000), NOW);
    expect(pool.selectForBlock(1_000_000, { maxTimestamp: NOW }).map((e) => e.txidHex)).not.toContain(
      future.txidHex,
    );
  });

  it('removeConfirmed drops included and conflicting transactions', () => {
    const included = payFromGenesis(ALICE, 0, BOB.address, 1_000n, NOW);
    pool.acceptTransaction(encodeTransaction(included), NOW);
    const conflicting = pool.acceptTransaction(pay(1), NOW);
    const unrelated = pool.acceptTransaction(pay(2), NOW);
    // The block spends output 1 with another transaction.
    const other = payFromGenesis(ALICE, 1, CAROL.address, 7_777n, NOW);
    pool.removeConfirmed([view.immatureCoinbase, included, other], [], NOW);
    expect(pool.txids()).toEqual([unrelated.txidHex]);
    expect(pool.has(conflicting.txidHex)).toBe(false);
  });

  it('rebuild keeps what is still valid, returns disconnected transactions first', () => {
    const keep = pool.acceptTransaction(pay(0), NOW);
    const doomed = pool.acceptTransaction(pay(1), NOW);
    // A disconnected block's transaction, old (no relay timestamp check) and conflicting with `keep`.
    const returning = encodeTransaction(payFromGenesis(ALICE, 0, CAROL.address, 3_000n, NOW - 3_600_000));
    // The new tip spent output 1 elsewhere.
    const { txid, index } = genesisOutpoint(ALICE, 1);
    view.utxos.delete(outpointKey(txid, index));
    pool.rebuild([returning], NOW);
    expect(pool.has(keep.txidHex)).toBe(false); // lost the conflict to the returning transaction
    expect(pool.has(doomed.txidHex)).toBe(false);
    expect(pool.txids()).toEqual([
      toHex(txidOf(payFromGenesis(ALICE, 0, CAROL.address, 3_000n, NOW - 3_600_000))),
    ]);
    expect(pool.entry(pool.txids()[0]!)!.acceptedAt).toBe(NOW);
  });

  it('transactions keep their acceptance time through a rebuild', () => {
    const a = pool.acceptTransaction(pay(0), NOW);
    pool.rebuild([], NOW + 1_000);
    expect(pool.entry(a.txidHex)!.acceptedAt).toBe(NOW);
  });
});
