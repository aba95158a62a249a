/**
 * The periodic anti-entropy exchange asks a peer for its recent mempool only (`getMempool` with
 * `maxAgeSeconds`), between real nodes over TCP: a node holding a payment dated five minutes ago
 * and one dated now offers both to a whole-mempool request and only the new one to a request for
 * the last 60 s; the asker is not blamed for either request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTransaction } from '../../../src/chain/encoding/codec.js';
import { devAccount } from '../../../src/chain/genesis.js';
import { createTransaction, txidOfBytes } from '../../../src/chain/objects/transaction.js';
import { fromHex, toHex } from '../../../src/crypto/hash.js';
import { RECENT_MEMPOOL_SECONDS } from '../../../src/p2p/sync/block-sync.js';
import { SyncClient } from '../../../src/p2p/sync/client.js';
import { line, TestNetwork } from '../../helpers/index.js';

/** Age (ms) of the old payment: well inside the 10-minute relay window, well outside 60 s. */
const OLD_AGE_MS = 5 * 60_000;

describe('recent mempool exchange', { timeout: 60_000 }, () => {
  let net: TestNetwork;

  beforeAll(async () => {
    net = await TestNetwork.start({ count: 2, edges: line(2) });
  });
  afterAll(() => net?.cleanup());

  it('a request for the last 60 s leaves out older payments; the whole-mempool request has both', async () => {
    const [a, b] = [net.node(0), net.node(1)];
    const coins = a.wallet.spendableCoins();
    expect(coins.length).toBeGreaterThanOrEqual(2);
    const paymentDated = (index: number, timestamp: number): Uint8Array => {
      const coin = coins[index]!;
      return encodeTransaction(
        createTransaction(
          a.chain.params.network,
          [
            {
              prevTxid: fromHex(coin.txidHex),
              outputIndex: coin.outputIndex,
              secretKey: devAccount(0).secretKey,
            },
          ],
          [{ amount: coin.utxo.amount - 10_000n, address: b.wallet.address as Uint8Array<ArrayBuffer> }],
          timestamp,
        ),
      );
    };
    const old = paymentDated(0, Date.now() - OLD_AGE_MS);
    const fresh = paymentDated(1, Date.now());
    a.submitTransaction(old);
    a.submitTransaction(fresh);
    const [oldId, freshId] = [toHex(txidOfBytes(old)), toHex(txidOfBytes(fresh))];

    const client = new SyncClient(b.p2p.libp2p, { network: a.chain.params.network });
    const whole = (await client.requestMempool(a.p2p.peerId)).map(toHex);
    expect(whole).toEqual(expect.arrayContaining([oldId, freshId]));
    const recent = (await client.requestMempool(a.p2p.peerId, { maxAgeSeconds: RECENT_MEMPOOL_SECONDS })).map(
      toHex,
    );
    expect(recent).toContain(freshId);
    expect(recent).not.toContain(oldId);
    expect(a.reputation.list().every((r) => r.totalOffences === 0)).toBe(true);
  });
});
