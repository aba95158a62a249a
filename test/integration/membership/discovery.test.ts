/**
 * Discovery over real TCP: nodes that know one bootstrap address find each other by address relay
 * and reach their outbound targets; a node restarted after a clean stop dials its anchors first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait.js';
import { MemberNetwork, reachedTargets } from './harness.js';

/** Nodes in the discovery test, and the time they get to reach their targets (ms, from the issue). */
const NODES = Number(process.env.TRUSTMESH_MEMBERSHIP_NODES ?? 12);
const TARGET_TIMEOUT_MS = 30_000;

let net: MemberNetwork | undefined;
afterEach(async () => {
  await net?.cleanup();
  net = undefined;
});

describe('membership discovery', () => {
  it(`${NODES} nodes started from one bootstrap address all reach their outbound targets`, async () => {
    net = new MemberNetwork(10);
    const bootstrap = await net.start(0);
    const started = Date.now();
    for (let i = 1; i < NODES; i++) await net.start(i, { bootstrap: [net.addrOf(0)] });
    const allStarted = Date.now();
    const reachedAt = new Map<number, number>();
    await waitFor(
      () => {
        for (const node of net!.live())
          if (!reachedAt.has(node.index) && reachedTargets(node)) reachedAt.set(node.index, Date.now());
        return reachedAt.size === NODES;
      },
      TARGET_TIMEOUT_MS,
      `every node at 4 full-relay + 1 block-relay outbound peers`,
    );
    const slowest = Math.max(...reachedAt.values()) - started;
    console.log(
      `membership: ${NODES} nodes reached their outbound targets ${slowest} ms after the first start, ` +
        `${Math.max(...reachedAt.values()) - allStarted} ms after the last`,
    );
    for (const node of net.live()) {
      const peers = node.membership.peers();
      const outbound = peers.filter(
        (p) => p.connectionType === 'outbound-full' || p.connectionType === 'block-relay',
      );
      // At most one outbound peer per netgroup.
      expect(new Set(outbound.map((p) => p.netgroup)).size).toBe(outbound.length);
      expect(node.offences).toEqual([]);
      // Every node learnt more than the bootstrap address.
      expect(node.membership.addressBook().length).toBeGreaterThanOrEqual(5);
    }
    // The bootstrap heard of most nodes (addresses beyond a peer's 0.1/s token bucket are dropped,
    // so a node whose first addr message was a relay reaches the bootstrap's book later, by getaddr).
    expect(bootstrap.membership.addressBook().length).toBeGreaterThanOrEqual(NODES / 2);
  }, 60_000);

  it('a node restarted after a clean stop dials its anchors (block-relay-only peers) first', async () => {
    net = new MemberNetwork(40);
    await net.start(0);
    for (let i = 1; i < 7; i++) await net.start(i, { bootstrap: [net.addrOf(0)] });
    const victim = net.node(6);
    await waitFor(() => reachedTargets(victim), 20_000, 'node 6 at its targets');
    const anchors = victim.membership
      .peers()
      .filter((p) => p.connectionType === 'block-relay')
      .map((p) => p.peerId);
    expect(anchors.length).toBe(1);
    await net.stop(6);
    const restarted = await net.start(6, { bootstrap: [net.addrOf(0)] });
    await waitFor(() => restarted.events.some((e) => e.kind === 'dial'), 5_000, 'a first dial');
    const dials = restarted.events.filter((e) => e.kind === 'dial');
    expect(dials[0]).toMatchObject({ peer: anchors[0], type: 'block-relay', anchor: true });
    await waitFor(
      () =>
        restarted.membership
          .peers()
          .some((p) => p.peerId === anchors[0] && p.connectionType === 'block-relay'),
      10_000,
      'the anchor connected as block-relay',
    );
    // The book survived the restart.
    expect(restarted.membership.addressBook().length).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
