/**
 * Anti-entropy: a transaction that reached one node without being announced (as across a partition
 * whose connections survived the cut: nothing reconnects, so nothing is exchanged on connect) still
 * reaches its neighbour, from the periodic mempool reconciliation with a random peer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_POLL_INTERVAL_MS } from '../../../src/p2p/sync/block-sync.js';
import { line, offencesAgainst, TestNetwork, waitFor } from '../../helpers/index.js';

describe('mempool reconciliation', { timeout: 60_000 }, () => {
  let net: TestNetwork;

  beforeAll(async () => {
    net = await TestNetwork.start({ count: 2, edges: line(2) });
  });
  afterAll(() => net?.cleanup());

  it('brings an unannounced transaction to the neighbour within a reconciliation period', async () => {
    const [h1, h2] = [net.node(0), net.node(1)];
    const payment = h1.wallet.createPayment(h2.wallet.address, 100_000_000n);
    // In h1's mempool, neither pushed nor announced.
    h1.chain.acceptTransaction(payment.bytes);
    const started = performance.now();
    await waitFor(
      () => h2.chain.mempool.has(payment.txidHex),
      2 * STATUS_POLL_INTERVAL_MS + 5_000,
      'the tx at h2',
    );
    console.log(
      `[anti-entropy] unannounced tx reached the neighbour in ${(performance.now() - started).toFixed(0)} ms`,
    );
    expect(offencesAgainst(h2, h1.peerIdString, 'NOTFOUND_AFTER_ANNOUNCE')).toBe(0);
  });
});
