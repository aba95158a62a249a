import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { P2PNode } from '../../../src/p2p/node/index.js';
import { SyncClient, SyncFailedError, SyncServer } from '../../../src/p2p/sync/index.js';
import { encodeSyncRequest, InvType } from '../../../src/p2p/wire/codec.js';
import { MAX_SYNC_REQUEST_BYTES, syncProtocol } from '../../../src/p2p/wire/constants.js';
import { frameStream } from '../../../src/p2p/wire/framing.js';
import { NotConnectedError } from '../../../src/p2p/wire/peers.js';
import {
  addrOf,
  hashOf,
  isConnected,
  MemoryInventory,
  NETWORK,
  TestNet,
  ViolationLog,
  waitFor,
} from './helpers.js';

const net = new TestNet();
const inventory = new MemoryInventory();
const serverViolations = new ViolationLog();
const clientViolations = new ViolationLog();
let server: P2PNode;
let client: P2PNode;
let syncServer: SyncServer;
let sync: SyncClient;

beforeAll(async () => {
  for (let h = 0; h <= 20; h++) inventory.chain.push(hashOf(`block-${h}`));
  for (let i = 0; i < 3; i++) inventory.add(InvType.TX, `mempool-${i}`, Uint8Array.of(i));
  server = await net.node();
  client = await net.node({ bootstrap: [addrOf(server)] });
  syncServer = new SyncServer(server.libp2p, {
    network: NETWORK,
    source: inventory,
    onProtocolViolation: serverViolations.handler,
  });
  await syncServer.start();
  sync = new SyncClient(client.libp2p, { network: NETWORK, onProtocolViolation: clientViolations.handler });
  await waitFor(() => isConnected(client, server), 10_000, 'connection');
});

afterAll(async () => {
  await syncServer.stop();
  await net.cleanup();
});

describe('sync', () => {
  it('answers status', async () => {
    const status = await sync.requestStatus(server.peerId);
    expect(status).toEqual({
      genesis: hashOf('block-0'),
      tip: hashOf('block-20'),
      height: 20,
      cumulativeWork: 0x0102_0304_0506_0708_090an,
    });
  });

  it('answers getBlocks from the first known locator hash, oldest first, at most max', async () => {
    const locator = [hashOf('unknown-fork-block'), hashOf('block-7'), hashOf('block-0')];
    const ids = await sync.requestBlocksAfter(server.peerId.toString(), locator, 5);
    expect(ids).toEqual([8, 9, 10, 11, 12].map((h) => hashOf(`block-${h}`)));
    const rest = await sync.requestBlocksAfter(server.peerId, [hashOf('block-18')]);
    expect(rest).toEqual([hashOf('block-19'), hashOf('block-20')]);
    await expect(sync.requestBlocksAfter(server.peerId, [], 501)).rejects.toBeInstanceOf(RangeError);
  });

  it('answers getMempool with txids', async () => {
    const txids = await sync.requestMempool(server.peerId);
    expect(txids).toEqual([0, 1, 2].map((i) => hashOf(`mempool-${i}`)));
  });

  it('reports a request with two queries set (non-canonical) and resets the stream', async () => {
    const status = encodeSyncRequest({ kind: 'status' });
    const mempool = encodeSyncRequest({ kind: 'getMempool' });
    const both = Uint8Array.of(...status, ...mempool); // field 1 then field 3: both oneof members set
    const connection = client.libp2p.getConnections(server.peerId)[0]!;
    const stream = await connection.newStream(syncProtocol(NETWORK));
    const frames = frameStream(stream, MAX_SYNC_REQUEST_BYTES);
    await frames.write(both);
    await expect(frames.read()).rejects.toThrow();
    await waitFor(() => serverViolations.entries.length > 0, 5_000, 'violation');
    expect(serverViolations.entries).toMatchObject([
      { peerId: client.peerId.toString(), kind: 'NON_CANONICAL' },
    ]);
    // The server keeps serving.
    await expect(sync.requestStatus(server.peerId)).resolves.toMatchObject({ height: 20 });
  });

  it('reports an invalid response on the client side', async () => {
    const liar = await net.node();
    await liar.libp2p.handle(syncProtocol(NETWORK), ({ stream }) => {
      void (async () => {
        const frames = frameStream(stream, MAX_SYNC_REQUEST_BYTES);
        await frames.read();
        await frames.write(Uint8Array.of(0x0a, 0x01, 0x00)); // genesis of 1 byte
        await stream.close();
      })().catch(() => undefined);
    });
    await client.libp2p.dial(liar.multiaddrs()[0]!);
    await expect(sync.requestStatus(liar.peerId)).rejects.toBeInstanceOf(SyncFailedError);
    expect(clientViolations.entries).toMatchObject([{ peerId: liar.peerId.toString(), kind: 'MALFORMED' }]);
  });

  it('fails fast when not connected', async () => {
    const stranger = await net.node();
    await expect(sync.requestStatus(stranger.peerId)).rejects.toBeInstanceOf(NotConnectedError);
  });
});
