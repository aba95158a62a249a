/**
 * Reading a node's stdout (`--log-stdout`): one NDJSON pino record per line, plus the single
 * `{"event":"started",...}` line main.ts prints when the node is up. This module parses those
 * lines, picks the notable ones for the devnet's event feed (quarantines, offences, mined blocks,
 * reorgs, attacker banners, errors) and renders any record as one readable line. Pure functions
 * and one small bounded buffer; no I/O.
 *
 * @example
 * ```ts
 * const line = parseNodeLine('{"level":30,"time":1,"msg":"mined block","height":3,"id":"00ab"}');
 * if (line.kind === 'log') feed.push(notableEvent('alice', line.record));
 * ```
 */
import { formatDuration, formatScore, shortHash, shortPeerId } from '../cli/format.js';

/** A pino record: numeric level, time in ms since the epoch, message, and any fields. */
export interface LogRecord {
  readonly level: number;
  readonly time: number;
  readonly msg: string;
  readonly component?: string;
  readonly [field: string]: unknown;
}

/** The line a node prints on stdout once it is up (see src/node/main.ts). */
export interface StartedLine {
  readonly event: 'started';
  readonly name: string;
  readonly peerId: string;
  readonly rpc?: string;
}

export type NodeOutputLine =
  | { readonly kind: 'started'; readonly started: StartedLine }
  | { readonly kind: 'log'; readonly record: LogRecord }
  | { readonly kind: 'text'; readonly text: string };

/** pino's numeric levels. */
const LEVELS = Object.freeze({ trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 });

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** Fields every record carries that a readable line does not repeat. */
const HIDDEN_FIELDS = new Set(['level', 'time', 'msg', 'node', 'component', 'pid', 'hostname', 'v']);

/** Longest field value shown in a readable line (unit: characters). */
const MAX_FIELD_CHARS = 72;

/** Longest evidence shown in the event feed (unit: characters). */
const MAX_EVIDENCE_CHARS = 80;

export function parseNodeLine(line: string): NodeOutputLine {
  const text = line.trimEnd();
  if (!text.startsWith('{')) return { kind: 'text', text };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'text', text };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { kind: 'text', text };
  const obj = json as Record<string, unknown>;
  if (obj.event === 'started' && typeof obj.peerId === 'string') {
    return { kind: 'started', started: obj as unknown as StartedLine };
  }
  if (typeof obj.level === 'number' && typeof obj.msg === 'string') {
    const time = typeof obj.time === 'number' ? obj.time : Date.now();
    return { kind: 'log', record: { ...obj, level: obj.level, time, msg: obj.msg } };
  }
  return { kind: 'text', text };
}

export type FeedKind = 'quarantine' | 'offence' | 'mined' | 'reorg' | 'attacker' | 'problem' | 'lifecycle';

/** One line of the devnet's event feed. */
export interface FeedEvent {
  readonly time: number;
  readonly node: string;
  readonly kind: FeedKind;
  readonly text: string;
  /** Consecutive events with the same key are shown as one line with a count. */
  readonly key: string;
  readonly count: number;
  /** For `mined`: the first and last height of a run of blocks. */
  readonly heights?: readonly [number, number];
}

/** The feed event a record stands for, or null when it is routine. */
export function notableEvent(node: string, record: LogRecord): FeedEvent | null {
  const base = { time: record.time, node, count: 1 };
  const { msg } = record;
  if (msg.startsWith('quarantined')) {
    return { ...base, kind: 'quarantine', key: `q:${node}:${record.time}`, text: quarantineText(record) };
  }
  if (msg === 'offence') {
    const peer = str(record.peer);
    const kind = str(record.kind);
    const state = str(record.state);
    // The offence that quarantined a peer is already told by its QUARANTINED line.
    if (state === 'quarantined') return null;
    const score = typeof record.score === 'number' ? `, score ${formatScore(record.score)}` : '';
    return {
      ...base,
      kind: 'offence',
      key: `o:${node}:${peer}:${kind}`,
      text: `offence ${kind} by ${shortPeerId(peer)} (${state}${score}): ${shortEvidence(record.evidence)}`,
    };
  }
  if (msg === 'mined block' && typeof record.height === 'number') {
    return {
      ...base,
      kind: 'mined',
      key: `m:${node}`,
      text: `mined block ${record.height} ${shortHash(str(record.id))}`,
      heights: [record.height, record.height],
    };
  }
  if (msg === 'reorg') {
    return {
      ...base,
      kind: 'reorg',
      key: `r:${node}:${record.time}`,
      text: `reorg: ${num(record.disconnected)} block(s) disconnected, ${num(record.connected)} connected`,
    };
  }
  if (msg.startsWith('ATTACKER')) return { ...base, kind: 'attacker', key: `a:${node}`, text: msg };
  if (msg === 'node started') {
    return { ...base, kind: 'lifecycle', key: `s:${node}`, text: `started at height ${num(record.height)}` };
  }
  if (msg === 'stopping' || msg === 'node stopped') {
    return { ...base, kind: 'lifecycle', key: `s:${node}:${msg}`, text: msg };
  }
  if (record.level >= LEVELS.warn && msg !== 'mining attempt failed') {
    const err = record.err === undefined ? '' : `: ${clip(str(record.err), MAX_FIELD_CHARS)}`;
    return { ...base, kind: 'problem', key: `p:${node}:${msg}`, text: `${msg}${err}` };
  }
  return null;
}

