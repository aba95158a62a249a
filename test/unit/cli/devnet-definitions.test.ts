import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_ACCOUNT_COUNT } from '../../../src/chain/genesis.js';
import {
  ConfigError,
  cookiePathOf,
  DEV_ACCOUNT_LIMIT,
  type DevnetDefinition,
  dataDirOf,
  devnetHostOf,
  devnetOutboundTargets,
  generateDevnet,
  isMiner,
  loadDevnet,
  parseDevnet,
  peerAddrOf,
  REPO_ROOT,
  rpcUrlOf,
} from '../../../src/node/devnet-definitions.js';

/** Undirected edges of the graph of whom each node is given: static peers and bootstrap nodes. */
function edges(devnet: DevnetDefinition): Set<string> {
  const set = new Set<string>();
  for (const node of devnet.nodes) {
    for (const peer of [...node.peers, ...node.bootstrap]) set.add([node.name, peer].sort().join('-'));
  }
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
  });

  it('finds peers by discovery: each node on its own 127.N.0.1 /16, one or two bootstrap nodes', () => {
    expect(devnet.nodes.map((n) => n.host)).toEqual([
      '127.1.0.1',
      '127.2.0.1',
      '127.3.0.1',
      '127.4.0.1',
      '127.5.0.1',
    ]);
    expect(new Set(devnet.nodes.map((n) => n.host.split('.').slice(0, 2).join('.'))).size).toBe(5);
    for (const node of devnet.nodes) {
      expect(node.peers).toEqual([]);
      expect(node.bootstrap.length).toBeGreaterThanOrEqual(1);
      expect(node.bootstrap.length).toBeLessThanOrEqual(2);
    }
    expect(devnet.nodes[0]!.bootstrap).toEqual(['bob']);
    expect(devnet.nodes[3]!.bootstrap).toEqual(['alice', 'bob']);
  });

  it('derives paths and addresses', () => {
    const alice = devnet.nodes[0]!;
    expect(dataDirOf(alice)).toBe(join(REPO_ROOT, '.devnet', 'alice'));
    expect(cookiePathOf(alice)).toBe(join(REPO_ROOT, '.devnet', 'alice', 'rpc.cookie'));
    expect(rpcUrlOf(alice)).toBe('http://127.0.0.1:8101');
    expect(peerAddrOf(alice)).toBe('/ip4/127.1.0.1/tcp/7101');
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

  it('defaults host to 127.0.0.1 and bootstrap/peers to none', () => {
    const json = validJson();
    delete (json.nodes[1] as { peers?: string[] }).peers;
    const [a, b] = parseDevnet(json, '/repo').nodes;
    expect(a).toMatchObject({ host: '127.0.0.1', bootstrap: [], peers: ['b'] });
    expect(b).toMatchObject({ host: '127.0.0.1', bootstrap: [], peers: [] });
  });

  it('allows one port number on two hosts, not twice on one', () => {
    const json = validJson();
    Object.assign(json.nodes[0]!, { host: '127.1.0.1', p2pPort: 7101 });
    Object.assign(json.nodes[1]!, { host: '127.2.0.1', p2pPort: 7101 });
    expect(parseDevnet(json, '/repo').nodes.map((n) => n.p2pPort)).toEqual([7101, 7101]);
    Object.assign(json.nodes[1]!, { host: '127.1.0.1' });
    expect(() => parseDevnet(json, '/repo', 'test.json')).toThrow(
      'test.json: nodes[1].p2pPort: 7101 on 127.1.0.1 is already used by nodes[0].p2pPort',
    );
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
      'host outside loopback',
      (j) => {
        Object.assign(j.nodes[0]!, { host: '10.0.0.1' });
      },
      'nodes[0].host: expected an IPv4 loopback address',
    ],
    [
      'host not an address',
      (j) => {
        Object.assign(j.nodes[0]!, { host: '127.1.0.256' });
      },
      'nodes[0].host',
    ],
    [
      'unknown bootstrap node',
      (j) => {
        Object.assign(j.nodes[0]!, { bootstrap: ['zed'] });
      },
      "nodes[0].bootstrap[0]: no node named 'zed'",
    ],
    [
      'self bootstrap',
      (j) => {
        Object.assign(j.nodes[1]!, { bootstrap: ['b'] });
      },
      'nodes[1].bootstrap[0]: a node cannot bootstrap from itself',
    ],
    [
      'bootstrap not names',
      (j) => {
        Object.assign(j.nodes[1]!, { bootstrap: 'a' });
      },
      'nodes[1].bootstrap: expected an array of node names',
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
  it('builds the shape of nodes/devnet.json for 5 nodes', () => {
    const devnet = generateDevnet(5, 2, { layout: 'discovery' });
    expect(devnet.nodes.map((n) => n.name)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    expect(devnet.nodes.filter(isMiner).map((n) => n.name)).toEqual(['alice', 'carol']);
    expect(devnet.nodes.map((n) => n.rpcPort)).toEqual([8101, 8102, 8103, 8104, 8105]);
    expect(connected(devnet)).toBe(true);
    expect(edges(devnet).size).toBeLessThan(10);
    const file = loadDevnet();
    const shape = (d: DevnetDefinition) =>
      d.nodes.map(({ host, bootstrap, peers }) => ({ host, bootstrap, peers }));
    expect(shape(devnet)).toEqual(shape(file));
  });

  it('discovery: node i on 127.(i+1).0.1, node 0 bootstraps from node 1, the rest from nodes 0 and 1', () => {
    const devnet = generateDevnet(20, 2, { layout: 'discovery' });
    expect(devnet.nodes.map((n) => n.host)).toEqual(devnet.nodes.map((_, i) => devnetHostOf(i)));
    expect(devnet.nodes[19]!.host).toBe('127.20.0.1');
    expect(devnet.nodes[0]!.bootstrap).toEqual(['bob']);
    expect(devnet.nodes[1]!.bootstrap).toEqual(['alice']);
    for (const node of devnet.nodes.slice(2)) expect(node.bootstrap).toEqual(['alice', 'bob']);
    for (const node of devnet.nodes) expect(node.peers).toEqual([]);
  });

  it("static layout (the default): the ring with chords on 127.0.0.1 (the scenario runner's)", () => {
    const devnet = generateDevnet(7, 2);
    expect(generateDevnet(7, 2, { layout: 'static' })).toEqual(devnet);
    expect(connected(devnet)).toBe(true);
    for (const node of devnet.nodes) {
      expect(node.host).toBe('127.0.0.1');
      expect(node.bootstrap).toEqual([]);
      expect(node.peers.length).toBeGreaterThanOrEqual(1);
    }
  });

  it.each([1, 2, 3, 4, 7, 12, 40])('%i nodes: connected, unique, names node6.. past erin', (count) => {
    for (const layout of ['discovery', 'static'] as const) {
      expect(connected(generateDevnet(count, Math.min(2, count), { layout })), layout).toBe(true);
    }
    const devnet = generateDevnet(count, Math.min(2, count), { layout: 'discovery' });
    expect(devnet.nodes).toHaveLength(count);
    if (count > 5) expect(devnet.nodes[5]!.name).toBe('node6');
    for (const node of devnet.nodes) expect(node.devAccount).toBeGreaterThanOrEqual(1);
  });

  it('outbound targets: 4 full-relay + 1 block-relay-only, scaled down to leave one node spare', () => {
    expect(devnetOutboundTargets(1)).toEqual({ outboundFullRelay: 0, blockRelayOnly: 0 });
    expect(devnetOutboundTargets(2)).toEqual({ outboundFullRelay: 1, blockRelayOnly: 0 });
    expect(devnetOutboundTargets(4)).toEqual({ outboundFullRelay: 2, blockRelayOnly: 0 });
    expect(devnetOutboundTargets(5)).toEqual({ outboundFullRelay: 2, blockRelayOnly: 1 });
    expect(devnetOutboundTargets(7)).toEqual({ outboundFullRelay: 4, blockRelayOnly: 1 });
    expect(devnetOutboundTargets(20)).toEqual({ outboundFullRelay: 4, blockRelayOnly: 1 });
    for (let n = 2; n <= 30; n++) {
      const t = devnetOutboundTargets(n);
      expect(t.outboundFullRelay + t.blockRelayOnly).toBeLessThanOrEqual(Math.max(1, n - 2));
    }
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
