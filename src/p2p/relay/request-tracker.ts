/**
 * RequestTracker: the inv/getdata request scheduler. Decides which peer to ask for an announced object,
 * and when. Pure: no I/O, no timers, no clock; every time-dependent call takes `now` in milliseconds.
 *
 * === What it tracks ===
 *
 * Peers announce inventory (an object's 32-byte hash, here its hex `key`) on gossipsub; a node that lacks
 * the object asks one announcer for it over a request/response stream. For every (peer, key) pair that
 * was announced we keep one "announcement" in one of four states:
 *
 * - DELAYED: announced, but not yet requestable from this peer (its request time lies in the future).
 * - READY: requestable from this peer now. Among the READY announcements of a key, the best one (see
 *   rule 4) is that key's "best candidate", and the key is requestable from that peer only.
 * - REQUESTED: asked for, awaiting the object or `notfound` until its expiry.
 * - FAILED: asked and timed out, or answered `notfound`. Kept only so that we never ask that peer for
 *   that key again (rule 2).
 *
 * === Rules, each with its reason ===
 *
 * 1. At most one request is in flight per key, across all peers. Reason: fetching the same object twice
 *    wastes bandwidth, and an attacker that announces everything could otherwise double our download.
 *
 * 2. A key is never requested twice from the same peer. The peer's announcement stays (FAILED) until the
 *    key is resolved, the peer disconnects, or every announcement of the key has failed; re-announcing
 *    meanwhile is ignored. Reason: letting a peer announce again to be asked again would let it win
 *    every race and withhold the object forever. The cost is memory for FAILED announcements, which rule
 *    5 bounds and which honest peers rarely create. When only FAILED announcements of a key remain they
 *    are all forgotten (nobody is left to ask), so a later announcement starts afresh.
 *
 * 3. Announcements from inbound peers become requestable `inboundDelayMs` after they arrive; those from
 *    outbound peers immediately. Reason: an attacker chooses its inbound connections to us, while we
 *    choose our outbound ones, so outbound peers are less likely to be attackers. The delay lets an
 *    outbound announcer that is slightly slower than an inbound one be asked first.
 *
 * 4. Among the READY announcements of a key whose peers can take more requests (rule 6), an outbound one
 *    beats an inbound one, and otherwise the earliest announcement wins (a per-tracker sequence number,
 *    so ties and a clock that steps backwards are still deterministic). A better candidate that becomes
 *    READY later takes over, as long as nothing is in flight yet. Reason: preferring outbound peers as in
 *    rule 3; first-come is deterministic and rewards the quickest, usually nearest, announcer. (Bitcoin
 *    Core picks uniformly at random among equals, which makes racing less profitable; under first-come
 *    the bound below still holds because rule 2 lets each peer delay a key only once.)
 *
 * 5. Each peer has at most `maxPeerAnnouncements` announcements tracked, FAILED ones included; beyond
 *    that `receivedInv` drops the announcement and returns 'capped' so the caller can count a flood
 *    offence. Reason: bounds memory to (connected peers) x (cap) whatever the peers send, and counting
 *    FAILED announcements stops a peer from cycling through fresh keys to stay under the cap.
 *
 * 6. Each peer has at most `maxPeerInFlight` requests in flight. A peer that reaches the cap is "full":
 *    it is asked for nothing more, and every key whose best candidate it was passes at once to the next
 *    announcer (or waits, if it was the only one). It takes keys again, reclaiming those where it is the
 *    better candidate, once its in-flight count falls to half the cap. Reason: a slow or silent peer can
 *    hold at most `maxPeerInFlight` keys hostage for one timeout each, instead of queueing every key it
 *    announced first behind its own backlog. The hysteresis keeps the cost of handing keys over and back
 *    amortised over maxPeerInFlight/2 requests instead of paid on every response.
 *
 * 7. A request expires `requestTimeoutMs` after it is handed out. `expire` reports it with the time it
 *    was handed out (the caller may apply a judgement-call penalty: honest peers can be slow or stall,
 *    which it tells apart by what the peer sent meanwhile) and the key moves to the next announcer.
 *    `notfound` does the same at once, and only touches the sender's own announcement.
 *
 * 8. A delivered object resolves the key for everybody, and the key is remembered as complete (a bounded
 *    FIFO of `recentCompleteCapacity` keys, shared with `forgetKey` by default) so that announcements still in
 *    flight on gossipsub do not make us fetch it again. Only a delivery we asked for counts:
 *    `receivedResponse` reports whether a response was solicited, and an unsolicited delivery changes
 *    nothing (a response that arrives after its request expired is unsolicited too). The caller must check that the delivered
 *    object hashes to `key`, and `key` must commit to the whole object including signatures, or a peer
 *    could deliver a mangled copy and make us forget the real one.
 *
 * 9. At most `maxRequestBatch` keys are handed out per `getRequestable` call, oldest announcement first,
 *    so one getdata message and its response stay bounded; call again for more.
 *
 * === Attacks it resists ===
 *
 * - Withholding (announce fast, never answer): each attacker connection delays a key by at most one
 *   timeout (rules 2, 7), and an inbound attacker loses to any outbound announcer that is at most
 *   `inboundDelayMs` slower (rules 3, 4). With `a` attacker connections announcing a key first, an
 *   honest announcer is asked after at most `a` timeouts (plus its inbound delay, and any wait for it
 *   to drain below its in-flight cap).
 * - Hostage taking by a slow peer: rule 6. Duplicate downloads: rule 1.
 * - Memory exhaustion by inv floods or churn: rule 5, the FIFO bound in rule 8, and entries that vanish
 *   with the peer or key they belong to.
 * - Unsolicited pushes and `notfound` spam: reported, and can only remove the sender's own announcements.
 * - Algorithmic complexity: no operation scans all peers, keys or announcements (see below).
 *
 * === Complexity ===
 *
 * Let n be the number of tracked announcements and A the number of announcers of one key (at most the
 * number of connected peers). Memory is O(n + peers with announcements + recentCompleteCapacity).
 * `receivedInv`: O(log n). `getRequestable(peer)`: O(log n) per announcement whose delay elapsed and per key
 * handed out. `expire` per expired request, and a `notfound`: O(log n + A). `forgetKey`, and a
 * solicited delivery: O(A log n). `disconnectedPeer`: O(m (log n + A)) for the peer's m announcements.
 * Rule 6 adds O(m + A per key handed over) when a peer becomes full or stops being full, which happens
 * at most once per maxPeerInFlight/2 requests or responses of that peer. `peersWithRequestable`: O(peers returned). `nextWakeup`: O(1). `sanityCheck`: O(n), tests only.
 *
 * @example
 * ```ts
 * const tracker = new RequestTracker();
 * tracker.receivedInv('peerA', key, { outbound: false, now: 0 }); // 'added', requestable at 200
 * tracker.receivedInv('peerB', key, { outbound: true, now: 50 }); // 'added', requestable now
 * tracker.getRequestable('peerB', 50); // [key]: outbound peerB is asked first, until 2050
 * tracker.expire(2050); // [{ peer: 'peerB', key, requestedAt: 50 }]: timed out
 * tracker.getRequestable('peerA', 2050); // [key]
 * tracker.receivedResponse('peerA', key, { found: true }); // true: solicited; key resolved
 * ```
 *
 * A relay drives it like this: on every inv call `receivedInv` (having first checked that it lacks the
 * object); on every response call `receivedResponse`; and on a timer set for `nextWakeup()`, and after
 * those events, call `expire(now)`, then `getRequestable(peer, now)` for each of
 * `peersWithRequestable(now)`.
 */

