/**
 * `getBlockTxn` answers are charged to the upload budget, as getdata answers are: one small request
 * can ask for a block's worth of transactions, so a peer repeating it must not make us send more
 * than its budget. Over the budget the answer is empty (the requester falls back to getdata).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { P2PNode } from '../../../src/p2p/node/index.js';
import { SyncClient, SyncServer } from '../../../src/p2p/sync/index.js';
import { addrOf, hashOf, isConnected, MemoryInventory, NETWORK, TestNet, waitFor } from './helpers.js';

/** Bytes of each transaction the server holds for the block: three make a 270 KB answer. */
const TX_BYTES = 90_000;
/** The peer's upload budget in this test: room for one answer, not two. */
const BUDGET = 400_000;

class BigBlockInventory extends MemoryInventory {
  override async blockTransactions(_blockId: Uint8Array, indexes: readonly number[]): Promise<Uint8Array[]> {
    return indexes.map((i) => new Uint8Array(TX_BYTES).fill(i));
  }
}

const net = new TestNet();
let server: P2PNode;
let client: P2PNode;
let syncServer: SyncServer;
let sync: SyncClient;
let charged = 0;

beforeAll(async () => {
  server = await net.node();
  client = await net.node({ bootstrap: [addrOf(server)] });
  syncServer = new SyncServer(server.libp2p, {
    network: NETWORK,
    source: new BigBlockInventory(),
    uploadBudget: () => BUDGET - charged,
    chargeUpload: (_peer, bytes) => {
      charged += bytes;
    },
  });
  await syncServer.start();
  sync = new SyncClient(client.libp2p, { network: NETWORK });
  await waitFor(() => isConnected(client, server), 10_000, 'connection');
});

afterAll(async () => {
  await syncServer.stop();
  await net.cleanup();
});

describe('getBlockTxn and the upload budget', () => {
  it('answers within the budget, then answers empty instead of sending more', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      const txs = await sync.requestBlockTransactions(server.peerId, hashOf('block'), [1, 2, 3]);
      answers.push(txs.length);
    }
    expect(answers).toEqual([3, 0, 0, 0, 0]);
    expect(charged).toBeGreaterThan(3 * TX_BYTES);
    expect(charged).toBeLessThan(BUDGET);
  });
});
