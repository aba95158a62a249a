import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_ACCOUNT_COUNT } from '../../../src/chain/genesis.js';
import {
  ConfigError,
  cookiePathOf,
  DEV_ACCOUNT_LIMIT,
  type DevnetDefinition,
  dataDirOf,
  generateDevnet,
  isMiner,
  loadDevnet,
  parseDevnet,
  peerAddrOf,
  REPO_ROOT,
  rpcUrlOf,
} from '../../../src/node/devnet-definitions.js';

/** Undirected edges of the peer graph. */
function edges(devnet: DevnetDefinition): Set<string> {
  const set = new Set<string>();
  for (const node of devnet.nodes) for (const peer of node.peers) set.add([node.name, peer].sort().join('-'));
  return set;
}

function connected(devnet: DevnetDefinition): boolean {
  const adjacent = new Map(devnet.nodes.map((n) => [n.name, new Set<string>()]));
  for (const e of edges(devnet)) {
    const [a, b] = e.split('-') as [string, string];
    adjacent.get(a)!.add(b);
    adjacent.get(b)!.add(a);
  }
  const seen = new Set<string>();
  const stack = [devnet.nodes[0]!.name];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...adjacent.get(n)!);
  }
  return seen.size === devnet.nodes.length;
}

function validJson() {
  return {
    network: 'devnet',
    dataRoot: '.devnet',
    nodes: [
      { name: 'a', roles: ['miner'], p2pPort: 1, rpcPort: 2, metricsPort: 3, peers: ['b'], devAccount: 1 },
      { name: 'b', roles: ['relay'], p2pPort: 4, rpcPort: 5, metricsPort: 6, peers: [], devAccount: 2 },
    ],
  };
}

describe('nodes/devnet.json', () => {
  const devnet = loadDevnet();

  it('has 5 nodes, alice and carol mining, on a connected but not complete graph', () => {
    expect(devnet.nodes.map((n) => n.name)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    expect(devnet.nodes.filter(isMiner).map((n) => n.name)).toEqual(['alice', 'carol']);
    expect(devnet.nodes.map((n) => n.devAccount)).toEqual([1, 2, 3, 4, 5]);
    expect(connected(devnet)).toBe(true);
    expect(edges(devnet).size).toBeLessThan((5 * 4) / 2);
    for (const node of devnet.nodes) expect(node.peers.length).toBeGreaterThanOrEqual(2);
  });

  it('derives paths and addresses', () => {
    const alice = devnet.nodes[0]!;
    expect(dataDirOf(alice)).toBe(join(REPO_ROOT, '.devnet', 'alice'));
    expect(cookiePathOf(alice)).toBe(join(REPO_ROOT, '.devnet', 'alice', 'rpc.cookie'));
    expect(rpcUrlOf(alice)).toBe('http://127.0.0.1:8101');
    expect(peerAddrOf(alice)).toBe('/ip4/127.0.0.1/tcp/7101');
  });
});

describe('validation', () => {
  const mutate = (change: (json: ReturnType<typeof validJson>) => void) => {
    const json = validJson();
    change(json);
    return () => parseDevnet(json, '/repo', 'test.json');
  };

  it('accepts a valid definition', () => {
    expect(parseDevnet(validJson(), '/repo').dataRoot).toBe('/repo/.devnet');
  });

  type Json = ReturnType<typeof validJson>;
  const cases: [string, (j: Json) => void, string][] = [
    [
      'duplicate name',
      (j) => {
        j.nodes[1]!.name = 'a';
      },
      'nodes[1].name',
    ],
    [
      'port clash',
      (j) => {
        j.nodes[1]!.rpcPort = 1;
      },
      'nodes[1].rpcPort: 1 is already used by nodes[0].p2pPort',
    ],
    [
      'unknown peer',
      (j) => {
        j.nodes[0]!.peers = ['zed'];
      },
      "nodes[0].peers[0]: no node named 'zed'",
    ],
    [
      'self peer',
      (j) => {
        j.nodes[0]!.peers = ['a'];
      },
      'nodes[0].peers[0]',
    ],
    [
      'bad port',
      (j) => {
        j.nodes[0]!.p2pPort = 70_000;
      },
      'nodes[0].p2pPort',
    ],
    [
      'bad role',
      (j) => {
        j.nodes[0]!.roles = ['boss'];
      },
      'nodes[0].roles[0]',
    ],
    [
      'bad name',
      (j) => {
        j.nodes[0]!.name = '../etc';
      },
      'nodes[0].name',
    ],
    [
      'reserved name',
      (j) => {
        j.nodes[0]!.name = 'nodes';
      },
      'reserved',
    ],
    [
      'dev account',
      (j) => {
        j.nodes[0]!.devAccount = 99;
      },
      'nodes[0].devAccount',
    ],
    [
      'unknown field',
      (j) => {
        Object.assign(j.nodes[0]!, { rpcport: 1 });
      },
      'nodes[0].rpcport',
    ],
    [
      'no nodes',
      (j) => {
        j.nodes = [];
      },
      'nodes: expected a non-empty array',
    ],
  ];

  it.each(cases)('%s → one-line ConfigError naming the field', (_label, change, message) => {
    const parse = mutate(change);
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(message);
    try {
      parse();
    } catch (err) {
      expect((err as Error).message).toMatch(/^test\.json: /);
      expect((err as Error).message).not.toContain('\n');
    }
  });
});

describe('generateDevnet', () => {
  it('builds the default shape for 5 nodes', () => {
    const devnet = generateDevnet(5, 2);
    expect(devnet.nodes.map((n) => n.name)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    expect(devnet.nodes.filter(isMiner).map((n) => n.name)).toEqual(['alice', 'carol']);
    expect(devnet.nodes.map((n) => n.rpcPort)).toEqual([8101, 8102, 8103, 8104, 8105]);
    expect(connected(devnet)).toBe(true);
    expect(edges(devnet).size).toBeLessThan(10);
  });

  it.each([1, 2, 3, 4, 7, 12, 40])('%i nodes: connected, unique, names node6.. past erin', (count) => {
    const devnet = generateDevnet(count, Math.min(2, count));
    expect(devnet.nodes).toHaveLength(count);
    expect(connected(devnet)).toBe(true);
    if (count > 5) expect(devnet.nodes[5]!.name).toBe('node6');
    for (const node of devnet.nodes) expect(node.devAccount).toBeGreaterThanOrEqual(1);
  });

  it('rejects bad counts', () => {
    expect(() => generateDevnet(0)).toThrow(ConfigError);
    expect(() => generateDevnet(3, 4)).toThrow(/miners/);
    expect(() => generateDevnet(101)).toThrow(/1\.\.100/);
  });

  it('uses only funded dev accounts (DEV_ACCOUNT_LIMIT mirrors genesis)', () => {
    expect(DEV_ACCOUNT_LIMIT).toBe(DEV_ACCOUNT_COUNT);
    const devnet = generateDevnet(30);
    expect(Math.max(...devnet.nodes.map((n) => n.devAccount))).toBeLessThan(DEV_ACCOUNT_COUNT);
  });
});
