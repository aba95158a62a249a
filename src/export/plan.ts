/**
 * The network an export describes, independent of the target (Kubernetes, compose): node names,
 * roles, derived identities and the bootstrap multiaddrs, all known at export time.
 *
 * - node i (0-based) is named `node-<i>`; its Service (or compose service) has that name, so other
 *   nodes reach it at `/dns4/node-<i>/tcp/7000/p2p/<its peer id>`;
 * - its libp2p key is derived from the seed and its index (src/testnet/keys.ts), written into its
 *   data dir before it starts, so its peer id is the one in the others' bootstrap lists;
 * - each node bootstraps from the nodes its seeded topology says it dials (src/testnet/topology.ts);
 * - attackers are `attacker-<k>`, each dialing a few honest nodes;
 * - the first `miners` nodes, spread over the network, mine; nodes 0..8 hold funded dev wallets.
 */
import { ATTACKER_DEV_ACCOUNT } from '../attacks/runner.js';
import { NODE_ENV_TUNING, NODE_V8_FLAGS } from '../devnet/process-tuning.js';
import { deriveIdentity } from '../testnet/keys.js';
import type { AttackerSpec } from '../testnet/options.js';
import { buildTopology } from '../testnet/topology.js';

/** P2P port of every node. */
export const P2P_PORT = 7000;
/** The node's own /metrics port (127.0.0.1 inside the pod). */
export const NODE_METRICS_PORT = 9101;
/** Port the metrics gateway serves /metrics on, on every interface of the pod (Prometheus scrapes it). */
export const METRICS_PORT = 9100;
/** Data directory inside the container (a volume). */
export const DATA_DIR = '/data';
/** Peers each honest node dials. */
const DIALS = 3;
/** Honest nodes each attacker dials. */
const ATTACKER_DIALS = 3;

export class ExportUsageError extends Error {
  override readonly name = 'ExportUsageError';
}

export interface ExportOptions {
  readonly nodes: number;
  readonly attackers: readonly AttackerSpec[];
  readonly seed: string;
  readonly miners: number;
  /** Container image of the node (deploy/Dockerfile). */
  readonly image: string;
  readonly network: string;
  /** How long the scenario Job observes the network (unit: s). */
  readonly scenarioS: number;
}

export interface PlannedNode {
  readonly name: string;
  readonly index: number;
  readonly peerId: string;
  /** The `p2p-key` file, base64. */
  readonly keyBase64: string;
  readonly attackKind: string | null;
  readonly miner: boolean;
  readonly devAccount: number | null;
  /** `/dns4/<name>/tcp/<port>/p2p/<id>` of the nodes it dials. */
  readonly bootstrap: readonly string[];
}

export interface NetworkPlan {
  readonly options: ExportOptions;
  readonly nodes: readonly PlannedNode[];
}

export function dnsAddress(name: string, peerId: string): string {
  return `/dns4/${name}/tcp/${P2P_PORT}/p2p/${peerId}`;
}

export async function planNetwork(options: ExportOptions): Promise<NetworkPlan> {
  if (!Number.isInteger(options.nodes) || options.nodes < 2)
    throw new ExportUsageError('--nodes must be at least 2');
  if (options.miners < 0 || options.miners > options.nodes)
    throw new ExportUsageError('--miners must be 0..--nodes');
  const attackers = options.attackers.flatMap((spec) => Array.from({ length: spec.count }, () => spec.kind));
  const total = options.nodes + attackers.length;
  const identities = await Promise.all(
    Array.from({ length: total }, (_, i) => deriveIdentity(options.seed, i)),
  );
  const names = Array.from({ length: total }, (_, i) =>
    i < options.nodes ? `node-${i}` : `attacker-${i - options.nodes}`,
  );
  const address = (i: number): string => dnsAddress(names[i]!, identities[i]!.peerId);
  const topology = buildTopology(
    options.nodes,
    Math.min(DIALS, options.nodes - 1),
    Number.parseInt(options.seed, 36) || 1,
  );
  const miners = new Set(
    Array.from({ length: options.miners }, (_, m) => Math.floor((m * options.nodes) / options.miners)),
  );
  const nodes: PlannedNode[] = names.map((name, i) => {
    const honest = i < options.nodes;
    const a = i - options.nodes;
    const dials = honest
      ? topology.dials[i]!
      : Array.from(
          { length: Math.min(ATTACKER_DIALS, options.nodes) },
          (_, k) => (a + k * Math.ceil(options.nodes / ATTACKER_DIALS)) % options.nodes,
        );
    return {
      name,
      index: i,
      peerId: identities[i]!.peerId,
      keyBase64: Buffer.from(identities[i]!.keyBytes).toString('base64'),
      attackKind: honest ? null : attackers[a]!,
      miner: honest && miners.has(i),
      devAccount: honest ? (i < ATTACKER_DEV_ACCOUNT ? i : null) : ATTACKER_DEV_ACCOUNT,
      bootstrap: [...new Set(dials)].map(address),
    };
  });
  return { options, nodes };
}

/** The node's command line inside the container (after `node --import tsx --import <gateway>`). */
export function nodeCommand(node: PlannedNode, network: string): string[] {
  return [
    node.attackKind === null ? 'src/node/main.ts' : 'src/attacks/main.ts',
    ...(node.attackKind === null ? [] : ['--kind', node.attackKind]),
    '--data-dir',
    DATA_DIR,
    '--network',
    network,
    '--host',
    '0.0.0.0',
    '--port',
    String(P2P_PORT),
    '--rpc-port',
    '-1',
    '--metrics-port',
    String(NODE_METRICS_PORT),
    node.miner ? '--mine' : '--no-mine',
    ...(node.devAccount === null ? [] : ['--dev-account', String(node.devAccount)]),
    '--log-stdout',
    ...node.bootstrap.flatMap((addr) => ['--peer', addr]),
  ];
}

/**
 * Node flags before the entry: the devnet's V8 flags (src/devnet/process-tuning.ts), tsx, and the
 * gateway that exposes /metrics on METRICS_PORT.
 */
export const NODE_PRELOADS = [
  ...NODE_V8_FLAGS,
  '--import',
  'tsx',
  '--import',
  './src/testnet/host-preload.ts',
];

/**
 * A node container's environment: the devnet's malloc settings (src/devnet/process-tuning.ts) and
 * the gateway's, /metrics on every interface, port METRICS_PORT.
 */
export const NODE_CONTAINER_ENV: Readonly<Record<string, string>> = {
  ...NODE_ENV_TUNING,
  TMNET_GATEWAY: `0.0.0.0:${METRICS_PORT}=${NODE_METRICS_PORT}`,
};
