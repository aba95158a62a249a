/**
 * The trust-map server's view, fed by fake nodes through the real `Poller`: what a round shows,
 * the patches (only what changed), feed events (offences, quarantines, node down and back, blocks,
 * reorgs, partitions), propagation, and boundedness over a simulated hour of a churning devnet.
 */
import { describe, expect, it } from 'vitest';
import type { FeedEvent, NodeView, Patch, PeerView } from '../../../src/web/protocol.js';
import {
  FEED_EVENTS,
  MARKED_PEERS,
  SCORE_SAMPLES_PER_PEER,
  SCORED_PAIRS,
  SEEN_TXS,
} from '../../../src/web/server/constants.js';
import { components } from '../../../src/web/server/partition.js';
import { Poller } from '../../../src/web/server/poller.js';
import { TrustMapState } from '../../../src/web/server/view-state.js';
import { FakeNode } from './fake-node.js';

const META = { title: 't', pollIntervalMs: 1000, attackKinds: [] };

function setup(nodes: FakeNode[]) {
  let now = 1_000_000;
  const state = new TrustMapState(META);
  let changes: Array<{ patch: Patch | null; feed: FeedEvent[] }> = [];
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const poller = new Poller({
    nodes: () => nodes.map((n) => ({ name: n.name, rpcUrl: `http://127.0.0.1/${n.name}`, cookiePath: '/x' })),
    state,
    onChange: (patch, feed) => changes.push({ patch, feed }),
    readerFor: (target) => byName.get(target.name)!.reader(),
    now: () => now,
  });
  return {
    state,
    poller,
    /** One poll round; what it sent (after each node and at the end), merged. */
    round: async (advanceMs = 1000): Promise<{ patch: Patch | null; feed: FeedEvent[] }> => {
      now += advanceMs;
      changes = [];
      await poller.round();
      const patches = changes.map((c) => c.patch).filter((p): p is Patch => p !== null);
      const patch =
        patches.length === 0
          ? null
          : { set: Object.assign({}, ...patches.map((p) => p.set)), del: patches.flatMap((p) => p.del) };
      return { patch, feed: changes.flatMap((c) => c.feed) };
    },
  };
}

/** alice and bob connected to each other; an attacker connected to alice. */
function pair() {
  const alice = new FakeNode('alice', 'PA');
  const bob = new FakeNode('bob', 'PB');
  alice.peers = [
    { peerId: 'PB', score: 2, direction: 'outbound' },
    { peerId: 'EVIL', score: 0, direction: 'inbound' },
  ];
  bob.peers = [{ peerId: 'PA', score: 1, direction: 'inbound' }];
  return { alice, bob };
}

