/**
 * Which node a CLI or REPL invocation talks to: a devnet node by name or any node given by
 * `--rpc <url> --cookie <file>`. A name resolves from the manifest of the devnet running in the
 * definitions' data root first (so node6, node7 of `npm run devnet -- --nodes 7` are found), then
 * from the definitions file (`nodes/devnet.json` or `--devnet <file>`); see
 * src/devnet/known-nodes.ts.
 */
import { dirname, join, resolve } from 'node:path';
import {
  ConfigError,
  DEFAULT_DEVNET_FILE,
  type DevnetDefinition,
  loadDevnet,
  REPO_ROOT,
} from '../node/devnet-definitions.js';
import { type KnownNodes, loadKnownNodes } from '../devnet/known-nodes.js';
import { UsageError } from './errors.js';
import { RpcClient, type RpcClientOptions } from './rpc-client.js';

export interface ConnectionOptions {
  rpc?: string;
  cookie?: string;
  /** Definitions file, relative to the working directory. */
  devnet?: string;
}

export interface Target {
  /** Devnet node name, or null for a node given by URL. */
  readonly name: string | null;
  readonly url: string;
  readonly cookiePath: string;
  /** Where the REPL keeps its history. */
  readonly historyFile: string;
}

/** The definitions file named by `--devnet` (relative to the working directory) or the default. */
export function loadDevnetFile(devnet: string | undefined): DevnetDefinition {
  return devnet === undefined
    ? loadDevnet(DEFAULT_DEVNET_FILE, REPO_ROOT)
    : loadDevnet(resolve(devnet), REPO_ROOT);
}

/** The nodes reachable by name: the running devnet's manifest, then the definitions file. */
export function knownNodesOf(devnet: string | undefined): KnownNodes & { readonly dataRoot: string } {
  const definitions = loadDevnetFile(devnet);
  return { ...loadKnownNodes(definitions), dataRoot: definitions.dataRoot };
}

/** Resolves `node` (a devnet name) or `--rpc`/`--cookie` into a target; `UsageError` when neither works. */
export function resolveTarget(node: string | undefined, options: ConnectionOptions): Target {
  if (options.rpc !== undefined) {
    if (node !== undefined)
      throw new UsageError(`give a node name or --rpc, not both (got '${node}' and --rpc)`);
    if (options.cookie === undefined)
      throw new UsageError('--rpc needs --cookie <file> (the node’s rpc.cookie)');
    const url = checkUrl(options.rpc);
    const cookiePath = resolve(options.cookie);
    return { name: null, url, cookiePath, historyFile: join(dirname(cookiePath), '.repl_history') };
  }
  if (node === undefined)
    throw new UsageError('missing node name (see `nodes`), or use --rpc <url> --cookie <file>');
  const known = knownNodesOf(options.devnet);
  const found = known.nodes.find((n) => n.name === node);
  if (found === undefined) {
    const ignored = known.problem === undefined ? '' : `; ignored the manifest: ${known.problem}`;
    throw new UsageError(
      `unknown node '${node}' (nodes: ${known.nodes.map((n) => n.name).join(', ')}${ignored})`,
    );
  }
  return {
    name: found.name,
    url: found.rpc,
    cookiePath: options.cookie === undefined ? found.cookiePath : resolve(options.cookie),
    historyFile: join(known.dataRoot, '.repl_history'),
  };
}

export function clientFor(target: Target, options: RpcClientOptions = {}): RpcClient {
  return RpcClient.fromCookie(target.url, target.cookiePath, {
    ...(target.name === null ? {} : { name: target.name }),
    ...options,
  });
}

function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--rpc '${text}' is not a URL (expected http://127.0.0.1:<port>)`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`--rpc '${text}': only http:// is supported`);
  return url.href.replace(/\/$/, '');
}

/** Exit code for an error: 2 when the command line or configuration is wrong, else 1. */
export function exitCodeOf(err: unknown): number {
  return err instanceof UsageError || err instanceof ConfigError ? 2 : 1;
}
