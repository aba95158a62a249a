/**
 * Which node a CLI or REPL invocation talks to: a devnet node by name (its RPC port and cookie
 * come from the definitions file) or any node given by `--rpc <url> --cookie <file>`.
 */
import { dirname, join, resolve } from 'node:path';
import {
  ConfigError,
  cookiePathOf,
  DEFAULT_DEVNET_FILE,
  type DevnetDefinition,
  loadDevnet,
  REPO_ROOT,
  rpcUrlOf,
} from '../node/devnet-definitions.js';
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
  const devnet = loadDevnetFile(options.devnet);
  const def = devnet.nodes.find((n) => n.name === node);
  if (def === undefined) {
    throw new UsageError(`unknown node '${node}' (nodes: ${devnet.nodes.map((n) => n.name).join(', ')})`);
  }
  return {
    name: def.name,
    url: rpcUrlOf(def),
    cookiePath: options.cookie === undefined ? cookiePathOf(def) : resolve(options.cookie),
    historyFile: join(devnet.dataRoot, '.repl_history'),
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
