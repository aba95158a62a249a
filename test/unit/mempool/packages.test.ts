/**
 * Chains of unconfirmed transactions in the mempool (packages): a payment may spend a pooled
 * payment's output; the package limits refuse a chain past 25 either way and change nothing; a
 * transaction leaving unmined takes its descendants, a mined one leaves its children; block
 * templates put parents first; eviction never strands a child nor a newcomer's own ancestors; a
 * reorg keeps parent and child together.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeTransaction, type Transaction } from '../../../src/chain/encoding/codec.js';
import { ValidationError } from '../../../src/chain/errors.js';
import { Mempool, type MempoolOptions } from '../../../src/chain/mempool/mempool.js';
import { MAX_PACKAGE_COUNT } from '../../../src/chain/mempool/package-graph.js';
import { outpointKey, txidOf } from '../../../src/chain/objects/transaction.js';
import { toHex } from '../../../src/crypto/hash.js';
import { ALICE, BOB, CAROL, makeTx, payFromGenesis, PARAMS } from '../chain-state/helpers.js';
import { FakeChain, GENESIS_AMOUNT, NOW, TIP_HEIGHT } from './fake-chain.js';

let view: FakeChain;
let pool: Mempool;

function newPool(options: MempoolOptions = {}): Mempool {
  return new Mempool(PARAMS, view, options);
}

beforeEach(() => {
  view = new FakeChain();
  pool = newPool();
});

const hex = (tx: Transaction): string => toHex(txidOf(tx));

/** ALICE's payment of 1,000 to BOB from her genesis output `i`, change back to her (output 1). */
function root(i: number, fee = 10_000n): Transaction {
  return payFromGenesis(ALICE, i, BOB.address, 1_000n, NOW, fee);
}

/** ALICE spends output 1 (her change, `amount`) of `parent`: 1,000 to BOB, the rest back to her. */
function spendChange(parent: Transaction, fee = 10_000n): Transaction {
  const amount = parent.outputs[1]!.amount;
  return makeTx(
    ALICE,
    [{ txid: txidOf(parent), index: 1 }],
    [
      { to: BOB.address, amount: 1_000n },
      { to: ALICE.address, amount: amount - 1_000n - fee },
    ],
    NOW,
  );
}

function accept(tx: Transaction, p = pool): string {
  return p.acceptTransaction(encodeTransaction(tx), NOW).txidHex;
}

/** A chain of `length` payments, each spending the previous one's change, none accepted yet. */
function chainOf(length: number, first = root(0)): Transaction[] {
  const chain = [first];
  while (chain.length < length) chain.push(spendChange(chain.at(-1)!));
  return chain;
}

