/**
 * A network of real trustmesh node processes for the propagation benchmark: `src/node/main.ts` on
 * regtest, one process and data dir per node, identities derived from the seed (so the driver
 * knows every peer id before any node starts and can give each its static peers), the topology's
 * dials as `--peer` flags, funded dev accounts 1..9 on the first nodes (the senders), and the
 * arrival probe preloaded (arrival-probe.ts).
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateKeyPairFromSeed, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { DEV_ACCOUNT_COUNT, DEV_OUTPUTS_PER_ACCOUNT, devAccount } from '../../src/chain/genesis.js';
import { UNITS_PER_COIN } from '../../src/chain/params.js';
import { RpcClient } from '../../src/cli/rpc-client.js';
import { toHex } from '../../src/crypto/hash.js';
import { cookiePathIn } from '../../src/node/rpc/cookie.js';
import { INV_MESH } from '../../src/p2p/node/gossip-config.js';
import { P2P_KEY_FILE } from '../../src/p2p/node/identity.js';
import { ArrivalLog, type BenchNetwork, type NodeStatus } from './phase.js';
import { LOOPBACK, type Placement } from './placement.js';
import { type Child, nodeFlags, spawnChild } from './processes.js';
import type { Topology } from './topology.js';

/** Dev accounts the senders use: 1..9 (account 0 signs genesis and receives the payments). */
export const SENDER_ACCOUNTS = DEV_ACCOUNT_COUNT - 1;
/** Payments per sender without mining: one genesis output each (no unconfirmed chains). */
export const PAYMENTS_PER_SENDER = DEV_OUTPUTS_PER_ACCOUNT;
/** Amount of each benchmark payment: 1 coin, to dev account 0. */
const PAYMENT_AMOUNT = UNITS_PER_COIN.toString();
/** How long (ms) a node may take to start (20 tsx processes on 2 cores take a while). */
const START_TIMEOUT_MS = 180_000;
/** Timeout (ms) of one RPC call. */
const RPC_TIMEOUT_MS = 15_000;

/** Relay steps recorded by the probe in trace mode (see arrival-probe.ts). */
export interface RelayTrace {
  /** First Inv naming the tx, and the first from a preferred peer (if later). */
  inv: Map<string, { t: number; peer: string; preferred: boolean }>;
  invPreferred: Map<string, { t: number; peer: string }>;
  get: Map<string, { t: number; peer: string }>;
  got: Map<string, { t: number; peer: string }>;
  pub: Map<string, number>;
  /** Times our getdata server looked the tx up (one per request served). */
  srv: Map<string, number[]>;
  /** Invs received naming the tx (within a few seconds of the first). */
  invCount: Map<string, number>;
}

export interface TrustmeshNetworkOptions {
  topology: Topology;
  seed: number;
  root: string;
  repoRoot: string;
  logLevel: string;
  trace: boolean;
  /** What-if changes applied by the probe (see arrival-probe.ts); empty for real measurements. */
  experiments: readonly string[];
  echoStderr: boolean;
  /** Where the nodes run (default: all on 127.0.0.1). */
  placement?: Placement;
}

/** P2P and RPC ports of the nodes on namespace hosts (each host has its own port space). */
const HOST_P2P_PORT = 7000;
const HOST_RPC_PORT = 7001;

export interface TrustmeshNetwork extends BenchNetwork {
  readonly peerIds: readonly string[];
  /** Node index of a peer id. */
  readonly nodeOfPeer: ReadonlyMap<string, number>;
  readonly traces: readonly RelayTrace[];
}

/** The identity seed of benchmark node `i` (deterministic: the same seed gives the same peer ids). */
export function identitySeed(seed: number, kind: string, i: number): Uint8Array {
  return createHash('sha256').update(`trustmesh-bench/${seed}/${kind}/${i}`).digest();
}

