import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeUnreachableError, RpcAuthError, RpcClient, RpcError } from '../../../src/cli/rpc-client.js';
import type { NodeApi } from '../../../src/node/api.js';
import {
  basicAuthHeader,
  MAX_BATCH_SIZE,
  MAX_BODY_BYTES,
  parseCookie,
  RpcErrorCode,
  RpcPortInUseError,
  type RpcServer,
  RpcStartError,
  startRpcServer,
} from '../../../src/node/rpc/index.js';
import { FakeNodeApi, PEER_BAD } from '../../unit/rpc/fake-node-api.js';

let dir: string;
let api: FakeNodeApi;
let server: RpcServer;
let auth: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trustmesh-rpc-'));
  api = new FakeNodeApi();
  server = await startRpcServer({ api, dataDir: join(dir, 'alice'), port: 0 });
  const credentials = parseCookie(await readFile(server.cookiePath, 'utf8'));
  auth = basicAuthHeader(credentials!);
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function post(body: string, authorization: string | null = auth, method = 'POST') {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (authorization !== null) headers.Authorization = authorization;
  const res = await fetch(server.url, { method, headers, ...(method === 'POST' ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, text, json: text === '' ? null : JSON.parse(text) };
}

const call = (method: string, params?: unknown, id: unknown = 1) =>
  post(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }));

