import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INBOUND_DELAY_MS,
  MAX_PEER_ANNOUNCEMENTS,
  MAX_PEER_IN_FLIGHT,
  MAX_REQUEST_BATCH,
  RECENT_COMPLETE_CAPACITY,
  REQUEST_TIMEOUT_MS,
  RequestTracker,
  type RequestTrackerOptions,
} from '../../../src/p2p/relay/request-tracker.js';

const OUT = { outbound: true };
const IN = { outbound: false };

function tracker(options: RequestTrackerOptions = {}): RequestTracker {
  return new RequestTracker(options);
}

describe('RequestTracker defaults', () => {
  it('delays inbound announcements by INBOUND_DELAY_MS and expires requests after REQUEST_TIMEOUT_MS', () => {
    const t = tracker();
    t.receivedInv('in', 'k', { ...IN, now: 1_000 });
    const ready = 1_000 + INBOUND_DELAY_MS;
    expect(t.getRequestable('in', ready - 1)).toEqual([]);
    expect(t.getRequestable('in', ready)).toEqual(['k']);
    expect(t.expire(ready + REQUEST_TIMEOUT_MS - 1)).toEqual([]);
    expect(t.expire(ready + REQUEST_TIMEOUT_MS)).toEqual([{ peer: 'in', key: 'k', requestedAt: ready }]);
  });

  it('tracks MAX_PEER_ANNOUNCEMENTS announcements per peer and caps the next', () => {
    const t = tracker();
    const results = new Set<string>();
    for (let i = 0; i < MAX_PEER_ANNOUNCEMENTS; i++)
      results.add(t.receivedInv('a', `k${i}`, { ...OUT, now: 0 }));
    expect([...results]).toEqual(['added']);
    expect(t.receivedInv('a', 'one-more', { ...OUT, now: 0 })).toBe('capped');
    expect(t.receivedInv('b', 'one-more', { ...OUT, now: 0 })).toBe('added');
  });

  it('hands out MAX_REQUEST_BATCH keys per call, up to MAX_PEER_IN_FLIGHT in flight per peer', () => {
    const t = tracker();
    for (let i = 0; i <= MAX_PEER_IN_FLIGHT; i++) t.receivedInv('a', `k${i}`, { ...OUT, now: 0 });
    const batches: number[] = [];
    for (let keys = t.getRequestable('a', 0); keys.length > 0; keys = t.getRequestable('a', 0)) {
      batches.push(keys.length);
    }
    expect(batches[0]).toBe(MAX_REQUEST_BATCH);
    expect(Math.max(...batches)).toBe(MAX_REQUEST_BATCH);
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(MAX_PEER_IN_FLIGHT);
    expect(t.inFlightCount('a')).toBe(MAX_PEER_IN_FLIGHT);
    t.sanityCheck();
  });

  it('remembers the last RECENT_COMPLETE_CAPACITY completed keys', () => {
    const t = tracker();
    for (let i = 0; i <= RECENT_COMPLETE_CAPACITY; i++) t.forgetKey(`k${i}`);
    expect(t.receivedInv('a', 'k0', { ...OUT, now: 0 })).toBe('added');
    expect(t.receivedInv('a', 'k1', { ...OUT, now: 0 })).toBe('complete');
    expect(t.receivedInv('a', `k${RECENT_COMPLETE_CAPACITY}`, { ...OUT, now: 0 })).toBe('complete');
  });

  it('rejects invalid options and times', () => {
    expect(() => new RequestTracker({ maxPeerInFlight: 0 })).toThrow(RangeError);
    expect(() => new RequestTracker({ inboundDelayMs: -1 })).toThrow(RangeError);
    expect(() => new RequestTracker({ requestTimeoutMs: 1.5 })).toThrow(RangeError);
    expect(() => new RequestTracker({ maxRequestBatch: Number.NaN })).toThrow(RangeError);
    const t = tracker();
    expect(() => t.receivedInv('a', 'k', { outbound: true, now: Number.NaN })).toThrow(RangeError);
    expect(() => t.getRequestable('a', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('follows the module example', () => {
    const t = tracker();
    expect(t.receivedInv('peerA', 'key', { outbound: false, now: 0 })).toBe('added');
    expect(t.receivedInv('peerB', 'key', { outbound: true, now: 50 })).toBe('added');
    expect(t.getRequestable('peerA', 50)).toEqual([]);
    expect(t.getRequestable('peerB', 50)).toEqual(['key']);
    expect(t.expire(2049)).toEqual([]);
    expect(t.expire(2050)).toEqual([{ peer: 'peerB', key: 'key', requestedAt: 50 }]);
    expect(t.getRequestable('peerA', 2050)).toEqual(['key']);
    expect(t.receivedResponse('peerA', 'key', { found: true })).toBe(true);
    expect(t.size).toBe(0);
    t.sanityCheck();
  });
});

describe('RequestTracker rules', () => {
  it('keeps at most one request in flight per key', () => {
    const t = tracker();
    t.receivedInv('a', 'k', { ...OUT, now: 0 });
    t.receivedInv('b', 'k', { ...OUT, now: 0 });
    t.receivedInv('c', 'k', { ...IN, now: 0 });
    expect(t.getRequestable('a', 0)).toEqual(['k']);
    expect(t.getRequestable('a', 0)).toEqual([]);
    expect(t.getRequestable('b', 1_000)).toEqual([]);
    expect(t.getRequestable('c', 1_000)).toEqual([]);
    expect(t.peersWithRequestable(1_000)).toEqual([]);
    expect(t.inFlightCount('a')).toBe(1);
    expect(t.announcers('k')).toEqual(['a', 'b', 'c']);
    t.sanityCheck();
  });

  it('ignores a second announcement of the same key by the same peer', () => {
    const t = tracker();
    expect(t.receivedInv('a', 'k', { ...OUT, now: 0 })).toBe('added');
    expect(t.receivedInv('a', 'k', { ...IN, now: 5 })).toBe('duplicate');
    expect(t.size).toBe(1);
    t.sanityCheck();
  });

  it('delays inbound announcements by inboundDelayMs', () => {
    const t = tracker({ inboundDelayMs: 200 });
    t.receivedInv('in', 'k', { ...IN, now: 1_000 });
    expect(t.peersWithRequestable(1_199)).toEqual([]);
    expect(t.getRequestable('in', 1_199)).toEqual([]);
    expect(t.nextWakeup()).toBe(1_200);
    expect(t.peersWithRequestable(1_200)).toEqual(['in']);
    expect(t.getRequestable('in', 1_200)).toEqual(['k']);
    expect(t.nextWakeup()).toBe(1_200 + REQUEST_TIMEOUT_MS);
    t.sanityCheck();
  });

  it('asks an outbound announcer before an earlier inbound one', () => {
    const t = tracker();
    t.receivedInv('in', 'k', { ...IN, now: 0 });
    t.receivedInv('out', 'k', { ...OUT, now: 150 });
    expect(t.peersWithRequestable(500)).toEqual(['out']);
    expect(t.getRequestable('in', 500)).toEqual([]);
    expect(t.getRequestable('out', 500)).toEqual(['k']);
    t.sanityCheck();
  });

  it('lets a later outbound announcement take over an unrequested inbound one', () => {
    const t = tracker();
    t.receivedInv('in', 'k', { ...IN, now: 0 });
    expect(t.peersWithRequestable(300)).toEqual(['in']);
    t.receivedInv('out', 'k', { ...OUT, now: 300 });
    expect(t.peersWithRequestable(300)).toEqual(['out']);
    expect(t.getRequestable('out', 300)).toEqual(['k']);
    t.sanityCheck();
  });

  it('does not interrupt a request already in flight to an inbound peer', () => {
    const t = tracker();
    t.receivedInv('in', 'k', { ...IN, now: 0 });
    expect(t.getRequestable('in', 200)).toEqual(['k']);
    t.receivedInv('out', 'k', { ...OUT, now: 300 });
    expect(t.getRequestable('out', 300)).toEqual([]);
    expect(t.expire(2_200)).toEqual([{ peer: 'in', key: 'k', requestedAt: 200 }]);
    expect(t.getRequestable('out', 2_200)).toEqual(['k']);
    t.sanityCheck();
  });

  it('picks the earliest announcer among equals, deterministically', () => {
    const t = tracker();
    t.receivedInv('b', 'k', { ...OUT, now: 10 });
    t.receivedInv('a', 'k', { ...OUT, now: 10 });
    expect(t.peersWithRequestable(10)).toEqual(['b']);
    expect(t.getRequestable('a', 10)).toEqual([]);
    expect(t.getRequestable('b', 10)).toEqual(['k']);

    const u = tracker();
    u.receivedInv('x', 'k', { ...IN, now: 0 });
    u.receivedInv('y', 'k', { ...IN, now: 0 });
    expect(u.peersWithRequestable(200)).toEqual(['x']);
  });

  it('moves a timed-out request to the next announcer and never asks the slow peer again', () => {
    const t = tracker({ requestTimeoutMs: 1_000 });
    t.receivedInv('a', 'k', { ...OUT, now: 0 });
    t.receivedInv('b', 'k', { ...OUT, now: 1 });
    t.receivedInv('c', 'k', { ...OUT, now: 2 });
    expect(t.getRequestable('a', 10)).toEqual(['k']);
    expect(t.expire(1_009)).toEqual([]);
    expect(t.getRequestable('b', 1_009)).toEqual([]);
    expect(t.expire(1_010)).toEqual([{ peer: 'a', key: 'k', requestedAt: 10 }]);
    expect(t.inFlightCount('a')).toBe(0);
    expect(t.announcers('k')).toEqual(['b', 'c']);
    expect(t.peersWithRequestable(1_010)).toEqual(['b']);
    // Re-announcing does not give the slow peer another chance.
    expect(t.receivedInv('a', 'k', { ...OUT, now: 1_010 })).toBe('duplicate');
    expect(t.getRequestable('b', 1_010)).toEqual(['k']);
    expect(t.receivedResponse('b', 'k', { found: false })).toBe(true);
    expect(t.getRequestable('a', 1_010)).toEqual([]);
    expect(t.getRequestable('c', 1_010)).toEqual(['k']);
    t.sanityCheck();
  });

  it('moves the request to the next announcer at once on notfound', () => {
    const t = tracker();
    t.receivedInv('a', 'k', { ...OUT, now: 0 });
    t.receivedInv('b', 'k', { ...OUT, now: 0 });
    expect(t.getRequestable('a', 0)).toEqual(['k']);
    expect(t.receivedResponse('a', 'k', { found: false })).toBe(true);
    expect(t.getRequestable('b', 0)).toEqual(['k']);
    expect(t.peerAnnouncementCount('a')).toBe(1); // kept, FAILED, so 'a' is not asked again
    t.sanityCheck();
  });

  it('drops an unrequested announcement on notfound and reports it unsolicited', () => {
    const t = tracker();
    t.receivedInv('a', 'k', { ...OUT, now: 0 });
    t.receivedInv('b', 'k', { ...OUT, now: 0 });
    expect(t.receivedResponse('a', 'k', { found: false })).toBe(false);
    expect(t.announcers('k')).toEqual(['b']);
    expect(t.peersWithRequestable(0)).toEqual(['b']);
    t.sanityCheck();
  });

  it('forgets every trace of a key when a solicited object arrives', () => {
    const t = tracker();
    t.receivedInv('a', 'k', { ...OUT, now: 0 });
    t.receivedInv('b', 'k', { ...IN, now: 0 });
    t.receivedInv('b', 'other', { ...IN, now: 0 });
    expect(t.getRequestable('a', 0)).toEqual(['k']);
    expect(t.receivedResponse('a', 'k', { found: true })).toBe(true);
    expect(t.size).toBe(1);
    expect(t.announcers('k')).toEqual([]);
    expect(t.peerAnnouncementCount('a')).toBe(0);
    expect(t.peerAnnouncementCount('b')).toBe(1);
    expect(t.receivedInv('c', 'k', { ...OUT, now: 10 })).toBe('complete');
    t.sanityCheck();
  });

  it('detects unsolicited responses and ignores their content', () => {
    const t = tracker({ requestTimeoutMs: 100 });
    t.receivedInv('a', 'k', { ...OUT, now: 0 });
    t.receivedInv('b', 'k', { ...OUT, now: 0 });
    // From a stranger, and from an announcer that was not asked.
    expect(t.receivedResponse('stranger', 'k', { found: true })).toBe(false);
    expect(t.receivedResponse('b', 'unknown', { found: true })).toBe(false);
    expect(t.getRequestable('a', 0)).toEqual(['k']);
    expect(t.receivedResponse('b', 'k', { found: true })).toBe(false);
    expect(t.inFlightCount('a')).toBe(1);
    expect(t.announcers('k')).toEqual(['a', 'b']);
    // Late: after the request expired.
    expect(t.expire(100)).toEqual([{ peer: 'a', key: 'k', requestedAt: 0 }]);
    expect(t.receivedResponse('a', 'k', { found: true })).toBe(false);
    expect(t.receivedResponse('a', 'k', { found: false })).toBe(false);
    expect(t.getRequestable('b', 100)).toEqual(['k']);
    expect(t.receivedResponse('b', 'k', { found: true })).toBe(true);
    // A second copy of the same answer is unsolicited.
    expect(t.receivedResponse('b', 'k', { found: true })).toBe(false);
    t.sanityCheck();
  });

  it('caps tracked announcements per peer, FAILED ones included', () => {
    const t = tracker({ maxPeerAnnouncements: 3 });
    expect(t.receivedInv('a', 'k1', { ...OUT, now: 0 })).toBe('added');
    expect(t.receivedInv('a', 'k2', { ...OUT, now: 0 })).toBe('added');
    expect(t.receivedInv('b', 'k3', { ...OUT, now: 0 })).toBe('added');
    expect(t.receivedInv('a', 'k3', { ...OUT, now: 0 })).toBe('added');
    expect(t.receivedInv('a', 'k4', { ...OUT, now: 0 })).toBe('capped');
    expect(t.receivedInv('b', 'k4', { ...OUT, now: 0 })).toBe('added');
    expect(t.peerAnnouncementCount('a')).toBe(3);
    // k3 fails at 'a' but stays tracked (b still announces it), so 'a' stays at its cap.
    expect(t.receivedResponse('a', 'k3', { found: false })).toBe(false);
    expect(t.peerAnnouncementCount('a')).toBe(3);
    expect(t.receivedInv('a', 'k5', { ...OUT, now: 0 })).toBe('capped');
    // Resolving a key frees a slot.
    t.forgetKey('k1');
    expect(t.receivedInv('a', 'k5', { ...OUT, now: 0 })).toBe('added');
    t.sanityCheck();
  });

  it('bounds the batch handed out per call', () => {
    const t = tracker({ maxRequestBatch: 2 });
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) t.receivedInv('a', key, { ...OUT, now: 0 });
    expect(t.getRequestable('a', 0)).toEqual(['k1', 'k2']);
    expect(t.getRequestable('a', 0)).toEqual(['k3', 'k4']);
    expect(t.getRequestable('a', 0)).toEqual(['k5']);
    expect(t.getRequestable('a', 0)).toEqual([]);
    t.sanityCheck();
  });

  it('returns keys in announcement order', () => {
    const t = tracker();
    t.receivedInv('b', 'k1', { ...OUT, now: 0 });
    t.receivedInv('a', 'k2', { ...OUT, now: 0 });
    t.receivedInv('a', 'k1', { ...OUT, now: 0 });
    t.receivedInv('a', 'k3', { ...OUT, now: 0 });
    // k1 becomes a's only after b fails, so it joins a's set last, but is still returned in order.
    expect(t.receivedResponse('b', 'k1', { found: false })).toBe(false);
    expect(t.getRequestable('a', 0)).toEqual(['k2', 'k1', 'k3']);
  });

  it('caps requests in flight per peer and hands the rest to other announcers', () => {
    const t = tracker({ maxPeerInFlight: 2 });
    for (const key of ['k1', 'k2', 'k3', 'k4']) t.receivedInv('a', key, { ...OUT, now: 0 });
    for (const key of ['k1', 'k2', 'k3']) t.receivedInv('b', key, { ...OUT, now: 0 });
    expect(t.getRequestable('a', 0)).toEqual(['k1', 'k2']);
    expect(t.inFlightCount('a')).toBe(2);
    // 'a' is full: k3 passes to 'b' at once; k4 (only 'a' announced it) waits.
    expect(t.getRequestable('a', 0)).toEqual([]);
    expect(t.peersWithRequestable(0)).toEqual(['b']);
    expect(t.getRequestable('b', 0)).toEqual(['k3']);
    t.sanityCheck();
    // Once 'a' drains to half its cap it is asked for k4.
    expect(t.receivedResponse('a', 'k1', { found: true })).toBe(true);
    expect(t.getRequestable('a', 0)).toEqual(['k4']);
    expect(t.inFlightCount('a')).toBe(2);
    t.sanityCheck();
  });

  it('resumes a full peer only at half its cap, and lets it reclaim keys it announced first', () => {
    const t = tracker({ maxPeerInFlight: 4 });
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5', 'k6']) t.receivedInv('a', key, { ...OUT, now: 0 });
    t.receivedInv('b', 'k6', { ...OUT, now: 0 });
    expect(t.getRequestable('a', 0)).toEqual(['k1', 'k2', 'k3', 'k4']);
    expect(t.peersWithRequestable(0)).toEqual(['b']); // k6 handed over, not yet requested
    expect(t.receivedResponse('a', 'k1', { found: true })).toBe(true);
    expect(t.getRequestable('a', 0)).toEqual([]); // 3 in flight: still full
    expect(t.receivedResponse('a', 'k2', { found: false })).toBe(true);
    // 2 in flight: resumes, and reclaims k6 from 'b' because it announced first.
    expect(t.peersWithRequestable(0)).toEqual(['a']);
    expect(t.getRequestable('b', 0)).toEqual([]);
    expect(t.getRequestable('a', 0)).toEqual(['k5', 'k6']);
    t.sanityCheck();
  });

  it('frees in-flight keys for other announcers when a peer disconnects', () => {
    const t = tracker();
    t.receivedInv('a', 'k1', { ...OUT, now: 0 });
    t.receivedInv('a', 'k2', { ...OUT, now: 0 });
    t.receivedInv('b', 'k1', { ...IN, now: 0 });
    expect(t.getRequestable('a', 0)).toEqual(['k1', 'k2']);
    t.disconnectedPeer('a');
    expect(t.inFlightCount('a')).toBe(0);
    expect(t.peerAnnouncementCount('a')).toBe(0);
    expect(t.announcers('k1')).toEqual(['b']);
    expect(t.announcers('k2')).toEqual([]);
    expect(t.size).toBe(1);
    expect(t.receivedResponse('a', 'k1', { found: true })).toBe(false);
    expect(t.getRequestable('b', 200)).toEqual(['k1']);
    t.disconnectedPeer('nobody');
    t.sanityCheck();
  });

  it('forgetKey drops all state, including a request in flight, and ignores later announcements', () => {
    const t = tracker();
    t.receivedInv('a', 'k', { ...OUT, now: 0 });
    t.receivedInv('b', 'k', { ...IN, now: 0 });
    expect(t.getRequestable('a', 0)).toEqual(['k']);
    t.forgetKey('k');
    expect(t.size).toBe(0);
    expect(t.inFlightCount('a')).toBe(0);
    expect(t.nextWakeup()).toBeUndefined();
    expect(t.expire(1_000_000)).toEqual([]);
    expect(t.receivedResponse('a', 'k', { found: true })).toBe(false);
    expect(t.receivedInv('c', 'k', { ...OUT, now: 0 })).toBe('complete');
    t.forgetKey('never-seen');
    expect(t.receivedInv('c', 'never-seen', { ...OUT, now: 0 })).toBe('complete');
    t.sanityCheck();
  });

  it('forgetKey with complete: false drops state but tracks later announcements again', () => {
    const t = tracker();
    t.receivedInv('a', 'k', { ...OUT, now: 0 });
    expect(t.getRequestable('a', 0)).toEqual(['k']);
    t.forgetKey('k', { complete: false });
    expect(t.size).toBe(0);
    expect(t.inFlightCount('a')).toBe(0);
    expect(t.receivedInv('a', 'k', { ...OUT, now: 5 })).toBe('added');
    expect(t.getRequestable('a', 5)).toEqual(['k']);
    t.sanityCheck();
  });

  it('remembers a bounded number of completed keys, oldest forgotten first', () => {
    const t = tracker({ recentCompleteCapacity: 2 });
    t.forgetKey('k1');
    t.forgetKey('k2');
    t.forgetKey('k3');
    expect(t.receivedInv('a', 'k1', { ...OUT, now: 0 })).toBe('added');
    expect(t.receivedInv('a', 'k2', { ...OUT, now: 0 })).toBe('complete');
    expect(t.receivedInv('a', 'k3', { ...OUT, now: 0 })).toBe('complete');
    const none = tracker({ recentCompleteCapacity: 0 });
    none.forgetKey('k');
    expect(none.receivedInv('a', 'k', { ...OUT, now: 0 })).toBe('added');
    t.sanityCheck();
  });

  it('forgets a key once every announcement of it has failed, so it can be announced afresh', () => {
    const t = tracker({ requestTimeoutMs: 10 });
    t.receivedInv('a', 'k', { ...OUT, now: 0 });
    t.receivedInv('b', 'k', { ...OUT, now: 0 });
    expect(t.getRequestable('a', 0)).toEqual(['k']);
    expect(t.expire(10)).toEqual([{ peer: 'a', key: 'k', requestedAt: 0 }]);
    expect(t.getRequestable('b', 10)).toEqual(['k']);
    expect(t.receivedResponse('b', 'k', { found: false })).toBe(true);
    expect(t.size).toBe(0);
    expect(t.receivedInv('a', 'k', { ...OUT, now: 20 })).toBe('added');
    t.sanityCheck();
  });

  it('reports the next wakeup as the earliest delay or expiry', () => {
    const t = tracker({ inboundDelayMs: 200, requestTimeoutMs: 100 });
    expect(t.nextWakeup()).toBeUndefined();
    t.receivedInv('a', 'k1', { ...OUT, now: 0 });
    t.receivedInv('b', 'k2', { ...IN, now: 0 });
    expect(t.nextWakeup()).toBe(200);
    t.getRequestable('a', 0);
    expect(t.nextWakeup()).toBe(100);
    t.expire(100);
    expect(t.nextWakeup()).toBe(200);
  });
});

// ---- Property test: random operations against a reference model ----

const PEERS = ['p0', 'p1', 'p2', 'p3'];
const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
const isOutbound = (peer: string): boolean => PEERS.indexOf(peer) % 2 === 0;

type Op =
  | { kind: 'inv'; peer: string; key: string }
  | { kind: 'request'; peer: string }
  | { kind: 'requestAll' }
  | { kind: 'respond'; peer: string; key: string; found: boolean }
  | { kind: 'advance'; ms: number }
  | { kind: 'disconnect'; peer: string }
  | { kind: 'forget'; key: string; complete: boolean };

const peerArb = fc.constantFrom(...PEERS);
const keyArb = fc.constantFrom(...KEYS);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('inv' as const), peer: peerArb, key: keyArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('request' as const), peer: peerArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('requestAll' as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('respond' as const),
      peer: peerArb,
      key: keyArb,
      found: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 60 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), peer: peerArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('forget' as const), key: keyArb, complete: fc.boolean() }),
  },
);

