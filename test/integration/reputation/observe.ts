/**
 * What the reputation integration tests observe on real nodes (the network itself comes from
 * test/helpers): connections by peer id, the NDJSON `<dataDir>/node.log` every node writes (one
 * `offence` line per recorded offence, with the score and state right after it, and one
 * `quarantined ...` line per quarantine), and the time from a peer's first offence to its quarantine.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrustmeshNode } from '../../../src/node/trustmesh-node.js';
import type { PeerReport } from '../../../src/p2p/reputation/index.js';
import { sleep } from '../../helpers/index.js';

/** Whether `a` holds an open connection to `b` (a node or a peer id), whatever `b` thinks. */
export function hasOpenConnection(a: TrustmeshNode, b: TrustmeshNode | string): boolean {
  const peer = typeof b === 'string' ? b : b.peerIdString;
  return a.p2p.libp2p.getConnections().some((c) => c.remotePeer.toString() === peer && c.status === 'open');
}

/** One NDJSON line of `node.log` (pino): `msg` plus the bound and logged fields. */
export interface LogLine {
  readonly level: number;
  readonly time: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** Every line of `<dataDir>/node.log` so far (across restarts: the file is appended to). */
export async function readLog(dataDir: string): Promise<LogLine[]> {
  let text: string;
  try {
    text = await readFile(join(dataDir, 'node.log'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines: LogLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    try {
      lines.push(JSON.parse(raw) as LogLine);
    } catch {
      // The last line may be half written (pino writes asynchronously): the next read sees it whole.
    }
  }
  return lines;
}

/** Quarantine announcements (`onQuarantine` logs one line per quarantine), optionally of one peer. */
export function quarantineLines(lines: readonly LogLine[], peer?: string): LogLine[] {
  return lines.filter(
    (line) => line.msg.startsWith('quarantined') && (peer === undefined || line.peer === peer),
  );
}

/** Whether a quarantine line records an operator's manual ban rather than an automatic quarantine. */
export function isManualQuarantineLine(line: LogLine): boolean {
  return line.kind === null && line.msg.includes(': manual: ');
}

/** The `offence` lines: one per recorded offence, with `peer`, `kind`, `evidence`, `score`, `state`. */
export function offenceLines(lines: readonly LogLine[]): LogLine[] {
  return lines.filter((line) => line.msg === 'offence');
}

/** Polls the node's log until `predicate` holds for its lines; returns them. */
export async function waitForLog(
  dataDir: string,
  predicate: (lines: LogLine[]) => boolean,
  timeoutMs: number,
  what: string,
): Promise<LogLine[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = await readLog(dataDir);
    if (predicate(lines)) return lines;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for log: ${what}`);
    await sleep(50);
  }
}

/**
 * Time (ms, by the observer's clock) from the peer's first recorded offence to the start of its ban,
 * read from the offence history and the ban entry. Null when there is no ban, or the history no
 * longer reaches back to the first offence (more than `MAX_OFFENCE_HISTORY` offences).
 */
export function timeToQuarantine(report: PeerReport): number | null {
  const first = report.offences[0];
  if (first === undefined || report.ban === null || report.offences.length < report.totalOffences)
    return null;
  return report.ban.bannedAt - first.at;
}