function quarantineText(record: LogRecord): string {
  if (typeof record.peer !== 'string') return record.msg;
  const until = typeof record.until === 'string' ? Date.parse(record.until) : Number.NaN;
  const seconds = Math.round((until - record.time) / 1_000);
  const length = Number.isNaN(until) ? '' : ` for ${formatDuration(seconds * 1_000)}`;
  const repeat =
    typeof record.banCount === 'number' && record.banCount > 1 ? ` (ban #${record.banCount})` : '';
  const evidence = record.evidence === undefined ? '' : `: ${shortEvidence(record.evidence)}`;
  return `QUARANTINED ${shortPeerId(record.peer)}${length}${repeat}, ${str(record.kind)}${evidence}`;
}

/** A bounded, newest-last list of feed events; repeats of the last event are merged. */
export class EventFeed {
  private readonly events: FeedEvent[] = [];

  constructor(private readonly capacity = 200) {}

  push(event: FeedEvent | null): void {
    if (event === null) return;
    const last = this.events.at(-1);
    if (last !== undefined && last.key === event.key) {
      this.events[this.events.length - 1] = merge(last, event);
      return;
    }
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.shift();
  }

  /** The newest `n` events, oldest first. */
  latest(n: number): readonly FeedEvent[] {
    return n <= 0 ? [] : this.events.slice(-n);
  }
}

function merge(last: FeedEvent, next: FeedEvent): FeedEvent {
  const count = last.count + 1;
  if (last.heights !== undefined && next.heights !== undefined) {
    const heights: [number, number] = [last.heights[0], next.heights[1]];
    return { ...next, count, heights, text: `mined ${count} blocks, heights ${heights[0]}-${heights[1]}` };
  }
  return { ...next, count, text: next.text };
}

/** `HH:MM:SS` in local time. */
export function clock(time: number): string {
  const d = new Date(time);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A feed event as one line: `12:00:01 bob    QUARANTINED 12D3KooWAbCdEf… for 1m (…)  ×3`. */
export function formatFeedEvent(event: FeedEvent, nameWidth: number): string {
  const times = event.count > 1 && event.heights === undefined ? `  ×${event.count}` : '';
  return `${clock(event.time)} ${event.node.padEnd(nameWidth)}  ${event.text}${times}`;
}

/** Any record as one readable line: `12:00:01 WARN  attack  ATTACKER: …  kind=invalid-signature`. */
export function formatRecord(record: LogRecord): string {
  const level = (LEVEL_NAMES[record.level] ?? String(record.level)).padEnd(5);
  const component = typeof record.component === 'string' ? `${record.component}: ` : '';
  const fields = Object.entries(record)
    .filter(([key, value]) => !HIDDEN_FIELDS.has(key) && value !== undefined)
    .map(
      ([key, value]) =>
        `${key}=${clip(typeof value === 'string' ? value : JSON.stringify(value), MAX_FIELD_CHARS)}`,
    );
  return [`${clock(record.time)} ${level} ${component}${record.msg}`, ...fields].join('  ');
}

/** Evidence for the feed: 64-hex hashes shortened (`tx:f09b191c00b6…: TX_BAD_SIGNATURE: …`), then clipped. */
export function shortEvidence(evidence: unknown): string {
  return clip(str(evidence).replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1…'), MAX_EVIDENCE_CHARS);
}

function str(value: unknown): string {
  if (value === undefined || value === null) return '?';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function num(value: unknown): string {
  return typeof value === 'number' ? String(value) : '?';
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