const optionsArb = fc.record({
  inboundDelayMs: fc.integer({ min: 0, max: 30 }),
  requestTimeoutMs: fc.integer({ min: 1, max: 50 }),
  maxPeerAnnouncements: fc.integer({ min: 1, max: 6 }),
  maxPeerInFlight: fc.integer({ min: 1, max: 4 }),
  maxRequestBatch: fc.integer({ min: 1, max: 3 }),
});

interface ModelAnn {
  reqtime: number;
  state: 'pending' | 'requested' | 'failed';
  expiry: number;
}

/** The rules restated naively: what the tracker must agree with after every step. */
class Model {
  readonly anns = new Map<string, Map<string, ModelAnn>>();
  readonly complete = new Set<string>();
  readonly everRequested = new Set<string>();
  now = 0;

  constructor(
    readonly t: RequestTracker,
    readonly o: Required<Omit<RequestTrackerOptions, 'recentCompleteCapacity'>>,
  ) {}

  count(peer: string): number {
    let n = 0;
    for (const byPeer of this.anns.values()) if (byPeer.has(peer)) n++;
    return n;
  }

  inFlight(peer: string): number {
    let n = 0;
    for (const byPeer of this.anns.values()) if (byPeer.get(peer)?.state === 'requested') n++;
    return n;
  }

