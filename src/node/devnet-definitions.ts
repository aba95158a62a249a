/**
 * Devnet node definitions: which nodes a local devnet runs, their roles, addresses, ports and how
 * each finds its peers.
 *
 * A node finds its peers by discovery (docs/membership.md): it listens on its own loopback address
 * (`host`, node i of a generated devnet on 127.(i+1).0.1, so each node is alone in its /16 netgroup
 * and the real netgroup rules apply on one machine), is given one or two `bootstrap` nodes (the
 * first node bootstraps from the second, every other node from the first two) and keeps devnet-sized
 * outbound targets (`devnetOutboundTargets`) filled from its address book. Static `peers` (manual,
 * addnode-style) still work: a definition with `peers` and no `bootstrap` keeps exactly those.
 *
 * The default devnet lives in `nodes/devnet.json` (5 nodes: alice and carol mine, bob, dave and
 * erin relay; all by discovery). `generateDevnet(n, miners, { layout: 'discovery' })` builds the
 * same shape for any size (`--nodes N`); its default, `layout: 'static'`, builds the older static
 * ring on 127.0.0.1 (the scenario runner's devnet, src/scenario/honest-devnet.ts, which writes only
 * the `peers` of each node).
 *
 * Every invalid value is a `ConfigError` whose one-line message names the file and the field, e.g.
 * `nodes/devnet.json: nodes[2].rpcPort: 8101 is already used by nodes[0].rpcPort`.
 *
 * This module is imported by the CLI, so it stays free of chain and crypto imports (fast start).
 *
 * @example
 * ```ts
 * const devnet = loadDevnet();
 * for (const node of devnet.nodes) console.log(node.name, rpcUrlOf(node), dataDirOf(node));
 * ```
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-error.js';

export { ConfigError };

/** The repository root (two levels above this file), against which relative paths resolve. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The default definitions file, relative to the repository root. */
export const DEFAULT_DEVNET_FILE = 'nodes/devnet.json';

/**
 * Number of funded dev accounts at genesis. Mirrors `DEV_ACCOUNT_COUNT` in src/chain/genesis.ts
 * (not imported: that would load the chain and crypto code into every CLI start); a unit test
 * keeps the two equal.
 */
export const DEV_ACCOUNT_LIMIT = 10;

/** Most nodes `generateDevnet` builds: keeps the generated port ranges (base + i) disjoint. */
export const MAX_GENERATED_NODES = 100;

/** First ports of the generated layout; node i (0-based) uses base + i. */
export const BASE_PORTS = Object.freeze({ p2p: 7101, rpc: 8101, metrics: 9101 });

/** The P2P listen address of a node whose definition names none (RPC and metrics always use it). */
export const DEFAULT_P2P_HOST = '127.0.0.1';

/**
 * Outbound targets of a devnet node that discovers its peers: 4 full-relay + 1 block-relay-only
 * (Core: 8 + 2). A devnet of 5 to 30 nodes cannot give every node Core's 10 outbound peers in
 * distinct netgroups (a 5-node devnet has 4 other nodes), and on 2 shared cores 10 outbound
 * connections per node would make a 20-node devnet a near-complete graph of ~200 connections, each
 * pinged every 5 s; 4 + 1 keeps every node at degree ~10 (outbound plus inbound), enough that no
 * single quarantine or crash splits the graph, with one block-relay-only peer as Core's defence
 * against partitioning by address-relay spies. Smaller devnets scale down (see the function).
 */
export const DEVNET_OUTBOUND_FULL_RELAY = 4;
/** Block-relay-only outbound peers of a devnet node that discovers its peers (see above). */
export const DEVNET_BLOCK_RELAY_ONLY = 1;

/** Ways `generateDevnet` connects the nodes: discovery (the devnet's) or static peers on 127.0.0.1. */
export const DEVNET_LAYOUTS = ['discovery', 'static'] as const;
export type DevnetLayout = (typeof DEVNET_LAYOUTS)[number];

/** Names of the first five nodes; later ones are node6, node7, ... */
export const DEVNET_NAMES = Object.freeze(['alice', 'bob', 'carol', 'dave', 'erin']);

