/**
 * Failure detection with suspicion (SWIM): the state of every peer we are, or recently were,
 * connected to, and its round-trip times. Pure: the liveness monitor feeds it ping outcomes and
 * connection events with the time, and acts on the peers it declares dead.
 *
 * States and transitions:
 * - `alive`: connected and answering. A successful ping, a new connection, or traffic from the peer
 *   (a ping it sent us, a message of the relay or sync protocols) makes a connected peer alive.
 * - `suspect`: `MISSED_PINGS_TO_SUSPECT` pings in a row went unanswered, or the connection dropped
 *   without us closing it. A suspect is given `SUSPECT_TIMEOUT_MS` to show a sign of life (a ping
 *   answer, a reconnection); one lost ping never kills a peer.
 * - `dead`: suspect for the whole timeout. The monitor disconnects it and the connection manager
 *   replaces it; it stays listed (bounded) so operators can see what happened, until it reconnects.
 * A connection we closed on purpose (eviction, feeler, quarantine) just forgets the peer (a dead
 * peer we hung up on stays listed as dead).
 *
 * RTT: the last sample, the minimum (used by inbound eviction), and a smoothed value (TCP's SRTT,
 * weight 1/8).
 */
import {
  MAX_DEAD_REMEMBERED,
  MISSED_PINGS_TO_SUSPECT,
  RTT_SMOOTHING,
  SUSPECT_TIMEOUT_MS,
} from './constants.js';

export type LivenessState = 'alive' | 'suspect' | 'dead';

export interface PeerLiveness {
  readonly peerId: string;
  state: LivenessState;
  /** Pings missed in a row. */
  missed: number;
  /** When the peer became suspect (ms), while suspect or dead. */
  suspectSince: number | undefined;
  /** When the peer was declared dead (ms). */
  deadAt: number | undefined;
  /** Last sign of life (ms). */
  lastAliveAt: number;
  lastRttMs: number | undefined;
  minRttMs: number | undefined;
  smoothedRttMs: number | undefined;
}

export interface LivenessOptions {
  missedPingsToSuspect?: number;
  suspectTimeoutMs?: number;
  /** Called on every change of a peer's state (after the change). */
  onTransition?: (peerId: string, from: LivenessState | undefined, to: LivenessState, now: number) => void;
}

export class LivenessTable {
  private readonly peers = new Map<string, PeerLiveness>();
  readonly missedPingsToSuspect: number;
  readonly suspectTimeoutMs: number;
  private readonly onTransition: NonNullable<LivenessOptions['onTransition']>;

  constructor(options: LivenessOptions = {}) {
    this.onTransition = options.onTransition ?? (() => {});
    this.missedPingsToSuspect = options.missedPingsToSuspect ?? MISSED_PINGS_TO_SUSPECT;
    this.suspectTimeoutMs = options.suspectTimeoutMs ?? SUSPECT_TIMEOUT_MS;
    if (!Number.isInteger(this.missedPingsToSuspect) || this.missedPingsToSuspect < 1)
      throw new RangeError('missedPingsToSuspect must be a positive integer');
    if (!(this.suspectTimeoutMs > 0)) throw new RangeError('suspectTimeoutMs must be positive');
  }

  get(peerId: string): PeerLiveness | undefined {
    return this.peers.get(peerId);
  }

  list(): PeerLiveness[] {
    return [...this.peers.values()];
  }

  private alive(peerId: string, now: number): PeerLiveness {
    let peer = this.peers.get(peerId);
    const from = peer?.state;
    if (peer === undefined) {
      peer = {
        peerId,
        state: 'alive',
        missed: 0,
        suspectSince: undefined,
        deadAt: undefined,
        lastAliveAt: now,
        lastRttMs: undefined,
        minRttMs: undefined,
        smoothedRttMs: undefined,
      };
      this.peers.set(peerId, peer);
    }
    peer.state = 'alive';
    peer.missed = 0;
    peer.suspectSince = undefined;
    peer.deadAt = undefined;
    peer.lastAliveAt = now;
    if (from !== 'alive') this.onTransition(peerId, from, 'alive', now);
    return peer;
  }

