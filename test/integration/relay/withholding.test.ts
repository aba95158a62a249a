/**
 * Scenario 4: an announcement that is never served. A raw libp2p peer announces a real txid first
 * and then accepts the getdata stream without ever answering. The honest node must still get the
 * transaction, from the honest announcer, once the request times out (REQUEST_TIMEOUT_MS = 2 s),
 * and must charge the withholder a REQUEST_TIMEOUT offence.
 *
 * Topology: honest H1 (node 0) - honest H2 (node 1) - withholder W. H2 dialed both H1 and W, so
 * both are outbound peers for H2 (equally preferred); W announces first, so H2 asks W first.
 */
import { InvType } from '../../../src/p2p/wire/codec.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_TIMEOUT_MS } from '../../../src/p2p/relay/request-tracker.js';
import { offencesAgainst, TestNetwork, WithholdingPeer, waitFor } from '../../helpers/index.js';

const AMOUNT = 100_000_000n;
/**
 * H1's transaction announcement batching (ms). The default (TX_ANNOUNCE_INTERVAL_MS, 2 s) equals the
 * request timeout: H1's Inv could arrive after W's request expired, and H2 would never hold two
 * announcers at once.
 */
const TRICKLE_MS = 100;

describe('announce, then withhold: the object comes from another announcer', { timeout: 60_000 }, () => {
  let net: TestNetwork;
  let withholder: WithholdingPeer;

  beforeAll(async () => {
    // H1 announces within TRICKLE_MS, so its Inv reaches H2 while H2's request to W (2 s) is pending.
    net = await TestNetwork.start({
      count: 2,
      edges: [[0, 1]],
      nodeOptions: (i) => (i === 0 ? { hooks: { txAnnounceIntervalMs: TRICKLE_MS } } : {}),
    });
    withholder = await WithholdingPeer.start();
    await withholder.dialedBy(net.node(1));
    await withholder.waitForMesh(net.node(1));
  });
  afterAll(async () => {
    await withholder?.stop();
    await net?.cleanup();
  });

  it('fetches the transaction from the honest announcer after the withholder times out', async () => {
    const [h1, h2] = [net.node(0), net.node(1)];
    const payment = h1.wallet.createPayment(h2.wallet.address, AMOUNT);
    const key = `tx:${payment.txidHex}`;

    await withholder.announce([{ type: InvType.TX, hash: payment.txid }]);
    await waitFor(() => h2.relay.tracker.inFlightCount(withholder.peerId) === 1, 10_000, 'H2 asking W');
    const askedAt = performance.now();
    await waitFor(() => withholder.requestChunks > 0, 10_000, 'the getdata request to reach W');

    // H1 now has the transaction and announces it, together with a second payment in the same Inv.
    // Neither is pushed (H1's relay only pushes what it created or relayed itself): this tests the
    // inv/getdata path.
    h1.chain.acceptTransaction(payment.bytes);
    const other = h1.wallet.createPayment(h2.wallet.address, AMOUNT + 1n);
    h1.chain.acceptTransaction(other.bytes);
    h1.relay.announce('tx', payment.txid);
    h1.relay.announce('tx', other.txid);
    await waitFor(() => h2.relay.tracker.announcers(key).length === 2, 10_000, 'H1 announcing to H2');
    expect(h2.relay.tracker.announcers(key)).toEqual([withholder.peerId, h1.peerIdString]);
    // The other payment had a single announcer and arrives at once.
    await waitFor(() => h2.chain.mempool.has(other.txidHex), 10_000, 'the other payment at H2');
    expect(h2.chain.mempool.has(payment.txidHex)).toBe(false);

    // One request per key at a time: the tx may only arrive after W's request timed out (the relay
    // records the offence, then asks the next announcer), so no poll may see it before the offence.
    let arrivedEarly = false;
    await waitFor(
      () => {
        const arrived = h2.chain.mempool.has(payment.txidHex);
        if (arrived && offencesAgainst(h2, withholder.peerId, 'REQUEST_TIMEOUT') === 0) arrivedEarly = true;
        return arrived;
      },
      20_000,
      'the withheld tx at H2',
    );
    const elapsed = performance.now() - askedAt;
    console.log(`[withhold] withheld tx reached H2 ${elapsed.toFixed(0)} ms after it asked W`);
    expect(arrivedEarly).toBe(false);
    // About one request timeout (the upper bound leaves room for a loaded machine).
    expect(elapsed).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 250);
    expect(elapsed).toBeLessThan(2 * REQUEST_TIMEOUT_MS + 1_000);

    expect(offencesAgainst(h2, withholder.peerId, 'REQUEST_TIMEOUT')).toBe(1);
    expect(offencesAgainst(h2, h1.peerIdString, 'REQUEST_TIMEOUT')).toBe(0);
    // One timeout is a judgement call, far from a quarantine; H1 is in good standing.
    expect(h2.reputation.isQuarantined(withholder.peerId)).toBe(false);
    expect(h2.reputation.report(h1.peerIdString).totalOffences).toBe(0);
  });

  // Announcements carry a nonce, so an honest node's single-item Inv of the same txid is its own
  // gossipsub message: H2 sees H1 as a second announcer and gets the transaction once W times out.
  it('a single-item Inv of the same txid from a second announcer is delivered and used', async () => {
    const [h1, h2] = [net.node(0), net.node(1)];
    const payment = h1.wallet.createPayment(h2.wallet.address, AMOUNT + 2n);
    const heardFromH1: string[] = [];
    const listener = (event: CustomEvent<{ propagationSource: { toString(): string }; msgId: string }>) => {
      if (event.detail.propagationSource.toString() === h1.peerIdString) heardFromH1.push(event.detail.msgId);
    };
    h2.p2p.gossipsub.addEventListener('gossipsub:message', listener);
    try {
      await withholder.announce([{ type: InvType.TX, hash: payment.txid }]);
      await waitFor(() => h2.relay.tracker.inFlightCount(withholder.peerId) === 1, 10_000, 'H2 asking W');
      // Announced alone, and not pushed (H1 did not create it as far as its relay knows).
      h1.chain.acceptTransaction(payment.bytes);
      h1.relay.announce('tx', payment.txid);
      await waitFor(() => heardFromH1.length > 0, 10_000, "H1's announcement at H2");
      await waitFor(() => h2.chain.mempool.has(payment.txidHex), 20_000, 'the withheld tx at H2');
      expect(offencesAgainst(h2, withholder.peerId, 'REQUEST_TIMEOUT')).toBe(2);
      expect(offencesAgainst(h2, h1.peerIdString, 'REQUEST_TIMEOUT')).toBe(0);
    } finally {
      h2.p2p.gossipsub.removeEventListener('gossipsub:message', listener);
    }
  });
});
