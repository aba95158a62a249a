/**
 * Regression: a node whose own event loop stalls for 2.5 s (say, validating a large block) while it
 * has 40 transactions in flight from an honest peer must not blame the peer. When the loop resumes,
 * the relay's sweep timer may run before the socket read that holds the peer's answer; the sweep
 * sees it ran late and expires the requests without an offence, and it never charges more than one
 * REQUEST_TIMEOUT per peer per sweep (src/p2p/relay/inv-relay.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeerReport } from '../../../src/p2p/reputation/index.js';
import { sendPayment, sleep, TestNetwork, waitFor } from '../../helpers/index.js';

/** Transactions in the honest peer's mempool, all fetched at once by the newcomer. */
const TXS = 40;
/** Length of the requester's stall (ms): above the 2 s request timeout. */
const STALL_MS = 2_500;

/** Resolves on the first event-loop turn where `condition` holds (finer than a timer-based poll). */
async function onTurnWhen(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('a requester whose event loop stalls while fetching from an honest peer', () => {
  let net: TestNetwork | undefined;
  let inFlightAtStall = 0;
  let report: PeerReport;

  beforeAll(async () => {
    net = await TestNetwork.start({ count: 1, edges: [] });
    const honest = net.node(0);
    for (let i = 0; i < TXS; i++) sendPayment(honest, honest, 100_000_000n);
    expect(honest.chain.mempool.size).toBe(TXS);

    // The newcomer learns the mempool at connect and requests every transaction from `honest`.
    const newcomer = await net.addNode({ name: 'newcomer', connectTo: [0], waitForConnections: false });
    const honestId = honest.peerIdString;
    await onTurnWhen(() => newcomer.relay.tracker.inFlightCount(honestId) > 0, 15_000, 'requests in flight');
    inFlightAtStall = newcomer.relay.tracker.inFlightCount(honestId);
    const until = Date.now() + STALL_MS;
    while (Date.now() < until) {
      // A busy event loop: nothing else runs, as while validating a large block.
    }
    // Either outcome settles: every transaction fetched, or the honest peer quarantined.
    await waitFor(
      () => newcomer.chain.mempool.size === TXS || newcomer.reputation.isQuarantined(honestId),
      10_000,
      'the newcomer to get every transaction (or to quarantine the honest peer)',
    );
    await sleep(500);
    report = newcomer.reputation.report(honestId);
    console.log(
      `requester stall of ${STALL_MS} ms with ${inFlightAtStall} keys in flight: honest peer ` +
        `${report.state}, score ${report.score}, offences ${JSON.stringify(report.offenceCounts)}`,
    );
  });

  afterAll(() => net?.cleanup());

  it('had the honest peer’s requests in flight during the stall', () => {
    expect(inFlightAtStall).toBeGreaterThan(25);
  });

  it('does not quarantine the honest peer for its own stall', () => {
    expect(report.state).not.toBe('quarantined');
    expect(report.score).toBeGreaterThan(-20);
  });
});