  /** Keys whose announcements have all failed are forgotten. */
  collect(key: string): void {
    const byPeer = this.anns.get(key);
    if (byPeer && [...byPeer.values()].every((a) => a.state === 'failed')) this.anns.delete(key);
  }

  apply(op: Op): void {
    const { t } = this;
    switch (op.kind) {
      case 'inv': {
        const outbound = isOutbound(op.peer);
        const expected = this.complete.has(op.key)
          ? 'complete'
          : this.anns.get(op.key)?.has(op.peer)
            ? 'duplicate'
            : this.count(op.peer) >= this.o.maxPeerAnnouncements
              ? 'capped'
              : 'added';
        expect(t.receivedInv(op.peer, op.key, { outbound, now: this.now })).toBe(expected);
        if (expected === 'added') {
          const byPeer = this.anns.get(op.key) ?? new Map<string, ModelAnn>();
          this.anns.set(op.key, byPeer);
          const reqtime = this.now + (outbound ? 0 : this.o.inboundDelayMs);
          byPeer.set(op.peer, { reqtime, state: 'pending', expiry: 0 });
        }
        break;
      }
      case 'request':
        this.request(op.peer);
        break;
      case 'requestAll':
        for (const peer of t.peersWithRequestable(this.now)) {
          expect(this.request(peer).length).toBeGreaterThan(0);
        }
        break;
      case 'respond': {
        const ann = this.anns.get(op.key)?.get(op.peer);
        const solicited = ann?.state === 'requested';
        expect(t.receivedResponse(op.peer, op.key, { found: op.found })).toBe(solicited);
        if (op.found && solicited) {
          this.anns.delete(op.key);
          this.complete.add(op.key);
        } else if (!op.found && ann && ann.state !== 'failed') {
          ann.state = 'failed';
          this.collect(op.key);
        }
        break;
      }
      case 'advance': {
        this.now += op.ms;
        const expected: string[] = [];
        for (const [key, byPeer] of this.anns) {
          for (const [peer, ann] of byPeer) {
            if (ann.state === 'requested' && ann.expiry <= this.now) {
              expected.push(`${peer}/${key}`);
              ann.state = 'failed';
            }
          }
        }
        for (const key of [...this.anns.keys()]) this.collect(key);
        const expired = t.expire(this.now).map((e) => `${e.peer}/${e.key}`);
        expect(expired.sort()).toEqual(expected.sort());
        break;
      }
      case 'disconnect':
        t.disconnectedPeer(op.peer);
        for (const [key, byPeer] of [...this.anns]) {
          if (!byPeer.delete(op.peer)) continue;
          if (byPeer.size === 0) this.anns.delete(key);
          else this.collect(key);
        }
        break;
      case 'forget':
        t.forgetKey(op.key, { complete: op.complete });
        this.anns.delete(op.key);
        if (op.complete) this.complete.add(op.key);
        break;
    }
  }

