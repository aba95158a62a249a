/**
 * `PeerActivity`: what the relay heard from each peer, so that a request timeout can be judged as
 * withholding or as a stall. Pure and synchronous: peer ids are strings and every call takes `now`.
 *
 * Rules, each with its reason:
 * - Every message the relay receives from a peer (an Inv, a push, an answer to any of our requests)
 *   is `heard`. A silence of `SILENCE_GAP_MS` (1 s) or more between two of them is remembered (at
 *   most `MAX_SILENCES_PER_PEER`, the newest).
 * - A timeout of a request made at `requestedAt` and judged at `now` was `silent` when the peer sent
 *   nothing for at least `SILENCE_GAP_MS` of that wait: a remembered silence, the one still running
 *   (since the last message), or the time before we first heard from it overlaps the wait by that
 *   much. A stalled process sends nothing at all, so its timeouts are silent; a withholder that keeps
 *   announcing while it withholds is not (blame escalates only its timeouts).
 * - A peer that answered one of our requests with an object we asked for has `served`: late, or with
 *   an object we had got elsewhere meanwhile, it still did the work, and a withholder never does. The
 *   mark is reported by the next timeout that is not silent (its streak starts over) and then cleared.
 * - Memory is bounded: per peer one timestamp, a flag and at most `MAX_SILENCES_PER_PEER` silences;
 *   at most `maxPeers` peers (the least recently heard is dropped first; the relay also forgets a
 *   peer when it disconnects). A forgotten peer counts as silent until heard again: at worst a
 *   timeout escapes escalation, never is one charged more.
 *
 * @example
 * ```ts
 * const activity = new PeerActivity();
 * activity.heard(peer, 1_000); // an Inv
 * activity.heard(peer, 1_400); // another
 * activity.timeout(peer, 1_050, 3_100); // { silent: true, servedSince: false }: nothing after 1.4 s
 * ```
 */
import { MAX_ACTIVITY_PEERS, MAX_SILENCES_PER_PEER, SILENCE_GAP_MS } from './constants.js';
import type { TimeoutContext } from './faults.js';

/** Options of `PeerActivity`; every field has a documented default. */
export interface PeerActivityOptions {
  /** Silence (ms) that makes a timeout silent. Default `SILENCE_GAP_MS` (1 s). */
  silenceGapMs?: number;
  /** Peers followed at once. Default `MAX_ACTIVITY_PEERS` (1024). */
  maxPeers?: number;
}

interface Silence {
  readonly from: number;
  readonly to: number;
}

interface PeerRecord {
  /** When we first heard from the peer (since it was last forgotten). */
  readonly since: number;
  lastHeard: number;
  /** Past silences of at least the gap, oldest first. */
  readonly silences: Silence[];
  /** Served a requested object since its last timeout that was not silent. */
  served: boolean;
}

/** The peers' traffic as the relay sees it. See the module comment for the rules. */
export class PeerActivity {
  private readonly records = new Map<string, PeerRecord>();
  private readonly silenceGapMs: number;
  private readonly maxPeers: number;

  constructor(options: PeerActivityOptions = {}) {
    this.silenceGapMs = options.silenceGapMs ?? SILENCE_GAP_MS;
    this.maxPeers = options.maxPeers ?? MAX_ACTIVITY_PEERS;
    if (!(this.silenceGapMs > 0))
      throw new RangeError(`silenceGapMs must be positive, got ${this.silenceGapMs}`);
    if (!Number.isSafeInteger(this.maxPeers) || this.maxPeers < 1) {
      throw new RangeError(`maxPeers must be a positive integer, got ${this.maxPeers}`);
    }
  }

  /** Number of peers followed (never above `maxPeers`). */
  get size(): number {
    return this.records.size;
  }

  /** We received a message from `peer` at `now`. */
  heard(peer: string, now: number): void {
    const record = this.records.get(peer);
    if (record === undefined) {
      if (this.records.size >= this.maxPeers) {
        const oldest = this.records.keys().next().value;
        if (oldest !== undefined) this.records.delete(oldest);
      }
      this.records.set(peer, { since: now, lastHeard: now, silences: [], served: false });
      return;
    }
    if (now - record.lastHeard >= this.silenceGapMs) {
      record.silences.push({ from: record.lastHeard, to: now });
      if (record.silences.length > MAX_SILENCES_PER_PEER) record.silences.shift();
    }
    record.lastHeard = Math.max(record.lastHeard, now);
    // Least recently heard first, for eviction.
    this.records.delete(peer);
    this.records.set(peer, record);
  }

  /** `peer` answered one of our requests with an object we asked for (on time or late). */
  served(peer: string, now: number): void {
    this.heard(peer, now);
    this.records.get(peer)!.served = true;
  }

  /**
   * Judges a timeout of a request made to `peer` at `requestedAt`, at `now`: whether the peer was
   * silent for a gap of the wait, and whether it served since its last timeout that was not silent
   * (the mark is cleared by this call when the timeout is not silent).
   */
  timeout(peer: string, requestedAt: number, now: number): TimeoutContext {
    const record = this.records.get(peer);
    if (record === undefined) return { silent: true, servedSince: false };
    const overlap = (from: number, to: number): number => Math.min(to, now) - Math.max(from, requestedAt);
    const silent =
      overlap(Number.NEGATIVE_INFINITY, record.since) >= this.silenceGapMs ||
      overlap(record.lastHeard, now) >= this.silenceGapMs ||
      record.silences.some(({ from, to }) => overlap(from, to) >= this.silenceGapMs);
    const servedSince = record.served;
    if (!silent) record.served = false;
    return { silent, servedSince };
  }

  /** Forgets `peer` (it disconnected). */
  forget(peer: string): void {
    this.records.delete(peer);
  }
}