describe('cookie', () => {
  it('is written as __cookie__:<64 hex> with mode 0600, bound to loopback', async () => {
    const text = await readFile(server.cookiePath, 'utf8');
    expect(text).toMatch(/^__cookie__:[0-9a-f]{64}$/);
    expect((await stat(server.cookiePath)).mode & 0o777).toBe(0o600);
    expect(server.cookiePath).toBe(join(dir, 'alice', 'rpc.cookie'));
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('is removed on close, and close is idempotent', async () => {
    const other = await startRpcServer({ api: new FakeNodeApi(), dataDir: join(dir, 'bob'), port: 0 });
    await expect(stat(other.cookiePath)).resolves.toBeDefined();
    await other.close();
    await other.close();
    await expect(stat(other.cookiePath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('is fresh on every start', async () => {
    const other = await startRpcServer({ api: new FakeNodeApi(), dataDir: join(dir, 'carol'), port: 0 });
    const first = await readFile(other.cookiePath, 'utf8');
    await other.close();
    const again = await startRpcServer({ api: new FakeNodeApi(), dataDir: join(dir, 'carol'), port: 0 });
    expect(await readFile(again.cookiePath, 'utf8')).not.toBe(first);
    await again.close();
  });
});

describe('authentication', () => {
  const cases: [string, string | null][] = [
    ['no credentials', null],
    ['wrong password', basicAuthHeader({ user: '__cookie__', password: '00'.repeat(32) })],
    ['wrong user', basicAuthHeader({ user: 'admin', password: 'x' })],
    ['not Basic', 'Bearer abc'],
    ['garbage', 'Basic !!!'],
  ];

  it.each(cases)('%s → 401 and nothing runs', async (_label, header) => {
    const before = api.calls.length;
    const res = await post(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ban', params: [PEER_BAD] }),
      header,
    );
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe(RpcErrorCode.UNAUTHORIZED);
    expect(api.calls.length).toBe(before);
  });

  it('rejects the right password under the wrong user', async () => {
    const credentials = parseCookie(await readFile(server.cookiePath, 'utf8'))!;
    const res = await post('{}', basicAuthHeader({ user: 'root', password: credentials.password }));
    expect(res.status).toBe(401);
  });

  it('checks credentials before the HTTP method', async () => {
    expect((await post('', null, 'GET')).status).toBe(401);
    expect((await post('', auth, 'GET')).status).toBe(405);
  });
});

describe('JSON-RPC', () => {
  it('calls the NodeApi method and returns its result', async () => {
    const res = await call('status');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ jsonrpc: '2.0', id: 1, result: { name: 'alice', height: 42 } });
  });

  it('takes positional and named params; null skips an optional one', async () => {
    await call('ban', [PEER_BAD, null, 'spam']);
    expect(api.calls.at(-1)).toEqual({ method: 'ban', args: [PEER_BAD, undefined, 'spam'] });
    await call('ban', { peerId: PEER_BAD, durationMs: 60_000 });
    expect(api.calls.at(-1)).toEqual({ method: 'ban', args: [PEER_BAD, 60_000, undefined] });
    const res = await call('block', ['7']);
    expect(res.json.result.height).toBe(7);
  });

  it('method not found → -32601', async () => {
    const res = await call('dumpprivkey');
    expect(res.json.error.code).toBe(RpcErrorCode.METHOD_NOT_FOUND);
    expect(res.json.error.message).toContain('dumpprivkey');
    expect((await call('constructor')).json.error.code).toBe(RpcErrorCode.METHOD_NOT_FOUND);
  });

  it.each([
    ['why', [123], 'peerId'],
    ['why', [], "missing param 'peerId'"],
    ['why', { peer: 'x' }, "no param 'peer'"],
    ['status', [1], 'takes no params'],
    ['ban', [PEER_BAD, -5], 'durationMs'],
    ['send', ['zz', '100'], 'address'],
    ['send', ['22'.repeat(20), '1.5'], 'amount'],
    ['mine', [1000], 'count'],
    ['tx', ['abc'], 'txid'],
    ['why', 'oops', 'params must be an array or an object'],
  ])('%s %j → -32602 naming the param', async (method, params, expected) => {
    const before = api.calls.length;
    const res = await call(method, params);
    expect(res.json.error.code).toBe(RpcErrorCode.INVALID_PARAMS);
    expect(res.json.error.message).toContain(expected);
    expect(api.calls.length).toBe(before);
  });

  it('application errors → -32000 with the message, no stack', async () => {
    const res = await call('why', ['12D3KooWNobody']);
    expect(res.json.error).toMatchObject({
      code: RpcErrorCode.APPLICATION_ERROR,
      message: 'unknown peer 12D3KooWNobody',
    });
    expect(res.text).not.toMatch(/\bat .*\.ts/);
  });

  it('parse error → -32700', async () => {
    const res = await post('{"jsonrpc": "2.0", "method": ');
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(RpcErrorCode.PARSE_ERROR);
  });

  it('invalid request → -32600', async () => {
    expect((await post(JSON.stringify({ id: 1, method: 'status' }))).json.error.code).toBe(
      RpcErrorCode.INVALID_REQUEST,
    );
    expect((await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 7 }))).json.error.code).toBe(
      RpcErrorCode.INVALID_REQUEST,
    );
    expect((await post('"status"')).json.error.code).toBe(RpcErrorCode.INVALID_REQUEST);
  });

  it('runs a batch in order, answers per call, skips notifications', async () => {
    const res = await post(
      JSON.stringify([
        { jsonrpc: '2.0', id: 'a', method: 'status' },
        { jsonrpc: '2.0', method: 'mine', params: [2] },
        { jsonrpc: '2.0', id: 'c', method: 'nope' },
        { jsonrpc: '2.0', id: 'd', method: 'why', params: [PEER_BAD] },
        42,
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.json.map((r: { id: unknown }) => r.id)).toEqual(['a', 'c', 'd', null]);
    expect(res.json[1].error.code).toBe(RpcErrorCode.METHOD_NOT_FOUND);
    expect(res.json[2].result.history).toHaveLength(2);
    expect(res.json[3].error.code).toBe(RpcErrorCode.INVALID_REQUEST);
    expect(api.calls.some((c) => c.method === 'mine' && c.args[0] === 2)).toBe(true);
  });

  it('rejects an empty batch and one over the limit', async () => {
    expect((await post('[]')).json.error.code).toBe(RpcErrorCode.INVALID_REQUEST);
    const big = Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) => ({
      jsonrpc: '2.0',
      id: i,
      method: 'status',
    }));
    const before = api.calls.length;
    const res = await post(JSON.stringify(big));
    expect(res.json.error.message).toContain(`limit of ${MAX_BATCH_SIZE}`);
    expect(api.calls.length).toBe(before);
  });

  it('a notification alone → 204, no body', async () => {
    const res = await post(JSON.stringify({ jsonrpc: '2.0', method: 'status' }));
    expect(res.status).toBe(204);
  });

  it('body over 1 MiB → 413', async () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'why',
      params: ['x'.repeat(MAX_BODY_BYTES)],
    });
    const res = await post(body);
    expect(res.status).toBe(413);
    expect(res.json.error.message).toContain(`${MAX_BODY_BYTES} bytes`);
  });

  it('a result that is not JSON → -32603, the server keeps serving', async () => {
    const broken = { ...new FakeNodeApi(), status: async () => ({ height: 1n }) } as unknown as NodeApi;
    const s = await startRpcServer({ api: broken, dataDir: join(dir, 'dave'), port: 0 });
    const client = RpcClient.fromCookie(s.url, s.cookiePath);
    await expect(client.call('status')).rejects.toMatchObject({ code: RpcErrorCode.INTERNAL_ERROR });
    await s.close();
  });
});