export const NODE_ROLES = ['miner', 'relay'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

/** Node names the CLI reserves as its own words (`cli nodes`, `cli help`). */
const RESERVED_NAMES = new Set(['nodes', 'help']);

/** A node name: lowercase, starts with a letter; it becomes a directory name, so nothing else. */
const NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** One node of a devnet, as written in the definitions file plus where its data lives. */
export interface NodeDefinition {
  readonly name: string;
  readonly roles: readonly NodeRole[];
  readonly p2pPort: number;
  readonly rpcPort: number;
  readonly metricsPort: number;
  /** IPv4 loopback address (127.0.0.0/8) the node's P2P port listens and dials on. */
  readonly host: string;
  /** Names of the nodes this node discovers its peers from (bootstrap addresses). */
  readonly bootstrap: readonly string[];
  /** Names of the nodes this node keeps connected as static (manual) peers. */
  readonly peers: readonly string[];
  /** Index of the funded dev account whose key the node's wallet uses. */
  readonly devAccount: number;
  /** The devnet's network name (copied onto every node, so a node definition stands alone). */
  readonly network: string;
  /** Absolute directory holding every node's data directory. */
  readonly dataRoot: string;
}

export interface DevnetDefinition {
  readonly network: string;
  /** Absolute directory holding every node's data directory. */
  readonly dataRoot: string;
  readonly nodes: readonly NodeDefinition[];
}

/** `<repoRoot>/<dataRoot>/<name>`: the node's keys, chain database, logs and RPC cookie. */
export function dataDirOf(def: NodeDefinition): string {
  return join(def.dataRoot, def.name);
}

export function rpcUrlOf(def: NodeDefinition): string {
  return `http://127.0.0.1:${def.rpcPort}`;
}

export function cookiePathOf(def: NodeDefinition): string {
  return join(dataDirOf(def), 'rpc.cookie');
}

export function peerAddrOf(def: NodeDefinition): string {
  return `/ip4/${def.host}/tcp/${def.p2pPort}`;
}

/**
 * The outbound targets of a node that discovers its peers in a devnet of `nodeCount` nodes:
 * `DEVNET_OUTBOUND_FULL_RELAY` + `DEVNET_BLOCK_RELAY_ONLY`, scaled down so a node can reach them
 * with one node to spare (at most `nodeCount - 2` outbound peers, at least 1): never two outbound
 * peers share a netgroup and every node is its own netgroup, so a target of `nodeCount - 1` would
 * need every node to know every other before it is met. The block-relay-only peer is kept once
 * there is room for 3 outbound peers (2 full-relay carry transactions).
 */
export function devnetOutboundTargets(nodeCount: number): {
  outboundFullRelay: number;
  blockRelayOnly: number;
} {
  if (nodeCount < 2) return { outboundFullRelay: 0, blockRelayOnly: 0 };
  const total = Math.max(1, Math.min(DEVNET_OUTBOUND_FULL_RELAY + DEVNET_BLOCK_RELAY_ONLY, nodeCount - 2));
  const blockRelayOnly = total >= 3 ? DEVNET_BLOCK_RELAY_ONLY : 0;
  return { outboundFullRelay: total - blockRelayOnly, blockRelayOnly };
}

/** The loopback address node `index` (0-based) of a discovery devnet listens on: 127.(index+1).0.1. */
export function devnetHostOf(index: number): string {
  return `127.${index + 1}.0.1`;
}

/** The JSON a definitions file holds for `devnet` (what `loadDevnet` reads back unchanged). */
export function devnetFileJson(devnet: DevnetDefinition, dataRoot: string): object {
  return {
    network: devnet.network,
    dataRoot,
    nodes: devnet.nodes.map(
      ({ name, roles, host, p2pPort, rpcPort, metricsPort, bootstrap, peers, devAccount }) => ({
        name,
        roles,
        host,
        p2pPort,
        rpcPort,
        metricsPort,
        bootstrap,
        peers,
        devAccount,
      }),
    ),
  };
}

export function isMiner(def: NodeDefinition): boolean {
  return def.roles.includes('miner');
}

/** The node called `name`, or a `ConfigError` listing the names there are. */
export function findNode(devnet: DevnetDefinition, name: string): NodeDefinition {
  const node = devnet.nodes.find((n) => n.name === name);
  if (node === undefined) {
    const names = devnet.nodes.map((n) => n.name).join(', ');
    throw new ConfigError('devnet', 'node', `no node named '${name}' (nodes: ${names})`);
  }
  return node;
}

/**
 * Reads and validates a definitions file. `file` is resolved against `repoRoot`, as is a relative
 * `dataRoot` inside it.
 */
export function loadDevnet(
  file: string = DEFAULT_DEVNET_FILE,
  repoRoot: string = REPO_ROOT,
): DevnetDefinition {
  const path = resolve(repoRoot, file);
  const source = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(source, 'file', code === 'ENOENT' ? 'not found' : `cannot read (${code ?? err})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(source, 'file', `not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  return parseDevnet(json, repoRoot, source);
}

/** Validates parsed JSON as a devnet definition; `source` names it in error messages. */
export function parseDevnet(
  json: unknown,
  repoRoot: string = REPO_ROOT,
  source = 'devnet',
): DevnetDefinition {
  const fail = (field: string, detail: string): never => {
    throw new ConfigError(source, field, detail);
  };
  if (!isRecord(json)) return fail('(root)', 'expected an object');
  checkKeys(json, ['network', 'dataRoot', 'nodes'], '', fail);
  const network = json.network;
  if (typeof network !== 'string' || !NAME_PATTERN.test(network)) {
    return fail('network', `expected a lowercase name like "devnet", got ${show(network)}`);
  }
  const dataRootRaw = json.dataRoot;
  if (typeof dataRootRaw !== 'string' || dataRootRaw.trim() === '') {
    return fail('dataRoot', `expected a directory path, got ${show(dataRootRaw)}`);
  }
  const dataRoot = resolve(repoRoot, dataRootRaw);
  const rawNodes = json.nodes;
  if (!Array.isArray(rawNodes) || rawNodes.length === 0) {
    return fail('nodes', `expected a non-empty array, got ${show(rawNodes)}`);
  }

  const nodes = rawNodes.map((raw: unknown, i): NodeDefinition => {
    const at = `nodes[${i}]`;
    if (!isRecord(raw)) return fail(at, 'expected an object');
    checkKeys(
      raw,
      ['name', 'roles', 'host', 'p2pPort', 'rpcPort', 'metricsPort', 'bootstrap', 'peers', 'devAccount'],
      at,
      fail,
    );
    const name = raw.name;
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
      return fail(`${at}.name`, `expected a lowercase name (a-z, 0-9, -; at most 32), got ${show(name)}`);
    }
    if (RESERVED_NAMES.has(name)) return fail(`${at}.name`, `'${name}' is reserved by the CLI`);
    const roles = raw.roles;
    if (!Array.isArray(roles) || roles.length === 0) {
      return fail(`${at}.roles`, `expected a non-empty array of ${NODE_ROLES.join('/')}`);
    }
    roles.forEach((role: unknown, j) => {
      if (!NODE_ROLES.includes(role as NodeRole)) {
        fail(`${at}.roles[${j}]`, `expected one of ${NODE_ROLES.join(', ')}, got ${show(role)}`);
      }
      if (roles.indexOf(role) !== j) fail(`${at}.roles[${j}]`, `duplicate role ${show(role)}`);
    });
    const port = (key: 'p2pPort' | 'rpcPort' | 'metricsPort'): number => {
      const value = raw[key];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65_535) {
        return fail(`${at}.${key}`, `expected a port 1..65535, got ${show(value)}`);
      }
      return value;
    };
    const nameList = (key: 'peers' | 'bootstrap'): string[] => {
      const value = raw[key] ?? [];
      if (!Array.isArray(value) || value.some((p) => typeof p !== 'string')) {
        return fail(`${at}.${key}`, 'expected an array of node names');
      }
      return value as string[];
    };
    const host = raw.host ?? DEFAULT_P2P_HOST;
    if (typeof host !== 'string' || !isLoopbackIpv4(host)) {
      return fail(`${at}.host`, `expected an IPv4 loopback address 127.x.y.z, got ${show(host)}`);
    }
    const devAccount = raw.devAccount;
    if (
      typeof devAccount !== 'number' ||
      !Number.isInteger(devAccount) ||
      devAccount < 0 ||
      devAccount >= DEV_ACCOUNT_LIMIT
    ) {
      return fail(
        `${at}.devAccount`,
        `expected a dev account index 0..${DEV_ACCOUNT_LIMIT - 1}, got ${show(devAccount)}`,
      );
    }
    return {
      name,
      roles: roles as NodeRole[],
      p2pPort: port('p2pPort'),
      rpcPort: port('rpcPort'),
      metricsPort: port('metricsPort'),
      host,
      bootstrap: nameList('bootstrap'),
      peers: nameList('peers'),
      devAccount,
      network,
      dataRoot,
    };
  });

  // Cross-node rules: unique names, unique listen addresses (RPC and metrics bind 127.0.0.1, P2P
  // binds its host), peers and bootstrap nodes that exist.
  const names = new Map<string, number>();
  const ports = new Map<string, string>();
  nodes.forEach((node, i) => {
    const first = names.get(node.name);
    if (first !== undefined) fail(`nodes[${i}].name`, `'${node.name}' is already used by nodes[${first}]`);
    names.set(node.name, i);
    for (const key of ['p2pPort', 'rpcPort', 'metricsPort'] as const) {
      const host = key === 'p2pPort' ? node.host : DEFAULT_P2P_HOST;
      const owner = ports.get(`${host}:${node[key]}`);
      if (owner !== undefined) {
        const where = host === DEFAULT_P2P_HOST ? '' : ` on ${host}`;
        fail(`nodes[${i}].${key}`, `${node[key]}${where} is already used by ${owner}`);
      }
      ports.set(`${host}:${node[key]}`, `nodes[${i}].${key}`);
    }
  });
  nodes.forEach((node, i) => {
    for (const key of ['peers', 'bootstrap'] as const) {
      node[key].forEach((peer, j) => {
        const field = `nodes[${i}].${key}[${j}]`;
        if (!names.has(peer)) fail(field, `no node named '${peer}'`);
        if (peer === node.name)
          fail(field, `a node cannot ${key === 'peers' ? 'peer with' : 'bootstrap from'} itself`);
        if (node[key].indexOf(peer) !== j) fail(field, `duplicate node '${peer}'`);
      });
    }
  });
  return { network, dataRoot, nodes };
}

