/**
 * Where the benchmark's node processes run: all on 127.0.0.1 (each on its own free ports), or one
 * per host of a namespace testnet (src/testnet/host-network.ts: each host its own address, port
 * space and shaped link; the process is started with `ip netns exec` and preloads
 * src/testnet/host-preload.ts, which applies the link delay and relays RPC to the host's address).
 * Both networks of a run (trustmesh and the baseline) use the same placement, so node i of each
 * sits on the same host behind the same link.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HostNetwork } from '../../src/testnet/host-network.js';
import { delayEnv } from '../../src/testnet/link-shaping.js';
import { freePorts } from '../../src/devnet/free-ports.js';

export interface Placement {
  /** Address node `i` listens on. */
  address(i: number): string;
  /**
   * Per service (one per entry of `bases`), one port per node: `base` itself on hosts, where every
   * node has its own port space; distinct free ports on 127.0.0.1.
   */
  ports(count: number, bases: readonly number[]): Promise<number[][]>;
  /** The command starting node `i` with `nodeArgs` (node flags, script, arguments). */
  command(i: number, nodeArgs: readonly string[], repoRoot: string): { command: string; args: string[] };
  /** Environment of node `i`; `gatewayPorts` are relayed from the host address to 127.0.0.1. */
  env(i: number, gatewayPorts: readonly number[]): Record<string, string>;
  /** Network namespaces to read sockets from (undefined: the root namespace). */
  readonly namespaces: readonly string[] | undefined;
}

export const LOOPBACK: Placement = {
  address: () => '127.0.0.1',
  ports: async (count, bases) => {
    const all = await freePorts(count * bases.length);
    return bases.map((_, k) => all.slice(k * count, (k + 1) * count));
  },
  command: (_i, nodeArgs) => ({ command: process.execPath, args: [...nodeArgs] }),
  env: () => ({}),
  namespaces: undefined,
};

export function onHosts(network: HostNetwork): Placement {
  const preload = (repoRoot: string): string =>
    pathToFileURL(join(repoRoot, 'src/testnet/host-preload.ts')).href;
  return {
    address: (i) => network.host(i + 1).address,
    ports: (count, bases) => Promise.resolve(bases.map((base) => Array.from({ length: count }, () => base))),
    command: (i, nodeArgs, repoRoot) => ({
      command: 'ip',
      // host-preload after tsx (it is TypeScript), before the script.
      args: [
        'netns',
        'exec',
        network.host(i + 1).namespace,
        process.execPath,
        ...withPreload(nodeArgs, preload(repoRoot)),
      ],
    }),
    env: (i, gatewayPorts) => ({
      ...delayEnv(network.shape, network.slot.network, network.slot.driverAddress),
      TMNET_GATEWAY:
        gatewayPorts.length === 0 ? '' : `${network.host(i + 1).address}:${gatewayPorts.join(',')}`,
    }),
    namespaces: network.hosts.map((host) => host.namespace),
  };
}

/** Inserts `--import <preload>` right after `--import tsx`. */
function withPreload(nodeArgs: readonly string[], preload: string): string[] {
  const at = nodeArgs.findIndex((arg, i) => arg === 'tsx' && nodeArgs[i - 1] === '--import');
  if (at === -1) throw new Error('bench: node arguments without --import tsx');
  return [...nodeArgs.slice(0, at + 1), '--import', preload, ...nodeArgs.slice(at + 1)];
}
