/**
 * PushSubscriptions: every connected peer is subscribed (OWN), `eagerCount` of them in mode ALL,
 * vacancies refilled on disconnect and on a failed subscription, which is retried later.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PushSubscriptions } from '../../../src/p2p/push/subscriptions.js';
import { PushMode } from '../../../src/p2p/wire/codec.js';

/** Records the mode the subscriptions asked for each peer (what a TxPushClient would send). */
class RecordingClient {
  readonly modes = new Map<string, PushMode>();
  readonly calls: string[] = [];
  subscribe(peer: string, mode: PushMode): void {
    this.modes.set(peer, mode);
    this.calls.push(`${peer}:${mode}`);
  }
  unsubscribe(peer: string): void {
    this.modes.delete(peer);
    this.calls.push(`${peer}:off`);
  }
  eager(): string[] {
    return [...this.modes].filter(([, mode]) => mode === PushMode.ALL).map(([peer]) => peer);
  }
}

afterEach(() => vi.useRealTimers());

describe('PushSubscriptions', () => {
  it('subscribes every peer, two of them eager, outbound first', () => {
    const client = new RecordingClient();
    const subs = new PushSubscriptions(client, { eagerCount: 2, random: () => 0 });
    subs.peerConnected('in1', false);
    expect(client.eager()).toEqual(['in1']); // the only candidate
    subs.peerConnected('out1', true);
    subs.peerConnected('out2', true);
    subs.peerConnected('in2', false);
    expect(client.modes.size).toBe(4);
    // in1 stays eager (stable); the second place went to the first outbound peer.
    expect(new Set(client.eager())).toEqual(new Set(['in1', 'out1']));
    expect(new Set(subs.eagerPeers())).toEqual(new Set(client.eager()));
  });

  it('refills a vacancy on disconnect, and stops asking a disconnected peer', () => {
    const client = new RecordingClient();
    const subs = new PushSubscriptions(client, { eagerCount: 2, random: () => 0 });
    for (const peer of ['out1', 'out2', 'out3']) subs.peerConnected(peer, true);
    const [first] = client.eager();
    subs.peerDisconnected(first!);
    expect(client.modes.has(first!)).toBe(false);
    expect(client.eager()).toHaveLength(2);
    expect(client.eager()).not.toContain(first);
    subs.peerDisconnected('nobody'); // unknown peer: nothing happens
    expect(client.calls.at(-1)).not.toBe('nobody:off');
  });

  it('retries a subscription that ended while connected, and gives its eager place away meanwhile', () => {
    vi.useFakeTimers();
    const client = new RecordingClient();
    const subs = new PushSubscriptions(client, { eagerCount: 1, retryMs: 10_000, random: () => 0 });
    subs.peerConnected('out1', true);
    subs.peerConnected('out2', true);
    expect(client.eager()).toEqual(['out1']);
    client.modes.delete('out1'); // the client dropped the failed subscription
    subs.subscriptionClosed('out1');
    expect(client.eager()).toEqual(['out2']);
    expect(client.modes.has('out1')).toBe(false);
    vi.advanceTimersByTime(9_999);
    expect(client.modes.has('out1')).toBe(false);
    vi.advanceTimersByTime(1);
    expect(client.modes.get('out1')).toBe(PushMode.OWN); // subscribed again, not eager (out2 keeps it)
    expect(client.eager()).toEqual(['out2']);
    // A closed subscription of a peer that disconnected meanwhile is not retried.
    subs.subscriptionClosed('out2');
    subs.peerDisconnected('out2');
    vi.advanceTimersByTime(20_000);
    expect(client.modes.has('out2')).toBe(false);
    expect(client.eager()).toEqual(['out1']);
    subs.stop();
  });

  it('redraw() picks the eager peers again among all connected ones (a healed partition)', () => {
    const client = new RecordingClient();
    let next = 0;
    const picks = [0, 0, 0.99, 0.99];
    const subs = new PushSubscriptions(client, {
      eagerCount: 2,
      highBandwidthCount: 0, // no block peers drawing from the same random sequence
      random: () => picks[next++ % picks.length]!,
    });
    // Chosen while cut off: the first two outbound peers, on our side.
    subs.peerConnected('same1', true);
    subs.peerConnected('same2', true);
    expect(new Set(client.eager())).toEqual(new Set(['same1', 'same2']));
    // The cut heals: peers across it connect; kept eager peers stay as they were.
    subs.peerConnected('across1', true);
    subs.peerConnected('across2', true);
    expect(new Set(client.eager())).toEqual(new Set(['same1', 'same2']));
    subs.redraw();
    expect(new Set(client.eager())).toEqual(new Set(['across1', 'across2']));
    expect(client.modes.get('same1')).toBe(PushMode.OWN);
    expect(client.modes.size).toBe(4);
  });
});

