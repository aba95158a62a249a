import type { Stream } from '@libp2p/interface';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetDataClient,
  GetDataServer,
  GetDataStreamClosedError,
  GetDataTimeoutError,
} from '../../../src/p2p/getdata/index.js';
import type { P2PNode } from '../../../src/p2p/node/index.js';
import { encodeData, encodeGetData, InvType, invKey } from '../../../src/p2p/wire/codec.js';
import { getDataProtocol, MAX_GETDATA_BYTES, MAX_PENDING_GETDATA } from '../../../src/p2p/wire/constants.js';
import { frameStream, varintLength } from '../../../src/p2p/wire/framing.js';
import {
  addrOf,
  isConnected,
  item,
  MemoryInventory,
  NETWORK,
  TestNet,
  ViolationLog,
  waitFor,
} from './helpers.js';

const protocol = getDataProtocol(NETWORK);
const net = new TestNet();
const inventory = new MemoryInventory();
const serverViolations = new ViolationLog();
const clientViolations = new ViolationLog();
let server: P2PNode; // serves `inventory`
let client: P2PNode; // requests through GetDataClient
let attacker: P2PNode; // speaks raw bytes
let getDataServer: GetDataServer;
let getData: GetDataClient;

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/** Opens a raw getdata stream from the attacker and writes `bytes`; resolves when the server ends it. */
async function sendRaw(bytes: Uint8Array): Promise<Stream> {
  const connection = attacker.libp2p.getConnections(server.peerId)[0]!;
  const stream = await connection.newStream(protocol);
  await stream.sink([bytes]);
  return stream;
}

async function drained(stream: Stream): Promise<void> {
  try {
    for await (const _ of stream.source) {
      // discard
    }
  } catch {
    // reset by the server: what we expect
  }
}

beforeAll(async () => {
  server = await net.node();
  client = await net.node({ bootstrap: [addrOf(server)] });
  attacker = await net.node({ bootstrap: [addrOf(server)] });
  getDataServer = new GetDataServer(server.libp2p, {
    network: NETWORK,
    source: inventory,
    onProtocolViolation: serverViolations.handler,
  });
  await getDataServer.start();
  getData = new GetDataClient(client.libp2p, {
    network: NETWORK,
    onProtocolViolation: clientViolations.handler,
  });
  getData.start();
  await waitFor(() => isConnected(client, server) && isConnected(attacker, server), 10_000, 'connections');
});

afterAll(async () => {
  getData.stop();
  await getDataServer.stop();
  await net.cleanup();
});

