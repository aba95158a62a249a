/**
 * TCP payload bytes received by given processes on their P2P connections, from the kernel's
 * per-socket counters (`ss -tinp`: `bytes_received` of each established socket, with its owner's
 * pid). A socket counts when its owner is one of `pids` and its local or remote port is one of
 * `ports` (the nodes' P2P ports), so RPC traffic and other programs are left out. Counters of
 * sockets closed between two readings are lost; the benchmark keeps connections up meanwhile.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Output of `ss` may be large with many sockets (unit: bytes). */
const MAX_SS_OUTPUT_BYTES = 64 * 1024 * 1024;

/** Sum of `bytes_received` over the matching sockets. */
export async function bytesReceived(pids: readonly number[], ports: readonly number[]): Promise<number> {
  const { stdout } = await run('ss', ['-tinpH', 'state', 'established'], { maxBuffer: MAX_SS_OUTPUT_BYTES });
  const pidSet = new Set(pids);
  const portSet = new Set(ports);
  const lines = stdout.split('\n');
  let total = 0;
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i]!;
    const pid = /pid=(\d+)/.exec(header);
    if (pid === null) continue;
    const addresses = header.trim().split(/\s+/);
    const local = Number(addresses[2]?.split(':').at(-1));
    const remote = Number(addresses[3]?.split(':').at(-1));
    const details = lines[i + 1] ?? '';
    if (!pidSet.has(Number(pid[1])) || !(portSet.has(local) || portSet.has(remote))) continue;
    const received = /bytes_received:(\d+)/.exec(details);
    if (received !== null) total += Number(received[1]);
  }
  return total;
}
