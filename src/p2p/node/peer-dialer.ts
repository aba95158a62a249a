/**
 * Keeps the node connected to its static peers (the bootstrap list): dials each at start and
 * re-dials it with exponential backoff whenever it is not connected.
 *
 * Why not libp2p's own mechanism: its KEEP_ALIVE reconnect queue gives up after a fixed number of
 * retries (5 by default, ~30 s), and a devnet node often starts minutes before its peers.
 *
 * Rules:
 * - one timer per target at most; a dial in progress is never duplicated;
 * - the delay doubles after each failed dial, and after each connection that lasted less than
 *   `stableMs` (a peer that accepts then drops us, e.g. because it blocked us, is not hammered);
 *   it returns to `initialDelayMs` once a connection has been stable;
 * - a blocked peer (PeerGate) is not dialed; it is checked again after `maxDelayMs`;
 * - delays get +-20% jitter so restarted nodes do not dial in lockstep.
 */
import type { Libp2p, Logger, PeerId } from '@libp2p/interface';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import type { PeerGate } from './gater.js';

export interface RedialPolicy {
  /** First re-dial delay in ms. */
  initialDelayMs: number;
  /** Largest re-dial delay in ms. */
  maxDelayMs: number;
  /** A connection that lasted at least this long (ms) resets the delay to `initialDelayMs`. */
  stableMs: number;
}

export const DEFAULT_REDIAL_POLICY: RedialPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  stableMs: 30_000,
};

interface Target {
  readonly addr: Multiaddr;
  readonly peerId: string;
  delayMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  dialing: boolean;
  connectedAt: number | undefined;
}

/** A bootstrap address without `/p2p/<peer id>`: the dialer must know whom it dials. */
export class BootstrapAddressError extends Error {
  override readonly name = 'BootstrapAddressError';
}

/** Parses bootstrap multiaddrs; each must end in `/p2p/<peer id>`. */
export function parseBootstrapAddrs(addrs: readonly string[]): Multiaddr[] {
  return addrs.map((text) => {
    let addr: Multiaddr;
    try {
      addr = multiaddr(text);
    } catch (err) {
      throw new BootstrapAddressError(`invalid multiaddr ${JSON.stringify(text)}: ${(err as Error).message}`);
    }
    if (addr.getPeerId() === null) throw new BootstrapAddressError(`${text} has no /p2p/<peer id>`);
    return addr;
  });
}

export class PeerDialer {
  private readonly targets = new Map<string, Target>();
  private readonly policy: RedialPolicy;
  private running = false;

  constructor(
    private readonly libp2p: Libp2p,
    addrs: readonly Multiaddr[],
    private readonly gate: PeerGate,
    private readonly log: Logger,
    policy: Partial<RedialPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_REDIAL_POLICY, ...policy };
    const self = libp2p.peerId.toString();
    for (const addr of addrs) {
      const peerId = addr.getPeerId();
      if (peerId === null || peerId === self || this.targets.has(peerId)) continue;
      this.targets.set(peerId, {
        addr,
        peerId,
        delayMs: this.policy.initialDelayMs,
        timer: undefined,
        dialing: false,
        connectedAt: undefined,
      });
    }
  }

  /** Peer ids this dialer keeps connected. */
  get peerIds(): string[] {
    return [...this.targets.keys()];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.libp2p.addEventListener('peer:connect', this.onConnect);
    this.libp2p.addEventListener('peer:disconnect', this.onDisconnect);
    for (const target of this.targets.values()) void this.attempt(target);
  }

  stop(): void {
    this.running = false;
    this.libp2p.removeEventListener('peer:connect', this.onConnect);
    this.libp2p.removeEventListener('peer:disconnect', this.onDisconnect);
    for (const target of this.targets.values()) {
      clearTimeout(target.timer);
      target.timer = undefined;
    }
  }

  private readonly onConnect = (event: CustomEvent<PeerId>): void => {
    const target = this.targets.get(event.detail.toString());
    if (target === undefined) return;
    target.connectedAt = Date.now();
    clearTimeout(target.timer);
    target.timer = undefined;
  };

  private readonly onDisconnect = (event: CustomEvent<PeerId>): void => {
    const target = this.targets.get(event.detail.toString());
    if (target === undefined || !this.running) return;
    const lasted = target.connectedAt === undefined ? 0 : Date.now() - target.connectedAt;
    target.connectedAt = undefined;
    if (lasted >= this.policy.stableMs) target.delayMs = this.policy.initialDelayMs;
    this.log(
      'static peer %s disconnected after %d ms, re-dialing in ~%d ms',
      target.peerId,
      lasted,
      target.delayMs,
    );
    this.schedule(target);
  };

  private isConnected(target: Target): boolean {
    return this.libp2p
      .getConnections()
      .some((c) => c.remotePeer.toString() === target.peerId && c.status === 'open');
  }

  private schedule(target: Target, delayMs = target.delayMs): void {
    if (!this.running || target.timer !== undefined) return;
    const jittered = delayMs * (0.8 + 0.4 * Math.random());
    target.timer = setTimeout(() => {
      target.timer = undefined;
      void this.attempt(target);
    }, jittered);
    target.timer.unref?.();
    target.delayMs = Math.min(target.delayMs * 2, this.policy.maxDelayMs);
  }

  private async attempt(target: Target): Promise<void> {
    if (!this.running || target.dialing || this.isConnected(target)) return;
    if (this.gate.isBlocked(target.peerId)) {
      this.schedule(target, this.policy.maxDelayMs);
      return;
    }
    target.dialing = true;
    try {
      const connection = await this.libp2p.dial(target.addr);
      // A peer that blocks us lets the dial resolve, then closes the connection.
      if (connection.status !== 'open') throw new Error(`connection ${connection.status}`);
      target.connectedAt ??= Date.now();
    } catch (err) {
      this.log(
        'dial to static peer %s failed (%s), retrying in ~%d ms',
        target.peerId,
        (err as Error).message,
        target.delayMs,
      );
      this.schedule(target);
    } finally {
      target.dialing = false;
    }
  }
}