describe('TrustMapState through the Poller', () => {
  it('shows every node and its peers, then patches only what changed', async () => {
    const { alice, bob } = pair();
    const t = setup([alice, bob]);
    const first = await t.round();
    const node = first.patch!.set['node:alice'] as NodeView;
    expect(node).toMatchObject({ up: true, peerId: 'PA', height: 1 });
    expect((first.patch!.set['peers:alice'] as PeerView[]).map((p) => p.peerId).sort()).toEqual([
      'EVIL',
      'PB',
    ]);
    expect(first.patch!.set['meta:server']).toEqual(META);
    // Nothing changed: no patch at all.
    expect((await t.round()).patch).toBeNull();
    bob.peers[0]!.score = 3;
    const third = await t.round();
    expect(Object.keys(third.patch!.set)).toEqual(['peers:bob']);
    expect(t.state.snapshot().entries['peers:bob']).toEqual(third.patch!.set['peers:bob']);
  });

  it('reports an offence and a quarantine, marks the peer as an attacker, and shows the cut link', async () => {
    const { alice, bob } = pair();
    const t = setup([alice, bob]);
    await t.round();
    alice.peers[1] = { peerId: 'EVIL', score: -99.9, state: 'quarantined', connected: false, offences: 1 };
    const { patch, feed } = await t.round();
    expect(feed.map((e) => [e.node, e.kind])).toEqual([
      ['alice', 'offence'],
      ['alice', 'quarantine'],
    ]);
    expect(feed[0]!.text).toContain('TX_BAD_SIGNATURE');
    expect(feed[1]!.peerId).toBe('EVIL');
    expect(patch!.set['marked:attackers']).toEqual({ peerIds: ['EVIL'] });
    const row = (patch!.set['peers:alice'] as PeerView[]).find((p) => p.peerId === 'EVIL')!;
    expect(row).toMatchObject({
      state: 'quarantined',
      connected: false,
      bannedUntil: 60_000,
      lastConnectedAt: 1_001_000,
    });
  });

  it('shows a dead node down (no links) and back up, with a feed event each way', async () => {
    const { alice, bob } = pair();
    const t = setup([alice, bob]);
    await t.round();
    bob.down = true;
    const down = await t.round();
    expect(down.patch!.set['node:bob']).toMatchObject({
      up: false,
      error: expect.stringContaining('not running'),
    });
    expect(down.patch!.set['peers:bob']).toEqual([]);
    expect(down.feed.map((e) => `${e.node} ${e.text}`)).toEqual([expect.stringMatching(/^bob is down/)]);
    bob.down = false;
    const back = await t.round();
    expect(back.patch!.set['node:bob']).toMatchObject({ up: true, error: null });
    expect(back.feed.map((e) => `${e.node} ${e.text}`)).toEqual(['bob is back up']);
  });

  it('keeps a node that only times out up, marked slow, for 3 polls, then shows it down', async () => {
    const { alice, bob } = pair();
    bob.timesOut = true;
    const t = setup([alice, bob]);
    await t.round();
    bob.down = true;
    for (let i = 0; i < 3; i++) {
      const slow = await t.round();
      expect(slow.patch?.set['node:bob'] ?? t.state.snapshot().entries['node:bob']).toMatchObject({
        up: true,
        error: expect.stringMatching(/^slow: /),
      });
      expect((t.state.snapshot().entries['peers:bob'] as PeerView[]).length).toBe(1);
    }
    const down = await t.round();
    expect(down.patch!.set['node:bob']).toMatchObject({ up: false });
    expect(down.patch!.set['peers:bob']).toEqual([]);
  });

  it('reports a new block once, and a reorg when a tip is replaced', async () => {
    const { alice, bob } = pair();
    const t = setup([alice, bob]);
    await t.round();
    alice.height = bob.height = 2;
    alice.tipParent = bob.tipParent = alice.tipId;
    alice.tipId = bob.tipId = 'bb'.repeat(32);
    const block = await t.round();
    expect(block.feed.filter((e) => e.kind === 'block')).toHaveLength(1);
    // bob switches to another block at the same height: its old tip was replaced.
    bob.tipId = 'cc'.repeat(32);
    const reorg = await t.round();
    expect(reorg.feed.find((e) => e.kind === 'reorg')).toMatchObject({ node: 'bob' });
  });

  it('tracks the propagation of the latest transaction and block', async () => {
    const { alice, bob } = pair();
    const t = setup([alice, bob]);
    alice.mempool = ['t1'];
    const r1 = await t.round();
    expect(r1.patch!.set['prop:tx']).toMatchObject({
      id: 't1',
      createdAt: 500,
      seenAt: { alice: 1_001_000, bob: null },
    });
    bob.mempool = ['t1'];
    const r2 = await t.round();
    expect(r2.patch!.set['prop:tx']).toMatchObject({ seenAt: { alice: 1_001_000, bob: 1_002_000 } });
    expect(t.state.snapshot().entries['prop:block']).toMatchObject({
      height: 1,
      seenAt: { alice: 1_001_000 },
    });
  });

  it('suspects a partition after 3 rounds of split honest nodes, and says when it heals', async () => {
    const { alice, bob } = pair();
    const t = setup([alice, bob]);
    await t.round();
    const link = alice.peers[0]!;
    const back = bob.peers[0]!;
    alice.peers = alice.peers.filter((p) => p !== link);
    bob.peers = [];
    const feeds: FeedEvent[] = [];
    for (let i = 0; i < 3; i++) feeds.push(...(await t.round()).feed);
    expect(feeds.filter((e) => e.kind === 'partition').map((e) => e.text)).toEqual([
      'partition suspected: {alice} | {bob}',
    ]);
    alice.peers.push(link);
    bob.peers = [back];
    expect((await t.round()).feed.map((e) => e.text)).toEqual([expect.stringMatching(/^partition healed/)]);
  });

  it('stays bounded over a simulated hour of a churning devnet', async () => {
    const nodes = ['alice', 'bob', 'carol', 'dave', 'erin'].map((n) => new FakeNode(n, `P-${n}`));
    const t = setup(nodes);
    let evil = 0;
    // One round per second for an hour: a block every 5 s, a transaction every round, a new
    // attacker identity every 10 s (quarantined by everyone), a node restart every 5 minutes.
    for (let second = 0; second < 3600; second++) {
      if (second % 10 === 0) evil++;
      for (const [i, node] of nodes.entries()) {
        node.peers = [
          { peerId: `P-${nodes[(i + 1) % 5]!.name}`, score: Math.sin(second) },
          { peerId: `EVIL-${evil}`, score: -99, state: 'quarantined', connected: false, offences: 1 },
        ];
        node.mempool = [`tx-${second}`];
        if (second % 5 === 0) {
          node.height++;
          node.tipParent = node.tipId;
          node.tipId = `b${node.height}`.padEnd(64, '0');
        }
        node.down = i === second % 300;
      }
      await t.round();
    }
    const { state } = t;
    expect(state.feed.size).toBeLessThanOrEqual(FEED_EVENTS);
    const { pairs, maxSamples } = state.history.stats();
    expect(pairs).toBeLessThanOrEqual(SCORED_PAIRS);
    expect(maxSamples).toBe(SCORE_SAMPLES_PER_PEER);
    expect(state.propagation.knownTxCount).toBeLessThanOrEqual(SEEN_TXS);
    const snapshot = state.snapshot();
    expect(
      (snapshot.entries['marked:attackers'] as { peerIds: string[] }).peerIds.length,
    ).toBeLessThanOrEqual(MARKED_PEERS);
    // meta, marked, 5 nodes and their peers, prop:tx and prop:block.
    expect(state.entryCount).toBe(14);
    expect(JSON.stringify(snapshot).length).toBeLessThan(200_000);
  });
});

describe("a node's own partition verdict", () => {
  it('is shown on the node and reported when it starts and ends', async () => {
    const { alice, bob } = pair();
    const t = setup([alice, bob]);
    await t.round();
    alice.partition = { suspected: true, reason: 'no outbound peer answers' };
    const start = await t.round();
    expect(start.patch!.set['node:alice']).toMatchObject({
      partitionSuspected: true,
      partitionReason: 'no outbound peer answers',
    });
    expect(start.feed.map((e) => `${e.kind} ${e.node} ${e.text}`)).toEqual([
      'partition alice suspects a partition: no outbound peer answers',
    ]);
    alice.partition = { suspected: false, reason: null };
    expect((await t.round()).feed.map((e) => e.text)).toEqual(['no longer suspects a partition']);
  });
});

describe('components', () => {
  it('splits nodes into groups linked by the connections they report', () => {
    expect(
      components([
        { name: 'a', peerId: 'A', connected: ['B'] },
        { name: 'b', peerId: 'B', connected: [] },
        { name: 'c', peerId: 'C', connected: ['X'] },
      ]),
    ).toEqual([['a', 'b'], ['c']]);
  });
});