export async function startTrustmeshNetwork(options: TrustmeshNetworkOptions): Promise<TrustmeshNetwork> {
  const { topology, root, repoRoot } = options;
  const n = topology.nodes;
  const placement = options.placement ?? LOOPBACK;
  const [ports, rpcPorts] = (await placement.ports(n, [HOST_P2P_PORT, HOST_RPC_PORT])) as [
    number[],
    number[],
  ];
  const dataDirs = Array.from({ length: n }, (_, i) => join(root, `trustmesh-${i}`));
  const peerIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = await generateKeyPairFromSeed('Ed25519', identitySeed(options.seed, 'trustmesh', i));
    await mkdir(dataDirs[i]!, { recursive: true, mode: 0o700 });
    await writeFile(join(dataDirs[i]!, P2P_KEY_FILE), privateKeyToProtobuf(key), { mode: 0o600 });
    peerIds.push(peerIdFromPrivateKey(key).toString());
  }
  const addressOf = (j: number): string => `/ip4/${placement.address(j)}/tcp/${ports[j]}/p2p/${peerIds[j]}`;
  const nodeOfPeer = new Map(peerIds.map((id, i) => [id, i]));
  const probe = pathToFileURL(join(repoRoot, 'scripts/bench/arrival-probe.ts')).href;
  const arrivals = new ArrivalLog();
  const traces: RelayTrace[] = [];
  const children: Child[] = [];

  for (let i = 0; i < n; i++) {
    // devnetLoopback (no per-IP inbound limit, no IP-colocation penalty) has no flag: a config file.
    const configFile = join(root, `trustmesh-${i}.json`);
    await writeFile(configFile, JSON.stringify({ name: `bench-${i}`, devnetLoopback: true }));
    const args = [
      ...nodeFlags(),
      '--import',
      'tsx',
      '--import',
      probe,
      'src/node/main.ts',
      '--config',
      configFile,
      '--data-dir',
      dataDirs[i]!,
      '--network',
      'regtest',
      '--host',
      placement.address(i),
      '--port',
      String(ports[i]),
      '--rpc-port',
      String(rpcPorts[i]),
      '--log-level',
      options.logLevel,
      ...topology.dials[i]!.flatMap((j) => ['--peer', addressOf(j)]),
      ...(i < SENDER_ACCOUNTS ? ['--dev-account', String(i + 1)] : []),
    ];
    const env = {
      ...process.env,
      ...placement.env(i, [rpcPorts[i]!]),
      BENCH_TRACE: options.trace ? '1' : '0',
      BENCH_EXPERIMENTS: options.experiments.join(','),
    };
    const { command, args: commandArgs } = placement.command(i, args, repoRoot);
    const child = spawnChild(`trustmesh-${i}`, command, commandArgs, {
      cwd: repoRoot,
      env,
      echoStderr: options.echoStderr,
    });
    const trace: RelayTrace = {
      inv: new Map(),
      invPreferred: new Map(),
      get: new Map(),
      got: new Map(),
      pub: new Map(),
      srv: new Map(),
      invCount: new Map(),
    };
    traces.push(trace);
    child.onEvent((event) => recordEvent(event, i, arrivals, trace));
    children.push(child);
  }

  const started = await Promise.all(
    children.map((child) =>
      child.waitFor((event) => event.event === 'started', START_TIMEOUT_MS, 'started line'),
    ),
  );
  const clients = started.map((event, i) => {
    if (typeof event.rpc !== 'string') throw new Error(`trustmesh-${i} started without RPC`);
    if (event.peerId !== peerIds[i])
      throw new Error(`trustmesh-${i} has peer id ${event.peerId}, expected ${peerIds[i]}`);
    // On namespace hosts the node's RPC (127.0.0.1 inside the host) is relayed on the host's address.
    const url = placement === LOOPBACK ? event.rpc : `http://${placement.address(i)}:${rpcPorts[i]}`;
    return RpcClient.fromCookie(url, cookiePathIn(dataDirs[i]!), {
      name: `bench-${i}`,
      timeoutMs: RPC_TIMEOUT_MS,
    });
  });
  const payee = toHex(devAccount(0).address);

  return {
    label: 'trustmesh',
    meshLow: INV_MESH.Dlo,
    // The static peers are only a bootstrap: the node's connection manager picks its peers, and
    // its liveness checks drop and replace some while 2 x N processes start on a few cores; ready
    // means every node has a peer and a mesh peer.
    requiredPeers: () => 1,
    children,
    p2pPorts: ports,
    ...(placement.namespaces === undefined ? {} : { namespaces: placement.namespaces }),
    ...(placement.namespaces === undefined ? {} : { namespaces: placement.namespaces }),
    arrivals,
    peerIds,
    nodeOfPeer,
    traces,
    async status(node: number): Promise<NodeStatus> {
      const client = clients[node]!;
      const peers = await client.call('peers');
      const reports = await Promise.all(peers.map((peer) => client.call('why', [peer.peerId])));
      const unique = new Set(peers.map((peer) => peer.peerId)).size;
      const mesh = reports.filter((report) => report.gossipsub?.inMesh === true).length;
      return { peers: unique, mesh };
    },
    async inject(sender: number, _seq: number): Promise<string> {
      if (sender >= SENDER_ACCOUNTS) throw new Error(`node ${sender} has no funded dev account`);
      const { txid } = await clients[sender]!.call('send', [payee, PAYMENT_AMOUNT]);
      return txid;
    },
  };

  function recordEvent(
    event: Record<string, unknown>,
    node: number,
    log: ArrivalLog,
    trace: RelayTrace,
  ): void {
    const t = event.t as number;
    switch (event.e) {
      case 'acc':
        log.record(event.id as string, node, t);
        log.sizes.set(event.id as string, event.b as number);
        break;
      case 'inv': {
        const id = event.id as string;
        const peer = event.p as string;
        if (event.pref === true && trace.inv.has(id)) {
          if (!trace.invPreferred.has(id)) trace.invPreferred.set(id, { t, peer });
        } else if (!trace.inv.has(id)) {
          trace.inv.set(id, { t, peer, preferred: event.pref === true });
        }
        break;
      }
      case 'get':
      case 'got':
        for (const id of event.ids as string[]) {
          const map = event.e === 'get' ? trace.get : trace.got;
          if (!map.has(id)) map.set(id, { t, peer: event.p as string });
        }
        break;
      case 'srv': {
        const id = event.id as string;
        const times = trace.srv.get(id) ?? [];
        times.push(t);
        trace.srv.set(id, times);
        break;
      }
      case 'invs':
        trace.invCount.set(event.id as string, event.n as number);
        break;
      case 'pub':
        for (const id of event.ids as string[]) if (!trace.pub.has(id)) trace.pub.set(id, t);
        break;
      default:
    }
  }
}
