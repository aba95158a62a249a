/**
 * From the view to the map's elements: a vertex per node and per other peer, one edge per
 * connection carrying both sides' scores from dialer to listener, cut links for quarantines, and
 * attackers marked once quarantined.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/web/app/graph-model.js';
import type { NodeView, PeerView } from '../../../src/web/protocol.js';
import { scoreColour } from '../../../src/web/app/score-color.js';

function node(name: string, up = true): NodeView {
  return {
    name,
    rpcUrl: '',
    up,
    since: 0,
    error: up ? null : 'down',
    peerId: `P${name}`,
    height: 1,
    tip: 'aa',
    tipParent: null,
    peers: 1,
    mempool: 0,
    quarantined: 0,
    mining: false,
    txPerSec: 0,
    partitionSuspected: null,
    partitionReason: null,
  };
}

function peer(peerId: string, over: Partial<PeerView> = {}): PeerView {
  return {
    peerId,
    state: 'healthy',
    score: 1,
    gossipsubScore: 1,
    direction: 'outbound',
    connected: true,
    offences: 0,
    lastOffence: null,
    bannedUntil: null,
    pushesUs: 'none',
    wePush: 'none',
    allowListed: false,
    connectionType: null,
    liveness: null,
    rttMs: null,
    lastConnectedAt: null,
    ...over,
  };
}

describe('buildGraph', () => {
  it('joins two nodes by one edge from the dialer, with each side’s score of the other', () => {
    const peers: Record<string, PeerView[]> = {
      alice: [
        peer('Pbob', { score: 4, direction: 'outbound', pushesUs: 'all', connectionType: 'block-relay' }),
      ],
      bob: [peer('Palice', { score: -2, direction: 'inbound' })],
    };
    const g = buildGraph({
      nodes: [node('alice'), node('bob')],
      peersOf: (n) => peers[n]!,
      attackers: [],
      marked: new Set(),
    });
    expect(g.vertices.map((v) => v.id)).toEqual(['n:alice', 'n:bob']);
    expect(g.edges).toEqual([
      expect.objectContaining({
        source: 'n:alice',
        target: 'n:bob',
        sourceScore: 4,
        targetScore: -2,
        cut: false,
        eager: true,
        connectionType: 'block-relay',
      }),
    ]);
  });

  it('shows a quarantined peer as a cut link and marks it an attacker; other peers are external', () => {
    const peers: Record<string, PeerView[]> = {
      alice: [
        peer('EVIL', { state: 'quarantined', score: -99, connected: false, direction: null }),
        peer('OTHER', { direction: 'inbound' }),
      ],
    };
    const g = buildGraph({
      nodes: [node('alice')],
      peersOf: (n) => peers[n] ?? [],
      attackers: [
        { kind: 'invalid-signature', peerId: 'EVIL', state: 'running', startedAt: 0, detail: null },
      ],
      marked: new Set(['EVIL']),
    });
    expect(g.vertices.find((v) => v.id === 'p:EVIL')).toMatchObject({
      kind: 'attacker',
      label: 'attacker invalid-signature',
    });
    expect(g.vertices.find((v) => v.id === 'p:OTHER')).toMatchObject({ kind: 'external' });
    expect(g.edges.find((e) => e.cut)).toMatchObject({
      id: 'x:n:alice|p:EVIL',
      source: 'n:alice',
      target: 'p:EVIL',
    });
    expect(g.edges.find((e) => !e.cut)).toMatchObject({
      source: 'p:OTHER',
      target: 'n:alice',
      sourceScore: null,
      targetScore: 1,
    });
  });

  it('shows a pair as cut as soon as one side quarantines the other, even before the connection closes', () => {
    const peers: Record<string, PeerView[]> = {
      alice: [peer('Pbob', { state: 'quarantined', score: -99, connected: true })],
      bob: [peer('Palice', { direction: 'inbound' })],
    };
    const g = buildGraph({
      nodes: [node('alice'), node('bob')],
      peersOf: (n) => peers[n]!,
      attackers: [],
      marked: new Set(),
    });
    expect(g.edges.map((e) => e.id)).toEqual(['x:n:alice|n:bob']);
  });

  it('draws no links for a node that is down', () => {
    const g = buildGraph({
      nodes: [node('alice', false)],
      peersOf: () => [peer('X')],
      attackers: [],
      marked: new Set(),
    });
    expect(g.vertices).toEqual([
      expect.objectContaining({ id: 'n:alice', up: false, label: 'alice (down)' }),
    ]);
    expect(g.edges).toEqual([]);
  });
});

describe('scoreColour', () => {
  it('goes from grey at 0 to red at -50 and green at +10; quarantined is dark red', () => {
    expect(scoreColour(0)).toBe('#9aa5b1');
    expect(scoreColour(-50)).toBe('#d62828');
    expect(scoreColour(-500)).toBe('#d62828');
    expect(scoreColour(10)).toBe('#2a9d5a');
    expect(scoreColour(5, 'quarantined')).toBe('#7a0010');
    expect(scoreColour(null)).toBe('#c8ced6');
  });
});
