/**
 * Scenario 2: catching up. A node that joins after 30 blocks syncs to the same tip (locator sync on
 * connect) and learns the pending transactions (mempool anti-entropy); a node stopped and started
 * again on the same data dir resumes from its stored chain and catches up with what it missed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allAtTip,
  allHaveTxs,
  line,
  mineBlocks,
  mineOn,
  offencesAgainst,
  ringWithChord,
  sendPayment,
  TestNetwork,
  tipOf,
  waitFor,
} from '../../helpers/index.js';

const AMOUNT = 100_000_000n;

describe('catching up: a late node and a restarted node', { timeout: 60_000 }, () => {
  let net: TestNetwork;

  beforeAll(async () => {
    net = await TestNetwork.start({ count: 5, edges: ringWithChord(5) });
  });
  afterAll(() => net?.cleanup());

  it('syncs a node started after 30 blocks to the same tip, with the pending transactions', async () => {
    // Blocks come from two miners, so the chain is not one node's private history.
    await mineBlocks(net.node(0), 15);
    await waitFor(() => allAtTip(net.nodes, tipOf(net.node(0)).idHex), 20_000, '15 blocks everywhere');
    await mineBlocks(net.node(3), 15);
    const tip = tipOf(net.node(3));
    expect(tip.height).toBe(30);
    await waitFor(() => allAtTip(net.nodes, tip.idHex), 20_000, '30 blocks everywhere');
    const pending = sendPayment(net.node(1), net.node(4), AMOUNT);
    await waitFor(() => allHaveTxs(net.nodes, [pending]), 20_000, 'the pending tx everywhere');

    const start = performance.now();
    const late = await net.addNode({ name: 'late', connectTo: [1, 3] });
    await waitFor(() => tipOf(late).idHex === tip.idHex, 20_000, 'the late node at the tip');
    await waitFor(() => late.chain.mempool.has(pending), 20_000, 'the pending tx in the late mempool');
    console.log(`[sync] late node: 30 blocks + mempool in ${(performance.now() - start).toFixed(0)} ms`);
    expect(tipOf(late).work).toBe(tip.work);

    // It takes part in relay afterwards: a block mined elsewhere reaches it by announcement.
    const next = await mineOn(net.node(0));
    await waitFor(() => allAtTip(net.nodes, next), 20_000, 'the next block everywhere, late node included');
  });

  it('resumes a restarted node from its data dir and catches up with the blocks it missed', async () => {
    const index = 2;
    const before = tipOf(net.node(index));
    await net.stopNode(index);

    // While it is down: 5 blocks and a transaction.
    const missed = await mineBlocks(net.node(4), 5);
    const tx = sendPayment(net.node(0), net.node(1), AMOUNT);
    const running = net.nodes;
    const tip = missed.at(-1)!;
    await waitFor(
      () => allAtTip(running, tip) && allHaveTxs(running, [tx]),
      10_000,
      'the other nodes at the new tip',
    );

    const start = performance.now();
    const restarted = await net.restartNode(index);
    // Resumed from disk, not from genesis (it may already be syncing, hence >=).
    expect(tipOf(restarted).height).toBeGreaterThanOrEqual(before.height);
    expect(restarted.chain.getEntry(before.idHex)).toBeDefined();
    await waitFor(() => tipOf(restarted).idHex === tip, 20_000, 'the restarted node at the tip');
    await waitFor(() => restarted.chain.mempool.has(tx), 20_000, 'the missed tx in its mempool');
    console.log(
      `[sync] restarted node: 5 missed blocks + mempool in ${(performance.now() - start).toFixed(0)} ms`,
    );
    expect(restarted.peerIdString).toBe(net.node(index).peerIdString);
  });
});

describe('catching up two hops away from a longer chain', { timeout: 60_000 }, () => {
  let net: TestNetwork;

  beforeAll(async () => {
    net = await TestNetwork.start({ count: 3, edges: line(3) });
  });
  afterAll(() => net?.cleanup());

  it('syncs the missing parent of an announced block from the peer that served it', async () => {
    // Node 2 builds 3 blocks alone; when it rejoins, node 1 syncs them (sync on connect) and then
    // announces only its new tip. Node 0, connected to node 1 for a long time already, gets a block
    // whose parent it lacks: it must sync from node 1 at once, not wait for the 15 s status poll.
    await net.partition([1], [2]);
    const ids = await mineBlocks(net.node(2), 3);
    const tip = ids.at(-1)!;
    expect(tipOf(net.node(0)).height).toBe(0);

    const start = performance.now();
    await net.heal([1], [2]);
    await waitFor(() => allAtTip(net.nodes, tip), 20_000, 'the longer chain at every node');
    console.log(
      `[sync] two hops from a 3-block chain: caught up in ${(performance.now() - start).toFixed(0)} ms`,
    );
    expect(net.node(0).chain.orphanCount).toBe(0);
    // Nobody announced a block it could not serve.
    for (const node of net.nodes) {
      for (const other of net.nodes) {
        if (other !== node)
          expect(offencesAgainst(node, other.peerIdString, 'NOTFOUND_AFTER_ANNOUNCE')).toBe(0);
      }
    }
  });
});