describe('eager peers reviewed by who delivers first', () => {
  /** `peer` delivers `n` fresh transactions to us first (by push, or fetched). Windows are 10 long. */
  function deliver(subs: PushSubscriptions, peer: string, n: number, fetched = false): void {
    for (let i = 0; i < n; i++) subs.deliveredTransactionFirst(peer, fetched);
  }
  /** Subscriptions with `eagerCount` eager peers, reviewed every 10 deliveries, no block peers. */
  function reviewed(eagerCount: number): { client: RecordingClient; subs: PushSubscriptions } {
    const client = new RecordingClient();
    const review = { deliveries: 10, minMs: 0 };
    const subs = new PushSubscriptions(client, {
      eagerCount,
      highBandwidthCount: 0,
      review,
      random: () => 0,
    });
    return { client, subs };
  }

  it('replaces the lagging eager peer by one not tried lately, and keeps the one that delivers first', () => {
    const { client, subs } = reviewed(2);
    for (const peer of ['out1', 'out2', 'out3', 'out4']) subs.peerConnected(peer, true);
    expect(new Set(client.eager())).toEqual(new Set(['out1', 'out2']));
    deliver(subs, 'out1', 8);
    deliver(subs, 'out2', 2);
    expect(new Set(client.eager())).toEqual(new Set(['out1', 'out3']));
    expect(client.modes.get('out2')).toBe(PushMode.OWN);
    // out3 lags too: out4 is tried next, not out2 again.
    deliver(subs, 'out1', 9);
    deliver(subs, 'out3', 1);
    expect(new Set(client.eager())).toEqual(new Set(['out1', 'out4']));
    // Every other peer was tried: the draw starts over among all of them.
    deliver(subs, 'out1', 10);
    expect(new Set(client.eager())).toEqual(new Set(['out1', 'out2']));
    // Two peers that split the firsts both stay.
    deliver(subs, 'out1', 5);
    deliver(subs, 'out2', 5);
    expect(new Set(client.eager())).toEqual(new Set(['out1', 'out2']));
  });

  it('keeps an outbound eager peer: an inbound one that delivers first cannot push it out for another inbound', () => {
    const { client, subs } = reviewed(2);
    subs.peerConnected('in1', false);
    subs.peerConnected('out1', true);
    subs.peerConnected('in2', false);
    subs.peerConnected('in3', false);
    expect(new Set(client.eager())).toEqual(new Set(['in1', 'out1']));
    deliver(subs, 'in1', 10); // out1 delivered nothing first: it lags, but no outbound peer can follow it
    expect(new Set(client.eager())).toEqual(new Set(['in1', 'out1']));
    deliver(subs, 'out1', 10); // now in1 lags: an inbound successor is fine, out1 stays
    expect(new Set(client.eager())).toEqual(new Set(['out1', 'in2']));
  });

  it('gives an inbound eager place to an outbound peer while no eager peer is outbound', () => {
    const { client, subs } = reviewed(2);
    // A restart under attack: the inbound peers redial first and take both places.
    subs.peerConnected('in1', false);
    subs.peerConnected('in2', false);
    expect(new Set(client.eager())).toEqual(new Set(['in1', 'in2']));
    subs.peerConnected('out1', true);
    expect(client.eager()).toContain('out1');
    expect(client.eager()).toHaveLength(2);
    const [inboundKept] = client.eager().filter((p) => p !== 'out1');
    // One outbound place is enough: the other stays with the review.
    subs.peerConnected('out2', true);
    expect(new Set(client.eager())).toEqual(new Set(['out1', inboundKept]));
  });

  it('ignores deliveries after stop, and a redraw forgets who was replaced', () => {
    const { client, subs } = reviewed(1);
    subs.peerConnected('out1', true);
    subs.peerConnected('out2', true);
    deliver(subs, 'x', 10, true); // fetches won the whole window: out1 goes
    expect(client.eager()).toEqual(['out2']);
    subs.redraw();
    expect(client.eager()).toEqual(['out1']);
    subs.stop();
    deliver(subs, 'x', 10, true);
    expect(client.eager()).toEqual(['out1']);
  });
});

