/**
 * The baseline network of the propagation benchmark: one flood-node.ts process per node, over the
 * same topology (same dials, same directions) as the trustmesh network, publishing payloads of the
 * measured average transaction size from the same senders.
 */
import { join } from 'node:path';
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { ArrivalLog, type BenchNetwork, type NodeStatus } from './phase.js';
import { LOOPBACK, type Placement } from './placement.js';
import { type Child, nodeFlags, spawnChild } from './processes.js';
import type { Topology } from './topology.js';
import { identitySeed } from './trustmesh-network.js';

/** Gossipsub's default Dlo (not exported by the package): the baseline runs with the defaults. */
const GOSSIPSUB_DEFAULT_DLO = 4;

/** How long (ms) a node may take to start. */
const START_TIMEOUT_MS = 180_000;
/** How long (ms) a node may take to answer a status command. */
const STATUS_TIMEOUT_MS = 10_000;

export interface FloodNetworkOptions {
  topology: Topology;
  seed: number;
  repoRoot: string;
  /** Bytes of every payload. */
  payloadBytes: number;
  echoStderr: boolean;
  /** Where the nodes run (default: all on 127.0.0.1), the same as the trustmesh network's. */
  placement?: Placement;
}

/** P2P port of the flood nodes on namespace hosts (trustmesh's nodes use 7000-7001 there). */
const HOST_P2P_PORT = 7100;

export async function startFloodNetwork(options: FloodNetworkOptions): Promise<BenchNetwork> {
  const { topology, repoRoot } = options;
  const n = topology.nodes;
  const placement = options.placement ?? LOOPBACK;
  const [ports] = (await placement.ports(n, [HOST_P2P_PORT])) as [number[]];
  const seeds = Array.from({ length: n }, (_, i) => identitySeed(options.seed, 'flood', i));
  const peerIds = await Promise.all(
    seeds.map(async (seed) =>
      peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', seed)).toString(),
    ),
  );
  const nonce = BigInt(Date.now());
  const arrivals = new ArrivalLog();
  const children: Child[] = [];
  for (let i = 0; i < n; i++) {
    const args = [
      ...nodeFlags(),
      '--import',
      'tsx',
      join(repoRoot, 'scripts/bench/flood-node.ts'),
      '--key-seed',
      Buffer.from(seeds[i]!).toString('hex'),
      '--host',
      placement.address(i),
      '--port',
      String(ports[i]),
      '--nonce',
      String(nonce),
      ...topology.dials[i]!.flatMap((j) => [
        '--peer',
        `/ip4/${placement.address(j)}/tcp/${ports[j]}/p2p/${peerIds[j]}`,
      ]),
    ];
    const { command, args: commandArgs } = placement.command(i, args, repoRoot);
    const child = spawnChild(`flood-${i}`, command, commandArgs, {
      cwd: repoRoot,
      env: { ...process.env, ...placement.env(i, []) },
      echoStderr: options.echoStderr,
    });
    child.onEvent((event) => {
      if (event.e === 'recv' || event.e === 'sent') arrivals.record(String(event.id), i, event.t as number);
      if (event.e === 'error')
        process.stderr.write(`flood-${i}: publish ${event.id} failed: ${event.message}\n`);
    });
    children.push(child);
  }
  await Promise.all(
    children.map((child, i) =>
      child
        .waitFor((event) => event.event === 'started', START_TIMEOUT_MS, 'started line')
        .then((event) => {
          if (event.peerId !== peerIds[i]) throw new Error(`flood-${i} has peer id ${event.peerId}`);
        }),
    ),
  );
  return {
    label: 'baseline',
    meshLow: GOSSIPSUB_DEFAULT_DLO,
    children,
    p2pPorts: ports,
    ...(placement.namespaces === undefined ? {} : { namespaces: placement.namespaces }),
    arrivals,
    async status(node: number): Promise<NodeStatus> {
      const child = children[node]!;
      const answer = child.waitFor((event) => event.e === 'status', STATUS_TIMEOUT_MS, 'status');
      child.send({ cmd: 'status' });
      const event = await answer;
      return { peers: event.peers as number, mesh: event.mesh as number };
    },
    async inject(sender: number, seq: number): Promise<string> {
      children[sender]!.send({ cmd: 'publish', id: seq, size: options.payloadBytes });
      return String(seq);
    },
  };
}
