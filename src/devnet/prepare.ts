/**
 * What the launcher checks and sets up before it spawns a node: which devnet (a definitions file
 * or a generated one), whether any of its nodes already runs, whether its ports are free, and
 * the `--reset` of its data root. Every refusal is a `DevnetSetupError` with one line saying what
 * to do.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { probeNodes } from '../cli/nodes.js';
import {
  DEFAULT_DEVNET_FILE,
  type DevnetDefinition,
  displayPath,
  generateDevnet,
  loadDevnet,
  REPO_ROOT,
} from '../node/devnet-definitions.js';

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
  /** `--devnet <file>`: definitions file (relative to the working directory). */
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
  /** Whether it is the default file, so hints can leave `--devnet` out. */
  readonly isDefault: boolean;
  /** Set when the devnet was generated: the file must be written before nodes start. */
  readonly generated: boolean;
}

/** The devnet the options describe: the file, or `generateDevnet(nodes, miners)` into `.devnet/`. */
export function resolveDevnet(choice: DevnetChoice): ResolvedDevnet {
  const generate = choice.nodes !== undefined || choice.miners !== undefined;
  if (generate && choice.file !== undefined) {
    throw new DevnetSetupError('give --devnet <file> or --nodes/--miners, not both');
  }
  if (!generate) {
    const file = resolve(choice.file ?? join(REPO_ROOT, DEFAULT_DEVNET_FILE));
    const devnet = loadDevnet(file, REPO_ROOT);
    return { devnet, file, isDefault: file === resolve(REPO_ROOT, DEFAULT_DEVNET_FILE), generated: false };
  }
  const count = choice.nodes ?? loadDevnet(DEFAULT_DEVNET_FILE, REPO_ROOT).nodes.length;
  const miners = choice.miners ?? Math.min(DEFAULT_GENERATED_MINERS, count);
  const devnet = generateDevnet(count, miners);
  return { devnet, file: join(devnet.dataRoot, GENERATED_FILE_NAME), isDefault: false, generated: true };
}

/** Writes a generated devnet where its nodes (and the CLI, with `--devnet`) can read it. */
export async function writeDevnetFile(resolved: ResolvedDevnet): Promise<void> {
  const { devnet } = resolved;
  const json = {
    network: devnet.network,
    dataRoot: portablePath(devnet.dataRoot),
    nodes: devnet.nodes.map(({ name, roles, p2pPort, rpcPort, metricsPort, peers, devAccount }) => ({
      name,
      roles,
      p2pPort,
      rpcPort,
      metricsPort,
      peers,
      devAccount,
    })),
  };
  await mkdir(devnet.dataRoot, { recursive: true });
  await writeFile(resolved.file, `${JSON.stringify(json, null, 2)}\n`);
}

/** Relative to the repository root when inside it (a repo can move), else absolute. */
function portablePath(path: string): string {
  const rel = relative(REPO_ROOT, path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

/** Names of the devnet's nodes that answer an authenticated RPC `status`. */
export async function runningNodes(devnet: DevnetDefinition): Promise<string[]> {
  const probes = await probeNodes(devnet, PROBE_TIMEOUT_MS);
  return probes.filter((p) => p.running).map((p) => p.name);
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

/** Refuses when any port a node will listen on is taken, naming the node and the port. */
export async function checkPortsFree(devnet: DevnetDefinition): Promise<void> {
  const taken: string[] = [];
  for (const def of devnet.nodes) {
    for (const [what, port] of [
      ['p2p', def.p2pPort],
      ['rpc', def.rpcPort],
      ['metrics', def.metricsPort],
    ] as const) {
      if (!(await isPortFree(port))) taken.push(`${port} (${def.name} ${what})`);
    }
  }
  if (taken.length > 0) {
    throw new DevnetSetupError(
      `port${taken.length === 1 ? '' : 's'} ${taken.join(', ')} already in use by another program; ` +
        'stop it, or use other ports with --devnet <file>',
    );
  }
}

/** Whether a TCP server can listen on 127.0.0.1:`port` right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolvePort(true)));
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
