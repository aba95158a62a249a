/**
 * The node's JSON-RPC 2.0 server over HTTP, bound to loopback and authenticated with a cookie
 * file, like bitcoind's. Order of checks per request: credentials (401, nothing read or run),
 * method and path (405/404), body size (413), then `dispatchBody`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeApi } from '../api.js';
import { MAX_BODY_BYTES, REQUEST_TIMEOUT_MS, RpcErrorCode } from './constants.js';
import { type Credentials, generateCredentials, isAuthorized, removeCookie, writeCookie } from './cookie.js';
import { type DispatchOutcome, dispatchBody, errorResponse, type RpcLogger } from './dispatch.js';
import { RpcPortInUseError, RpcStartError } from './errors.js';

/** Hosts the server may bind: cookie credentials travel in clear HTTP, so never off the machine. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Bytes of an oversized body still read (and discarded) before the 413, so the client sees the
 * status instead of a connection reset; past this the socket is simply destroyed.
 */
const MAX_DRAIN_BYTES = 8 * MAX_BODY_BYTES;

/** How long `close()` lets in-flight calls finish before cutting their connections (unit: ms). */
const CLOSE_GRACE_MS = 1_000;

export interface RpcServerOptions {
  api: NodeApi;
  /** Where the cookie file is written (created if missing). */
  dataDir: string;
  /** TCP port; 0 picks a free one (see `RpcServer.port`). */
  port: number;
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  logger?: RpcLogger | null;
}

export interface RpcServer {
  readonly port: number;
  readonly url: string;
  readonly cookiePath: string;
  /** Stops listening, ends connections and deletes the cookie. Idempotent. */
  close(): Promise<void>;
}

export async function startRpcServer(options: RpcServerOptions): Promise<RpcServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new RpcStartError(
      `RPC host ${host} is not loopback: the RPC server only binds 127.0.0.1, ::1 or localhost`,
    );
  }
  const credentials = generateCredentials();
  const logger = options.logger ?? undefined;
  const server = createServer((req, res) => {
    handle(req, res, options.api, credentials, logger).catch((err: unknown) => {
      logger?.warn({ err: String(err) }, 'rpc request failed');
      if (!res.headersSent) send(res, 500, errorBody(RpcErrorCode.INTERNAL_ERROR, 'internal error'), true);
      else res.destroy();
    });
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = Math.min(server.headersTimeout, REQUEST_TIMEOUT_MS);

  await listen(server, host, options.port);
  const port = (server.address() as AddressInfo).port;
  let cookiePath: string;
  try {
    cookiePath = await writeCookie(options.dataDir, credentials);
  } catch (err) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw new RpcStartError(`cannot write the RPC cookie in ${options.dataDir}: ${(err as Error).message}`, {
      cause: err,
    });
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      cut.unref();
      await closed;
      clearTimeout(cut);
      await removeCookie(cookiePath, credentials);
    })();
    return closing;
  };
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { port, url: `http://${urlHost}:${port}`, cookiePath, close };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new RpcPortInUseError(host, port));
      else if (err.code === 'EACCES') reject(new RpcStartError(`no permission to listen on ${host}:${port}`));
      else reject(new RpcStartError(`cannot listen on ${host}:${port}: ${err.code ?? err.message}`));
    };
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  api: NodeApi,
  credentials: Credentials,
  logger?: RpcLogger,
): Promise<void> {
  if (!isAuthorized(req.headers.authorization, credentials)) {
    res.setHeader('WWW-Authenticate', 'Basic realm="trustmesh-rpc"');
    const message = 'unauthorized: send the cookie file’s user:password as HTTP Basic credentials';
    send(res, 401, errorBody(RpcErrorCode.UNAUTHORIZED, message), true);
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    send(res, 405, errorBody(RpcErrorCode.INVALID_REQUEST, 'method not allowed: use POST'), true);
    return;
  }
  if (req.url !== '/') {
    send(res, 404, errorBody(RpcErrorCode.INVALID_REQUEST, 'not found: the JSON-RPC endpoint is /'), true);
    return;
  }
  const body = await readBody(req);
  if (body === null) {
    const message = `request body exceeds ${MAX_BODY_BYTES} bytes`;
    send(res, 413, errorBody(RpcErrorCode.INVALID_REQUEST, `invalid request: ${message}`), true);
    return;
  }
  const outcome: DispatchOutcome = await dispatchBody(api, body, logger);
  if (outcome.body === null) {
    res.writeHead(outcome.status).end();
    return;
  }
  send(res, outcome.status, outcome.body, false);
}

/** The body as text, or null when it exceeds `MAX_BODY_BYTES` (the rest is drained, then dropped). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_DRAIN_BYTES) {
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) req.destroy();
      else if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => resolve(null));
  });
}

function errorBody(code: number, message: string): string {
  return JSON.stringify(errorResponse(null, code, message));
}

function send(res: ServerResponse, status: number, body: string, close: boolean): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(body);
}
