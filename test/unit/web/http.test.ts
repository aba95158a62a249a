/**
 * The token check and the other request rules of the trust-map server, over real HTTP on
 * 127.0.0.1 against `createHandler` (a temp folder stands in for the built page): every path
 * needs the token, the Host must be the server's own, the inject POST needs JSON and the same
 * origin, preflights are refused, and no answer carries a CORS header.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, HttpError } from '../../../src/web/server/http-handler.js';
import { generateToken, pathAfterToken } from '../../../src/web/server/token.js';

describe('pathAfterToken', () => {
  const token = 'a1'.repeat(16);

  it('returns the rest of the path only when it starts with the token', () => {
    expect(pathAfterToken(`/${token}/`, token)).toBe('/');
    expect(pathAfterToken(`/${token}`, token)).toBe('/');
    expect(pathAfterToken(`/${token}/assets/x.js`, token)).toBe('/assets/x.js');
    expect(pathAfterToken('/', token)).toBeNull();
    expect(pathAfterToken(`/${token.slice(1)}/`, token)).toBeNull();
    expect(pathAfterToken(`/${token}0/`, token)).toBeNull();
    expect(pathAfterToken(`/x/${token}/`, token)).toBeNull();
  });

  it('never accepts an empty token', () => {
    expect(pathAfterToken('//', '')).toBeNull();
  });

  it('generates 32 hex characters, different each time', () => {
    expect(generateToken()).toMatch(/^[0-9a-f]{32}$/);
    expect(generateToken()).not.toBe(generateToken());
  });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('the request rules', () => {
  const token = generateToken();
  let server: Server;
  let port: number;
  let dist: string;
  const injected: string[] = [];

  const send = (
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { Host: `127.0.0.1:${port}`, ...headers },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.end(body);
    });

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'trust-map-dist-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>map</title>');
    await writeFile(join(dist, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(dist, 'secret.txt'), 'not served');
    server = createServer(
      createHandler({
        token,
        port: () => port,
        distDir: async () => dist,
        routes: {
          stream: (_req, res) => {
            res.writeHead(200, { 'Content-Type': 'text/event-stream' });
            res.end('event: snapshot\ndata: {}\n\n');
          },
          why: async (node, peer) => ({ node, peer }),
          inject: async (kind) => {
            if (kind === 'nope') throw new HttpError(400, `unknown attack kind '${kind}'`);
            injected.push(kind);
            return { kind, state: 'starting' };
          },
        },
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dist, { recursive: true, force: true });
  });

  it('serves the page, its assets, the stream and why under the token', async () => {
    const page = await send('GET', `/${token}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>map</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await send('GET', `/${token}/assets/app.js`)).status).toBe(200);
    expect((await send('GET', `/${token}/events`)).headers['content-type']).toBe('text/event-stream');
    expect(JSON.parse((await send('GET', `/${token}/api/why?node=alice&peer=P1`)).body)).toEqual({
      node: 'alice',
      peer: 'P1',
    });
  });

  it('refuses every path without the right token', async () => {
    for (const path of [
      '/',
      '/index.html',
      '/events',
      '/api/why?node=a&peer=b',
      `/${token.slice(0, -1)}x/`,
      `/x/${token}/`,
    ]) {
      const answer = await send('GET', path);
      expect(answer.status, path).toBe(403);
      expect(answer.body).not.toContain('map');
    }
    const post = await send(
      'POST',
      '/api/attackers',
      { 'Content-Type': 'application/json' },
      '{"kind":"replay"}',
    );
    expect(post.status).toBe(403);
    expect(injected).toEqual([]);
  });

  it('refuses another Host (DNS rebinding), even with the token', async () => {
    expect((await send('GET', `/${token}/`, { Host: `evil.example:${port}` })).status).toBe(403);
    expect((await send('GET', `/${token}/`, { Host: `localhost:${port}` })).status).toBe(200);
  });

  it('injects only on a same-origin JSON POST with the token', async () => {
    const path = `/${token}/api/attackers`;
    const json = { 'Content-Type': 'application/json' };
    expect((await send('POST', path, { 'Content-Type': 'text/plain' }, '{"kind":"replay"}')).status).toBe(
      415,
    );
    expect(
      (await send('POST', path, { ...json, Origin: 'http://evil.example' }, '{"kind":"replay"}')).status,
    ).toBe(403);
    expect(
      (await send('POST', path, { ...json, 'Sec-Fetch-Site': 'cross-site' }, '{"kind":"replay"}')).status,
    ).toBe(403);
    expect((await send('POST', path, json, 'not json')).status).toBe(400);
    expect((await send('POST', path, json, '{"kind":"nope"}')).status).toBe(400);
    expect((await send('POST', path, json, JSON.stringify({ kind: 'x'.repeat(5000) }))).status).toBe(413);
    expect(injected).toEqual([]);
    const ok = await send(
      'POST',
      path,
      { ...json, Origin: `http://127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-origin' },
      '{"kind":"replay"}',
    );
    expect(ok.status).toBe(202);
    expect(injected).toEqual(['replay']);
  });

  it('refuses a CORS preflight and never sends a CORS header', async () => {
    const preflight = await send('OPTIONS', `/${token}/api/attackers`, {
      Origin: 'http://evil.example',
      'Access-Control-Request-Method': 'POST',
    });
    expect(preflight.status).toBe(405);
    for (const answer of [
      preflight,
      await send('GET', `/${token}/`, { Origin: 'http://evil.example' }),
      await send('GET', '/'),
    ]) {
      expect(Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('serves only files of the page, never outside it', async () => {
    expect((await send('GET', `/${token}/secret.txt`)).status).toBe(404);
    // `..` is resolved before the token check, so this one leaves the token's folder altogether.
    expect((await send('GET', `/${token}/assets/../../etc/passwd`)).status).toBe(403);
    expect((await send('GET', `/${token}/assets/%E0%A4%A`)).status).toBe(404);
    expect((await send('GET', `/${token}/assets/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(403);
    // An encoded slash survives URL parsing and is decoded later: the folder check stops it.
    expect((await send('GET', `/${token}/assets/..%2f..%2f..%2fsecret.txt`)).status).toBe(404);
    expect((await send('GET', `/${token}/assets/..%2findex.html`)).status).toBe(200);
    expect((await send('DELETE', `/${token}/`)).status).toBe(405);
  });
});