function refusal(tx: Transaction, p = pool): ValidationError {
  const before = { size: p.size, bytes: p.bytes, txids: p.txids() };
  let error: unknown;
  try {
    accept(tx, p);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect({ size: p.size, bytes: p.bytes, txids: p.txids() }).toEqual(before);
  return error as ValidationError;
}

/** The chain confirmed `tx`: its outputs join the UTXO set, its inputs leave it. */
function confirm(tx: Transaction): void {
  for (const input of tx.inputs) view.utxos.delete(outpointKey(input.prevTxid, input.outputIndex));
  tx.outputs.forEach((output, index) => {
    view.utxos.set(outpointKey(txidOf(tx), index), {
      amount: output.amount,
      address: output.address,
      height: TIP_HEIGHT + 1,
      coinbase: false,
    });
  });
  view.confirmed.add(hex(tx));
}

describe('admission', () => {
  it('accepts a payment spending a pooled payment’s change, and knows the family', () => {
    const [parent, child, grandchild] = chainOf(3);
    accept(parent!);
    accept(child!);
    accept(grandchild!);
    expect(pool.descendantsOf(hex(parent!))).toEqual([hex(child!), hex(grandchild!)]);
    expect(pool.spenderOf(outpointKey(txidOf(parent!), 1))).toBe(hex(child!));
  });

  it('a child before its parent is still missing inputs', () => {
    const [, child] = chainOf(2);
    const error = refusal(child!);
    expect(error.code).toBe('TX_MISSING_INPUTS');
    expect(error.verdict).toBe('IGNORE');
  });

  it('a second spend of a pooled output is a conflict', () => {
    const [parent, child] = chainOf(2);
    accept(parent!);
    accept(child!);
    expect(refusal(spendChange(parent!, 20_000n)).code).toBe('TX_MEMPOOL_CONFLICT');
  });

  it(`takes a chain of ${MAX_PACKAGE_COUNT} and refuses the next (TX_TOO_LONG_MEMPOOL_CHAIN, IGNORE)`, () => {
    const chain = chainOf(MAX_PACKAGE_COUNT + 1);
    for (const tx of chain.slice(0, MAX_PACKAGE_COUNT)) accept(tx);
    const error = refusal(chain.at(-1)!);
    expect(error.code).toBe('TX_TOO_LONG_MEMPOOL_CHAIN');
    expect(error.verdict).toBe('IGNORE');
  });

  it(`refuses a transaction that would give a pooled one more than ${MAX_PACKAGE_COUNT - 1} descendants`, () => {
    // A fan: one parent with MAX_PACKAGE_COUNT outputs to ALICE, each spent by its own child.
    const genesisCoin = root(0).inputs[0]!;
    const parent = makeTx(
      ALICE,
      [{ txid: genesisCoin.prevTxid, index: genesisCoin.outputIndex }],
      Array.from({ length: MAX_PACKAGE_COUNT }, () => ({ to: ALICE.address, amount: 100_000n })),
      NOW,
    );
    accept(parent);
    const children = Array.from({ length: MAX_PACKAGE_COUNT }, (_, index) =>
      makeTx(ALICE, [{ txid: txidOf(parent), index }], [{ to: CAROL.address, amount: 50_000n }], NOW),
    );
    for (const child of children.slice(0, MAX_PACKAGE_COUNT - 1)) accept(child);
    expect(refusal(children.at(-1)!).code).toBe('TX_TOO_LONG_MEMPOOL_CHAIN');
    expect(pool.descendantsOf(hex(parent))).toHaveLength(MAX_PACKAGE_COUNT - 1);
  });
});

describe('leaving the pool', () => {
  it('a mined parent leaves its child pooled, now spending a confirmed output', () => {
    const [parent, child] = chainOf(2);
    accept(parent!);
    accept(child!);
    confirm(parent!);
    pool.removeConfirmed([parent!], [hex(parent!)], NOW);
    expect(pool.txids()).toEqual([hex(child!)]);
    expect(pool.selectForBlock(1_000_000).map((e) => e.txidHex)).toEqual([hex(child!)]);
  });

  it('a block spending the parent’s input elsewhere drops parent and descendants', () => {
    const [parent, child, grandchild] = chainOf(3);
    const unrelated = root(1);
    for (const tx of [parent!, child!, grandchild!, unrelated]) accept(tx);
    const doubleSpend = payFromGenesis(ALICE, 0, CAROL.address, 5_000n, NOW);
    pool.removeConfirmed([doubleSpend], [hex(doubleSpend)], NOW);
    expect(pool.txids()).toEqual([hex(unrelated)]);
    expect(pool.spenderOf(outpointKey(txidOf(parent!), 1))).toBeUndefined();
  });

  it('an expiring parent takes its (younger) child with it', () => {
    const [parent, child] = chainOf(2);
    const expiring = newPool({ expiryMs: 60_000 });
    expiring.acceptTransaction(encodeTransaction(parent!), NOW);
    expiring.acceptTransaction(encodeTransaction(child!), NOW + 30_000);
    expect(expiring.expire(NOW + 60_001)).toBe(2);
    expect(expiring.size).toBe(0);
  });
});

describe('block templates', () => {
  it('put a parent before its child, even when the child pays more per byte', () => {
    const parent = root(0, 1_000n);
    const child = spendChange(parent, 50_000n);
    const rich = root(1, 20_000n);
    for (const tx of [parent, child, rich]) accept(tx);
    const order = pool.selectForBlock(1_000_000).map((e) => e.txidHex);
    expect(order).toEqual([hex(rich), hex(parent), hex(child)]);
  });

  it('leave a child out when its parent does not fit or is dated too late', () => {
    const parent = makeTx(
      ALICE,
      [{ txid: root(0).inputs[0]!.prevTxid, index: root(0).inputs[0]!.outputIndex }],
      [
        { to: BOB.address, amount: 1_000n },
        { to: ALICE.address, amount: GENESIS_AMOUNT - 12_000n },
        { to: CAROL.address, amount: 1_000n }, // larger than its child
      ],
      NOW + 60_000,
    );
    const child = spendChange(parent);
    accept(parent);
    accept(child);
    expect(pool.selectForBlock(1_000_000, { maxTimestamp: NOW })).toEqual([]);
    const parentSize = pool.entry(hex(parent))!.size;
    expect(pool.entry(hex(child))!.size).toBeLessThan(parentSize);
    expect(pool.selectForBlock(parentSize - 1)).toEqual([]);
  });
});

describe('eviction when full', () => {
  it('evicts a child before its parent, and only for a better payer', () => {
    const full = newPool({ maxCount: 2 });
    const parent = root(0, 1_000n);
    const child = spendChange(parent, 5_000n);
    accept(parent, full);
    accept(child, full);
    // Outbids the parent but not the child: the parent cannot go while its child stays.
    expect(refusal(root(1, 3_000n), full).code).toBe('TX_FEE_TOO_LOW');
    const rich = accept(root(2, 9_000n), full);
    expect(full.txids()).toEqual([hex(parent), rich]);
  });

  it('never evicts the newcomer’s own ancestors', () => {
    const full = newPool({ maxCount: 2 });
    const parent = root(0, 1_000n);
    accept(parent, full);
    accept(root(1, 9_000n), full);
    // The child outbids its parent, but evicting the parent would orphan it; it must outbid the other.
    expect(refusal(spendChange(parent, 5_000n), full).code).toBe('TX_FEE_TOO_LOW');
    const child = accept(spendChange(parent, 20_000n), full);
    expect(full.txids()).toEqual([hex(parent), child]);
  });
});

describe('reorganisations', () => {
  it('a parent returning from a disconnected block keeps its pooled child', () => {
    const [parent, child] = chainOf(2);
    // The parent was mined (the child spends a confirmed output), then its block was disconnected.
    confirm(parent!);
    accept(child!);
    for (const [index] of parent!.outputs.entries()) view.utxos.delete(outpointKey(txidOf(parent!), index));
    view.utxos.set(outpointKey(parent!.inputs[0]!.prevTxid, parent!.inputs[0]!.outputIndex), {
      amount: GENESIS_AMOUNT,
      address: ALICE.address,
      height: 0,
      coinbase: true,
    });
    view.confirmed.delete(hex(parent!));
    pool.rebuild([encodeTransaction(parent!)], NOW);
    expect(pool.txids()).toEqual([hex(parent!), hex(child!)]);
    expect(pool.descendantsOf(hex(parent!))).toEqual([hex(child!)]);
  });

  it('a returning transaction that wins a conflict drops the loser’s descendants', () => {
    const [parent, child] = chainOf(2);
    accept(parent!);
    accept(child!);
    const winner = payFromGenesis(ALICE, 0, CAROL.address, 7_000n, NOW - 3_600_000);
    pool.rebuild([encodeTransaction(winner)], NOW);
    expect(pool.txids()).toEqual([hex(winner)]);
  });
});