/**
 * Default delay in ms before an inbound peer's announcement may be requested: lets outbound (and
 * trusted) peers win a race. 50 ms covers one loopback/LAN hop of an outbound announcer; the
 * propagation benchmark showed 200 ms dominating tail latency.
 */
import { BoundedSet } from '../../collections/bounded-set.js';

export const INBOUND_DELAY_MS = 50;

/** Default ms a request may stay unanswered before it expires and the key moves to another announcer. */
export const REQUEST_TIMEOUT_MS = 2_000;

/** Default cap on tracked announcements per peer (FAILED ones included): bounds memory per connection. */
export const MAX_PEER_ANNOUNCEMENTS = 5_000;

/** Default cap on requests in flight per peer: bounds the keys one slow peer can hold hostage. */
export const MAX_PEER_IN_FLIGHT = 500;

/** Default cap on keys handed out per `getRequestable` call: bounds one getdata message and its response. */
export const MAX_REQUEST_BATCH = 100;

/** Default number of recently completed keys remembered: absorbs announcements still in flight. */
export const RECENT_COMPLETE_CAPACITY = 10_000;

/** Tuning knobs; every field is optional and defaults to the constant of the same name. */
export interface RequestTrackerOptions {
  /** Ms before an inbound peer's announcement becomes requestable (default `INBOUND_DELAY_MS`). */
  inboundDelayMs?: number;
  /** Ms before an unanswered request expires (default `REQUEST_TIMEOUT_MS`). */
  requestTimeoutMs?: number;
  /** Tracked announcements per peer, FAILED included (default `MAX_PEER_ANNOUNCEMENTS`). */
  maxPeerAnnouncements?: number;
  /** Requests in flight per peer (default `MAX_PEER_IN_FLIGHT`). */
  maxPeerInFlight?: number;
  /** Keys handed out per `getRequestable` call (default `MAX_REQUEST_BATCH`). */
  maxRequestBatch?: number;
  /** Completed keys remembered to ignore late announcements; 0 disables (default `RECENT_COMPLETE_CAPACITY`). */
  recentCompleteCapacity?: number;
}

