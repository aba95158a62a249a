/**
 * The benchmark's load injector: one libp2p peer (the project's own host, `createP2PNode`) that
 * connects to every node of a benchmark devnet and serves txpush. Every node subscribes to the
 * pushes of each peer it connects to, so the injector hands pre-signed transactions to chosen
 * nodes over the real wire (TxPush frames, coalesced per event-loop turn), exactly as a peer that
 * created them would. The nodes allow-list the injector's peer id, so a burst is never blamed on
 * it; its rate limits still apply.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { multiaddr } from '@multiformats/multiaddr';
import { createP2PNode, type P2PNode } from '../../src/p2p/node/index.js';
import { TxPushServer } from '../../src/p2p/push/server.js';

/**
 * How long (ms) the nodes get to subscribe to the injector's pushes after it connected: twenty
 * freshly started tsx nodes on a busy 2-core machine took over a minute.
 */
const SUBSCRIBE_TIMEOUT_MS = 240_000;
/** How long (ms) refused pushes are retried after the last transaction was due. */
const RETRY_GRACE_MS = 60_000;
/** Port 1 on loopback: nothing listens there, so a dial to it fails at once. */
const UNREACHABLE_ADDRESS = '/ip4/127.0.0.1/tcp/1';
/** Time (ms) one dial of a node may take before it is retried. */
const DIAL_TIMEOUT_MS = 15_000;
/** Injection tick (ms) of `pushPaced`: the rate is spread evenly over ticks. */
export const TICK_MS = 50;

export interface PacedResult {
  /** Pushes the queue refused (a node reading too slowly); retried ones count each time. */
  readonly dropped: number;
  /** Transactions per second actually handed over (below the rate when the driver lagged). */
  readonly achievedRate: number;
}

export class Injector {
  private constructor(
    readonly p2p: P2PNode,
    private readonly server: TxPushServer,
    private readonly dir: string,
    private peers: string[] = [],
  ) {}

  static async start(network: string): Promise<Injector> {
    const dir = await mkdtemp(join(tmpdir(), 'trustmesh-injector-'));
    const p2p = await createP2PNode({
      network,
      dataDir: dir,
      host: '127.0.0.1',
      port: 0,
      devnetLoopback: true,
      // Announce an address nobody listens on: the nodes' connection managers must not learn the
      // injector as an outbound candidate, or they dial it, find it serves no chain (a stale
      // outbound peer) and hang up every connection to it, the injector's own included.
      announce: [UNREACHABLE_ADDRESS],
    });
    const server = new TxPushServer(p2p.libp2p, { network });
    await server.start();
    return new Injector(p2p, server, dir);
  }

  get peerId(): string {
    return this.p2p.peerId.toString();
  }

  /** Dials every address (`/p2p/` multiaddrs) and waits until each of those nodes subscribed. */
  async connect(addresses: readonly string[]): Promise<void> {
    this.peers = addresses.map((address) => address.split('/p2p/')[1]!);
    const deadline = Date.now() + SUBSCRIBE_TIMEOUT_MS;
    // Dials time out on a loaded machine: retry each until the deadline.
    await Promise.all(
      addresses.map(async (address) => {
        for (;;) {
          try {
            await this.p2p.libp2p.dial(multiaddr(address), { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) });
            return;
          } catch (err) {
            if (Date.now() > deadline)
              throw new Error(`injector cannot dial ${address}: ${(err as Error).message}`, { cause: err });
          }
        }
      }),
    );
    for (;;) {
      const subscribed = new Set([...this.server.subscribers()].map((s) => s.peer));
      if (this.peers.every((peer) => subscribed.has(peer))) return;
      if (Date.now() > deadline) {
        const missing = this.peers.filter((peer) => !subscribed.has(peer));
        const open = new Set(this.p2p.libp2p.getConnections().map((c) => c.remotePeer.toString()));
        const connected = missing.filter((peer) => open.has(peer)).length;
        throw new Error(
          `${missing.length} of ${this.peers.length} nodes did not subscribe to the injector (${connected} of them connected to it)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Queues `tx` for node `index` (the order of `connect`); false when the push queue dropped it. */
  push(index: number, tx: Uint8Array): boolean {
    return this.server.push(this.peers[index]!, tx);
  }

  /**
   * Pushes `txs` at `rate` per second, to the nodes in turn (tx i to node i mod n). A push the queue
   * refuses (a node reading too slowly) is counted in `dropped`; with `retry` it is tried again on
   * the next ticks (so every transaction gets in, late), else it is lost.
   */
  async pushPaced(txs: readonly Uint8Array[], rate: number, retry = false): Promise<PacedResult> {
    return this.paced(txs, rate, retry, (i) => i % this.peers.length);
  }

  /** Pushes `txs` to node `index` alone at `rate` per second; refused pushes are retried. */
  async pushPacedTo(index: number, txs: readonly Uint8Array[], rate: number): Promise<PacedResult> {
    return this.paced(txs, rate, true, () => index);
  }

  private async paced(
    txs: readonly Uint8Array[],
    rate: number,
    retry: boolean,
    nodeOf: (i: number) => number,
  ): Promise<PacedResult> {
    const started = performance.now();
    let sent = 0;
    let dropped = 0;
    let backlog: Array<{ node: number; tx: Uint8Array }> = [];
    const give = (node: number, tx: Uint8Array): void => {
      if (this.push(node, tx)) return;
      dropped++;
      if (retry) backlog.push({ node, tx });
    };
    // Retries stop RETRY_GRACE_MS after the last transaction was due (a node that left never reads).
    const giveUpAt = started + (txs.length / rate) * 1000 + RETRY_GRACE_MS;
    for (let tick = 1; sent < txs.length || (backlog.length > 0 && performance.now() < giveUpAt); tick++) {
      const waiting = backlog;
      backlog = [];
      for (const { node, tx } of waiting) give(node, tx);
      const due = Math.min(txs.length, Math.round((rate * tick * TICK_MS) / 1000));
      for (; sent < due; sent++) give(nodeOf(sent), txs[sent]!);
      const wait = started + tick * TICK_MS - performance.now();
      await new Promise((resolve) => setTimeout(resolve, Math.max(wait, backlog.length > 0 ? TICK_MS : 0)));
    }
    const elapsed = Math.max(1, performance.now() - started - TICK_MS);
    return { dropped, achievedRate: (txs.length * 1000) / elapsed };
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.p2p.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
