/**
 * The peers we are connected to, kept from libp2p's connect and disconnect events (libp2p's
 * `getPeers()` rebuilds its PeerId list, base58 decoding included, on every call), with the
 * direction of their connections and listeners for both events.
 */
import type { PeerId } from '@libp2p/interface';
import type { P2PLibp2p } from '../node/create-node.js';

export type PeerListener = (peer: string, peerId: PeerId) => void;

export class ConnectedPeers {
  private readonly peers = new Map<string, PeerId>();
  private readonly connectListeners: PeerListener[] = [];
  private readonly disconnectListeners: PeerListener[] = [];

  constructor(private readonly libp2p: P2PLibp2p) {}

  async start(): Promise<void> {
    this.libp2p.addEventListener('peer:connect', this.onConnect);
    this.libp2p.addEventListener('peer:disconnect', this.onDisconnect);
    for (const peerId of this.libp2p.getPeers())
      this.onConnect(new CustomEvent('peer:connect', { detail: peerId }));
  }

  async stop(): Promise<void> {
    this.libp2p.removeEventListener('peer:connect', this.onConnect);
    this.libp2p.removeEventListener('peer:disconnect', this.onDisconnect);
  }

  /** Calls `listener` for every peer that connects from now on. */
  onPeerConnected(listener: PeerListener): void {
    this.connectListeners.push(listener);
  }

  /** Calls `listener` for every peer that disconnects from now on. */
  onPeerDisconnected(listener: PeerListener): void {
    this.disconnectListeners.push(listener);
  }

  has(peer: string): boolean {
    return this.peers.has(peer);
  }

  peerId(peer: string): PeerId | undefined {
    return this.peers.get(peer);
  }

  list(): string[] {
    return [...this.peers.keys()];
  }

  get size(): number {
    return this.peers.size;
  }

  /** Whether we dialed `peer` (on any of its open connections). */
  isOutbound(peer: string): boolean {
    const peerId = this.peers.get(peer);
    return peerId !== undefined && this.libp2p.getConnections(peerId).some((c) => c.direction === 'outbound');
  }

  /** Closes every connection to `peer`; resolves once they are closed (or it was not connected). */
  async hangUp(peer: string): Promise<void> {
    const peerId = this.peers.get(peer);
    if (peerId !== undefined) await this.libp2p.hangUp(peerId);
  }

  private readonly onConnect = (event: CustomEvent<PeerId>): void => {
    const peer = event.detail.toString();
    this.peers.set(peer, event.detail);
    for (const listener of this.connectListeners) listener(peer, event.detail);
  };

  private readonly onDisconnect = (event: CustomEvent<PeerId>): void => {
    const peer = event.detail.toString();
    this.peers.delete(peer);
    for (const listener of this.disconnectListeners) listener(peer, event.detail);
  };
}