/**
 * What `receivedInv` did: 'added' (tracked), 'duplicate' (this peer already announced this key; ignored),
 * 'complete' (the key was recently delivered or forgotten; ignored), 'capped' (the peer is at its
 * announcement cap; dropped, and the caller may count a flood offence).
 */
export type InvResult = 'added' | 'duplicate' | 'complete' | 'capped';

/** A request that timed out: `peer` was asked for `key` at `requestedAt` and did not answer in time. */
export interface ExpiredRequest {
  readonly peer: string;
  readonly key: string;
  /** The `now` of the `getRequestable` call that handed the key out (ms). */
  readonly requestedAt: number;
}

type State = 'delayed' | 'ready' | 'requested' | 'failed';

interface Announcement {
  readonly peer: PeerState;
  readonly key: KeyState;
  /** Arrival order across the whole tracker; the tie-break of rule 4 and the heaps. */
  readonly seq: number;
  /** Announced by an outbound peer. */
  readonly preferred: boolean;
  state: State;
  /** Request time while 'delayed', expiry while 'requested'; meaningless otherwise. */
  time: number;
  /** Position in the heap matching the state ('delayed' or 'requested'), or -1. */
  heapIndex: number;
}

interface PeerState {
  readonly id: string;
  /** This peer's announcements by key, in arrival order. */
  readonly anns: Map<string, Announcement>;
  /** Keys whose best candidate is this peer's announcement: what `getRequestable` hands out. */
  readonly bestKeys: Set<KeyState>;
  inFlight: number;
  /** Rule 6: reached maxPeerInFlight and has not yet drained to half of it. */
  full: boolean;
}

interface KeyState {
  readonly id: string;
  /** Announcements of this key by peer, in arrival order. */
  readonly anns: Map<string, Announcement>;
  /** Announcements not FAILED; the key is forgotten when this reaches 0. */
  pending: number;
  /** Best READY announcement from a peer that is not full; undefined while a request is in flight. */
  best: Announcement | undefined;
  requested: Announcement | undefined;
}

/** Rule 4: outbound first, then earliest announcement. */
function better(a: Announcement, b: Announcement): boolean {
  if (a.preferred !== b.preferred) return a.preferred;
  return a.seq < b.seq;
}