  /** A connection to the peer opened. */
  connected(peerId: string, now: number): void {
    this.alive(peerId, now);
  }

  /** The peer answered a ping after `rttMs`. */
  pingSucceeded(peerId: string, rttMs: number, now: number): void {
    const peer = this.alive(peerId, now);
    peer.lastRttMs = rttMs;
    peer.minRttMs = Math.min(peer.minRttMs ?? Infinity, rttMs);
    peer.smoothedRttMs =
      peer.smoothedRttMs === undefined
        ? rttMs
        : peer.smoothedRttMs + RTT_SMOOTHING * (rttMs - peer.smoothedRttMs);
  }

  /**
   * We received something from the peer (its ping, an announcement, a request, an answer): a sign
   * of life as good as a ping answer. A peer declared dead stays dead (its connection is being
   * replaced); a peer we never saw connect is not added.
   */
  heard(peerId: string, now: number): void {
    const peer = this.peers.get(peerId);
    if (peer === undefined || peer.state === 'dead') return;
    if (peer.state === 'alive') {
      peer.missed = 0;
      peer.lastAliveAt = Math.max(peer.lastAliveAt, now);
      return;
    }
    this.alive(peerId, now);
  }

  /** A ping went unanswered (timeout or stream failure). */
  pingFailed(peerId: string, now: number): void {
    const peer = this.peers.get(peerId);
    if (peer === undefined || peer.state === 'dead') return;
    peer.missed++;
    if (peer.state === 'alive' && peer.missed >= this.missedPingsToSuspect) this.suspect(peer, now);
  }

  private suspect(peer: PeerLiveness, now: number): void {
    peer.state = 'suspect';
    peer.suspectSince = now;
    this.onTransition(peer.peerId, 'alive', 'suspect', now);
  }

  /**
   * The last connection to the peer closed. `byUs`: we closed it on purpose, so the peer is simply
   * forgotten; otherwise it becomes suspect (it may come back).
   */
  disconnected(peerId: string, byUs: boolean, now: number): void {
    const peer = this.peers.get(peerId);
    if (peer === undefined) return;
    if (byUs) {
      if (peer.state !== 'dead') this.peers.delete(peerId);
      return;
    }
    if (peer.state === 'alive') this.suspect(peer, now);
  }

  /**
   * Our own process was stalled for `ms`: suspicion time spent in the stall does not count (every
   * suspect's clock moves forward by `ms`, never past `now`).
   */
  forgive(ms: number, now: number): void {
    for (const peer of this.peers.values()) {
      if (peer.state === 'suspect') peer.suspectSince = Math.min(now, peer.suspectSince! + ms);
    }
  }

  /** Declares dead every suspect whose timeout has run out; returns them. */
  tick(now: number): string[] {
    const died: string[] = [];
    for (const peer of this.peers.values()) {
      if (peer.state === 'suspect' && now - peer.suspectSince! >= this.suspectTimeoutMs) {
        peer.state = 'dead';
        peer.deadAt = now;
        died.push(peer.peerId);
        this.onTransition(peer.peerId, 'suspect', 'dead', now);
      }
    }
    this.trimDead();
    return died;
  }

  /** Next time (ms) `tick` may declare a peer dead, if any peer is suspect. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const peer of this.peers.values()) {
      if (peer.state !== 'suspect') continue;
      const due = peer.suspectSince! + this.suspectTimeoutMs;
      next = next === undefined ? due : Math.min(next, due);
    }
    return next;
  }

  private trimDead(): void {
    const dead = [...this.peers.values()].filter((p) => p.state === 'dead');
    if (dead.length <= MAX_DEAD_REMEMBERED) return;
    dead.sort((a, b) => a.deadAt! - b.deadAt!);
    for (const peer of dead.slice(0, dead.length - MAX_DEAD_REMEMBERED)) this.peers.delete(peer.peerId);
  }
}
