/** The supervisor's start order: seeds at once, every other node once one of its seeds is up. */
import { describe, expect, it } from 'vitest';
import { startGates } from '../../../src/devnet/supervisor.js';
import { generateDevnet, loadDevnet } from '../../../src/node/devnet-definitions.js';

describe('startGates', () => {
  it('starts the default devnet seeds (alice, bob) at once; carol, dave and erin wait for one of them', () => {
    const gates = startGates(loadDevnet().nodes);
    expect(Object.fromEntries(gates)).toEqual({
      alice: [],
      bob: [],
      carol: ['alice', 'bob'],
      dave: ['alice', 'bob'],
      erin: ['alice', 'bob'],
    });
  });

  it('starts every node at once when none bootstraps from another (static peers)', () => {
    const gates = startGates(generateDevnet(5, 2, { layout: 'static' }).nodes);
    expect([...gates.values()].every((after) => after.length === 0)).toBe(true);
  });

  it('in a generated discovery devnet only non-seeds wait, and only for seeds that start at once', () => {
    const defs = generateDevnet(12, 3, { layout: 'discovery' }).nodes;
    const gates = startGates(defs);
    expect(gates.size).toBe(12);
    const waiting = [...gates].filter(([, after]) => after.length > 0);
    expect(waiting.length).toBeGreaterThan(0);
    for (const [, after] of waiting) for (const seed of after) expect(gates.get(seed)).toEqual([]);
  });
});