  request(peer: string): string[] {
    const keys = this.t.getRequestable(peer, this.now);
    expect(keys.length).toBeLessThanOrEqual(this.o.maxRequestBatch);
    for (const key of keys) {
      const byPeer = this.anns.get(key);
      const ann = byPeer?.get(peer);
      expect(ann?.state, `${peer}/${key} must be a pending announcement`).toBe('pending');
      expect(ann!.reqtime, `${peer}/${key} requested before its delay elapsed`).toBeLessThanOrEqual(this.now);
      for (const other of byPeer!.values()) {
        expect(other.state, `${key} already in flight to another peer`).not.toBe('requested');
      }
      ann!.state = 'requested';
      ann!.expiry = this.now + this.o.requestTimeoutMs;
      this.everRequested.add(`${peer}/${key}`);
    }
    expect(this.t.inFlightCount(peer)).toBeLessThanOrEqual(this.o.maxPeerInFlight);
    return keys;
  }

  /** The tracker's queries agree with the model. */
  check(): void {
    const { t } = this;
    t.sanityCheck();
    let total = 0;
    for (const byPeer of this.anns.values()) total += byPeer.size;
    expect(t.size).toBe(total);
    for (const peer of PEERS) {
      expect(t.peerAnnouncementCount(peer)).toBe(this.count(peer));
      expect(t.inFlightCount(peer)).toBe(this.inFlight(peer));
    }
    for (const key of KEYS) {
      const byPeer = this.anns.get(key) ?? new Map<string, ModelAnn>();
      const live = [...byPeer].filter(([, a]) => a.state !== 'failed').map(([peer]) => peer);
      expect(t.announcers(key)).toEqual(live);
      for (const ann of byPeer.values()) {
        if (ann.state === 'requested') expect(t.nextWakeup()).toBeLessThanOrEqual(ann.expiry);
      }
    }
  }
}

