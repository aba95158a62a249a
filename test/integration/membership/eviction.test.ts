/**
 * 98 idle identities fill a victim's inbound slots (real TCP, 14 loopback /16s, 7 each). A new
 * honest peer still gets in at once: the victim evicts exactly the peer Core's order designates.
 * An outbound peer of the victim that restarts is back at once too.
 */
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { identify } from '@libp2p/identify';
import type { Libp2p } from '@libp2p/interface';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { afterEach, describe, expect, it } from 'vitest';
import { selectInboundToEvict } from '../../../src/p2p/membership/eviction.js';
import { waitFor } from '../../helpers/wait.js';
import { MemberNetwork, reachedTargets } from './harness.js';

const IDLE = 98;
const GROUPS = 14;

let net: MemberNetwork | undefined;
const idle: Libp2p[] = [];
afterEach(async () => {
  await Promise.all(idle.splice(0).map(async (h) => h.stop()));
  await net?.cleanup();
  net = undefined;
});

/** A bare, idle libp2p identity dialling from `localAddress`. */
async function idleIdentity(localAddress: string): Promise<Libp2p> {
  const host = await createLibp2p({
    addresses: { listen: [] },
    transports: [tcp({ dialOpts: { localAddress } as object })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionMonitor: { enabled: false },
    services: { identify: identify(), ping: ping() },
  });
  idle.push(host);
  return host;
}

describe('inbound eviction in Core order', () => {
  it('idle identities in every inbound slot make room for a new honest peer and a returning one', async () => {
    net = new MemberNetwork(100);
    // No pings at the victim: the eviction input stays frozen while we compute the expected choice.
    const victim = await net.start(0, {
      maxInbound: IDLE,
      outboundFullRelay: 2,
      blockRelayOnly: 1,
      pingIntervalMs: 3_600_000,
    });
    for (let i = 1; i <= 4; i++)
      await net.start(i, { bootstrap: [net.addrOf(0)], outboundFullRelay: 2, blockRelayOnly: 0 });
    await waitFor(() => reachedTargets(victim, 2, 1), 20_000, 'victim at its outbound targets');
    const honestInbound = victim.membership.peers().filter((p) => p.connectionType === 'inbound').length;

    // Fill the remaining inbound slots with idle identities, oldest first.
    const victimAddr = multiaddr(net.addrOf(0));
    for (let i = 0; i < IDLE - honestInbound; i++) {
      const host = await idleIdentity(`127.${200 + (i % GROUPS)}.0.1`);
      await host.dial(victimAddr);
    }
    await waitFor(
      () => victim.membership.status().inbound === IDLE,
      10_000,
      `victim inbound slots full (${IDLE})`,
    );
    const idleIds = new Set(idle.map((h) => h.peerId.toString()));
    const expected = selectInboundToEvict(victim.membership.connections.evictionCandidates());
    const steps = [...expected.protectedBy.values()];
    expect(steps.filter((s) => s === 'netgroup').length).toBe(4);
    expect(steps.filter((s) => s === 'uptime').length).toBeGreaterThan(40);
    expect(idleIds.has(expected.evict!)).toBe(true);

    // A new honest peer dials in: accepted at once, the designated idle identity evicted.
    const newcomer = await net.start(5, {
      bootstrap: [net.addrOf(0)],
      outboundFullRelay: 1,
      blockRelayOnly: 0,
    });
    const newcomerId = newcomer.p2p.peerId.toString();
    await waitFor(
      () => victim.membership.peers().some((p) => p.peerId === newcomerId),
      5_000,
      'the new honest peer connected to the full victim',
    );
    const evictions = victim.events.filter((e) => e.kind === 'evicted');
    expect(evictions[0]).toMatchObject({ peer: expected.evict });
    expect(victim.events.filter((e) => e.kind === 'refused')).toEqual([]);

    // An outbound peer of the victim restarts and is back at once.
    const outbound = victim.membership.peers().find((p) => p.connectionType === 'outbound-full')!;
    const index = net.live().find((n) => n.p2p.peerId.toString() === outbound.peerId)!.index;
    await net.stop(index);
    await waitFor(
      () => !victim.membership.peers().some((p) => p.peerId === outbound.peerId),
      5_000,
      'the victim saw its outbound peer leave',
    );
    const restartedAt = Date.now();
    // It keeps the victim as a static peer, so it dials it at once (into full inbound slots).
    await net.start(index, { staticPeers: [net.addrOf(0)], outboundFullRelay: 2, blockRelayOnly: 0 });
    await waitFor(
      () => victim.membership.peers().some((p) => p.peerId === outbound.peerId),
      5_000,
      'the returning peer reconnected',
    );
    // Nobody was turned away: full inbound slots made room (or the victim dialled it back first).
    expect(victim.events.filter((e) => e.kind === 'refused')).toEqual([]);
    console.log(`eviction: returning peer reconnected ${Date.now() - restartedAt} ms after its restart`);
  }, 120_000);
});
