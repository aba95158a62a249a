/**
 * `cli nodes`: the devnet's nodes and which of them run. A node runs when an authenticated
 * `status` call answers within `PROBE_TIMEOUT_MS`; all nodes are probed at once.
 */
import { cookiePathOf, type DevnetDefinition, rpcUrlOf } from '../node/devnet-definitions.js';
import { type Style, shortPeerId, table } from './format.js';
import { RpcClient } from './rpc-client.js';

/** How long a node has to answer `status` before it counts as not running (unit: ms). */
export const PROBE_TIMEOUT_MS = 1_000;

export interface NodeProbe {
  name: string;
  roles: string[];
  rpc: string;
  running: boolean;
  /** When running. */
  height?: number;
  peerId?: string;
  peers?: number;
  quarantined?: number;
}

export async function probeNodes(
  devnet: DevnetDefinition,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<NodeProbe[]> {
  return Promise.all(
    devnet.nodes.map(async (def): Promise<NodeProbe> => {
      const probe: NodeProbe = { name: def.name, roles: [...def.roles], rpc: rpcUrlOf(def), running: false };
      try {
        const client = RpcClient.fromCookie(rpcUrlOf(def), cookiePathOf(def), { name: def.name, timeoutMs });
        const status = await client.call('status');
        return {
          ...probe,
          running: true,
          height: status.height,
          peerId: status.peerId,
          peers: status.peers,
          quarantined: status.quarantined,
        };
      } catch {
        return probe;
      }
    }),
  );
}

export function formatNodes(probes: readonly NodeProbe[], style: Style): string {
  const rows = probes.map((p) => [
    style.bold(p.name),
    p.roles.join(','),
    p.rpc,
    p.running ? style.ok('running') : style.dim('stopped'),
    p.height === undefined ? '-' : String(p.height),
    p.peers === undefined ? '-' : String(p.peers),
    p.quarantined === undefined ? '-' : p.quarantined > 0 ? style.bad(String(p.quarantined)) : '0',
    p.peerId === undefined ? '-' : shortPeerId(p.peerId),
  ]);
  return table(['NODE', 'ROLES', 'RPC', 'STATE', 'HEIGHT', 'PEERS', 'QUARANTINED', 'PEER ID'], rows, style, [
    'left',
    'left',
    'left',
    'left',
    'right',
    'right',
    'right',
  ]);
}