export interface GenerateOptions {
  network?: string;
  /** 'discovery': own loopback addresses and bootstrap nodes; 'static' (default): a ring of peers. */
  layout?: DevnetLayout;
  /** Relative to `repoRoot`, or absolute. Default `.devnet`. */
  dataRoot?: string;
  repoRoot?: string;
}

/**
 * An `count`-node devnet: alice..erin then node6, node7, ...; ports `BASE_PORTS + i`; `miners`
 * miners spread evenly (for 5 nodes and 2 miners: alice and carol); dev accounts 1, 2, ... (reused
 * past 9). How nodes meet depends on `options.layout`:
 * - 'discovery' (the devnet launcher's): node i listens on 127.(i+1).0.1; node 0 bootstraps from node 1, every
 *   other node from nodes 0 and 1; each finds the rest by address relay;
 * - 'static' (default): every node on 127.0.0.1; node i dials the previous node (a ring) and every even node
 *   also the node half-way round (chords): connected, small diameter, not complete.
 */
export function generateDevnet(count: number, miners = 2, options: GenerateOptions = {}): DevnetDefinition {
  const source = 'generated devnet';
  if (!Number.isInteger(count) || count < 1 || count > MAX_GENERATED_NODES) {
    throw new ConfigError(
      source,
      'nodes',
      `expected a node count 1..${MAX_GENERATED_NODES}, got ${show(count)}`,
    );
  }
  if (!Number.isInteger(miners) || miners < 0 || miners > count) {
    throw new ConfigError(source, 'miners', `expected a miner count 0..${count}, got ${show(miners)}`);
  }
  const nameOf = (i: number): string => DEVNET_NAMES[i] ?? `node${i + 1}`;
  const minerIndexes = new Set(Array.from({ length: miners }, (_, k) => Math.floor((k * count) / miners)));
  const layout = options.layout ?? 'static';
  if (!DEVNET_LAYOUTS.includes(layout)) {
    throw new ConfigError(
      source,
      'layout',
      `expected one of ${DEVNET_LAYOUTS.join(', ')}, got ${show(layout)}`,
    );
  }
  const half = Math.floor(count / 2);
  const raw = Array.from({ length: count }, (_, i) => {
    const peers = new Set<number>();
    const bootstrap = new Set<number>();
    if (layout === 'static') {
      if (count > 1) peers.add((i - 1 + count) % count);
      if (count >= 4 && i % 2 === 0) peers.add((i + half) % count);
      peers.delete(i);
    } else {
      for (const seed of [0, 1]) if (seed < count && seed !== i) bootstrap.add(seed);
    }
    return {
      name: nameOf(i),
      roles: [minerIndexes.has(i) ? 'miner' : 'relay'],
      host: layout === 'static' ? DEFAULT_P2P_HOST : devnetHostOf(i),
      p2pPort: BASE_PORTS.p2p + i,
      rpcPort: BASE_PORTS.rpc + i,
      metricsPort: BASE_PORTS.metrics + i,
      bootstrap: [...bootstrap].map(nameOf),
      peers: [...peers].map(nameOf),
      devAccount: (i % (DEV_ACCOUNT_LIMIT - 1)) + 1,
    };
  });
  const json = { network: options.network ?? 'devnet', dataRoot: options.dataRoot ?? '.devnet', nodes: raw };
  return parseDevnet(json, options.repoRoot ?? REPO_ROOT, source);
}

/** Whether `text` is a dotted-quad IPv4 address in 127.0.0.0/8 (a devnet is one machine). */
function isLoopbackIpv4(text: string): boolean {
  const parts = text.split('.');
  return (
    parts.length === 4 &&
    parts[0] === '127' &&
    parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(
  obj: Record<string, unknown>,
  allowed: readonly string[],
  at: string,
  fail: (field: string, detail: string) => never,
): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      fail(at === '' ? key : `${at}.${key}`, `unknown field (expected: ${allowed.join(', ')})`);
    }
  }
}

function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
