/**
 * Pings the connected peers we have not heard from (libp2p's `/ipfs/ping/1.0.0` over one kept
 * stream per peer, `link-pinger.ts`; at most one ping in flight per peer, each bounded by
 * `PING_TIMEOUT_MS`), feeds the outcomes to the LivenessTable,
 * and hands every peer the table declares dead to `onDead` (the connection manager hangs up and
 * replaces it). Feelers are not pinged: they live two seconds.
 *
 * Who is pinged, checked every second:
 * - a peer silent for `pingIntervalMs` (nothing heard: the table's last sign of life, which the
 *   node moves on every message from the peer and on every ping the peer sends us). The side with
 *   the larger peer id waits `PING_ANSWER_GRACE_MS` longer, so on an idle link the smaller side's
 *   ping reaches it first and only one side pings; on a busy link nobody pings;
 * - any peer not pinged for `rttSampleIntervalMs`, and every new peer once, for its round-trip time.
 * A link that goes dark is still found within an interval, the grace and a ping timeout.
 *
 * Our own stalls are not the peer's fault: a ping whose timeout fired more than EVENT_LOOP_STALL_MS
 * late is not counted as missed, and a liveness tick that runs that late forgives the stall's
 * duration to every suspect (a process starved of CPU would otherwise declare its healthy peers dead).
 */
import type { PeerId } from '@libp2p/interface';
import {
  EVENT_LOOP_STALL_MS,
  PING_ANSWER_GRACE_MS,
  PING_INTERVAL_MS,
  PING_TIMEOUT_MS,
  RTT_SAMPLE_INTERVAL_MS,
} from './constants.js';
import { LinkPinger } from './link-pinger.js';
import type { LivenessTable } from './liveness.js';
import type { LogPort, MembershipHost } from './ports.js';

export interface LivenessMonitorModules {
  host: MembershipHost;
  liveness: LivenessTable;
  /** Whether `peer` should be pinged (connected and not a feeler). */
  shouldPing: (peer: string) => boolean;
  onDead: (peer: string) => void;
  log: LogPort;
  now: () => number;
  /** Sends the pings; default: a LinkPinger over `host`. */
  pinger?: Pinger;
}

/** What sends pings: resolves with the round-trip time (ms), rejects on failure or abort. */
export interface Pinger {
  ping(peerId: PeerId, options: { signal: AbortSignal }): Promise<number>;
  /** The peer is no longer connected: release what is kept for it. */
  forget(peer: string): void;
}

export interface LivenessTimings {
  /** A peer silent this long (ms) is pinged. */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Extra silence (ms) the side with the larger peer id allows before it pings. */
  answerGraceMs: number;
  /** Every peer is pinged at least this often (ms), for its round-trip time. */
  rttSampleIntervalMs: number;
}

export const DEFAULT_LIVENESS_TIMINGS: LivenessTimings = {
  pingIntervalMs: PING_INTERVAL_MS,
  pingTimeoutMs: PING_TIMEOUT_MS,
  answerGraceMs: PING_ANSWER_GRACE_MS,
  rttSampleIntervalMs: RTT_SAMPLE_INTERVAL_MS,
};

export class LivenessMonitor {
  private readonly inFlight = new Set<string>();
  /** When each connected peer was last pinged (ms); forgotten once it is no longer connected. */
  private readonly lastPingAt = new Map<string, number>();
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private lastTickAt = 0;
  private running = false;
  private readonly self: string;
  private readonly pinger: Pinger;

  constructor(
    private readonly m: LivenessMonitorModules,
    private readonly timings: LivenessTimings = DEFAULT_LIVENESS_TIMINGS,
  ) {
    this.self = m.host.peerId.toString();
    this.pinger = m.pinger ?? new LinkPinger(m.host);
  }

  /** Pings are decided and suspicion deadlines checked this often (ms). */
  private get tickIntervalMs(): number {
    return Math.min(1_000, this.timings.pingIntervalMs);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.lastTickAt = this.m.now();
    this.tickTimer = setInterval(() => this.tick(), this.tickIntervalMs);
    this.tickTimer.unref?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.tickTimer);
    for (const peer of this.lastPingAt.keys()) this.pinger.forget(peer);
  }

  /** Pings every connected peer that is due (see the module comment). */
  private pingDue(now: number): void {
    const peers = new Map<string, PeerId>();
    for (const c of this.m.host.getConnections()) {
      if (c.status === 'open') peers.set(c.remotePeer.toString(), c.remotePeer);
    }
    for (const peer of this.lastPingAt.keys()) {
      if (peers.has(peer)) continue;
      this.lastPingAt.delete(peer);
      this.pinger.forget(peer);
    }
    for (const [peer, peerId] of peers) {
      if (this.inFlight.has(peer) || !this.m.shouldPing(peer) || !this.isDue(peer, now)) continue;
      this.lastPingAt.set(peer, now);
      void this.ping(peer, peerId);
    }
  }

  private isDue(peer: string, now: number): boolean {
    const lastPing = this.lastPingAt.get(peer);
    if (lastPing === undefined || now - lastPing >= this.timings.rttSampleIntervalMs) return true;
    const live = this.m.liveness.get(peer);
    if (live === undefined) return true;
    const silence = this.timings.pingIntervalMs + (this.self > peer ? this.timings.answerGraceMs : 0);
    // A suspect is pinged again once its last ping is a whole interval old.
    const since = live.state === 'alive' ? Math.max(live.lastAliveAt, lastPing) : lastPing;
    return now - since >= silence;
  }

  private async ping(peer: string, peerId: PeerId): Promise<void> {
    this.inFlight.add(peer);
    const sentAt = this.m.now();
    try {
      const rtt = await this.pinger.ping(peerId, { signal: AbortSignal.timeout(this.timings.pingTimeoutMs) });
      this.m.liveness.pingSucceeded(peer, rtt, this.m.now());
    } catch (err) {
      const late = this.m.now() - sentAt - this.timings.pingTimeoutMs;
      this.m.log('ping to %s failed after %d ms: %s', peer, this.m.now() - sentAt, (err as Error).message);
      // Fired far too late: our event loop stalled, the peer may well have answered in time.
      if (late <= EVENT_LOOP_STALL_MS) this.m.liveness.pingFailed(peer, this.m.now());
    } finally {
      this.inFlight.delete(peer);
    }
  }

  private tick(): void {
    if (!this.running) return;
    const now = this.m.now();
    const lag = now - this.lastTickAt - this.tickIntervalMs;
    this.lastTickAt = now;
    if (lag > EVENT_LOOP_STALL_MS) this.m.liveness.forgive(lag, now);
    for (const peer of this.m.liveness.tick(now)) this.m.onDead(peer);
    this.pingDue(now);
  }
}