/** Heap order: earliest time first, then earliest announcement. */
function before(a: Announcement, b: Announcement): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** Binary min-heap of announcements by (time, seq) that knows each member's position, for O(log n) removal. */
class TimeHeap {
  private readonly items: Announcement[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Announcement | undefined {
    return this.items[0];
  }

  push(ann: Announcement): void {
    ann.heapIndex = this.items.length;
    this.items.push(ann);
    this.up(ann.heapIndex);
  }

  pop(): Announcement | undefined {
    const top = this.items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(ann: Announcement): void {
    const i = ann.heapIndex;
    const last = this.items.pop()!;
    ann.heapIndex = -1;
    if (last === ann) return;
    this.items[i] = last;
    last.heapIndex = i;
    this.down(i);
    this.up(last.heapIndex);
  }

  holds(ann: Announcement): boolean {
    return ann.heapIndex >= 0 && this.items[ann.heapIndex] === ann;
  }

  /** Throws unless positions are recorded correctly and the heap order holds. */
  check(): void {
    this.items.forEach((ann, i) => {
      if (ann.heapIndex !== i) throw new Error(`RequestTracker inconsistent: heap position ${i} mislabelled`);
      const parent = this.items[(i - 1) >> 1];
      if (i > 0 && parent !== undefined && before(ann, parent)) {
        throw new Error('RequestTracker inconsistent: heap order violated');
      }
    });
  }

  private up(i: number): void {
    const ann = this.items[i]!;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = this.items[parentIndex]!;
      if (!before(ann, parent)) break;
      this.items[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
    }
    this.items[i] = ann;
    ann.heapIndex = i;
  }

  private down(i: number): void {
    const ann = this.items[i]!;
    const n = this.items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(this.items[right]!, this.items[left]!)) child = right;
      const next = this.items[child]!;
      if (!before(next, ann)) break;
      this.items[i] = next;
      next.heapIndex = i;
      i = child;
    }
    this.items[i] = ann;
    ann.heapIndex = i;
  }
}

function integerOption(value: number | undefined, fallback: number, min: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < min) {
    throw new RangeError(`RequestTracker option ${name} must be an integer >= ${min}, got ${v}`);
  }
  return v;
}

function checkTime(now: number): void {
  if (!Number.isFinite(now)) throw new RangeError(`RequestTracker: now must be a finite number, got ${now}`);
}

/** The inv/getdata request scheduler; see the module comment for its rules. */
export class RequestTracker {
  private readonly inboundDelayMs: number;
  private readonly requestTimeoutMs: number;
  private readonly maxPeerAnnouncements: number;
  private readonly maxPeerInFlight: number;
  private readonly resumeInFlight: number;
  private readonly maxRequestBatch: number;
  private readonly recentCompleteCapacity: number;

  private readonly keys = new Map<string, KeyState>();
  private readonly peers = new Map<string, PeerState>();
  /** Peers whose `bestKeys` is non-empty: exactly those with something requestable now. */
  private readonly peersWithBest = new Set<PeerState>();
  private readonly delayed = new TimeHeap();
  private readonly expiries = new TimeHeap();
  /** Recently completed keys, oldest first (rule 8). */
  private readonly complete: BoundedSet<string>;
  private nextSeq = 0;
  private total = 0;

  constructor(options: RequestTrackerOptions = {}) {
    this.inboundDelayMs = integerOption(options.inboundDelayMs, INBOUND_DELAY_MS, 0, 'inboundDelayMs');
    this.requestTimeoutMs = integerOption(
      options.requestTimeoutMs,
      REQUEST_TIMEOUT_MS,
      1,
      'requestTimeoutMs',
    );
    this.maxPeerAnnouncements = integerOption(
      options.maxPeerAnnouncements,
      MAX_PEER_ANNOUNCEMENTS,
      1,
      'maxPeerAnnouncements',
    );
    this.maxPeerInFlight = integerOption(options.maxPeerInFlight, MAX_PEER_IN_FLIGHT, 1, 'maxPeerInFlight');
    this.resumeInFlight = Math.floor(this.maxPeerInFlight / 2);
    this.maxRequestBatch = integerOption(options.maxRequestBatch, MAX_REQUEST_BATCH, 1, 'maxRequestBatch');
    this.recentCompleteCapacity = integerOption(
      options.recentCompleteCapacity,
      RECENT_COMPLETE_CAPACITY,
      0,
      'recentCompleteCapacity',
    );
    // A capacity of 0 remembers nothing (forgetKey returns early); the set needs at least 1.
    this.complete = new BoundedSet(Math.max(1, this.recentCompleteCapacity));
  }

