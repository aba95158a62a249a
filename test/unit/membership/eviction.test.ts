import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EvictionCandidate, selectInboundToEvict } from '../../../src/p2p/membership/eviction.js';

function candidate(n: number, overrides: Partial<EvictionCandidate> = {}): EvictionCandidate {
  return {
    peerId: `p${String(n).padStart(3, '0')}`,
    netgroup: `g${n}`,
    keyedNetgroup: n,
    connectedAt: 1_000 + n,
    minPingMs: undefined,
    lastTxAt: undefined,
    lastBlockAt: undefined,
    inbound: true,
    noBan: false,
    ...overrides,
  };
}

describe('selectInboundToEvict: Core order', () => {
  it('never evicts outbound or noban peers; evicts nobody when all are protected', () => {
    const peers = [candidate(1, { inbound: false }), candidate(2, { noBan: true })];
    expect(selectInboundToEvict(peers).evict).toBeUndefined();
    // 4 netgroup + ... : 4 inbound peers are all protected by netgroup.
    expect(selectInboundToEvict([1, 2, 3, 4].map((n) => candidate(n))).evict).toBeUndefined();
  });

  it('protects 4 by keyed netgroup, 8 by ping, 4 by tx, 4 by block, half by uptime, in that order', () => {
    // 98 idle identities in 3 netgroups (keyed netgroup values 1..3) plus useful peers.
    const idle = Array.from({ length: 98 }, (_, i) =>
      candidate(100 + i, { netgroup: `sybil${i % 3}`, keyedNetgroup: i % 3, connectedAt: 10_000 + i }),
    );
    const highGroup = [1, 2, 3, 4].map((n) =>
      candidate(n, { keyedNetgroup: 1_000 + n, connectedAt: 50_000 }),
    );
    const fast = [5, 6, 7, 8, 9, 10, 11, 12].map((n) => candidate(n, { minPingMs: 1, connectedAt: 50_000 }));
    const txSenders = [13, 14, 15, 16].map((n) =>
      candidate(n, { lastTxAt: 40_000 + n, connectedAt: 50_000 }),
    );
    const blockSenders = [17, 18, 19, 20].map((n) =>
      candidate(n, { lastBlockAt: 40_000 + n, connectedAt: 50_000 }),
    );
    const all = [...idle, ...highGroup, ...fast, ...txSenders, ...blockSenders];
    const decision = selectInboundToEvict(all);
    for (const p of highGroup) expect(decision.protectedBy.get(p.peerId)).toBe('netgroup');
    for (const p of fast) expect(decision.protectedBy.get(p.peerId)).toBe('ping');
    for (const p of txSenders) expect(decision.protectedBy.get(p.peerId)).toBe('tx');
    for (const p of blockSenders) expect(decision.protectedBy.get(p.peerId)).toBe('block');
    // Half of the 98 idle ones, the oldest, are protected by uptime.
    const byUptime = [...decision.protectedBy].filter(([, step]) => step === 'uptime').map(([id]) => id);
    expect(byUptime.length).toBe(49);
    expect(byUptime.sort()).toEqual(
      idle
        .slice(0, 49)
        .map((c) => c.peerId)
        .sort(),
    );
    // The evicted one is the youngest of the largest remaining netgroup.
    const remaining = idle.slice(49);
    const sizes = new Map<string, number>();
    for (const c of remaining) sizes.set(c.netgroup, (sizes.get(c.netgroup) ?? 0) + 1);
    const largest = Math.max(...sizes.values());
    const evicted = all.find((c) => c.peerId === decision.evict)!;
    expect(sizes.get(evicted.netgroup)).toBe(largest);
    const youngestOfGroup = remaining.filter((c) => c.netgroup === evicted.netgroup).at(-1)!;
    expect(evicted.peerId).toBe(youngestOfGroup.peerId);
  });

  it('evicts from the most represented netgroup, not the youngest peer overall', () => {
    const crowd = Array.from({ length: 30 }, (_, i) =>
      candidate(100 + i, { netgroup: 'crowd', keyedNetgroup: 0, connectedAt: 100 + i }),
    );
    const newcomer = candidate(9, { netgroup: 'alone', keyedNetgroup: 0, connectedAt: 99_999 });
    const decision = selectInboundToEvict([...crowd, newcomer]);
    expect(decision.evict).toBe(crowd.at(-1)!.peerId);
  });
});

describe('selectInboundToEvict (property)', () => {
  const candidateArb = fc.record({
    netgroup: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
    connectedAt: fc.integer({ min: 0, max: 1_000 }),
    minPingMs: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
    lastTxAt: fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: undefined }),
    lastBlockAt: fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: undefined }),
    inbound: fc.boolean(),
    noBan: fc.boolean(),
  });

  it('evicts an unprotected inbound peer of a largest remaining group, or nobody iff none is left', () => {
    fc.assert(
      fc.property(fc.array(candidateArb, { maxLength: 80 }), (raw) => {
        const peers: EvictionCandidate[] = raw.map((r, i) => ({
          ...r,
          peerId: `p${i}`,
          keyedNetgroup: r.netgroup.charCodeAt(0),
        }));
        const { evict, protectedBy } = selectInboundToEvict(peers);
        const unprotected = peers.filter((p) => !protectedBy.has(p.peerId));
        const inboundCount = peers.filter((p) => p.inbound && !p.noBan).length;
        // Every candidate is either protected or left; protection counts per step are bounded.
        const steps = [...protectedBy.values()];
        expect(steps.filter((s) => s === 'netgroup').length).toBeLessThanOrEqual(4);
        expect(steps.filter((s) => s === 'ping').length).toBeLessThanOrEqual(8);
        expect(steps.filter((s) => s === 'tx').length).toBeLessThanOrEqual(4);
        expect(steps.filter((s) => s === 'block').length).toBeLessThanOrEqual(4);
        if (evict === undefined) {
          expect(unprotected.length).toBe(0);
          return;
        }
        const victim = peers.find((p) => p.peerId === evict)!;
        expect(victim.inbound && !victim.noBan).toBe(true);
        expect(protectedBy.has(evict)).toBe(false);
        expect(inboundCount).toBeGreaterThan(4);
        const groupSize = (g: string) => unprotected.filter((p) => p.netgroup === g).length;
        expect(groupSize(victim.netgroup)).toBe(Math.max(...unprotected.map((p) => groupSize(p.netgroup))));
        for (const p of unprotected.filter((q) => q.netgroup === victim.netgroup))
          expect(p.connectedAt).toBeLessThanOrEqual(victim.connectedAt);
        // Deterministic.
        expect(selectInboundToEvict([...peers].reverse()).evict).toBe(evict);
      }),
      { numRuns: 300 },
    );
  });
});
