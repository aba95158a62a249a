import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LivenessTable } from '../../../src/p2p/membership/liveness.js';

describe('LivenessTable', () => {
  it('alive -> suspect on a missed ping -> dead after the suspicion timeout', () => {
    const t = new LivenessTable({ missedPingsToSuspect: 1, suspectTimeoutMs: 100 });
    t.connected('a', 0);
    t.pingSucceeded('a', 3, 10);
    expect(t.get('a')!.state).toBe('alive');
    t.pingFailed('a', 20);
    expect(t.get('a')!.state).toBe('suspect');
    expect(t.tick(119)).toEqual([]);
    expect(t.nextDeadline()).toBe(120);
    expect(t.tick(120)).toEqual(['a']);
    expect(t.get('a')!.state).toBe('dead');
    t.connected('a', 200);
    expect(t.get('a')!.state).toBe('alive');
  });

  it('a ping answer clears suspicion; an unexpected disconnect makes a peer suspect; ours forgets it', () => {
    const t = new LivenessTable({ missedPingsToSuspect: 2, suspectTimeoutMs: 100 });
    t.connected('a', 0);
    t.pingFailed('a', 1);
    expect(t.get('a')!.state).toBe('alive');
    t.pingFailed('a', 2);
    expect(t.get('a')!.state).toBe('suspect');
    t.pingSucceeded('a', 5, 50);
    expect(t.get('a')!.state).toBe('alive');
    expect(t.tick(1_000)).toEqual([]);
    t.disconnected('a', false, 1_000);
    expect(t.get('a')!.state).toBe('suspect');
    t.connected('b', 0);
    t.disconnected('b', true, 5);
    expect(t.get('b')).toBeUndefined();
  });

  it('traffic from a peer is a sign of life: clears suspicion, never revives the dead or adds strangers', () => {
    const t = new LivenessTable({ missedPingsToSuspect: 1, suspectTimeoutMs: 100 });
    t.connected('a', 0);
    t.heard('a', 40);
    expect(t.get('a')!.lastAliveAt).toBe(40);
    t.heard('a', 30); // reported late: never moves the clock back
    expect(t.get('a')!.lastAliveAt).toBe(40);
    t.pingFailed('a', 50);
    expect(t.get('a')!.state).toBe('suspect');
    t.heard('a', 60);
    expect(t.get('a')!.state).toBe('alive');
    t.pingFailed('a', 70);
    expect(t.tick(170)).toEqual(['a']);
    t.heard('a', 180);
    expect(t.get('a')!.state).toBe('dead');
    t.heard('stranger', 180);
    expect(t.get('stranger')).toBeUndefined();
  });

  it('keeps last, minimum and smoothed RTT', () => {
    const t = new LivenessTable();
    t.pingSucceeded('a', 8, 0);
    t.pingSucceeded('a', 16, 1);
    t.pingSucceeded('a', 4, 2);
    const a = t.get('a')!;
    expect(a.lastRttMs).toBe(4);
    expect(a.minRttMs).toBe(4);
    expect(a.smoothedRttMs).toBeCloseTo(8 + (16 - 8) / 8 + (4 - 9) / 8);
  });

  it('forgives suspicion time spent while our own process was stalled', () => {
    const t = new LivenessTable({ missedPingsToSuspect: 1, suspectTimeoutMs: 100 });
    t.connected('a', 0);
    t.pingFailed('a', 0);
    t.forgive(80, 90);
    expect(t.tick(150)).toEqual([]);
    expect(t.tick(180)).toEqual(['a']);
    // Never moved past now.
    t.connected('b', 0);
    t.pingFailed('b', 0);
    t.forgive(1_000, 10);
    expect(t.get('b')!.suspectSince).toBe(10);
  });

  it('rejects invalid options', () => {
    expect(() => new LivenessTable({ missedPingsToSuspect: 0 })).toThrow(RangeError);
    expect(() => new LivenessTable({ suspectTimeoutMs: 0 })).toThrow(RangeError);
  });
});

// ---- Property test: random events against a reference model ----

type Op =
  | { kind: 'connect' | 'ok' | 'miss' | 'dropByUs' | 'dropByPeer'; peer: number }
  | { kind: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('connect', 'ok', 'miss', 'dropByUs', 'dropByPeer'),
    peer: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 60 }) }),
) as fc.Arbitrary<Op>;

describe('LivenessTable (model)', () => {
  it('is never dead before a full suspicion timeout without a sign of life', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 100 }),
        fc.array(opArb, { maxLength: 150 }),
        (missed, timeout, ops) => {
          const t = new LivenessTable({ missedPingsToSuspect: missed, suspectTimeoutMs: timeout });
          let now = 0;
          /** Model: last sign of life and when suspicion started, per known peer. */
          const model = new Map<number, { misses: number; suspectSince?: number; dead: boolean }>();
          for (const op of ops) {
            if (op.kind === 'advance') {
              now += op.ms;
              const died = t.tick(now);
              for (const [peer, m] of model) {
                const due = m.suspectSince !== undefined && !m.dead && now - m.suspectSince >= timeout;
                expect(died.includes(`p${peer}`)).toBe(due);
                if (due) m.dead = true;
              }
              continue;
            }
            const peer = `p${op.peer}`;
            const m = model.get(op.peer);
            switch (op.kind) {
              case 'connect':
              case 'ok':
                if (op.kind === 'connect') t.connected(peer, now);
                else t.pingSucceeded(peer, 1, now);
                model.set(op.peer, { misses: 0, dead: false });
                break;
              case 'miss':
                t.pingFailed(peer, now);
                if (m !== undefined && !m.dead) {
                  m.misses++;
                  if (m.suspectSince === undefined && m.misses >= missed) m.suspectSince = now;
                }
                break;
              case 'dropByUs':
                t.disconnected(peer, true, now);
                if (m?.dead !== true) model.delete(op.peer);
                break;
              case 'dropByPeer':
                t.disconnected(peer, false, now);
                if (m !== undefined && m.suspectSince === undefined && !m.dead) m.suspectSince = now;
                break;
            }
            for (const [p, mm] of model) {
              const state = t.get(`p${p}`)!.state;
              expect(state).toBe(mm.dead ? 'dead' : mm.suspectSince !== undefined ? 'suspect' : 'alive');
            }
            expect(t.list().length).toBe(model.size);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
