/**
 * What the launcher checks and sets up before it spawns a node: which devnet (a definitions file
 * or a generated one), whether any of its nodes already runs, whether its ports are free, and
 * the `--reset` of its data root. Every refusal is a `DevnetSetupError` with one line saying what
 * to do.
 *
 * A generated devnet (`--nodes`, `--miners`) finds its peers by discovery (each node on its own
 * 127.N.0.1, bootstrapping from the first two nodes) and takes its network, data root and first
 * ports from a template definitions file (`--devnet <file>`, default nodes/devnet.json), so it shares the data
 * root, and thus the manifest, that the CLI finds through that same file. "Already runs" counts
 * every node the data root's manifest or the definitions name (src/devnet/known-nodes.ts).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { probeNodes } from '../cli/nodes.js';
import {
  BASE_PORTS,
  ConfigError,
  DEFAULT_DEVNET_FILE,
  DEFAULT_P2P_HOST,
  type DevnetDefinition,
  devnetFileJson,
  displayPath,
  generateDevnet,
  loadDevnet,
  parseDevnet,
  REPO_ROOT,
} from '../node/devnet-definitions.js';
import { loadKnownNodes } from './known-nodes.js';
import { ManifestError } from './manifest.js';
import { readManifest } from './manifest-file.js';

/** How long a node has to answer `status` to count as running (unit: ms). */
const PROBE_TIMEOUT_MS = 1_000;

/** Miners of a generated devnet when `--miners` is not given (at most the node count). */
export const DEFAULT_GENERATED_MINERS = 2;

/** Name of the definitions file written into the data root of a generated devnet. */
export const GENERATED_FILE_NAME = 'devnet.json';

/** The launcher cannot go on; the message says why and what to do. */
export class DevnetSetupError extends Error {
  override name = 'DevnetSetupError';
}

export interface DevnetChoice {
  /** `--devnet <file>`: definitions file, or the template of a generated devnet (relative to the cwd). */
  readonly file?: string;
  /** `--nodes <n>`: generate a devnet of n nodes instead. */
  readonly nodes?: number;
  /** `--miners <n>`: miners of a generated devnet. */
  readonly miners?: number;
}

export interface ResolvedDevnet {
  readonly devnet: DevnetDefinition;
  /** Absolute path of the definitions file the nodes read (written first when generated). */
  readonly file: string;
  /** The file to name with `--devnet` to reach it: the one given, or the generated devnet's template. */
  readonly cliFile: string;
  /** Whether `cliFile` is the default file, so hints can leave `--devnet` out. */
  readonly isDefault: boolean;
  /** Set when the devnet was generated: the file must be written before nodes start. */
  readonly generated: boolean;
}

/**
 * The devnet the options describe: the file, or `generateDevnet(nodes, miners)` laid out from the
 * file as a template (its network and data root; node i on the template's first ports + i).
 */
export function resolveDevnet(choice: DevnetChoice): ResolvedDevnet {
  const cliFile = resolve(choice.file ?? join(REPO_ROOT, DEFAULT_DEVNET_FILE));
  const isDefault = cliFile === resolve(REPO_ROOT, DEFAULT_DEVNET_FILE);
  const template = loadDevnet(cliFile, REPO_ROOT);
  if (choice.nodes === undefined && choice.miners === undefined) {
    return { devnet: template, file: cliFile, cliFile, isDefault, generated: false };
  }
  const count = choice.nodes ?? template.nodes.length;
  const miners = choice.miners ?? Math.min(DEFAULT_GENERATED_MINERS, count);
  const devnet = generateFromTemplate(template, count, miners, displayPath(cliFile));
  const file = join(devnet.dataRoot, GENERATED_FILE_NAME);
  return { devnet, file, cliFile, isDefault, generated: true };
}

/** `generateDevnet` with the template's network, data root and first node's ports as the bases. */
function generateFromTemplate(
  template: DevnetDefinition,
  count: number,
  miners: number,
  templateName: string,
): DevnetDefinition {
  const generated = generateDevnet(count, miners, {
    network: template.network,
    dataRoot: template.dataRoot,
    layout: 'discovery',
  });
  const first = template.nodes[0];
  if (first === undefined) return generated;
  const shift = {
    p2p: first.p2pPort - BASE_PORTS.p2p,
    rpc: first.rpcPort - BASE_PORTS.rpc,
    metrics: first.metricsPort - BASE_PORTS.metrics,
  };
  if (shift.p2p === 0 && shift.rpc === 0 && shift.metrics === 0) return generated;
  const shifted: DevnetDefinition = {
    ...generated,
    nodes: generated.nodes.map((def) => ({
      ...def,
      p2pPort: def.p2pPort + shift.p2p,
      rpcPort: def.rpcPort + shift.rpc,
      metricsPort: def.metricsPort + shift.metrics,
    })),
  };
  // Parsed again: a shift may push a port past 65535 or onto another node's.
  return parseDevnet(
    devnetFileJson(shifted, generated.dataRoot),
    REPO_ROOT,
    `devnet generated from ${templateName}`,
  );
}

/** What the attacker aims at: the devnet a live manifest records, else the definitions file. */
export interface RunningDevnet {
  readonly devnet: DevnetDefinition;
  /** The file to name with `--devnet` to reach it (the one given). */
  readonly file: string;
  readonly isDefault: boolean;
}

