/**
 * The event stream (server-sent events) of the trust-map page: each connected page gets a
 * `snapshot` first, then whatever is broadcast (`patch`, `feed`). A comment line every
 * `HEARTBEAT_MS` keeps idle connections open; at most `maxClients` pages are connected, a further
 * one is refused with 503. A client that has gone is dropped on its `close`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HEARTBEAT_MS, MAX_STREAM_CLIENTS } from './constants.js';

export interface SseHubOptions {
  readonly maxClients?: number;
  readonly heartbeatMs?: number;
}

export class SseHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #maxClients: number;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(options: SseHubOptions = {}) {
    this.#maxClients = options.maxClients ?? MAX_STREAM_CLIENTS;
    this.#heartbeat = setInterval(() => {
      for (const res of this.#clients) res.write(': keep-alive\n\n');
    }, options.heartbeatMs ?? HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Takes over `res` as a stream; `first` is sent before anything else (the snapshot). */
  accept(req: IncomingMessage, res: ServerResponse, first: { event: string; data: unknown }): void {
    if (this.#clients.size >= this.#maxClients) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`too many pages connected (at most ${this.#maxClients})\n`);
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    // The page reconnects by itself 2 s after a drop (the server restarted, the laptop slept).
    res.write('retry: 2000\n\n');
    res.write(frame(first.event, first.data));
    this.#clients.add(res);
    const drop = () => this.#clients.delete(res);
    req.on('close', drop);
    res.on('close', drop);
    res.on('error', drop);
  }

  broadcast(event: string, data: unknown): void {
    if (this.#clients.size === 0) return;
    const text = frame(event, data);
    for (const res of this.#clients) res.write(text);
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    clearInterval(this.#heartbeat);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }
}

/** One SSE message: JSON never holds a raw newline, so `data:` is a single line. */
export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
