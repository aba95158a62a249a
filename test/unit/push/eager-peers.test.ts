/** Eager-peer selection: stable, outbound first (one outbound place even over inbound peers already eager), bounded, random within a group. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EagerCandidate, promoteOutbound, selectEagerPeers } from '../../../src/p2p/push/eager-peers.js';

/** A small seeded generator (a 31-bit LCG), so every run makes the same choices. */
function seededRandom(seed: number): () => number {
  let state = Math.abs(seed) % 2 ** 31;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const peers = (outbound: number, inbound: number): EagerCandidate[] => [
  ...Array.from({ length: outbound }, (_, i) => ({ peer: `out${i}`, outbound: true })),
  ...Array.from({ length: inbound }, (_, i) => ({ peer: `in${i}`, outbound: false })),
];

describe('selectEagerPeers', () => {
  it('fills vacancies with outbound peers before inbound ones', () => {
    const chosen = selectEagerPeers(new Set(), peers(1, 5), 2, seededRandom(1));
    expect(chosen.size).toBe(2);
    expect(chosen.has('out0')).toBe(true);
    expect([...chosen].filter((p) => p.startsWith('in'))).toHaveLength(1);
    expect(selectEagerPeers(new Set(), peers(4, 4), 2, seededRandom(2)).size).toBe(2);
    expect(
      [...selectEagerPeers(new Set(), peers(4, 4), 2, seededRandom(2))].every((p) => p.startsWith('out')),
    ).toBe(true);
  });

  it('keeps current eager peers that are still candidates, and drops the others', () => {
    const candidates = peers(3, 3);
    expect(selectEagerPeers(new Set(['in2', 'out1']), candidates, 2)).toEqual(new Set(['in2', 'out1']));
    const next = selectEagerPeers(new Set(['gone', 'in2']), candidates, 2, seededRandom(3));
    expect(next.has('in2')).toBe(true);
    expect(next.has('gone')).toBe(false);
    expect([...next].find((p) => p !== 'in2')).toMatch(/^out/);
    // Fewer candidates than places: all of them.
    expect(selectEagerPeers(new Set(), peers(0, 1), 2)).toEqual(new Set(['in0']));
    expect(selectEagerPeers(new Set(['x']), [], 2)).toEqual(new Set());
  });

  it('never exceeds the count, never picks a non-candidate, spreads choices across peers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 4 }),
        fc.uniqueArray(fc.constantFrom('out0', 'out1', 'in0', 'in1', 'gone'), { maxLength: 5 }),
        fc.integer(),
        (outbound, inbound, count, current, seed) => {
          const candidates = peers(outbound, inbound);
          const names = new Set(candidates.map((c) => c.peer));
          const chosen = selectEagerPeers(new Set(current), candidates, count, seededRandom(seed));
          expect(chosen.size).toBe(Math.min(count, candidates.length));
          for (const peer of chosen) expect(names.has(peer)).toBe(true);
          const outboundChosen = [...chosen].filter((p) => p.startsWith('out')).length;
          const keptInbound = current.filter((p) => p.startsWith('in') && names.has(p)).length;
          // Outbound peers are only passed over for inbound peers that were already eager.
          expect(outboundChosen).toBeGreaterThanOrEqual(Math.min(outbound, count - keptInbound));
        },
      ),
    );
    // With the default Math.random: each of 6 peers is picked ~667 times in 2,000 draws of 2
    // (sd ~21), so 500 is far outside chance.
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) {
      for (const peer of selectEagerPeers(new Set(), peers(6, 0), 2))
        counts.set(peer, (counts.get(peer) ?? 0) + 1);
    }
    for (const count of counts.values()) expect(count).toBeGreaterThan(500); // ~667 each
    expect(counts.size).toBe(6);
  });
});

describe('promoteOutbound', () => {
  it('swaps an inbound eager peer for an outbound candidate only while no eager peer is outbound', () => {
    const promoted = promoteOutbound(new Set(['in0', 'in1']), peers(3, 3), seededRandom(4));
    expect(promoted.size).toBe(2);
    expect([...promoted].filter((p) => p.startsWith('out'))).toHaveLength(1);
    expect([...promoted].filter((p) => p.startsWith('in'))).toHaveLength(1);
    // Already one outbound: unchanged.
    expect(promoteOutbound(new Set(['out2', 'in0']), peers(3, 3))).toEqual(new Set(['out2', 'in0']));
    // No outbound candidate, or no inbound peer to give way: unchanged.
    expect(promoteOutbound(new Set(['in0', 'in1']), peers(0, 3))).toEqual(new Set(['in0', 'in1']));
    expect(promoteOutbound(new Set(), peers(2, 0))).toEqual(new Set());
  });

  it('keeps the size, never picks a non-candidate, leaves an outbound peer whenever one can be', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.uniqueArray(fc.constantFrom<string>('out0', 'out1', 'out2', 'in0', 'in1', 'in2'), {
          maxLength: 4,
        }),
        fc.integer(),
        (outbound, inbound, selected, seed) => {
          const candidates = peers(outbound, inbound);
          const names = new Set(candidates.map((c) => c.peer));
          const current = new Set(selected.filter((p) => names.has(p)));
          const result = promoteOutbound(current, candidates, seededRandom(seed));
          expect(result.size).toBe(current.size);
          for (const peer of result) expect(names.has(peer)).toBe(true);
          const outboundIn = (set: ReadonlySet<string>) => [...set].filter((p) => p.startsWith('out')).length;
          if (outboundIn(current) > 0) expect(result).toEqual(current);
          else if (outbound > 0 && current.size > 0) expect(outboundIn(result)).toBe(1);
        },
      ),
    );
  });
});
