/**
 * JSON-RPC client of a trustmesh node, authenticated with the node's cookie file. The cookie is
 * read on every call, so a client outlives node restarts (each run writes a fresh cookie).
 *
 * Failures are typed: `RpcError` (the node answered with a JSON-RPC error), `NodeUnreachableError`
 * (not running, no cookie, timeout), `RpcAuthError` (cookie rejected), `RpcProtocolError` (the
 * answer was not JSON-RPC). Every message is one line, meant for the operator.
 *
 * @example
 * ```ts
 * const client = RpcClient.fromCookie('http://127.0.0.1:8101', '.devnet/alice/rpc.cookie', { name: 'alice' });
 * const report = await client.call('why', ['12D3KooW...']);
 * ```
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import type { NodeApi } from '../node/api.js';
import { displayPath } from '../node/devnet-definitions.js';
import { basicAuthHeader, parseCookie } from '../node/rpc/cookie.js';
import type { RpcMethodName } from '../node/rpc/methods.js';

/** What method `M` resolves to. */
export type RpcResult<M extends RpcMethodName> = Awaited<ReturnType<NonNullable<NodeApi[M]>>>;

export type RpcParams = readonly unknown[] | Readonly<Record<string, unknown>>;

/** The calling side of a client; commands depend on this, tests may fake it. */
export interface RpcCaller {
  call<M extends RpcMethodName>(method: M, params?: RpcParams): Promise<RpcResult<M>>;
}

/** The node answered with a JSON-RPC error. */
export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** No node answers: not running, no cookie, or no answer in time. */
export class NodeUnreachableError extends Error {
  override name = 'NodeUnreachableError';
}

/** The node rejected the cookie's credentials (HTTP 401). */
export class RpcAuthError extends Error {
  override name = 'RpcAuthError';
}

/** Something answered, but not with JSON-RPC. */
export class RpcProtocolError extends Error {
  override name = 'RpcProtocolError';
}

export interface RpcClientOptions {
  /** The node's name, for messages ("node alice is not running"). */
  name?: string;
  /** Give up after this long (unit: ms). Default 5 min: `mine 100` can take a while. */
  timeoutMs?: number;
}

/** Default per-call timeout (unit: ms). */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** Largest response accepted (unit: bytes): a mempool listing is big, a runaway is bigger. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export class RpcClient implements RpcCaller {
  private nextId = 1;

  private constructor(
    readonly url: string,
    readonly cookiePath: string,
    private readonly options: RpcClientOptions,
  ) {}

  static fromCookie(url: string, cookiePath: string, options: RpcClientOptions = {}): RpcClient {
    return new RpcClient(url, cookiePath, options);
  }

  /** How the node is called in messages. */
  get label(): string {
    return this.options.name === undefined ? `the node at ${this.url}` : `node ${this.options.name}`;
  }

  async call<M extends RpcMethodName>(method: M, params: RpcParams = []): Promise<RpcResult<M>> {
    const authorization = basicAuthHeader(await this.readCookie());
    const id = this.nextId++;
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    const { status, text } = await this.post(body, authorization);
    if (status === 401) {
      throw new RpcAuthError(
        `${this.label} rejected the RPC cookie ${displayPath(this.cookiePath)} (stale, or another node on ${this.url}?)`,
      );
    }
    let response: unknown;
    try {
      response = JSON.parse(text);
    } catch {
      throw new RpcProtocolError(
        `${this.url} answered HTTP ${status} without JSON-RPC (is it a trustmesh node?)`,
      );
    }
    if (typeof response !== 'object' || response === null || Array.isArray(response)) {
      throw new RpcProtocolError(`${this.url} answered HTTP ${status} with an unexpected JSON shape`);
    }
    const { error, result } = response as {
      error?: { code?: unknown; message?: unknown; data?: unknown } | null;
      result?: unknown;
    };
    if (error !== undefined && error !== null) {
      const code = typeof error.code === 'number' ? error.code : 0;
      const message = typeof error.message === 'string' ? error.message : `RPC error ${code}`;
      throw new RpcError(code, message, error.data);
    }
    if (!('result' in response)) throw new RpcProtocolError(`${this.url} answered without a result`);
    return result as RpcResult<M>;
  }

  private async readCookie() {
    let text: string;
    try {
      text = await readFile(this.cookiePath, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const where = displayPath(this.cookiePath);
      if (code === 'ENOENT') {
        throw new NodeUnreachableError(
          this.options.name === undefined
            ? `no RPC cookie at ${where} (is the node at ${this.url} running?)`
            : `node ${this.options.name} is not running (no RPC cookie at ${where})`,
        );
      }
      if (code === 'EACCES')
        throw new NodeUnreachableError(`cannot read the RPC cookie ${where}: permission denied`);
      throw new NodeUnreachableError(`cannot read the RPC cookie ${where}: ${code ?? String(err)}`);
    }
    const credentials = parseCookie(text);
    if (credentials === null) {
      throw new NodeUnreachableError(
        `the RPC cookie ${displayPath(this.cookiePath)} is malformed (expected user:password)`,
      );
    }
    return credentials;
  }

  private post(body: string, authorization: string): Promise<{ status: number; text: string }> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(err);
      };
      const req = request(this.url, {
        method: 'POST',
        headers: {
          Authorization: authorization,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
        },
      });
      const timer = setTimeout(() => {
        const seconds = timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
        fail(new NodeUnreachableError(`${this.label} did not answer within ${seconds} (RPC at ${this.url})`));
      }, timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => fail(this.connectionError(err)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) fail(new RpcProtocolError(`${this.url} sent more than 64 MiB`));
          else chunks.push(chunk);
        });
        res.on('error', (err: NodeJS.ErrnoException) => fail(this.connectionError(err)));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(body);
    });
  }

  private connectionError(err: NodeJS.ErrnoException): Error {
    if (err.code === 'ECONNREFUSED') {
      return new NodeUnreachableError(
        this.options.name === undefined
          ? `no node is running at ${this.url} (connection refused)`
          : `node ${this.options.name} is not running (no RPC at ${this.url})`,
      );
    }
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE') {
      return new NodeUnreachableError(
        `${this.label} closed the connection (RPC at ${this.url}); is it stopping?`,
      );
    }
    return new NodeUnreachableError(`cannot reach ${this.label} at ${this.url}: ${err.code ?? err.message}`);
  }
}
