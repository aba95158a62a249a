/**
 * A transaction whose only announcer answers too late is asked from it again (TX_RETRIES).
 *
 * Topology: H1 (node 0) - H2 (node 1). H1 holds a payment nobody else has and announces it (an Inv,
 * no push: this is the inv/getdata path of a transaction older than PUSH_MAX_AGE_MS). H1's first
 * answer for it is held back STALL_MS, past the 4 s getdata timeout, as a node starved of CPU
 * answers: H2's request fails and its stream is reset. H1 never announces the payment again and
 * H2's mempool exchange is stopped, so without a retry H2 never gets it (the 20-node memory bench
 * lost up to 30% of its payments this way).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../../src/crypto/hash.js';
import { InvType } from '../../../src/p2p/wire/codec.js';
import { offencesAgainst, serveAfter, TestNetwork, waitFor } from '../../helpers/index.js';

const AMOUNT = 100_000_000n;
/** How long H1 holds back its first answer (ms): past the 4 s getdata timeout. */
const STALL_MS = 5_000;

describe('a sole announcer that answers too late', { timeout: 60_000 }, () => {
  let net: TestNetwork;
  /** Txid (hex) whose first serve H1 holds back, and how often H1 was asked for it. */
  let held: string | undefined;
  let asked = 0;

  beforeAll(async () => {
    net = await TestNetwork.start({
      count: 2,
      edges: [[0, 1]],
      nodeOptions: (i) =>
        i === 0
          ? {
              hooks: serveAfter((type, hash) =>
                type === InvType.TX && toHex(hash) === held && asked++ === 0
                  ? new Promise((resolve) => setTimeout(resolve, STALL_MS))
                  : undefined,
              ),
            }
          : {},
    });
  });
  afterAll(async () => {
    await net?.cleanup();
  });

  it('asks it again once its request failed, and gets the transaction', async () => {
    const [h1, h2] = [net.node(0), net.node(1)];
    await h2.sync.stop(); // no mempool exchange: relay alone must bring it
    const payment = h1.wallet.createPayment(h2.wallet.address, AMOUNT);
    held = payment.txidHex;
    h1.chain.acceptTransaction(payment.bytes);
    h1.relay.announce('tx', payment.txid);
    await waitFor(() => h2.chain.mempool.has(payment.txidHex), 30_000, 'the payment at H2');
    expect(asked).toBeGreaterThanOrEqual(2);
    // A late answer is a judgement call: the retry must not turn an honest, slow H1 into an offender.
    expect(h2.reputation.isQuarantined(h1.peerIdString)).toBe(false);
    // One late answer, one REQUEST_TIMEOUT: the retry that succeeded costs H1 nothing more.
    expect(offencesAgainst(h2, h1.peerIdString, 'REQUEST_TIMEOUT')).toBe(1);
  });
});
