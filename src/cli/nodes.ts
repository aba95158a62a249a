/**
 * `cli nodes`: every node a name can reach (the running devnet's manifest first, then the
 * definitions file; see src/devnet/known-nodes.ts) and which of them run, plus one line saying
 * whether a devnet runs at all.
 *
 * A node runs by the rule of src/devnet/manifest.ts: its recorded pid (if any) is alive, and an
 * authenticated `status` answers within `PROBE_TIMEOUT_MS` with the node's name and recorded peer
 * id. All nodes are probed at once; a node whose recorded process is gone is not asked at all.
 */
import type { KnownNode, KnownNodes } from '../devnet/known-nodes.js';
import { judgeLiveness, type Liveness } from '../devnet/manifest.js';
import { isProcessAlive } from '../devnet/manifest-file.js';
import { displayPath } from '../node/devnet-definitions.js';
import { formatTime, type Style, shortPeerId, table } from './format.js';
import { RpcClient } from './rpc-client.js';

/** How long a node has to answer `status` before it counts as not running (unit: ms). */
export const PROBE_TIMEOUT_MS = 1_000;

/** One node in `cli nodes --json`; the status fields only when it runs. */
export interface NodeProbe {
  name: string;
  roles: string[];
  rpc: string;
  running: boolean;
  /** When running and started by a devnet launcher. */
  pid?: number;
  height?: number;
  peerId?: string;
  peers?: number;
  quarantined?: number;
}

export interface NodeReport {
  readonly probe: NodeProbe;
  readonly liveness: Liveness;
}

export async function probeNodes(
  nodes: readonly KnownNode[],
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<NodeReport[]> {
  return Promise.all(
    nodes.map(async (node): Promise<NodeReport> => {
      const probe: NodeProbe = { name: node.name, roles: [...node.roles], rpc: node.rpc, running: false };
      const pidAlive = node.pid === undefined ? undefined : isProcessAlive(node.pid);
      if (pidAlive === false) return { probe, liveness: judgeLiveness(node, { pidAlive }) };
      let status;
      try {
        const client = RpcClient.fromCookie(node.rpc, node.cookiePath, { name: node.name, timeoutMs });
        status = await client.call('status');
      } catch {
        return { probe, liveness: judgeLiveness(node, pidAlive === undefined ? {} : { pidAlive }) };
      }
      const liveness = judgeLiveness(node, {
        ...(pidAlive === undefined ? {} : { pidAlive }),
        answer: status,
      });
      if (!liveness.running) return { probe, liveness };
      return {
        liveness,
        probe: {
          ...probe,
          running: true,
          ...(node.pid === undefined ? {} : { pid: node.pid }),
          height: status.height,
          peerId: status.peerId,
          peers: status.peers,
          quarantined: status.quarantined,
        },
      };
    }),
  );
}

/** One line: does a devnet run, which launch the manifest records, or why it was ignored. */
export function describeDevnet(
  known: KnownNodes,
  reports: readonly NodeReport[],
  alive: (pid: number) => boolean = isProcessAlive,
): string {
  const running = reports.filter((r) => r.probe.running).length;
  const { manifest } = known;
  const path = displayPath(known.manifestPath);
  const ignored = known.problem === undefined ? '' : ` (ignored the manifest: ${known.problem})`;
  if (manifest === null) {
    return running === 0
      ? `no devnet is running (start one: npm run devnet)${ignored}`
      : `${running} of ${reports.length} nodes running, not started by a devnet launcher${ignored}`;
  }
  const launch = `${manifest.nodes.length}-node devnet`;
  if (manifest.state === 'stopped') {
    const last = `the last ${launch} stopped at ${formatTime(manifest.updatedAt)}`;
    return running === 0
      ? `no devnet is running; ${last}`
      : `${running} of ${reports.length} nodes running, started by hand; ${last}`;
  }
  const launcher = `launcher pid ${manifest.launcher.pid}`;
  if (!alive(manifest.launcher.pid)) {
    return running === 0
      ? `no devnet is running: its ${launcher} is gone without stopping it (stale ${path})`
      : `${running} of ${reports.length} nodes running, but the ${launch}'s ${launcher} is gone (stale ${path})`;
  }
  const since = `since ${formatTime(manifest.launcher.startedAt)}`;
  return `${launch} ${manifest.state}: ${running} of ${reports.length} nodes running (${launcher}, ${since})`;
}

export function formatNodes(reports: readonly NodeReport[], style: Style): string {
  const rows = reports.map(({ probe: p, liveness }) => [
    style.bold(p.name),
    p.roles.join(','),
    p.rpc,
    liveness.running
      ? style.ok('running')
      : liveness.state === 'stopped'
        ? style.dim('stopped')
        : style.warn(liveness.state),
    p.height === undefined ? '-' : String(p.height),
    p.peers === undefined ? '-' : String(p.peers),
    p.quarantined === undefined ? '-' : p.quarantined > 0 ? style.bad(String(p.quarantined)) : '0',
    p.pid === undefined ? '-' : String(p.pid),
    p.peerId === undefined ? '-' : shortPeerId(p.peerId),
  ]);
  return table(
    ['NODE', 'ROLES', 'RPC', 'STATE', 'HEIGHT', 'PEERS', 'QUARANTINED', 'PID', 'PEER ID'],
    rows,
    style,
    ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right'],
  );
}
