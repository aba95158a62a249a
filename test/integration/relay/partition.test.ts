/**
 * Scenario 3: a network partition and its healing. The 5 nodes (ring + chord) are split into
 * {0, 1} and {2, 3, 4} by manual bans in both directions, so the gater refuses every connection
 * across the cut. Both halves mine on their own and confirm different transactions; the bigger half
 * mines more blocks, so its chain has more work. After the bans are lifted and the links redialed,
 * every node must be on the most-work chain, and no transaction may be lost: those confirmed only in
 * the losing half's blocks return to the mempools and reach every node; one confirmed on both sides
 * stays confirmed (and out of the mempools).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allAtTip,
  allHaveTxs,
  isConfirmed,
  mineBlocks,
  mineOn,
  ringWithChord,
  sendPayment,
  TestNetwork,
  tipOf,
  waitFor,
} from '../../helpers/index.js';

const AMOUNT = 100_000_000n;
const LEFT = [0, 1];
const RIGHT = [2, 3, 4];

describe('partition into {0,1} and {2,3,4}, then heal', { timeout: 60_000 }, () => {
  let net: TestNetwork;

  beforeAll(async () => {
    net = await TestNetwork.start({ count: 5, edges: ringWithChord(5) });
  });
  afterAll(() => net?.cleanup());

  it('converges on the most-work chain and loses no transaction', async () => {
    const nodesOf = (half: number[]) => half.map((i) => net.node(i));
    // A common history first, and one transaction every node holds when the network splits.
    const base = await mineOn(net.node(0));
    await waitFor(() => allAtTip(net.nodes, base), 20_000, 'the common block everywhere');
    const shared = sendPayment(net.node(2), net.node(0), AMOUNT + 7n);
    await waitFor(() => allHaveTxs(net.nodes, [shared]), 20_000, 'the shared tx everywhere');

    await net.partition(LEFT, RIGHT);
    for (const a of LEFT) for (const b of RIGHT) expect(net.isConnected(a, b)).toBe(false);
    // Each half is still connected inside (0-1; 2-3-4).
    await net.waitForEdges([
      [0, 1],
      [2, 3],
      [3, 4],
    ]);

    // Left half: 3 transactions, confirmed in 2 blocks.
    const leftTxs = [
      sendPayment(net.node(0), net.node(1), AMOUNT),
      sendPayment(net.node(1), net.node(0), AMOUNT),
      sendPayment(net.node(0), net.node(1), AMOUNT + 1n),
    ];
    await waitFor(() => allHaveTxs(nodesOf(LEFT), leftTxs), 20_000, 'left txs in the left half');
    const leftBlocks = await mineBlocks(net.node(1), 2);
    await waitFor(() => allAtTip(nodesOf(LEFT), leftBlocks[1]!), 20_000, 'left chain in the left half');

    // Right half: 3 other transactions, confirmed in 3 blocks (more work).
    const rightTxs = [
      sendPayment(net.node(2), net.node(4), AMOUNT),
      sendPayment(net.node(3), net.node(2), AMOUNT),
      sendPayment(net.node(4), net.node(3), AMOUNT),
    ];
    await waitFor(() => allHaveTxs(nodesOf(RIGHT), rightTxs), 20_000, 'right txs in the right half');
    const rightBlocks = await mineBlocks(net.node(3), 3);
    const winner = rightBlocks[2]!;
    await waitFor(() => allAtTip(nodesOf(RIGHT), winner), 20_000, 'right chain in the right half');

    // Nothing crossed the cut.
    for (const node of nodesOf(LEFT)) {
      expect(tipOf(node).height).toBe(3);
      for (const txid of rightTxs) expect(node.chain.mempool.has(txid)).toBe(false);
    }
    for (const node of nodesOf(RIGHT)) {
      expect(tipOf(node).height).toBe(4);
      for (const txid of leftTxs) expect(node.chain.mempool.has(txid)).toBe(false);
    }
    // The shared transaction was confirmed on both sides.
    for (const node of net.nodes) expect(isConfirmed(node, shared)).toBe(true);
    const winningWork = tipOf(net.node(3)).work;
    expect(winningWork).toBeGreaterThan(tipOf(net.node(0)).work);

    const start = performance.now();
    await net.heal(LEFT, RIGHT);
    await waitFor(() => allAtTip(net.nodes, winner), 20_000, 'every node on the most-work chain');
    await waitFor(() => allHaveTxs(net.nodes, leftTxs), 20_000, "the losing half's txs in every mempool");
    console.log(`[partition] heal -> converged, txs restored: ${(performance.now() - start).toFixed(0)} ms`);

    for (const node of net.nodes) {
      expect(tipOf(node).work).toBe(winningWork);
      for (const txid of [shared, ...rightTxs]) expect(isConfirmed(node, txid)).toBe(true);
      expect(node.chain.mempool.has(shared)).toBe(false);
      for (const txid of leftTxs) expect(isConfirmed(node, txid)).toBe(false);
      // Left blocks are kept as a side chain, not active.
      for (const id of leftBlocks) expect(node.chain.isActive(id)).toBe(false);
    }

    // The restored transactions are confirmed by the next block, wherever it is mined.
    const next = await mineOn(net.node(2));
    await waitFor(
      () => allAtTip(net.nodes, next) && net.nodes.every((node) => node.chain.mempool.size === 0),
      10_000,
      'the next block confirming the restored txs everywhere',
    );
    for (const node of net.nodes) for (const txid of leftTxs) expect(isConfirmed(node, txid)).toBe(true);

    // The manual bans were the only quarantines: honest nodes never quarantined each other.
    for (let i = 0; i < net.size; i++) {
      expect(net.manualBansOf(i)).toBe(LEFT.includes(i) ? RIGHT.length : LEFT.length);
      expect(await net.automaticQuarantines(i)).toBe(0);
      for (const node of net.nodes) {
        if (node !== net.node(i)) expect(net.node(i).reputation.isQuarantined(node.peerIdString)).toBe(false);
      }
    }
  });
});
