/**
 * What the launcher checks and sets up before it spawns a node: which devnet (a definitions file
 * or a generated one), whether any of its nodes already runs, whether its ports are free, and
 * the `--reset` of its data root. Every refusal is a `DevnetSetupError` with one line saying what
 * to do.
 *
 * A generated devnet (`--nodes`, `--miners`) takes its network, data root and first ports from a
 * template definitions file (`--devnet <file>`, default nodes/devnet.json), so it shares the data
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
  type DevnetDefinition,
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
  const generated = generateDevnet(count, miners, { network: template.network, dataRoot: template.dataRoot });
  const first = template.nodes[0];
  if (first === undefined) return generated;
  const shift = {
    p2p: first.p2pPort - BASE_PORTS.p2p,
    rpc: first.rpcPort - BASE_PORTS.rpc,
    metrics: first.metricsPort - BASE_PORTS.metrics,
  };
  if (shift.p2p === 0 && shift.rpc === 0 && shift.metrics === 0) return generated;
  const json = {
    network: generated.network,
    dataRoot: generated.dataRoot,
    nodes: generated.nodes.map(({ name, roles, p2pPort, rpcPort, metricsPort, peers, devAccount }) => ({
      name,
      roles,
      p2pPort: p2pPort + shift.p2p,
      rpcPort: rpcPort + shift.rpc,
      metricsPort: metricsPort + shift.metrics,
      peers,
      devAccount,
    })),
  };
  return parseDevnet(json, REPO_ROOT, `devnet generated from ${templateName}`);
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
