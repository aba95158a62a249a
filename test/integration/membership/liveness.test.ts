/**
 * Liveness over real TCP: killing half of a 10-node network makes the survivors mark the dead
 * ones suspect at once (their connections dropped) and dead after the suspicion timeout, and the
 * survivors re-establish their outbound targets among themselves. A node that stops answering pings
 * while its connections stay open (a frozen process) goes suspect, then dead, and is disconnected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MembershipEvent } from '../../../src/p2p/membership/ports.js';
import { waitFor } from '../../helpers/wait.js';
import { MemberNetwork, type MemberOptions, reachedTargets } from './harness.js';

/** Short timings so the test takes seconds; the defaults are in docs/membership.md. */
const TIMINGS: MemberOptions = {
  outboundFullRelay: 2,
  blockRelayOnly: 1,
  pingIntervalMs: 1_000,
  pingTimeoutMs: 1_000,
  suspectTimeoutMs: 3_000,
};
/** Slack (ms) on "dead exactly one suspicion timeout after suspect": one liveness tick plus load. */
const SLACK_MS = 1_500;

let net: MemberNetwork | undefined;
afterEach(async () => {
  await net?.cleanup();
  net = undefined;
});

/** Liveness transitions of `peer` from time `since` on. */
function livenessEvents(events: readonly MembershipEvent[], peer: string, since = 0) {
  return events.filter(
    (e): e is Extract<MembershipEvent, { kind: 'liveness' }> =>
      e.kind === 'liveness' && e.peer === peer && e.at >= since,
  );
}

describe('liveness and recovery', () => {
  it('half the nodes killed: suspect, then dead within the timeout; survivors back at their targets', async () => {
    net = new MemberNetwork(130);
    await net.start(0, TIMINGS);
    for (let i = 1; i < 10; i++) await net.start(i, { ...TIMINGS, bootstrap: [net.addrOf(0)] });
    await waitFor(() => net!.live().every((n) => reachedTargets(n, 2, 1)), 30_000, 'all at their targets');
    const killed = [5, 6, 7, 8, 9];
    const killedIds = new Set(killed.map((i) => net!.node(i).p2p.peerId.toString()));
    const survivors = net.live().filter((n) => !killed.includes(n.index));
    const neighbours = new Map(
      survivors.map((s) => [
        s,
        s.membership
          .peers()
          .filter((p) => killedIds.has(p.peerId))
          .map((p) => p.peerId),
      ]),
    );
    const killedAt = Date.now();
    await Promise.all(killed.map((i) => net!.stop(i)));
    await waitFor(
      () =>
        [...neighbours].every(([s, ids]) =>
          ids.every((id) => livenessEvents(s.events, id, killedAt).some((e) => e.state === 'dead')),
        ),
      TIMINGS.suspectTimeoutMs! + 5_000,
      'every killed neighbour declared dead',
    );
    for (const [survivor, ids] of neighbours) {
      for (const id of ids) {
        // Declared dead once after the kill, one suspicion timeout after it became suspect (which
        // may predate the kill: a ping missed under load starts the suspicion, not a death).
        const events = livenessEvents(survivor.events, id);
        const deaths = livenessEvents(survivor.events, id, killedAt).filter((e) => e.state === 'dead');
        expect(deaths.length).toBe(1);
        const dead = deaths[0]!;
        const suspect = events.slice(0, events.indexOf(dead)).at(-1);
        expect(suspect?.state).toBe('suspect');
        const delay = dead!.at - suspect!.at;
        expect(delay).toBeGreaterThanOrEqual(TIMINGS.suspectTimeoutMs!);
        expect(delay).toBeLessThanOrEqual(TIMINGS.suspectTimeoutMs! + SLACK_MS);
        expect(survivor.membership.liveness.get(id)?.state).toBe('dead');
      }
    }
    await waitFor(
      () => survivors.every((n) => reachedTargets(n, 2, 1)),
      20_000,
      'survivors back at their targets',
    );
    console.log(
      `liveness: 5 survivors back at 3 outbound peers each ${Date.now() - killedAt} ms after the kill`,
    );
  }, 90_000);

  it('a peer that stops answering pings with its connection open is suspected, declared dead, disconnected', async () => {
    net = new MemberNetwork(150);
    const watcher = await net.start(0, TIMINGS);
    const frozen = await net.start(1, {
      ...TIMINGS,
      bootstrap: [net.addrOf(0)],
      outboundFullRelay: 1,
      blockRelayOnly: 0,
    });
    const frozenId = frozen.p2p.peerId.toString();
    await waitFor(
      () => watcher.membership.peers().some((p) => p.peerId === frozenId && p.rttMs !== undefined),
      10_000,
      'a measured RTT to the peer',
    );
    // Frozen: no ping answers and no pings of its own (a peer that pings us is alive: its
    // membership stops), but the TCP connection stays open.
    await frozen.p2p.libp2p.unhandle('/ipfs/ping/1.0.0');
    await frozen.membership.stop();
    for (const connection of frozen.p2p.libp2p.getConnections()) {
      for (const stream of connection.streams) {
        if (stream.protocol === '/ipfs/ping/1.0.0') stream.abort(new Error('frozen'));
      }
    }
    await waitFor(
      () => livenessEvents(watcher.events, frozenId).some((e) => e.state === 'dead'),
      TIMINGS.suspectTimeoutMs! + 5_000,
      'the frozen peer declared dead',
    );
    const [suspect, dead] = livenessEvents(watcher.events, frozenId);
    expect(suspect!.state).toBe('suspect');
    expect(dead!.at - suspect!.at).toBeGreaterThanOrEqual(TIMINGS.suspectTimeoutMs!);
    // The watcher hangs up on it (the frozen node, alive from its own side, may dial again at once).
    await waitFor(
      () => watcher.events.some((e) => e.kind === 'evicted' && e.peer === frozenId && /dead/.test(e.reason)),
      5_000,
      'the dead peer disconnected',
    );
  }, 60_000);
});
