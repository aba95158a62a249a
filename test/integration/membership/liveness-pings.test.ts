/**
 * Liveness pings over real TCP: on an idle link only the peer with the smaller id pings (the other
 * hears its pings and stays quiet), all on one kept stream, and a link that carries other traffic
 * carries no pings at all beyond the first round-trip sample. Both depend on the node seeing the
 * pings its peers send it (src/p2p/node/ping-responder.ts): without that, both sides ping every
 * interval.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemberNetwork, type MemberNode } from './harness.js';
import { waitFor } from '../../helpers/wait.js';

/** Short timings: a silent peer is pinged after 1 s (the larger id after 1 s + the 2 s grace). */
const TIMINGS = { pingIntervalMs: 1_000, pingTimeoutMs: 1_000, outboundFullRelay: 0, blockRelayOnly: 0 };
/** Idle time watched (ms): ten ping intervals (three of the larger id's, were it not to hear). */
const WATCH_MS = 10_000;

let net: MemberNetwork | undefined;
afterEach(async () => {
  await net?.cleanup();
  net = undefined;
});

async function connectedPair(base: number): Promise<[MemberNode, MemberNode]> {
  net = new MemberNetwork(base);
  const a = await net.start(0, TIMINGS);
  const b = await net.start(1, { ...TIMINGS, staticPeers: [net.addrOf(0)] });
  const [aId, bId] = [a.p2p.peerId.toString(), b.p2p.peerId.toString()];
  // Each side pings a new peer once at once, for its round-trip time: wait until both have.
  await waitFor(
    () =>
      a.membership.peers().some((p) => p.peerId === bId && p.rttMs !== undefined) &&
      b.membership.peers().some((p) => p.peerId === aId && p.rttMs !== undefined),
    10_000,
    'the pair connected, with a round-trip sample on both sides',
  );
  return [a, b];
}

const pingsFrom = (node: MemberNode, peer: MemberNode): number =>
  node.pingsFrom.get(peer.p2p.peerId.toString()) ?? 0;

describe('liveness pings', () => {
  it('an idle link carries the smaller id’s pings only, and both sides stay alive', async () => {
    const [a, b] = await connectedPair(170);
    const [smaller, larger] = a.p2p.peerId.toString() < b.p2p.peerId.toString() ? [a, b] : [b, a];
    const before = { bySmaller: pingsFrom(larger, smaller), byLarger: pingsFrom(smaller, larger) };
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
    const bySmaller = pingsFrom(larger, smaller) - before.bySmaller;
    const byLarger = pingsFrom(smaller, larger) - before.byLarger;
    console.log(`idle link, ${WATCH_MS} ms: ${bySmaller} pings by the smaller id, ${byLarger} by the larger`);
    expect(bySmaller).toBeGreaterThanOrEqual(3);
    // None, bar one race under load (were the smaller id's pings unheard: one every 3-4 s).
    expect(byLarger).toBeLessThanOrEqual(1);
    for (const [node, peer] of [
      [a, b],
      [b, a],
    ] as const) {
      expect(node.membership.liveness.get(peer.p2p.peerId.toString())?.state).toBe('alive');
    }
    // Every ping of the window travelled on one kept stream of the smaller id's.
    const pingStreams = smaller.p2p.libp2p
      .getConnections(larger.p2p.peerId)
      .flatMap((connection) => connection.streams)
      .filter((stream) => stream.protocol === '/ipfs/ping/1.0.0' && stream.direction === 'outbound');
    expect(pingStreams).toHaveLength(1);
  }, 30_000);

  it('a link that carries other traffic carries no pings after the first round-trip samples', async () => {
    const [a, b] = await connectedPair(172);
    const aId = a.p2p.peerId.toString();
    const bId = b.p2p.peerId.toString();
    // What the relay and sync report on every message they receive.
    const traffic = setInterval(() => {
      a.membership.heardFrom(bId);
      b.membership.heardFrom(aId);
    }, 200);
    try {
      const before = pingsFrom(a, b) + pingsFrom(b, a);
      await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
      expect(pingsFrom(a, b) + pingsFrom(b, a) - before).toBeLessThanOrEqual(1);
    } finally {
      clearInterval(traffic);
    }
  }, 30_000);
});
