/**
 * Keeps libp2p's peer store bounded. Every identity that ever connected leaves an entry (addresses,
 * protocols, identify data: about 2 KB), and identities cost an attacker nothing to mint, so:
 * quarantined peers are forgotten as soon as they are found in it, and beyond
 * MAX_PEER_STORE_ENTRIES the peers that are not connected are forgotten too. The address book
 * (src/p2p/membership) and the ban list keep what the node needs to know about them.
 */
import type { PeerId } from '@libp2p/interface';
import type { P2PLibp2p } from '../node/create-node.js';

/** Peer-store entries kept before disconnected peers are forgotten (unit: peers). */
export const MAX_PEER_STORE_ENTRIES = 1_000;
/** Interval (ms) between prunes: the store is listed whole, so not often. */
export const PEER_STORE_PRUNE_INTERVAL_MS = 60_000;

export interface PeerStorePrunerModules {
  readonly libp2p: P2PLibp2p;
  isQuarantined(peer: string): boolean;
  /** Peers never forgotten (static peers), by id string. */
  keep(peer: string): boolean;
}

export class PeerStorePruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly modules: PeerStorePrunerModules) {}

  async start(): Promise<void> {
    this.timer = setInterval(() => void this.prune(), PEER_STORE_PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Forgets one quarantined peer at once (after hanging up on it). */
  async forget(peerId: PeerId): Promise<void> {
    await this.modules.libp2p.peerStore.delete(peerId).catch(() => undefined);
  }

  /** One prune; resolves to how many entries were deleted. */
  prune(): Promise<number> {
    this.running ??= this.pruneOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pruneOnce(): Promise<number> {
    const { libp2p, isQuarantined, keep } = this.modules;
    const peers = await libp2p.peerStore.all();
    let excess = peers.length - MAX_PEER_STORE_ENTRIES;
    let deleted = 0;
    for (const { id } of peers) {
      const peer = id.toString();
      if (id.equals(libp2p.peerId) || keep(peer)) continue;
      const connected = libp2p.getConnections(id).length > 0;
      if (isQuarantined(peer) || (excess > 0 && !connected)) {
        await libp2p.peerStore.delete(id).catch(() => undefined);
        deleted++;
        excess--;
      }
    }
    return deleted;
  }
}
