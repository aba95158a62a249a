/**
 * Devnet node definitions: which nodes a local devnet runs, their roles, ports and peers.
 *
 * The default devnet lives in `nodes/devnet.json` (5 nodes: alice and carol mine, bob, dave and
 * erin relay; a ring alice-bob-dave-erin-carol-alice plus the chord bob-carol, so the graph is
 * connected but not complete and no single quarantine splits it). `generateDevnet(n, miners)`
 * builds the same shape for any size (`--nodes N`).
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
  /** Names of the nodes this node dials at start. */
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
  return `/ip4/127.0.0.1/tcp/${def.p2pPort}`;
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
    checkKeys(raw, ['name', 'roles', 'p2pPort', 'rpcPort', 'metricsPort', 'peers', 'devAccount'], at, fail);
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
    const peers = raw.peers;
    if (!Array.isArray(peers) || peers.some((p) => typeof p !== 'string')) {
      return fail(`${at}.peers`, 'expected an array of node names');
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
      peers: peers as string[],
      devAccount,
      network,
      dataRoot,
    };
  });

  // Cross-node rules: unique names, unique ports (all bind 127.0.0.1), peers that exist.
  const names = new Map<string, number>();
  const ports = new Map<number, string>();
  nodes.forEach((node, i) => {
    const first = names.get(node.name);
    if (first !== undefined) fail(`nodes[${i}].name`, `'${node.name}' is already used by nodes[${first}]`);
    names.set(node.name, i);
    for (const key of ['p2pPort', 'rpcPort', 'metricsPort'] as const) {
      const owner = ports.get(node[key]);
      if (owner !== undefined) fail(`nodes[${i}].${key}`, `${node[key]} is already used by ${owner}`);
      ports.set(node[key], `nodes[${i}].${key}`);
    }
  });
  nodes.forEach((node, i) => {
    node.peers.forEach((peer, j) => {
      const field = `nodes[${i}].peers[${j}]`;
      if (!names.has(peer)) fail(field, `no node named '${peer}'`);
      if (peer === node.name) fail(field, 'a node cannot peer with itself');
      if (node.peers.indexOf(peer) !== j) fail(field, `duplicate peer '${peer}'`);
    });
  });
  return { network, dataRoot, nodes };
}

export interface GenerateOptions {
  network?: string;
  /** Relative to `repoRoot`, or absolute. Default `.devnet`. */
  dataRoot?: string;
  repoRoot?: string;
}

/**
 * An `count`-node devnet: alice..erin then node6, node7, ...; ports `BASE_PORTS + i`; node i dials
 * the previous node (a ring) and every even node also dials the node half-way round (chords), so
 * the graph is connected, has a small diameter and is not complete. `miners` miners are spread
 * evenly (for 5 nodes and 2 miners: alice and carol). Dev accounts 1, 2, ... (reused past 9).
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
  const half = Math.floor(count / 2);
  const raw = Array.from({ length: count }, (_, i) => {
    const peers = new Set<number>();
    if (count > 1) peers.add((i - 1 + count) % count);
    if (count >= 4 && i % 2 === 0) peers.add((i + half) % count);
    peers.delete(i);
    return {
      name: nameOf(i),
      roles: [minerIndexes.has(i) ? 'miner' : 'relay'],
      p2pPort: BASE_PORTS.p2p + i,
      rpcPort: BASE_PORTS.rpc + i,
      metricsPort: BASE_PORTS.metrics + i,
      peers: [...peers].map(nameOf),
      devAccount: (i % (DEV_ACCOUNT_LIMIT - 1)) + 1,
    };
  });
  const json = { network: options.network ?? 'devnet', dataRoot: options.dataRoot ?? '.devnet', nodes: raw };
  return parseDevnet(json, options.repoRoot ?? REPO_ROOT, source);
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
