/** The supervisor's start order: the seeds other nodes bootstrap from first, then the rest. */
import { describe, expect, it } from 'vitest';
import { startWaves } from '../../../src/devnet/supervisor.js';
import { generateDevnet, loadDevnet } from '../../../src/node/devnet-definitions.js';

const names = (waves: Array<Array<{ def: { name: string } }>>) => waves.map((w) => w.map((n) => n.def.name));

describe('startWaves', () => {
  it('starts the default devnet seeds (alice, bob) before carol, dave and erin', () => {
    const nodes = loadDevnet().nodes.map((def) => ({ def }));
    expect(names(startWaves(nodes))).toEqual([
      ['alice', 'bob'],
      ['carol', 'dave', 'erin'],
    ]);
  });

  it('starts every node at once when none bootstraps from another (static peers)', () => {
    const nodes = generateDevnet(5, 2, { layout: 'static' }).nodes.map((def) => ({ def }));
    expect(names(startWaves(nodes))).toEqual([nodes.map((n) => n.def.name)]);
  });

  it('a generated discovery devnet starts its seeds first and every node once', () => {
    const nodes = generateDevnet(12, 3, { layout: 'discovery' }).nodes.map((def) => ({ def }));
    const waves = startWaves(nodes);
    expect(waves).toHaveLength(2);
    expect(waves.flat()).toHaveLength(12);
    const seeds = new Set(nodes.flatMap((n) => n.def.bootstrap));
    expect(waves[0]!.every((n) => seeds.has(n.def.name))).toBe(true);
    expect(waves[1]!.some((n) => seeds.has(n.def.name))).toBe(false);
  });
});
