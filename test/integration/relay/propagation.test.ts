/**
 * Scenario 1: relay across a 5-node network that is connected but not complete (a ring with one
 * chord), with real libp2p over TCP and real LevelDB. A transaction, a block, and then 20
 * transactions from every node reach everyone; one mined block confirms them all everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allAtTip,
  allHaveTxs,
  isConfirmed,
  mineOn,
  ringWithChord,
  sendPayment,
  TestNetwork,
  tipOf,
  waitFor,
} from '../../helpers/index.js';

const NODES = 5;
/** Base units per test payment (1 coin). */
const AMOUNT = 100_000_000n;

describe('relay in a 5-node ring with a chord', { timeout: 60_000 }, () => {
  let net: TestNetwork;

  beforeAll(async () => {
    net = await TestNetwork.start({ count: NODES, edges: ringWithChord(NODES) });
  });
  afterAll(() => net?.cleanup());

  it('relays a transaction submitted at one node to every mempool', async () => {
    const edges = ringWithChord(NODES);
    // Node 3 is two hops from node 0 (0-2-3 or 0-4-3): the tx must be re-announced on the way.
    expect(edges.some(([a, b]) => (a === 0 && b === 3) || (a === 3 && b === 0))).toBe(false);
    const start = performance.now();
    const arrivals = new Map<number, number>();
    const txid = sendPayment(net.node(0), net.node(3), AMOUNT);
    await waitFor(
      () => {
        net.nodes.forEach((node, i) => {
          if (!arrivals.has(i) && node.chain.mempool.has(txid)) arrivals.set(i, performance.now() - start);
        });
        return arrivals.size === NODES;
      },
      10_000,
      'the transaction in every mempool',
    );
    const last = Math.max(...arrivals.values());
    console.log(
      `[relay] tx submit -> last of ${NODES} mempools: ${last.toFixed(1)} ms ` +
        `(per node: ${[...arrivals].map(([i, ms]) => `n${i} ${ms.toFixed(1)}`).join(', ')})`,
    );
  });

  it('relays a block mined at one node to every tip, confirming the pending transaction', async () => {
    const pending = net.node(0).chain.mempool.txids();
    expect(pending).toHaveLength(1);
    const id = await mineOn(net.node(2));
    const start = performance.now();
    await waitFor(() => allAtTip(net.nodes, id), 20_000, 'the block at every tip');
    console.log(`[relay] block mined -> last of ${NODES} tips: ${(performance.now() - start).toFixed(1)} ms`);
    for (const node of net.nodes) {
      expect(tipOf(node).height).toBe(1);
      expect(node.chain.mempool.size).toBe(0);
      expect(isConfirmed(node, pending[0]!)).toBe(true);
    }
  });

  it('relays 20 transactions from every node to every mempool, then confirms all in one block', async () => {
    const txids: string[] = [];
    const start = performance.now();
    for (let i = 0; i < 20; i++) {
      const from = net.node(i % NODES);
      const to = net.node((i + 2) % NODES);
      txids.push(sendPayment(from, to, AMOUNT + BigInt(i)));
    }
    await waitFor(() => allHaveTxs(net.nodes, txids), 20_000, '20 transactions in every mempool');
    console.log(
      `[relay] 20 txs from 5 nodes -> all in every mempool: ${(performance.now() - start).toFixed(1)} ms`,
    );
    for (const node of net.nodes) expect(node.chain.mempool.size).toBe(20);

    const id = await mineOn(net.node(4));
    await waitFor(
      () => allAtTip(net.nodes, id) && net.nodes.every((node) => node.chain.mempool.size === 0),
      10_000,
      'the block at every tip and every mempool empty',
    );
    for (const node of net.nodes) {
      expect(tipOf(node).height).toBe(2);
      for (const txid of txids) expect(isConfirmed(node, txid)).toBe(true);
    }
    // Honest nodes never quarantined each other.
    for (let i = 0; i < NODES; i++) expect(await net.automaticQuarantines(i)).toBe(0);
  });
});
