/**
 * A peer that floods getdata requests is throttled, then quarantined: the getdata server's rate
 * limit (1,000 items/s, burst 10,000) refuses requests beyond it, each refusal is a
 * RATE_LIMIT_EXCEEDED offence, and the peer's state goes healthy -> throttled -> quarantined.
 * The flooder is a bare libp2p peer speaking the getdata protocol with the real client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetDataClient } from '../../../src/p2p/getdata/client.js';
import { invTypeFromName } from '../../../src/p2p/wire/codec.js';
import { QUARANTINE_THRESHOLD, THROTTLE_THRESHOLD } from '../../../src/p2p/reputation/constants.js';
import { MAX_GETDATA_ITEMS } from '../../../src/p2p/wire/constants.js';
import { TestNetwork, WithholdingPeer, waitFor } from '../../helpers/index.js';

describe('a peer that floods getdata requests', () => {
  let net: TestNetwork;
  let flooder: WithholdingPeer;
  const states: string[] = [];

  beforeAll(async () => {
    net = await TestNetwork.start({ count: 1, edges: [] });
    flooder = await WithholdingPeer.start();
    await flooder.dial(net.node(0));
    await waitFor(() => net.node(0).p2p.libp2p.getPeers().length === 1, 10_000, 'the flooder to connect');
  });

  afterAll(async () => {
    await flooder?.stop();
    await net?.cleanup();
  });

  it('is throttled, then quarantined, with RATE_LIMIT_EXCEEDED offences', async () => {
    const honest = net.node(0);
    const target = honest.p2p.peerId;
    const client = new GetDataClient(flooder.p2p.libp2p, { network: 'regtest' });
    client.start();
    const items = Array.from({ length: MAX_GETDATA_ITEMS }, (_, i) => ({
      type: invTypeFromName('tx'),
      hash: new Uint8Array(32).fill(i % 256),
    }));
    const record = () => {
      const state = honest.reputation.state(flooder.peerId);
      if (states.at(-1) !== state) states.push(state);
    };
    record();
    // 100 requests of 1,000 items at once: 10x the burst.
    const requests = Array.from({ length: 100 }, () =>
      client.requestObjects(target, items, { timeoutMs: 10_000 }).then(record, record),
    );
    await waitFor(
      () => {
        record();
        return honest.reputation.isQuarantined(flooder.peerId);
      },
      45_000,
      'the flooder to be quarantined',
    );
    await Promise.allSettled(requests);
    client.stop();
    const report = honest.reputation.report(flooder.peerId);
    console.log(
      `getdata flood: states ${states.join(' -> ')}; offences ${JSON.stringify(report.offenceCounts)}`,
    );
    expect(report.offenceCounts.RATE_LIMIT_EXCEEDED).toBeGreaterThanOrEqual(1);
    expect(states[0]).toBe('healthy');
    // Throttled on the way (its offence history passes through the throttled band, however fast
    // the offences came: polling the state can miss it on a loaded machine), then quarantined.
    expect(
      report.offences.some((o) => o.scoreAfter <= THROTTLE_THRESHOLD && o.scoreAfter > QUARANTINE_THRESHOLD),
    ).toBe(true);
    expect(states.at(-1)).toBe('quarantined');
    await waitFor(() => honest.p2p.libp2p.getPeers().length === 0, 10_000, 'the flooder to be disconnected');
  }, 60_000);
});