  // ---- Operations ----

  /**
   * Records that `peer` announced `key` at `now`; `outbound` says whether we dialed the peer. The caller
   * checks first that it does not already have the object. Returns what happened (see `InvResult`).
   */
  receivedInv(peer: string, key: string, opts: { outbound: boolean; now: number }): InvResult {
    checkTime(opts.now);
    if (this.complete.has(key)) return 'complete';
    let k = this.keys.get(key);
    if (k?.anns.has(peer)) return 'duplicate';
    let p = this.peers.get(peer);
    if (p !== undefined && p.anns.size >= this.maxPeerAnnouncements) return 'capped';
    if (p === undefined) {
      p = { id: peer, anns: new Map(), bestKeys: new Set(), inFlight: 0, full: false };
      this.peers.set(peer, p);
    }
    if (k === undefined) {
      k = { id: key, anns: new Map(), pending: 0, best: undefined, requested: undefined };
      this.keys.set(key, k);
    }
    const ann: Announcement = {
      peer: p,
      key: k,
      seq: this.nextSeq++,
      preferred: opts.outbound,
      state: 'delayed',
      time: opts.now + (opts.outbound ? 0 : this.inboundDelayMs),
      heapIndex: -1,
    };
    p.anns.set(key, ann);
    k.anns.set(peer, ann);
    k.pending++;
    this.total++;
    if (ann.time <= opts.now) this.makeReady(ann);
    else this.delayed.push(ann);
    return 'added';
  }

  /**
   * The keys to request from `peer` now, oldest announcement first, at most `maxRequestBatch` and no more
   * than the peer's free in-flight slots. They are marked in flight until `now + requestTimeoutMs`; the
   * caller must send the request (if it cannot, it reports `{ found: false }`). Call `expire(now)` first
   * so that timed-out keys can move on.
   */
  getRequestable(peer: string, now: number): string[] {
    checkTime(now);
    this.promote(now);
    const p = this.peers.get(peer);
    if (p === undefined || p.bestKeys.size === 0) return [];
    const room = Math.min(this.maxRequestBatch, this.maxPeerInFlight - p.inFlight);
    const chosen: Announcement[] = [];
    for (const k of p.bestKeys) {
      if (chosen.length >= room) break;
      chosen.push(k.best!);
    }
    for (const ann of chosen) {
      this.clearBest(ann.key);
      ann.key.requested = ann;
      ann.state = 'requested';
      ann.time = now + this.requestTimeoutMs;
      this.expiries.push(ann);
      p.inFlight++;
    }
    if (p.inFlight >= this.maxPeerInFlight) this.markFull(p);
    chosen.sort((a, b) => a.seq - b.seq);
    return chosen.map((ann) => ann.key.id);
  }

  /**
   * `peer` answered about `key`: delivered the object (`found`) or said `notfound`. Returns whether the
   * answer was solicited, i.e. a request for `key` to `peer` was in flight. A solicited delivery resolves
   * the key for everybody (rule 8); an unsolicited one changes nothing (if the caller keeps the object
   * anyway, it calls `forgetKey`). A `notfound` drops the sender's announcement, solicited or not, and the
   * next announcer becomes eligible at once.
   */
  receivedResponse(peer: string, key: string, response: { found: boolean }): boolean {
    const ann = this.keys.get(key)?.anns.get(peer);
    const solicited = ann?.state === 'requested';
    if (response.found) {
      if (solicited) this.forgetKey(key);
    } else if (ann !== undefined && ann.state !== 'failed') {
      this.fail(ann);
    }
    return solicited;
  }

