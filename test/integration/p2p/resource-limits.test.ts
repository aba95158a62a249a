/**
 * Resource-exhaustion holes an independent client found, each closed (issue: bandwidth
 * amplification, stalled streams): a getdata request naming an item twice is malformed; what a
 * peer is served is bounded by its upload budget (the rest deferred, at no read cost); a getdata
 * stream on which the client stays silent, or stops mid-frame, is closed at the idle limit; a
 * txpush stream that never subscribes is closed at the subscribe limit.
 */
import type { Stream } from '@libp2p/interface';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetDataServer } from '../../../src/p2p/getdata/index.js';
import type { P2PNode } from '../../../src/p2p/node/index.js';
import { TxPushServer } from '../../../src/p2p/push/index.js';
import { RateLimiter } from '../../../src/p2p/reputation/index.js';
import { decodeData, encodeGetData, InvType } from '../../../src/p2p/wire/codec.js';
import { getDataProtocol, MAX_DATA_FRAME_BYTES, txPushProtocol } from '../../../src/p2p/wire/constants.js';
import { frameStream } from '../../../src/p2p/wire/framing.js';
import { GetData } from '../../../src/p2p/wire/messages.pb.js';
import { addrOf, isConnected, MemoryInventory, NETWORK, TestNet, ViolationLog, waitFor } from './helpers.js';

/** Short limits so the test sees them act; the defaults are documented in wire/constants.ts. */
const IDLE_MS = 600;
const SERVED = { ratePerSecond: 200_000, burst: 1_000_000 };
const OBJECT_BYTES = 100_000;

const net = new TestNet();
const inventory = new MemoryInventory();
const violations = new ViolationLog();
const served = new RateLimiter({ limits: { served: SERVED } });
let server: P2PNode;
let attacker: P2PNode;
let getDataServer: GetDataServer;
let pushServer: TxPushServer;

/** Resolves with how long (ms) the stream took to end, from `since`. */
async function endedAfter(stream: Stream, since: number): Promise<number> {
  try {
    for await (const _ of stream.source) {
      // the server never writes on these streams
    }
  } catch {
    // reset by the server
  }
  return performance.now() - since;
}

async function openRaw(protocol: string): Promise<Stream> {
  const connection = attacker.libp2p.getConnections(server.peerId)[0]!;
  return connection.newStream(protocol);
}

beforeAll(async () => {
  server = await net.node();
  attacker = await net.node({ bootstrap: [addrOf(server)] });
  getDataServer = new GetDataServer(server.libp2p, {
    network: NETWORK,
    source: inventory,
    onProtocolViolation: violations.handler,
    idleTimeoutMs: IDLE_MS,
    uploadBudget: (peer) => Math.floor(served.available(peer, 'served')),
    chargeUpload: (peer, bytes) => void served.take(peer, 'served', bytes),
  });
  await getDataServer.start();
  pushServer = new TxPushServer(server.libp2p, { network: NETWORK, subscribeTimeoutMs: IDLE_MS });
  await pushServer.start();
  await waitFor(() => isConnected(attacker, server), 10_000, 'connection');
});

afterAll(async () => {
  await pushServer.stop();
  await getDataServer.stop();
  await net.cleanup();
});

describe('resource limits of the stream protocols', () => {
  it('a getdata request that names an item twice is malformed, and nothing is served for it', async () => {
    const block = inventory.add(InvType.BLOCK, 'dup', new Uint8Array(OBJECT_BYTES).fill(1));
    const stream = await openRaw(getDataProtocol(NETWORK));
    const frames = frameStream(stream, MAX_DATA_FRAME_BYTES);
    const wireItem = { type: block.type, hash: new Uint8Array(block.hash) };
    const twice = GetData.encode({ requestId: 1, items: [wireItem, wireItem] });
    await frames.write(twice);
    const answer = await frames.read().catch(() => undefined);
    expect(answer).toBeUndefined();
    await waitFor(() => violations.entries.length > 0, 5_000, 'the violation');
    expect(violations.entries[0]).toMatchObject({ kind: 'MALFORMED' });
    expect(violations.entries[0]!.detail).toMatch(/repeats an earlier item/);
  });

  it('serves a peer that asks for the same object again and again no more than its upload budget', async () => {
    const block = inventory.add(InvType.BLOCK, 'amplified', new Uint8Array(OBJECT_BYTES).fill(2));
    const stream = await openRaw(getDataProtocol(NETWORK));
    const frames = frameStream(stream, MAX_DATA_FRAME_BYTES);
    const started = performance.now();
    let payloadBytes = 0;
    let deferred = 0;
    // 40 rounds of 8 pipelined single-item requests: 32 MB asked for, 1 MB of budget plus refill.
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 8; i++)
        await frames.write(encodeGetData({ requestId: round * 8 + i + 1, items: [block] }));
      for (let i = 0; i < 8; i++) {
        const data = decodeData((await frames.read())!);
        payloadBytes += data.objects.reduce((sum, o) => sum + o.payload.length, 0);
        deferred += data.deferred.length;
      }
    }
    const elapsedS = (performance.now() - started) / 1_000;
    const bound = SERVED.burst + SERVED.ratePerSecond * elapsedS + OBJECT_BYTES;
    console.log(
      `[limits] asked 32,000,000 B; served ${payloadBytes} B in ${elapsedS.toFixed(2)} s ` +
        `(bound ${Math.round(bound)}), ${deferred} deferred`,
    );
    expect(payloadBytes).toBeLessThanOrEqual(bound);
    expect(payloadBytes).toBeGreaterThanOrEqual(SERVED.burst - OBJECT_BYTES);
    expect(deferred).toBeGreaterThan(0);
    stream.abort(new Error('done'));
  });

  it('closes a getdata stream whose client goes silent mid-frame, at the idle limit', async () => {
    const stream = await openRaw(getDataProtocol(NETWORK));
    const since = performance.now();
    // A length prefix announcing 100 bytes, then 10 of them, then nothing (the stream stays open).
    const stalled = (async function* () {
      yield Uint8Array.of(100, ...new Uint8Array(10));
      await new Promise<never>(() => undefined);
    })();
    void stream.sink(stalled).catch(() => undefined);
    const ms = await endedAfter(stream, since);
    expect(ms).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(ms).toBeLessThan(IDLE_MS + 5_000);
  });

  it('closes a getdata stream that never sends anything, and a txpush stream that never subscribes', async () => {
    const since = performance.now();
    const [silentGetData, silentPush] = await Promise.all([
      openRaw(getDataProtocol(NETWORK)),
      openRaw(txPushProtocol(NETWORK)),
    ]);
    const [a, b] = await Promise.all([endedAfter(silentGetData, since), endedAfter(silentPush, since)]);
    expect(a).toBeLessThan(IDLE_MS + 5_000);
    expect(b).toBeLessThan(IDLE_MS + 5_000);
    expect([...pushServer.subscribers()]).toEqual([]);
  });
});
