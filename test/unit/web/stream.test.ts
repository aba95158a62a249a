/**
 * The event stream: `SseHub` over real HTTP (snapshot first, then broadcasts, a client limit,
 * departed clients dropped), and the whole trust-map server with fake nodes: a page's stream
 * starts with the full view and then carries patches as nodes change (a node dying shows as
 * down); `why` falls back to the server's own score samples when a node has no `scoreHistory`;
 * an injected attacker shows up on the stream.
 */
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrustMapServer, type TrustMapServer } from '../../../src/web/server/index.js';
import { frame, SseHub } from '../../../src/web/server/sse.js';
import type { Patch, Snapshot, WhyAnswer } from '../../../src/web/protocol.js';
import { FakeNode } from './fake-node.js';

interface StreamEvent {
  event: string;
  data: unknown;
}

/** An open event stream: its parsed events so far, and a wait for one that matches. */
class StreamClient {
  readonly events: StreamEvent[] = [];
  #buffer = '';
  status = 0;

  private constructor(readonly res: IncomingMessage) {
    this.status = res.statusCode ?? 0;
    res.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString();
      let end: number;
      while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined) this.events.push({ event, data: JSON.parse(data) });
      }
    });
  }

  static open(url: string): Promise<StreamClient> {
    return new Promise((resolve, reject) =>
      get(url, (res) => resolve(new StreamClient(res))).on('error', reject),
    );
  }

  async waitFor(what: string, match: (e: StreamEvent) => boolean, timeoutMs = 10_000): Promise<StreamEvent> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.events.find(match);
      if (found !== undefined) return found;
      await sleep(20);
    }
    throw new Error(
      `no ${what} on the stream within ${timeoutMs} ms; got ${JSON.stringify(this.events).slice(0, 500)}`,
    );
  }

  close(): void {
    this.res.destroy();
  }
}

describe('SseHub', () => {
  let server: Server;
  let hub: SseHub;
  let url: string;

  beforeAll(async () => {
    hub = new SseHub({ maxClients: 1 });
    server = createServer((req, res) => hub.accept(req, res, { event: 'snapshot', data: { n: 1 } }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    hub.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the snapshot first, then what is broadcast, refuses clients past the limit, and drops departed ones', async () => {
    const client = await StreamClient.open(url);
    expect(client.status).toBe(200);
    expect(client.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await client.waitFor('snapshot', (e) => e.event === 'snapshot');
    const refused = await StreamClient.open(url);
    expect(refused.status).toBe(503);
    hub.broadcast('patch', { set: { a: 1 }, del: [] });
    await client.waitFor('patch', (e) => e.event === 'patch');
    expect(client.events.map((e) => e.event)).toEqual(['snapshot', 'patch']);
    client.close();
    const deadline = Date.now() + 5_000;
    while (hub.clientCount > 0 && Date.now() < deadline) await sleep(20);
    expect(hub.clientCount).toBe(0);
  });

  it('frames each message as one event line and one data line', () => {
    expect(frame('feed', [{ text: 'a\nb' }])).toBe('event: feed\ndata: [{"text":"a\\nb"}]\n\n');
  });
});

describe('the trust-map server with fake nodes', () => {
  const alice = new FakeNode('alice', 'PA');
  const bob = new FakeNode('bob', 'PB');
  alice.peers = [{ peerId: 'PB', score: 2 }];
  bob.peers = [{ peerId: 'PA', score: 1, direction: 'inbound' }];
  bob.hasScoreHistory = true;
  const nodes = new Map([
    ['alice', alice],
    ['bob', bob],
  ]);
  let map: TrustMapServer;

  beforeAll(async () => {
    map = await startTrustMapServer({
      nodes: () =>
        [...nodes.keys()].map((name) => ({
          name,
          rpcUrl: `http://127.0.0.1:1/${name}`,
          cookiePath: '/none',
        })),
      readerFor: (target) => nodes.get(target.name)!.reader(),
      pollIntervalMs: 50,
      launchAttacker: async (kind) => ({ peerId: `EVIL-${kind}` }),
      attackKinds: [{ kind: 'replay', description: 'replays old objects' }],
    });
  }, 60_000);

  afterAll(async () => {
    await map?.close();
  });

  it('listens on 127.0.0.1 with a token in the URL', () => {
    expect(map.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\/$/);
  });

  it('streams the full view first, then patches: a node that dies shows down', async () => {
    const stream = await StreamClient.open(`${map.url}events`);
    try {
      const aliceIs = (up: boolean) => (e: StreamEvent) => {
        const entries =
          e.event === 'snapshot'
            ? (e.data as Snapshot).entries
            : e.event === 'patch'
              ? (e.data as Patch).set
              : {};
        return (entries['node:alice'] as { up?: boolean } | undefined)?.up === up;
      };
      await stream.waitFor('the snapshot', (e) => e.event === 'snapshot');
      expect(stream.events[0]!.event).toBe('snapshot');
      expect((stream.events[0]!.data as Snapshot).entries['meta:server']).toMatchObject({
        attackKinds: [{ kind: 'replay' }],
      });
      // In the snapshot, or in a patch when the page connected before the first poll ended.
      await stream.waitFor('alice up', aliceIs(true));
      alice.down = true;
      const down = await stream.waitFor('alice down', aliceIs(false));
      // Only the entries that changed travel: alice's node and peers, not bob's unchanged rows.
      expect(Object.keys((down.data as Patch).set)).not.toContain('node:bob');
      await stream.waitFor(
        'a feed event',
        (e) => e.event === 'feed' && JSON.stringify(e.data).includes('alice'),
      );
    } finally {
      alice.down = false;
      stream.close();
    }
  });

  it("answers why with the node's score history, or the server's own samples", async () => {
    const ask = async (node: string, peer: string) =>
      (await (await fetch(`${map.url}api/why?node=${node}&peer=${peer}`)).json()) as WhyAnswer;
    const fromNode = await ask('bob', 'PA');
    expect(fromNode).toMatchObject({ historySource: 'node', points: [{ at: 1, score: -3 }] });
    const deadline = Date.now() + 10_000;
    let fromServer = await ask('alice', 'PB');
    while (fromServer.points.length === 0 && Date.now() < deadline) fromServer = await ask('alice', 'PB');
    expect(fromServer.historySource).toBe('server');
    expect(fromServer.points[0]).toMatchObject({ score: 2 });
    expect((await fetch(`${map.url}api/why?node=carol&peer=PB`)).status).toBe(404);
    // A node that cannot answer: the error and the server's samples, not an HTTP failure.
    alice.down = true;
    try {
      const down = await ask('alice', 'PB');
      expect(down).toMatchObject({
        report: null,
        historySource: 'server',
        error: expect.stringContaining('not running'),
      });
      expect(down.points.length).toBeGreaterThan(0);
    } finally {
      alice.down = false;
    }
  });

  it('starts an attacker on a POST and streams it running', async () => {
    const stream = await StreamClient.open(`${map.url}events`);
    try {
      const res = await fetch(`${map.url}api/attackers`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ kind: 'replay' }),
      });
      expect(res.status).toBe(202);
      await stream.waitFor('the attacker running', (e) =>
        JSON.stringify(e.data).includes(
          '"attacker:replay":{"kind":"replay","peerId":"EVIL-replay","state":"running"',
        ),
      );
      const again = await fetch(`${map.url}api/attackers`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ kind: 'replay' }),
      });
      expect(again.status).toBe(409);
    } finally {
      stream.close();
    }
  });
});