  /**
   * Expires every request whose deadline is at or before `now` and returns them, earliest first. Each key
   * becomes requestable from its next announcer; the peer that timed out is never asked for it again.
   */
  expire(now: number): ExpiredRequest[] {
    checkTime(now);
    const expired: ExpiredRequest[] = [];
    for (let top = this.expiries.peek(); top !== undefined && top.time <= now; top = this.expiries.peek()) {
      this.expiries.pop();
      expired.push({ peer: top.peer.id, key: top.key.id, requestedAt: top.time - this.requestTimeoutMs });
      this.fail(top);
    }
    return expired;
  }

  /** Forgets everything about `peer`; keys it had in flight become requestable from other announcers. */
  disconnectedPeer(peer: string): void {
    const p = this.peers.get(peer);
    if (p === undefined) return;
    this.peers.delete(peer);
    const touched: KeyState[] = [];
    for (const ann of p.anns.values()) {
      const k = ann.key;
      this.leaveHeap(ann);
      if (k.best === ann) this.clearBest(k);
      if (k.requested === ann) k.requested = undefined;
      if (ann.state !== 'failed') k.pending--;
      k.anns.delete(peer);
      this.total--;
      touched.push(k);
    }
    p.anns.clear();
    p.inFlight = 0;
    p.full = false;
    for (const k of touched) {
      if (k.pending === 0) this.removeKey(k);
      else if (k.best === undefined && k.requested === undefined) this.reselect(k);
    }
  }

  /**
   * Drops all state for `key` (the object arrived another way, e.g. in a block, or was found invalid) and
   * remembers it as complete, so announcements of it are ignored for a while (rule 8). With
   * `{ complete: false }` it only drops the state: for an object that is unacceptable just for now (a
   * block whose parent is unknown, a transaction whose inputs are missing), whose later announcements
   * must be tracked again.
   */
  forgetKey(key: string, opts: { complete?: boolean } = {}): void {
    const k = this.keys.get(key);
    if (k !== undefined) this.removeKey(k);
    if (opts.complete === false || this.recentCompleteCapacity === 0) return;
    this.complete.add(key);
  }

  // ---- Queries ----

  /** Number of tracked announcements, over all peers and keys, FAILED ones included. */
  get size(): number {
    return this.total;
  }

  /** Announcements tracked for `peer`, FAILED ones included: what rule 5 caps. */
  peerAnnouncementCount(peer: string): number {
    return this.peers.get(peer)?.anns.size ?? 0;
  }

  /** Requests in flight to `peer`. */
  inFlightCount(peer: string): number {
    return this.peers.get(peer)?.inFlight ?? 0;
  }

  /** Peers whose announcement of `key` has not failed (including one it is in flight to), in arrival order. */
  announcers(key: string): string[] {
    const k = this.keys.get(key);
    if (k === undefined) return [];
    const peers: string[] = [];
    for (const ann of k.anns.values()) if (ann.state !== 'failed') peers.push(ann.peer.id);
    return peers;
  }

  /** Peers for which `getRequestable(peer, now)` would return something. */
  peersWithRequestable(now: number): string[] {
    checkTime(now);
    this.promote(now);
    return Array.from(this.peersWithBest, (p) => p.id);
  }

  /**
   * The earliest time at which an announcement's delay elapses or a request expires, or undefined if
   * neither is pending: when the caller should next call `expire` and `getRequestable`.
   */
  nextWakeup(): number | undefined {
    const ready = this.delayed.peek()?.time;
    const expiry = this.expiries.peek()?.time;
    if (ready === undefined) return expiry;
    if (expiry === undefined) return ready;
    return Math.min(ready, expiry);
  }

