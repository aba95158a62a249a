/**
 * Pings every connected peer each `PING_INTERVAL_MS` (libp2p's `/ipfs/ping/1.0.0`, at most one ping
 * in flight per peer, each bounded by `PING_TIMEOUT_MS`), feeds the outcomes to the LivenessTable,
 * and hands every peer the table declares dead to `onDead` (the connection manager hangs up and
 * replaces it). Feelers are not pinged: they live two seconds.
 *
 * Our own stalls are not the peer's fault: a ping whose timeout fired more than EVENT_LOOP_STALL_MS
 * late is not counted as missed, and a liveness tick that runs that late forgives the stall's
 * duration to every suspect (a process starved of CPU would otherwise declare its healthy peers dead).
 */
import type { PeerId } from '@libp2p/interface';
import { EVENT_LOOP_STALL_MS, PING_INTERVAL_MS, PING_TIMEOUT_MS } from './constants.js';
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
}

export interface LivenessTimings {
  pingIntervalMs: number;
  pingTimeoutMs: number;
}

export const DEFAULT_LIVENESS_TIMINGS: LivenessTimings = {
  pingIntervalMs: PING_INTERVAL_MS,
  pingTimeoutMs: PING_TIMEOUT_MS,
};

export class LivenessMonitor {
  private readonly inFlight = new Set<string>();
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private lastTickAt = 0;
  private running = false;

  constructor(
    private readonly m: LivenessMonitorModules,
    private readonly timings: LivenessTimings = DEFAULT_LIVENESS_TIMINGS,
  ) {}

  /** Suspicion deadlines are checked this often (ms): more often than pings are sent. */
  private get tickIntervalMs(): number {
    return Math.min(1_000, this.timings.pingIntervalMs);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.lastTickAt = this.m.now();
    this.pingTimer = setInterval(() => this.pingAll(), this.timings.pingIntervalMs);
    this.tickTimer = setInterval(() => this.tick(), this.tickIntervalMs);
    this.pingTimer.unref?.();
    this.tickTimer.unref?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.pingTimer);
    clearInterval(this.tickTimer);
  }

  private pingAll(): void {
    const peers = new Map<string, PeerId>();
    for (const c of this.m.host.getConnections()) {
      if (c.status === 'open') peers.set(c.remotePeer.toString(), c.remotePeer);
    }
    for (const [peer, peerId] of peers) {
      if (!this.inFlight.has(peer) && this.m.shouldPing(peer)) void this.ping(peer, peerId);
    }
  }

  private async ping(peer: string, peerId: PeerId): Promise<void> {
    this.inFlight.add(peer);
    const sentAt = this.m.now();
    try {
      const rtt = await this.m.host.services.ping.ping(peerId, {
        signal: AbortSignal.timeout(this.timings.pingTimeoutMs),
      });
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
  }
}
