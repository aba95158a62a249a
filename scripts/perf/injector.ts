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

/** How long (ms) the nodes get to subscribe to the injector's pushes after it connected. */
const SUBSCRIBE_TIMEOUT_MS = 60_000;
/** Injection tick (ms) of `pushPaced`: the rate is spread evenly over ticks. */
export const TICK_MS = 50;

export interface PacedResult {
  /** Transactions the push queue refused (a node reading too slowly). */
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
      allowLoopbackColocation: true,
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
    await Promise.all(addresses.map((address) => this.p2p.libp2p.dial(multiaddr(address))));
    const deadline = Date.now() + SUBSCRIBE_TIMEOUT_MS;
    for (;;) {
      const subscribed = new Set([...this.server.subscribers()].map((s) => s.peer));
      if (this.peers.every((peer) => subscribed.has(peer))) return;
      if (Date.now() > deadline) throw new Error('not every node subscribed to the injector');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Queues `tx` for node `index` (the order of `connect`); false when the push queue dropped it. */
  push(index: number, tx: Uint8Array): boolean {
    return this.server.push(this.peers[index]!, tx);
  }

  /** Pushes `txs` at `rate` per second, to the nodes in turn (tx i to node i mod n). */
  async pushPaced(txs: readonly Uint8Array[], rate: number): Promise<PacedResult> {
    const started = performance.now();
    let sent = 0;
    let dropped = 0;
    for (let tick = 1; sent < txs.length; tick++) {
      const due = Math.min(txs.length, Math.round((rate * tick * TICK_MS) / 1000));
      for (; sent < due; sent++) if (!this.push(sent % this.peers.length, txs[sent]!)) dropped++;
      const wait = started + tick * TICK_MS - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
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