describe('RequestTracker property test', () => {
  it('stays consistent, never double-requests, and eventually asks every live announcer', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(opArb, { maxLength: 120, size: 'max' }), (options, ops) => {
        const model = new Model(new RequestTracker(options), options);
        for (const op of ops) {
          model.apply(op);
          model.check();
        }
        // Liveness: with time advancing and nobody answering, every announcement that has not failed is
        // requested in turn until each key has been tried with all its announcers and forgotten.
        const live: string[] = [];
        for (const [key, byPeer] of model.anns) {
          for (const [peer, ann] of byPeer) if (ann.state === 'pending') live.push(`${peer}/${key}`);
        }
        model.everRequested.clear();
        for (let round = 0; round < 100 && model.t.size > 0; round++) {
          model.apply({ kind: 'advance', ms: options.requestTimeoutMs + options.inboundDelayMs });
          model.apply({ kind: 'requestAll' });
          model.check();
        }
        expect(model.t.size).toBe(0);
        expect(model.t.nextWakeup()).toBeUndefined();
        for (const entry of live)
          expect(model.everRequested.has(entry), `${entry} never requested`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('hands every key out at once when announcers are plentiful (no idle key with an idle peer)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ peer: peerArb, key: keyArb, dt: fc.integer({ min: 0, max: 5 }) }), {
          maxLength: 40,
          size: 'max',
        }),
        (invs) => {
          const t = new RequestTracker({ inboundDelayMs: 3, maxPeerInFlight: KEYS.length });
          let now = 0;
          for (const { peer, key, dt } of invs) {
            now += dt;
            t.receivedInv(peer, key, { outbound: isOutbound(peer), now });
          }
          now += 3;
          const owner = new Map<string, string>();
          for (const peer of t.peersWithRequestable(now)) {
            for (const key of t.getRequestable(peer, now)) {
              expect(owner.has(key)).toBe(false);
              owner.set(key, peer);
            }
          }
          t.sanityCheck();
          expect(t.peersWithRequestable(now)).toEqual([]);
          for (const key of KEYS) {
            const announcers = t.announcers(key);
            if (announcers.length === 0) continue;
            // Outbound first, then the earliest announcement.
            const expected = announcers.find(isOutbound) ?? announcers[0];
            expect(owner.get(key)).toBe(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
