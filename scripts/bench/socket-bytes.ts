/**
 * TCP payload bytes received by a set of processes, read from the kernel with `ss -tinpH` (iproute2):
 * per socket, tcp_info's `bytes_received` (payload bytes received, headers excluded) and
 * `bytes_acked`, attributed to processes by `users:(("node",pid=..,fd=..))`.
 *
 * A window's traffic is the difference of two samples. Sockets are matched by (pid, local address,
 * peer address). A socket that appears between the samples counts in full (it was opened inside the
 * window); one that disappears loses its traffic since the first sample, so the delta reports how
 * many closed (their bytes are missing from the total).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SocketCounters {
  readonly pid: number;
  readonly local: string;
  readonly peer: string;
  readonly bytesReceived: number;
  readonly bytesAcked: number;
  readonly dataSegsIn: number;
}

export type SocketSample = Map<string, SocketCounters>;

export interface SocketDelta {
  /** Payload bytes received by the processes' sockets during the window. */
  bytesReceived: number;
  /** Payload bytes they sent that the other side acknowledged, during the window. */
  bytesAcked: number;
  /** TCP segments with payload received (about one per write of the sender: a message count proxy). */
  dataSegsIn: number;
  /** Sockets in both samples. */
  sockets: number;
  /** Sockets opened during the window (counted in full). */
  opened: number;
  /** Sockets closed during the window (their bytes since the first sample are missing). */
  closed: number;
}

const portOf = (address: string): number => Number(address.slice(address.lastIndexOf(':') + 1));

/**
 * Established TCP sockets of `pids` with a local or peer port in `ports` (e.g. the nodes' P2P
 * ports, which leaves out RPC connections), keyed by pid, local and peer address; read in the root
 * network namespace, or in each of `namespaces` when the nodes run on namespace hosts.
 */
export async function sampleSockets(
  pids: ReadonlySet<number>,
  ports: ReadonlySet<number>,
  namespaces?: readonly string[],
): Promise<SocketSample> {
  const args = ['-tinpH', 'state', 'established'];
  const options = { maxBuffer: 64 * 1024 * 1024 };
  if (namespaces === undefined) return parseSs((await run('ss', args, options)).stdout, pids, ports);
  // Namespace hosts: one `ss -N <ns>` per host (pids are global, so attribution is unchanged).
  const outputs = await Promise.all(namespaces.map((ns) => run('ss', ['-N', ns, ...args], options)));
  const sample: SocketSample = new Map();
  for (const { stdout } of outputs)
    for (const [key, value] of parseSs(stdout, pids, ports)) sample.set(key, value);
  return sample;
}

/** Parses `ss -tinpH` output (a socket line, then an indented tcp_info line). */
export function parseSs(text: string, pids: ReadonlySet<number>, ports: ReadonlySet<number>): SocketSample {
  const sample: SocketSample = new Map();
  let current: { pids: number[]; local: string; peer: string } | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      const addresses = line
        .split(/\s+/)
        .filter((token) => /^(\[[0-9a-f:.%\w]*\]|[\d.*]+):\d+$/i.test(token));
      const owners = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
      current =
        addresses.length >= 2 ? { pids: owners, local: addresses[0]!, peer: addresses[1]! } : undefined;
      continue;
    }
    if (current === undefined) continue;
    const { local, peer } = current;
    if (!ports.has(portOf(local)) && !ports.has(portOf(peer))) continue;
    const received = Number(/bytes_received:(\d+)/.exec(line)?.[1] ?? 0);
    const acked = Number(/bytes_acked:(\d+)/.exec(line)?.[1] ?? 0);
    const segs = Number(/data_segs_in:(\d+)/.exec(line)?.[1] ?? 0);
    for (const pid of new Set(current.pids)) {
      if (!pids.has(pid)) continue;
      sample.set(`${pid}|${local}|${peer}`, {
        pid,
        local,
        peer,
        bytesReceived: received,
        bytesAcked: acked,
        dataSegsIn: segs,
      });
    }
    current = undefined;
  }
  return sample;
}

export function socketDelta(before: SocketSample, after: SocketSample): SocketDelta {
  const delta: SocketDelta = {
    bytesReceived: 0,
    bytesAcked: 0,
    dataSegsIn: 0,
    sockets: 0,
    opened: 0,
    closed: 0,
  };
  for (const [key, now] of after) {
    const then = before.get(key);
    if (then === undefined) {
      delta.opened++;
      delta.bytesReceived += now.bytesReceived;
      delta.bytesAcked += now.bytesAcked;
      delta.dataSegsIn += now.dataSegsIn;
    } else {
      delta.sockets++;
      delta.bytesReceived += now.bytesReceived - then.bytesReceived;
      delta.bytesAcked += now.bytesAcked - then.bytesAcked;
      delta.dataSegsIn += now.dataSegsIn - then.dataSegsIn;
    }
  }
  for (const key of before.keys()) if (!after.has(key)) delta.closed++;
  return delta;
}