describe('getdata', () => {
  it('returns objects and lists missing items in notFound', async () => {
    const tx = inventory.add(InvType.TX, 'tx-a', Uint8Array.from([1, 2, 3]));
    const block = inventory.add(InvType.BLOCK, 'block-a', new Uint8Array(5_000).fill(7));
    const missing = item(InvType.TX, 'missing');
    const response = await getData.requestObjects(server.peerId, [tx, missing, block, tx], {
      timeoutMs: 5_000,
    });
    expect(response.objects).toEqual([
      { type: InvType.TX, payload: Uint8Array.from([1, 2, 3]) },
      { type: InvType.BLOCK, payload: new Uint8Array(5_000).fill(7) },
    ]);
    expect(response.notFound).toEqual([missing]);
    expect(response.notFound[0]).toBe(missing); // the caller's own object
    expect(response.deferred).toEqual([]);
    expect(serverViolations.entries).toEqual([]);
    expect(clientViolations.entries).toEqual([]);
  });

  it('defers what does not fit in MAX_DATA_BYTES, and serves it when asked again', async () => {
    const blocks = [0, 1, 2, 3, 4].map((i) =>
      inventory.add(InvType.BLOCK, `big-${i}`, new Uint8Array(1_000_000).fill(i)),
    );
    const missing = item(InvType.BLOCK, 'big-missing');
    const first = await getData.requestObjects(server.peerId, [...blocks.slice(0, 4), missing, blocks[4]!]);
    expect(first.objects.map((o) => o.payload[0])).toEqual([0, 1, 2, 3]);
    expect(first.notFound).toEqual([missing]);
    expect(first.deferred).toEqual([blocks[4]]);
    const second = await getData.requestObjects(server.peerId, first.deferred);
    expect(second.objects).toHaveLength(1);
    // (vitest's deep equality on a 1 MB array takes seconds: compare with Buffer.equals)
    const payload = Buffer.from(second.objects[0]!.payload);
    expect(payload.equals(Buffer.alloc(1_000_000, 4))).toBe(true);
  });

  it('answers 200 pipelined requests over one stream', async () => {
    const items = Array.from({ length: 200 }, (_, i) =>
      inventory.add(InvType.TX, `pipelined-${i}`, Uint8Array.of(i, i)),
    );
    const responses = await Promise.all(items.map((it) => getData.requestObjects(server.peerId, [it])));
    responses.forEach((response, i) => {
      expect(response.objects).toEqual([{ type: InvType.TX, payload: Uint8Array.of(i, i) }]);
    });
    const connection = client.libp2p.getConnections(server.peerId)[0]!;
    expect(connection.streams.filter((s) => s.protocol === protocol)).toHaveLength(1);
    expect(getData.openStreams).toBe(1);
    expect(getDataServer.activeStreams).toBe(1);
  });

  it('resets a stream that sends an oversize frame, reports it, and keeps serving', async () => {
    const before = serverViolations.entries.length;
    const stream = await sendRaw(varint(MAX_GETDATA_BYTES + 1)); // the length alone: no body needed
    await drained(stream);
    await waitFor(() => serverViolations.entries.length > before, 5_000, 'violation');
    expect(serverViolations.entries.at(-1)).toMatchObject({
      peerId: attacker.peerId.toString(),
      kind: 'OVERSIZE',
    });
    expect(stream.status).not.toBe('open');
    const tx = inventory.add(InvType.TX, 'after-oversize', Uint8Array.of(9));
    await expect(getData.requestObjects(server.peerId, [tx])).resolves.toMatchObject({
      objects: [{ payload: Uint8Array.of(9) }],
    });
  });

  it('resets a stream that sends garbage or a non-canonical request', async () => {
    const garbage = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    let before = serverViolations.entries.length;
    await drained(await sendRaw(Uint8Array.of(...varint(garbage.length), ...garbage)));
    await waitFor(() => serverViolations.entries.length > before, 5_000, 'violation');
    expect(serverViolations.entries.at(-1)).toMatchObject({
      peerId: attacker.peerId.toString(),
      kind: 'MALFORMED',
    });

    // A valid request followed by an unknown field (tag 15, varint 1) is not canonical.
    const request = encodeGetData({ requestId: 1, items: [item(InvType.TX, 'x')] });
    const padded = Uint8Array.of(...request, 0x78, 0x01);
    before = serverViolations.entries.length;
    await drained(await sendRaw(Uint8Array.of(...varint(padded.length), ...padded)));
    await waitFor(() => serverViolations.entries.length > before, 5_000, 'violation');
    expect(serverViolations.entries.at(-1)).toMatchObject({ kind: 'NON_CANONICAL' });

    // A non-minimal length prefix (0x83 0x00 = 3) is refused before the body is read.
    before = serverViolations.entries.length;
    await drained(await sendRaw(Uint8Array.of(0x83, 0x00, 1, 2, 3)));
    await waitFor(() => serverViolations.entries.length > before, 5_000, 'violation');
    expect(serverViolations.entries.at(-1)).toMatchObject({ kind: 'NON_CANONICAL' });
    expect(varintLength(MAX_GETDATA_BYTES)).toBe(3);
  });

  it('reports more than MAX_PENDING_GETDATA unanswered requests', async () => {
    inventory.delayMs = 100;
    try {
      const frames = Array.from({ length: MAX_PENDING_GETDATA + 1 }, (_, i) => {
        const body = encodeGetData({ requestId: i + 1, items: [item(InvType.TX, `pending-${i}`)] });
        return Uint8Array.of(...varint(body.length), ...body);
      });
      const before = serverViolations.entries.length;
      await drained(await sendRaw(Uint8Array.from(frames.flatMap((f) => [...f]))));
      await waitFor(() => serverViolations.entries.length > before, 5_000, 'violation');
      expect(serverViolations.entries.at(-1)).toMatchObject({ kind: 'TOO_MANY_PENDING' });
    } finally {
      inventory.delayMs = 0;
    }
  });

  it('times out a stalled request, resets the stream, and opens a new one for the next request', async () => {
    const stuck = item(InvType.BLOCK, 'stuck');
    inventory.hang.add(invKey(stuck.type, stuck.hash));
    await expect(getData.requestObjects(server.peerId, [stuck], { timeoutMs: 300 })).rejects.toBeInstanceOf(
      GetDataTimeoutError,
    );
    expect(getData.openStreams).toBe(0);
    const tx = inventory.add(InvType.TX, 'after-stall', Uint8Array.of(5));
    await expect(getData.requestObjects(server.peerId, [tx])).resolves.toMatchObject({
      objects: [{ payload: Uint8Array.of(5) }],
    });
    expect(clientViolations.entries).toEqual([]);
  });

  it('reports a response with an unknown requestId and fails the request', async () => {
    // A lying server: answers every request with requestId 999.
    const liar = await net.node();
    await liar.libp2p.handle(protocol, ({ stream }) => {
      void (async () => {
        const frames = frameStream(stream, MAX_GETDATA_BYTES);
        while ((await frames.read()) !== undefined) {
          await frames.write(encodeData({ requestId: 999, objects: [], notFound: [], deferred: [] }));
        }
      })().catch(() => undefined);
    });
    await client.libp2p.dial(liar.multiaddrs()[0]!);
    const before = clientViolations.entries.length;
    await expect(getData.requestObjects(liar.peerId, [item(InvType.TX, 'lie')])).rejects.toBeInstanceOf(
      GetDataStreamClosedError,
    );
    expect(clientViolations.entries.slice(before)).toMatchObject([
      { peerId: liar.peerId.toString(), kind: 'UNKNOWN_REQUEST_ID' },
    ]);
  });
});