  /** Throws if the internal indexes disagree with each other or with the rules. O(n); for tests. */
  sanityCheck(): void {
    const fail = (what: string): never => {
      throw new Error(`RequestTracker inconsistent: ${what}`);
    };
    let total = 0;
    let delayed = 0;
    let requested = 0;
    for (const [keyId, k] of this.keys) {
      if (k.id !== keyId) fail(`key ${keyId} filed under the wrong id`);
      if (this.complete.has(keyId)) fail(`key ${keyId} is both tracked and complete`);
      let pending = 0;
      let inFlight: Announcement | undefined;
      let best: Announcement | undefined;
      for (const [peerId, ann] of k.anns) {
        total++;
        if (ann.key !== k || ann.peer.id !== peerId) fail(`announcement ${peerId}/${keyId} misfiled`);
        if (this.peers.get(peerId) !== ann.peer || ann.peer.anns.get(keyId) !== ann) {
          fail(`announcement ${peerId}/${keyId} missing from its peer's index`);
        }
        if (ann.state !== 'failed') pending++;
        if (ann.state === 'requested') {
          if (inFlight !== undefined) fail(`key ${keyId} in flight to two peers`);
          inFlight = ann;
        }
        if (ann.state === 'ready' && !ann.peer.full && (best === undefined || better(ann, best))) best = ann;
        if (ann.state === 'delayed') {
          delayed++;
          if (!this.delayed.holds(ann)) fail(`delayed announcement ${peerId}/${keyId} not in its heap`);
        } else if (ann.state === 'requested') {
          requested++;
          if (!this.expiries.holds(ann)) fail(`request ${peerId}/${keyId} not in the expiry heap`);
        } else if (ann.heapIndex !== -1) {
          fail(`${ann.state} announcement ${peerId}/${keyId} still in a heap`);
        }
      }
      if (pending === 0) fail(`key ${keyId} has only failed announcements but was not forgotten`);
      if (pending !== k.pending) fail(`key ${keyId} pending count ${k.pending}, actual ${pending}`);
      if (inFlight !== k.requested) fail(`key ${keyId} in-flight pointer wrong`);
      const expectedBest = inFlight === undefined ? best : undefined;
      if (k.best !== expectedBest) fail(`key ${keyId} best candidate is not the first eligible announcer`);
      if (k.best !== undefined && !k.best.peer.bestKeys.has(k)) fail(`key ${keyId} missing from bestKeys`);
    }
    if (total !== this.total) fail(`size ${this.total}, actual ${total}`);
    if (delayed !== this.delayed.size) fail(`delayed heap holds ${this.delayed.size}, expected ${delayed}`);
    if (requested !== this.expiries.size)
      fail(`expiry heap holds ${this.expiries.size}, expected ${requested}`);
    this.delayed.check();
    this.expiries.check();

    let peerTotal = 0;
    for (const [peerId, p] of this.peers) {
      if (p.id !== peerId) fail(`peer ${peerId} filed under the wrong id`);
      if (p.anns.size === 0) fail(`peer ${peerId} kept without announcements`);
      if (p.anns.size > this.maxPeerAnnouncements) fail(`peer ${peerId} over the announcement cap`);
      peerTotal += p.anns.size;
      let inFlight = 0;
      for (const [keyId, ann] of p.anns) {
        if (ann.peer !== p || this.keys.get(keyId)?.anns.get(peerId) !== ann) {
          fail(`announcement ${peerId}/${keyId} missing from its key's index`);
        }
        if (ann.state === 'requested') inFlight++;
      }
      if (inFlight !== p.inFlight) fail(`peer ${peerId} in-flight count ${p.inFlight}, actual ${inFlight}`);
      if (p.full ? p.inFlight <= this.resumeInFlight : p.inFlight >= this.maxPeerInFlight) {
        fail(`peer ${peerId} full flag out of step with ${p.inFlight} in flight`);
      }
      for (const k of p.bestKeys) {
        if (k.best?.peer !== p || this.keys.get(k.id) !== k) fail(`peer ${peerId} stale bestKeys entry`);
      }
      if (this.peersWithBest.has(p) !== p.bestKeys.size > 0) fail(`peer ${peerId} peersWithBest out of step`);
    }
    if (peerTotal !== total) fail('peer and key indexes hold different announcements');
    for (const p of this.peersWithBest) {
      if (this.peers.get(p.id) !== p) fail(`forgotten peer ${p.id} in peersWithBest`);
    }
    if (this.complete.size > this.recentCompleteCapacity) fail('recent-complete set over capacity');
  }

