/**
 * Preferred announcers are the peers we dialed (and allow-listed ones), never an inbound peer that
 * earned trust. A covert inbound peer first delivers a valid transaction (its trust score rises
 * above 0), then announces a transaction it withholds, in the same instant as an honest outbound
 * peer announces it. The honest node must fetch it from the outbound peer at once: it may not wait
 * for the covert peer's request to time out (which it would if credit made a peer preferred).
 *
 * Topology: H1 (node 0) ← H2 (node 1) dials H1, so H1 is outbound for H2; the covert node C
 * (node 2) dials H2, so it is inbound for H2. C is the honest node composed with an inventory
 * source that, once switched, never answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_TIMEOUT_MS } from '../../../src/p2p/relay/request-tracker.js';
import { InvType } from '../../../src/p2p/wire/codec.js';
import { offencesAgainst, serveAfter, TestNetwork, waitFor } from '../../helpers/index.js';

const AMOUNT = 100_000_000n;

describe('preferred announcers are outbound or allow-listed peers only', { timeout: 60_000 }, () => {
  let net: TestNetwork;
  let withholding = false;

  beforeAll(async () => {
    net = await TestNetwork.start({ count: 2, edges: [[0, 1]] });
    await net.addNode({
      name: 'covert',
      connectTo: [1],
      hooks: serveAfter(() => (withholding ? new Promise<never>(() => undefined) : undefined)),
    });
  });
  afterAll(async () => {
    await net?.cleanup();
  });

  it('an inbound peer with credit does not delay a transaction an outbound peer announces', async () => {
    const [h1, h2, covert] = [net.node(0), net.node(1), net.node(2)];
    const covertId = covert.peerIdString;

    // 1. The covert peer behaves: its own payment reaches H2 from it, and H2 credits it.
    const own = covert.wallet.createPayment(h2.wallet.address, AMOUNT);
    covert.submitTransaction(own.bytes);
    await waitFor(() => h2.chain.mempool.has(own.txidHex), 10_000, 'the covert payment at H2');
    await waitFor(() => h2.reputation.report(covertId).score > 0, 10_000, 'H2 crediting the covert peer');

    // 2. It turns: it announces a transaction it will not serve, as H1 announces the same one.
    withholding = true;
    const payment = h1.wallet.createPayment(h2.wallet.address, AMOUNT + 1n);
    covert.chain.acceptTransaction(payment.bytes);
    h1.chain.acceptTransaction(payment.bytes);
    const item = { type: InvType.TX, hash: payment.txid };
    const announcedAt = performance.now();
    await Promise.all([
      covert.services.announcements.publish([item]),
      h1.services.announcements.publish([item]),
    ]);
    await waitFor(() => h2.chain.mempool.has(payment.txidHex), 20_000, 'the transaction at H2');
    const elapsed = performance.now() - announcedAt;
    console.log(`[preferred] outbound-announced tx reached H2 ${elapsed.toFixed(0)} ms after both Invs`);

    // Fetched from H1 without waiting out a request to the covert peer.
    expect(offencesAgainst(h2, covertId, 'REQUEST_TIMEOUT')).toBe(0);
    expect(elapsed).toBeLessThan(REQUEST_TIMEOUT_MS);
    expect(h2.reputation.report(h1.peerIdString).totalOffences).toBe(0);
  });
});
