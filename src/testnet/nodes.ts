/**
 * The node processes of a testnet: honest hosts 1..N and attacker hosts after them, each
 * `src/node/main.ts` in its own namespace with a derived identity (keys.ts), fixed ports (every host
 * has its own port space), its topology's peers as `--peer` multiaddrs on the hosts' addresses, and
 * an RPC client reaching it through the host preload's gateway.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RpcClient } from '../cli/rpc-client.js';
import { ATTACKER_DEV_ACCOUNT } from '../attacks/runner.js';
import { cookiePathIn } from '../node/rpc/cookie.js';
import type { HostPlan } from './addressing.js';
import { HostProcess } from './host-node.js';
import type { HostNetwork } from './host-network.js';
import { deriveIdentity, writeIdentity } from './keys.js';
import { delayEnv } from './link-shaping.js';

/** Entry points, relative to the repository root: the node, and the node composed with a misbehaviour. */
const HONEST_ENTRY = 'src/node/main.ts';
const ATTACKER_ENTRY = 'src/attacks/main.ts';
/** P2P port of every node (each host has its own port space). */
export const P2P_PORT = 7000;
/** JSON-RPC port (127.0.0.1 inside the host; the gateway relays it on the host's address). */
export const RPC_PORT = 7001;
/** Prometheus /metrics port, relayed like RPC. */
export const METRICS_PORT = 9101;
/** Dev accounts the honest hosts use as wallets: 0..8 (9 is the attackers'). */
const HONEST_DEV_ACCOUNTS = ATTACKER_DEV_ACCOUNT;
/** First quarantine length on a testnet (unit: ms): short, as on the devnet. */
const TESTNET_BAN_MS = 60_000;
/** Timeout of one RPC call through the gateway (unit: ms). */
const RPC_TIMEOUT_MS = 15_000;

export interface TestnetNode {
  readonly host: HostPlan;
  readonly name: string;
  readonly peerId: string;
  readonly dataDir: string;
  readonly process: HostProcess;
  /** Honest nodes only. */
  readonly rpc: RpcClient | undefined;
  readonly attackKind: string | null;
  readonly miner: boolean;
  /** Dev account of its wallet, or null (a fresh wallet: it cannot pay). */
  readonly devAccount: number | null;
}

export interface NodePlan {
  readonly index: number;
  readonly attackKind: string | null;
  readonly miner: boolean;
  /** Host indexes it dials. */
  readonly dials: readonly number[];
}

/** `/ip4/<address>/tcp/7000/p2p/<id>`. */
export function peerAddress(host: HostPlan, peerId: string): string {
  return `/ip4/${host.address}/tcp/${P2P_PORT}/p2p/${peerId}`;
}

/** Creates the processes (not started) with their identities written into fresh data dirs. */
export async function prepareNodes(
  network: HostNetwork,
  plans: readonly NodePlan[],
  root: string,
  seed: number,
  probe: boolean,
): Promise<TestnetNode[]> {
  const identities = await Promise.all(plans.map((plan) => deriveIdentity(`testnet-${seed}`, plan.index)));
  return Promise.all(
    plans.map(async (plan, i) => {
      const host = network.host(plan.index);
      const name = plan.attackKind === null ? `h${plan.index}` : `attacker${plan.index}`;
      const dataDir = join(root, name);
      await writeIdentity(dataDir, identities[i]!);
      const honest = plan.attackKind === null;
      const devAccount = honest
        ? plan.index <= HONEST_DEV_ACCOUNTS
          ? plan.index - 1
          : null
        : ATTACKER_DEV_ACCOUNT;
      const peers = plan.dials.map((j) =>
        peerAddress(network.host(j), identities[plans.findIndex((p) => p.index === j)]!.peerId),
      );
      // The node's name has no flag: a config file.
      const configFile = join(root, `${name}.json`);
      await writeFile(configFile, JSON.stringify({ name }));
      const args = [
        '--config',
        configFile,
        // regtest: trivial proof of work; the launcher mines blocks on schedule (testnet.ts), so no
        // node burns this machine's CPU grinding nonces.
        '--network',
        'regtest',
        '--data-dir',
        dataDir,
        '--host',
        host.address,
        '--port',
        String(P2P_PORT),
        '--rpc-port',
        honest ? String(RPC_PORT) : '-1',
        '--metrics-port',
        honest ? String(METRICS_PORT) : '-1',
        '--ban-base-ms',
        String(TESTNET_BAN_MS),
        '--no-mine',
        ...(devAccount === null ? [] : ['--dev-account', String(devAccount)]),
        ...(honest ? [] : ['--kind', plan.attackKind!]),
        ...peers.flatMap((peer) => ['--peer', peer]),
      ];
      const env = {
        ...delayEnv(network.shape, network.slot.network, network.slot.driverAddress),
        TMNET_GATEWAY: honest ? `${host.address}:${RPC_PORT},${METRICS_PORT}` : '',
        TMNET_PROBE: probe && honest ? '1' : '0',
      };
      const process = new HostProcess({
        label: name,
        namespace: host.namespace,
        entry: honest ? HONEST_ENTRY : ATTACKER_ENTRY,
        args,
        env,
      });
      const rpc = honest
        ? RpcClient.fromCookie(`http://${host.address}:${RPC_PORT}`, cookiePathIn(dataDir), {
            name,
            timeoutMs: RPC_TIMEOUT_MS,
          })
        : undefined;
      return {
        host,
        name,
        peerId: identities[i]!.peerId,
        dataDir,
        process,
        rpc,
        attackKind: plan.attackKind,
        miner: plan.miner,
        devAccount,
      };
    }),
  );
}
