/**
 * The trust-map server's request handling, in order:
 * 1. `Host` must be this server's own `127.0.0.1:<port>` or `localhost:<port>` (a DNS-rebinding
 *    page would send its own name) → else 403;
 * 2. the path must start with `/<token>/` → else 403; `OPTIONS` (a CORS preflight) → 405;
 * 3. routes: `GET /` and `GET /assets/*` (the page), `GET /events` (the event stream),
 *    `GET /api/why?node=&peer=` (a node's report of a peer and its score history), and
 *    `POST /api/attackers` with `{"kind": "..."}` (inject an attacker). The POST also needs
 *    `Content-Type: application/json` and, when the browser sends them, a same-origin `Origin`
 *    and `Sec-Fetch-Site`.
 * Errors are one line of plain text; no stack leaves the process.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from './constants.js';
import { securityHeaders } from './headers.js';
import { serveStatic } from './static-files.js';
import { pathAfterToken } from './token.js';

/** A request the client got wrong: its status and one-line message. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Routes {
  /** Takes over the response as an event stream. */
  stream(req: IncomingMessage, res: ServerResponse): void;
  why(node: string, peerId: string): Promise<unknown>;
  /** Throws `HttpError` for an unknown kind or when injection is off. */
  inject(kind: string): Promise<unknown>;
}

export interface HandlerOptions {
  readonly token: string;
  /** The port the server listens on (for the `Host` check). */
  readonly port: () => number;
  readonly distDir: () => Promise<string>;
  readonly routes: Routes;
}

export function createHandler(options: HandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await handle(req, res, options);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof HttpError ? err.message : `internal error: ${(err as Error).message}`;
      sendText(res, status, message);
    }
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HandlerOptions): Promise<void> {
  const port = options.port();
  const host = req.headers.host ?? '';
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    throw new HttpError(403, 'forbidden: unexpected Host header');
  }
  const url = new URL(req.url ?? '/', `http://${host}`);
  const path = pathAfterToken(url.pathname, options.token);
  if (path === null)
    throw new HttpError(403, 'forbidden: open the URL the server printed (it holds the token)');
  if (req.method === 'OPTIONS') throw new HttpError(405, 'method not allowed (no cross-origin requests)');
  if (req.method === 'POST' && path === '/api/attackers') {
    checkSameOrigin(req, host);
    const body = await readJson(req);
    const kind = (body as { kind?: unknown } | null)?.kind;
    if (typeof kind !== 'string' || kind === '')
      throw new HttpError(400, 'expected {"kind": "<attack kind>"}');
    sendJson(res, 202, await options.routes.inject(kind));
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method not allowed');
  if (path === '/events') {
    options.routes.stream(req, res);
    return;
  }
  if (path === '/api/why') {
    const node = url.searchParams.get('node');
    const peer = url.searchParams.get('peer');
    if (node === null || peer === null) throw new HttpError(400, 'expected ?node=<name>&peer=<peer id>');
    sendJson(res, 200, await options.routes.why(node, peer));
    return;
  }
  if (path === '/' || path.startsWith('/assets/') || path === '/favicon.svg') {
    if (await serveStatic(await options.distDir(), path, res)) return;
  }
  throw new HttpError(404, 'not found');
}

function checkSameOrigin(req: IncomingMessage, host: string): void {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type))
    throw new HttpError(415, 'expected Content-Type: application/json');
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`)
    throw new HttpError(403, 'forbidden: cross-origin request');
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw new HttpError(403, 'forbidden: cross-site request');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...securityHeaders(),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = `${message.split('\n', 1)[0]}\n`;
  res.writeHead(status, {
    ...securityHeaders(),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