describe('high-bandwidth compact block peers', () => {
  /** Records what each peer was last asked for: mode and compact blocks. */
  class BlocksClient {
    readonly asked = new Map<string, { mode: PushMode; compactBlocks: boolean }>();
    subscribe(peer: string, mode: PushMode, compactBlocks: boolean): void {
      this.asked.set(peer, { mode, compactBlocks });
    }
    unsubscribe(peer: string): void {
      this.asked.delete(peer);
    }
    highBandwidth(): Set<string> {
      return new Set([...this.asked].filter(([, a]) => a.compactBlocks).map(([peer]) => peer));
    }
  }

  it('fills its places outbound first, then follows who delivered blocks first', () => {
    const client = new BlocksClient();
    const subs = new PushSubscriptions(client, { eagerCount: 2, highBandwidthCount: 3, random: () => 0 });
    for (const peer of ['out1', 'out2', 'out3']) subs.peerConnected(peer, true);
    for (const peer of ['in1', 'in2']) subs.peerConnected(peer, false);
    expect(client.highBandwidth()).toEqual(new Set(['out1', 'out2', 'out3']));
    expect(subs.highBandwidthPeers()).toEqual(['out1', 'out2', 'out3']);
    // out1 delivers first again: it becomes the most recent, nothing else changes.
    subs.deliveredBlockFirst('out1');
    expect(subs.highBandwidthPeers()).toEqual(['out2', 'out3', 'out1']);
    // An inbound peer delivering first replaces the least recent (out2), as Core does.
    subs.deliveredBlockFirst('in1');
    expect(subs.highBandwidthPeers()).toEqual(['out3', 'out1', 'in1']);
    expect(client.highBandwidth()).toEqual(new Set(['out3', 'out1', 'in1']));
    // Transactions are untouched: the eager peers stay who they were.
    expect(new Set(subs.eagerPeers())).toEqual(new Set(['out1', 'out2']));
    expect(client.asked.get('out2')).toEqual({ mode: PushMode.ALL, compactBlocks: false });
  });

  it('never lets inbound peers take the last outbound place', () => {
    const client = new BlocksClient();
    const subs = new PushSubscriptions(client, { eagerCount: 1, highBandwidthCount: 2, random: () => 0 });
    subs.peerConnected('out1', true);
    for (const peer of ['in1', 'in2', 'in3']) subs.peerConnected(peer, false);
    subs.deliveredBlockFirst('in1');
    subs.deliveredBlockFirst('in2');
    subs.deliveredBlockFirst('in3');
    expect(client.highBandwidth()).toEqual(new Set(['out1', 'in3']));
    subs.deliveredBlockFirst('stranger'); // not connected: ignored
    expect(subs.highBandwidthPeers()).not.toContain('stranger');
  });

  it('refills a place when a high-bandwidth peer leaves', () => {
    const client = new BlocksClient();
    const subs = new PushSubscriptions(client, { eagerCount: 1, highBandwidthCount: 2, random: () => 0 });
    for (const peer of ['out1', 'out2', 'out3']) subs.peerConnected(peer, true);
    const [first] = subs.highBandwidthPeers();
    subs.peerDisconnected(first!);
    expect(subs.highBandwidthPeers()).toHaveLength(2);
    expect(client.highBandwidth().has(first!)).toBe(false);
  });
});
