/**
 * A payment that reaches a node before the payment whose change it spends, between real nodes over
 * TCP: the node refuses it for now (TX_MISSING_INPUTS, no offence), holds it as an orphan, takes it
 * in when the parent arrives by relay, and announces it, so the rest of the network gets both; the
 * next block confirms parent and child together (a chain of unconfirmed transactions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTransaction, encodeTransaction } from '../../../src/chain/encoding/codec.js';
import { ValidationError } from '../../../src/chain/errors.js';
import { devAccount } from '../../../src/chain/genesis.js';
import { createTransaction, txidOfBytes } from '../../../src/chain/objects/transaction.js';
import { toHex } from '../../../src/crypto/hash.js';
import {
  allAtTip,
  allHaveTxs,
  isConfirmed,
  line,
  mineOn,
  TestNetwork,
  waitFor,
} from '../../helpers/index.js';

describe('orphan transactions between real nodes', { timeout: 60_000 }, () => {
  let net: TestNetwork;

  beforeAll(async () => {
    net = await TestNetwork.start({ count: 3, edges: line(3) });
  });
  afterAll(() => net?.cleanup());

  it('a child that arrives first waits for its parent, then both reach every node and one block', async () => {
    const [a, b, c] = [net.node(0), net.node(1), net.node(2)];
    // A's wallet (dev account 0) pays C; the child spends that payment's change, also to C.
    const parent = a.wallet.createPayment(c.wallet.address, 1_000n);
    const change = decodeTransaction(parent.bytes).outputs[1]!;
    const child = encodeTransaction(
      createTransaction(
        a.chain.params.network,
        [{ prevTxid: txidOfBytes(parent.bytes), outputIndex: 1, secretKey: devAccount(0).secretKey }],
        [{ amount: change.amount - 10_000n, address: c.wallet.address as Uint8Array<ArrayBuffer> }],
        Date.now(),
      ),
    );
    const [parentId, childId] = [toHex(txidOfBytes(parent.bytes)), toHex(txidOfBytes(child))];

    // B sees the child first: refused for now, held.
    let refusal: unknown;
    try {
      b.submitTransaction(child);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).code).toBe('TX_MISSING_INPUTS');
    expect(b.chain.mempool.orphanCount).toBe(1);
    expect(c.chain.mempool.has(childId)).toBe(false);

    // The parent, submitted at A, reaches B by relay; B takes the child in and passes both on.
    a.submitTransaction(parent.bytes);
    await waitFor(() => allHaveTxs(net.nodes, [parentId, childId]), 20_000, 'parent and child everywhere');
    expect(b.chain.mempool.orphanCount).toBe(0);
    expect(c.chain.mempool.descendantsOf(parentId)).toEqual([childId]);

    const block = await mineOn(c);
    await waitFor(() => allAtTip(net.nodes, block), 20_000, 'every node at the block');
    for (const node of net.nodes) {
      expect(isConfirmed(node, parentId)).toBe(true);
      expect(isConfirmed(node, childId)).toBe(true);
    }
    // Nobody was blamed for the order traffic happened to take.
    for (const node of net.nodes)
      expect(node.reputation.list().every((r) => r.totalOffences === 0)).toBe(true);
  });
});
