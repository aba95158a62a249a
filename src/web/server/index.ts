/**
 * The trust-map server: a web page on 127.0.0.1 showing every node, every peer it is connected
 * to and the trust each gives the other, live. It polls the nodes' RPC (`Poller`), folds the
 * answers into a bounded view (`TrustMapState`) and pushes what changed to the page over
 * server-sent events; the page (src/web/app, built by Vite into dist/web) is served from the same
 * port under a random token. Optional: start attackers from the page (`launchAttacker`). The
 * devnet launcher starts it through `startDevnetTrustMap` (devnet-map.ts).
 *
 * @example
 * ```ts
 * const fleet = new AttackerFleet({ devnetFile }); // from './attackers.js'
 * const map = await startTrustMapServer({
 *   nodes: () => devnet.nodes.map((def) => ({ name: def.name, rpcUrl: rpcUrlOf(def), cookiePath: cookiePathOf(def) })),
 *   launchAttacker: (kind) => fleet.launch(kind),
 *   port: 0,
 * });
 * console.log(`trust map ${map.url}`);
 * await map.close();
 * await fleet.stopAll();
 * ```
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AttackKind, WhyAnswer } from '../protocol.js';
import { STREAM_EVENTS } from '../protocol.js';
import { ensureBuilt } from './build.js';
import { POLL_INTERVAL_MS } from './constants.js';
import { createHandler, HttpError } from './http-handler.js';
import type { NodeReader, NodeTarget } from './node-reader.js';
import { Poller } from './poller.js';
import { SseHub } from './sse.js';
import { generateToken } from './token.js';
import { TrustMapState } from './view-state.js';

export type { NodeTarget } from './node-reader.js';

/** Only this address: the map shows keys and lets anyone holding the URL start attackers. */
export const TRUST_MAP_HOST = '127.0.0.1';

/** The port asked for is taken. */
export class TrustMapPortInUseError extends Error {
  override name = 'TrustMapPortInUseError';
}

export interface TrustMapOptions {
  /** The nodes to show, read before every poll round (the list may change). */
  readonly nodes: () => readonly NodeTarget[];
  /** Starts an attacker of `kind` against the devnet; absent: the page cannot inject. */
  readonly launchAttacker?: (kind: string) => Promise<{ peerId: string; exited?: Promise<string> }>;
  /** The kinds offered (default: the whole attack catalogue when `launchAttacker` is given). */
  readonly attackKinds?: readonly AttackKind[];
  /** 0 (default) for any free port. */
  readonly port?: number;
  /** Shown as the page title. */
  readonly title?: string;
  readonly pollIntervalMs?: number;
  /** Tests only: a reader per node instead of the real RPC client. */
  readonly readerFor?: (target: NodeTarget) => NodeReader;
  /** Tests only: the token (default: random). */
  readonly token?: string;
}

export interface TrustMapServer {
  /** The page's address, token included. */
  readonly url: string;
  readonly port: number;
  /** The current view (for tests and the boundedness check). */
  readonly state: TrustMapState;
  close(): Promise<void>;
}

/** Builds the page if needed, listens on 127.0.0.1 and starts polling. */
export async function startTrustMapServer(options: TrustMapOptions): Promise<TrustMapServer> {
  const distDir = await ensureBuilt();
  const token = options.token ?? generateToken();
  const launch = options.launchAttacker;
  const kinds =
    launch === undefined ? [] : (options.attackKinds ?? (await import('./attackers.js')).attackCatalogue());
  const pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  const state = new TrustMapState({
    title: options.title ?? 'trustmesh trust map',
    pollIntervalMs,
    attackKinds: kinds,
  });
  const hub = new SseHub();
  const poller = new Poller({
    nodes: options.nodes,
    state,
    intervalMs: pollIntervalMs,
    ...(options.readerFor === undefined ? {} : { readerFor: options.readerFor }),
    onChange: (patch, feed) => {
      if (patch !== null) hub.broadcast(STREAM_EVENTS.patch, patch);
      if (feed.length > 0) hub.broadcast(STREAM_EVENTS.feed, feed);
    },
  });

  const why = async (node: string, peerId: string): Promise<WhyAnswer> => {
    const reader = poller.reader(node);
    if (reader === undefined) throw new HttpError(404, `no node named '${node}'`);
    const samples = () => state.history.samples(node, peerId);
    try {
      const [report, own] = await Promise.all([reader.why(peerId), reader.scoreHistory(peerId)]);
      return own === null
        ? { node, peerId, report, error: null, historySource: 'server', points: samples() }
        : { node, peerId, report, error: null, historySource: 'node', points: own };
    } catch (err) {
      // The node is down or does not know the peer: that is an answer, with what the server saw.
      const error = `${node}: ${(err as Error).message}`;
      return { node, peerId, report: null, error, historySource: 'server', points: samples() };
    }
  };

  /** Validates and answers at once (202); the attacker's progress then shows on the map. */
  const inject = async (kind: string) => {
    if (launch === undefined)
      throw new HttpError(404, 'this trust map cannot start attackers (no devnet launcher)');
    if (!kinds.some((k) => k.kind === kind)) throw new HttpError(400, `unknown attack kind '${kind}'`);
    const current = state.attacker(kind);
    if (current !== undefined && current.state !== 'exited') {
      throw new HttpError(409, `an attacker ${kind} is already ${current.state}`);
    }
    const startedAt = Date.now();
    state.setAttacker({ kind, peerId: null, state: 'starting', startedAt, detail: null });
    state.feed.add(startedAt, 'attack', 'page', `starting attacker ${kind}`);
    launch(kind).then(
      ({ peerId, exited }) => {
        state.setAttacker({ kind, peerId, state: 'running', startedAt, detail: null });
        state.feed.add(Date.now(), 'attack', 'page', `attacker ${kind} runs as ${peerId}`, peerId);
        void exited?.then((how) => {
          state.setAttacker({ kind, peerId, state: 'exited', startedAt, detail: how });
          state.feed.add(Date.now(), 'attack', 'page', `attacker ${kind} exited (${how})`, peerId);
        });
      },
      (err: unknown) => {
        const detail = (err as Error).message;
        state.setAttacker({ kind, peerId: null, state: 'exited', startedAt, detail });
        state.feed.add(Date.now(), 'attack', 'page', `attacker ${kind} failed: ${detail}`);
      },
    );
    return { kind, state: 'starting' };
  };

  let port = 0;
  const server = createServer(
    createHandler({
      token,
      port: () => port,
      distDir: async () => distDir,
      routes: {
        stream: (req, res) => hub.accept(req, res, { event: STREAM_EVENTS.snapshot, data: state.snapshot() }),
        why,
        inject,
      },
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new TrustMapPortInUseError(
              `trust map port ${options.port} on ${TRUST_MAP_HOST} is already in use`,
            )
          : err,
      ),
    );
    server.listen({ port: options.port ?? 0, host: TRUST_MAP_HOST }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  poller.start();
  return {
    url: `http://${TRUST_MAP_HOST}:${port}/${token}/`,
    port,
    state,
    close: async () => {
      await poller.stop();
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