  // ---- Internals ----

  /** Moves every delayed announcement whose request time is at or before `now` to READY. */
  private promote(now: number): void {
    for (let top = this.delayed.peek(); top !== undefined && top.time <= now; top = this.delayed.peek()) {
      this.delayed.pop();
      this.makeReady(top);
    }
  }

  private makeReady(ann: Announcement): void {
    ann.state = 'ready';
    const k = ann.key;
    if (k.requested === undefined && !ann.peer.full && (k.best === undefined || better(ann, k.best))) {
      this.setBest(k, ann);
    }
  }

  private setBest(k: KeyState, ann: Announcement): void {
    this.clearBest(k);
    k.best = ann;
    ann.peer.bestKeys.add(k);
    this.peersWithBest.add(ann.peer);
  }

  private clearBest(k: KeyState): void {
    const best = k.best;
    if (best === undefined) return;
    k.best = undefined;
    best.peer.bestKeys.delete(k);
    if (best.peer.bestKeys.size === 0) this.peersWithBest.delete(best.peer);
  }

  /** Recomputes `k.best` from scratch: O(A). */
  private reselect(k: KeyState): void {
    this.clearBest(k);
    if (k.requested !== undefined) return;
    let best: Announcement | undefined;
    for (const ann of k.anns.values()) {
      if (ann.state === 'ready' && !ann.peer.full && (best === undefined || better(ann, best))) best = ann;
    }
    if (best !== undefined) this.setBest(k, best);
  }

  /** Rule 6: `p` takes no more requests; its candidate keys pass to their next announcers. */
  private markFull(p: PeerState): void {
    p.full = true;
    for (const k of [...p.bestKeys]) this.reselect(k);
  }

  /** Rule 6: once a full peer has drained to half its cap, it competes for its keys again. */
  private inFlightDropped(p: PeerState): void {
    if (!p.full || p.inFlight > this.resumeInFlight) return;
    p.full = false;
    for (const ann of p.anns.values()) {
      const k = ann.key;
      if (
        ann.state === 'ready' &&
        k.requested === undefined &&
        (k.best === undefined || better(ann, k.best))
      ) {
        this.setBest(k, ann);
      }
    }
  }

  private leaveHeap(ann: Announcement): void {
    if (ann.heapIndex < 0) return;
    if (ann.state === 'delayed') this.delayed.remove(ann);
    else this.expiries.remove(ann);
  }

  /** Timeout or `notfound`: the announcement becomes FAILED and the key moves on (rules 2 and 7). */
  private fail(ann: Announcement): void {
    const k = ann.key;
    const p = ann.peer;
    const wasRequested = ann.state === 'requested';
    this.leaveHeap(ann);
    if (wasRequested) {
      k.requested = undefined;
      p.inFlight--;
    } else if (k.best === ann) {
      this.clearBest(k);
    }
    ann.state = 'failed';
    k.pending--;
    if (k.pending === 0) this.removeKey(k);
    else if (k.best === undefined && k.requested === undefined) this.reselect(k);
    if (wasRequested) this.inFlightDropped(p);
  }

  /** Deletes `k` and all its announcements, dropping peers left with none. */
  private removeKey(k: KeyState): void {
    this.keys.delete(k.id);
    this.clearBest(k);
    const relieved: PeerState[] = [];
    for (const ann of k.anns.values()) {
      const p = ann.peer;
      this.leaveHeap(ann);
      if (ann.state === 'requested') {
        p.inFlight--;
        relieved.push(p);
      }
      p.anns.delete(k.id);
      this.total--;
      if (p.anns.size === 0) this.peers.delete(p.id);
    }
    k.anns.clear();
    k.pending = 0;
    k.requested = undefined;
    for (const p of relieved) this.inFlightDropped(p);
  }
}