/**
 * The devnet running in the data root of `file` (default nodes/devnet.json): the definitions file
 * its live manifest records (a generated devnet's node6, node7, ...), or `file` itself when no
 * launch is live or the recorded file cannot be read.
 */
export function resolveRunningDevnet(file: string | undefined): RunningDevnet {
  const { devnet: definitions, cliFile, isDefault } = resolveDevnet({ file });
  let devnet = definitions;
  try {
    const manifest = readManifest(definitions.dataRoot);
    if (manifest !== null && manifest.state !== 'stopped')
      devnet = loadDevnet(manifest.definitions, REPO_ROOT);
  } catch (err) {
    if (!(err instanceof ConfigError || err instanceof ManifestError)) throw err;
  }
  return { devnet, file: cliFile, isDefault };
}

/** Writes a generated devnet where its nodes (and the CLI, with `--devnet`) can read it. */
export async function writeDevnetFile(resolved: ResolvedDevnet): Promise<void> {
  const { devnet } = resolved;
  const json = devnetFileJson(devnet, portablePath(devnet.dataRoot));
  await mkdir(devnet.dataRoot, { recursive: true });
  await writeFile(resolved.file, `${JSON.stringify(json, null, 2)}\n`);
}

/** Relative to the repository root when inside it (a repo can move), else absolute. */
function portablePath(path: string): string {
  const rel = relative(REPO_ROOT, path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

/**
 * Names of the nodes that run in the devnet's data root: those of its manifest and of `devnet`
 * (the liveness rule of src/devnet/manifest.ts).
 */
export async function runningNodes(devnet: DevnetDefinition): Promise<string[]> {
  const reports = await probeNodes(loadKnownNodes(devnet).nodes, PROBE_TIMEOUT_MS);
  return reports.filter((r) => r.probe.running).map((r) => r.probe.name);
}

/** Refuses when a node of the devnet already runs (a second launcher, or nodes started by hand). */
export async function refuseIfRunning(devnet: DevnetDefinition, action: string): Promise<void> {
  const running = await runningNodes(devnet);
  if (running.length > 0) {
    throw new DevnetSetupError(
      `refusing to ${action}: ${running.join(', ')} ${running.length === 1 ? 'is' : 'are'} already running ` +
        '(stop the other launcher with Ctrl-C, or see `npm run cli -- nodes`)',
    );
  }
}

/**
 * Refuses when any address a node will listen on is taken, naming the node and the address: its
 * P2P port on its own host (127.N.0.1), its RPC and metrics ports on 127.0.0.1. A P2P host that
 * cannot be bound at all (no loopback route for it, e.g. on macOS without an alias) is named too.
 */
export async function checkPortsFree(devnet: DevnetDefinition): Promise<void> {
  const taken: string[] = [];
  const unusable = new Map<string, string>();
  for (const def of devnet.nodes) {
    for (const [what, host, port] of [
      ['p2p', def.host, def.p2pPort],
      ['rpc', DEFAULT_P2P_HOST, def.rpcPort],
      ['metrics', DEFAULT_P2P_HOST, def.metricsPort],
    ] as const) {
      if (unusable.has(host)) continue;
      const free = await probeListen(host, port);
      if (free === 'free') continue;
      if (free === 'no-address') unusable.set(host, def.name);
      else taken.push(`${host === DEFAULT_P2P_HOST ? '' : `${host}:`}${port} (${def.name} ${what})`);
    }
  }
  if (unusable.size > 0) {
    const hosts = [...unusable].map(([host, name]) => `${host} (${name})`).join(', ');
    throw new DevnetSetupError(
      `cannot listen on ${hosts}: this system does not route that loopback address; on Linux all of ` +
        '127.0.0.0/8 works, elsewhere add it (e.g. `sudo ifconfig lo0 alias 127.2.0.1`) or set `host` in --devnet <file>',
    );
  }
  if (taken.length > 0) {
    throw new DevnetSetupError(
      `port${taken.length === 1 ? '' : 's'} ${taken.join(', ')} already in use by another program; ` +
        'stop it, or use other ports with --devnet <file>',
    );
  }
}

/** Whether a TCP server can listen on 127.0.0.1:`port` right now. */
export async function isPortFree(port: number, host: string = DEFAULT_P2P_HOST): Promise<boolean> {
  return (await probeListen(host, port)) === 'free';
}

/** Listens on `host`:`port` and closes again: free, taken, or an address this system lacks. */
function probeListen(host: string, port: number): Promise<'free' | 'taken' | 'no-address'> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      resolvePort(err.code === 'EADDRNOTAVAIL' ? 'no-address' : 'taken'),
    );
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolvePort('free')));
  });
}

/**
 * Deletes the devnet's data root (`--reset`), after refusing when a node runs or when the path is
 * one no devnet should own (the repository, the home directory, or one of their parents).
 */
export async function resetDataRoot(devnet: DevnetDefinition): Promise<void> {
  await refuseIfRunning(devnet, `reset ${displayPath(devnet.dataRoot)}`);
  const root = resolve(devnet.dataRoot);
  for (const precious of [REPO_ROOT, homedir()]) {
    const p = resolve(precious);
    if (p === root || p.startsWith(root.endsWith(sep) ? root : root + sep)) {
      throw new DevnetSetupError(`refusing to reset ${root}: it holds ${p}`);
    }
  }
  await rm(root, { recursive: true, force: true });
}