describe('startup errors', () => {
  it('port in use → RpcPortInUseError, one line naming the port; the running cookie stays', async () => {
    const cookie = await readFile(server.cookiePath, 'utf8');
    const err = await startRpcServer({ api, dataDir: join(dir, 'erin'), port: server.port }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RpcPortInUseError);
    expect((err as Error).message).toContain(String(server.port));
    expect((err as Error).message).not.toContain('\n');
    await expect(stat(join(dir, 'erin', 'rpc.cookie'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(server.cookiePath, 'utf8')).toBe(cookie);
  });

  it('refuses to bind beyond loopback', async () => {
    await expect(startRpcServer({ api, dataDir: dir, port: 0, host: '0.0.0.0' })).rejects.toBeInstanceOf(
      RpcStartError,
    );
  });
});

describe('RpcClient', () => {
  it('calls with the cookie', async () => {
    const client = RpcClient.fromCookie(server.url, server.cookiePath, { name: 'alice' });
    expect((await client.call('mempool')).size).toBe(1);
  });

  it('turns JSON-RPC errors into RpcError', async () => {
    const client = RpcClient.fromCookie(server.url, server.cookiePath);
    const err = await client.call('tx', ['ab'.repeat(32)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({
      code: RpcErrorCode.APPLICATION_ERROR,
      message: `unknown transaction ${'ab'.repeat(32)}`,
    });
  });

  it('says the node is not running when nothing listens', async () => {
    const s = await startRpcServer({ api, dataDir: join(dir, 'gone'), port: 0 });
    const client = RpcClient.fromCookie(s.url, join(dir, 'alice', 'rpc.cookie'), { name: 'gone' });
    await s.close();
    const err = await client.call('status').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeUnreachableError);
    expect((err as Error).message).toBe(`node gone is not running (no RPC at ${s.url})`);
  });

  it('gives up on a node that does not answer in time', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const client = RpcClient.fromCookie(`http://127.0.0.1:${port}`, server.cookiePath, {
      name: 'slow',
      timeoutMs: 200,
    });
    await expect(client.call('status')).rejects.toThrow('node slow did not answer within 200 ms');
    silent.closeAllConnections();
    silent.close();
  });

  it('says so when the cookie is missing or stale', async () => {
    const missing = RpcClient.fromCookie(server.url, join(dir, 'nobody', 'rpc.cookie'), { name: 'nobody' });
    await expect(missing.call('status')).rejects.toThrow(
      /node nobody is not running \(no RPC cookie at .*rpc\.cookie\)/,
    );
    const stale = join(dir, 'stale.cookie');
    await import('node:fs/promises').then((fs) => fs.writeFile(stale, `__cookie__:${'0'.repeat(64)}`));
    await expect(RpcClient.fromCookie(server.url, stale).call('status')).rejects.toBeInstanceOf(RpcAuthError);
  });
});
