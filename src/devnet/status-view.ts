/**
 * The devnet's status view, as text: a table with one row per node (height, tip, outbound and
 * inbound connections, a suspected partition, mempool, tx/s, quarantined peers, mining) above a
 * feed of notable events. Pure functions from a
 * `DashboardModel` to lines; the launcher decides where they go (redrawn in place on a terminal,
 * or one plain line per node every few seconds in a log).
 */
import { stripVTControlCharacters } from 'node:util';
import { formatDuration, type Style, table, visibleLength } from '../cli/format.js';
import type { LoadStats } from './load-generator.js';
import { clock, type FeedEvent, formatFeedEvent } from './node-log.js';
import type { NodeProcessState } from './node-process.js';
import type { NodePoll } from './status-poller.js';

/** A node's poll older than this counts as stale (unit: ms): it missed about three polls. */
const STALE_AFTER_MS = 3_500;
/** Hex characters of the tip shown. */
const TIP_CHARS = 12;

export interface NodeRow {
  readonly name: string;
  readonly roles: readonly string[];
  readonly pid?: number;
  readonly process: NodeProcessState;
  /**
   * Outbound connections the node keeps when it discovers its peers (full-relay + block-relay-only,
   * from its definitions); absent for a node with static peers only.
   */
  readonly outboundTarget?: number;
  /** How the process ended, when it has. */
  readonly exit?: string;
  readonly poll: NodePoll;
}

export interface DashboardModel {
  readonly network: string;
  readonly startedAt: number;
  readonly now: number;
  /** How to reach the devnet: REPL, CLI, attacker commands. */
  readonly hints: readonly (readonly [string, string])[];
  readonly nodes: readonly NodeRow[];
  readonly events: readonly FeedEvent[];
  readonly load: LoadStats | null;
  /** A line shown under the title, e.g. `stopping 5 nodes…`. */
  readonly notice?: string;
}

export interface ScreenSize {
  readonly columns: number;
  readonly rows: number;
}

/** The whole screen for a terminal: lines fitted to `size` (no line wraps, the feed fills the rest). */
export function renderDashboard(model: DashboardModel, style: Style, size: ScreenSize): string[] {
  const best = bestHeight(model.nodes);
  const title = [
    style.bold('trustmesh devnet'),
    model.network,
    `${model.nodes.length} nodes`,
    `up ${formatDuration(model.now - model.startedAt)}`,
    best === undefined ? 'height -' : `height ${best}`,
  ].join(style.dim(' · '));
  const keys = style.dim('q or Ctrl-C: stop');
  const pad = Math.max(2, size.columns - visibleLength(title) - visibleLength(keys));
  const lines = [`${title}${' '.repeat(pad)}${keys}`];
  const hints = model.hints.map(
    ([label, command]) => `${style.dim(label.padEnd(6))} ${style.accent(command)}`,
  );
  const oneLine = hints.join('   ');
  lines.push(...(visibleLength(oneLine) <= size.columns ? [oneLine] : hints));
  if (model.notice !== undefined) lines.push(style.warn(model.notice));
  lines.push('', ...nodeTable(model, style).split('\n'));
  if (model.load !== null) lines.push('', loadLine(model.load, style));
  lines.push('', style.bold('Events'));
  const room = Math.max(1, size.rows - lines.length - 1);
  const events = model.events.slice(-room);
  const width = Math.max(0, ...model.nodes.map((n) => n.name.length));
  if (events.length === 0)
    lines.push(style.dim('(none yet: quarantines, offences, mined blocks, reorgs show here)'));
  for (const event of events) lines.push(paintEvent(event, formatFeedEvent(event, width), style));
  return lines.map((line) => fitWidth(line, size.columns));
}

function nodeTable(model: DashboardModel, style: Style): string {
  const best = bestHeight(model.nodes);
  const rows = model.nodes.map((node) => {
    const { status, quarantined } = node.poll;
    const height =
      status === undefined
        ? '-'
        : best !== undefined && status.height < best
          ? style.warn(String(status.height))
          : style.ok(String(status.height));
    return [
      style.bold(node.name),
      node.roles.join(','),
      stateCell(node, model.now, style),
      height,
      status === undefined ? '-' : status.tip.slice(0, TIP_CHARS),
      outCell(node, style),
      status?.inbound === undefined ? '-' : String(status.inbound),
      partitionCell(node, style),
      status === undefined ? '-' : String(status.mempool),
      status === undefined ? '-' : status.txPerSec.toFixed(1),
      quarantined === undefined ? '-' : quarantined > 0 ? style.bad(String(quarantined)) : '0',
      status === undefined ? '-' : status.mining ? style.ok('mining') : style.dim('no'),
      node.pid === undefined ? '-' : String(node.pid),
    ];
  });
  return table(
    [
      'NODE',
      'ROLE',
      'STATE',
      'HEIGHT',
      'TIP',
      'OUT',
      'IN',
      'PARTITION',
      'MEMPOOL',
      'TX/S',
      'QUARANTINED',
      'MINING',
      'PID',
    ],
    rows,
    style,
    [
      'left',
      'left',
      'left',
      'right',
      'left',
      'right',
      'right',
      'left',
      'right',
      'right',
      'right',
      'left',
      'right',
    ],
  );
}

/**
 * Outbound connections (those the node chose, static peers included), against the node's target
 * when it discovers its peers: `5/5` in the ok colour once the target is met, `3/5` as a warning.
 */
function outCell(node: NodeRow, style: Style): string {
  const out = node.poll.status?.outbound;
  if (out === undefined) return '-';
  if (node.outboundTarget === undefined) return String(out);
  const text = `${out}/${node.outboundTarget}`;
  return out >= node.outboundTarget ? style.ok(text) : style.warn(text);
}

/** `no`, or the reason the node suspects it is cut off (docs/membership.md, partition detection). */
function partitionCell(node: NodeRow, style: Style): string {
  const status = node.poll.status;
  if (status?.partitionSuspected === undefined) return '-';
  return status.partitionSuspected ? style.bad(partitionText(status)) : style.dim('no');
}

function partitionText(status: { partitionReason?: string | null }): string {
  return `SUSPECTED${status.partitionReason == null ? '' : ` (${status.partitionReason})`}`;
}

function stateCell(node: NodeRow, now: number, style: Style): string {
  if (node.process === 'exited')
    return style.bad(node.exit === undefined ? 'exited' : `exited (${node.exit})`);
  if (node.process === 'new' || node.process === 'starting') return style.warn('starting');
  if (node.process === 'stopping') return style.warn('stopping');
  const { error, updatedAt } = node.poll;
  if (updatedAt === undefined) return style.warn(error === undefined ? 'up' : 'no rpc');
  if (now - updatedAt > STALE_AFTER_MS) return style.bad('not answering');
  return style.ok('up');
}

function loadLine(load: LoadStats, style: Style): string {
  const parts = [
    `${style.dim('load')} ${load.ratePerSec} tx/s round-robin`,
    `${load.sent} sent`,
    load.failed > 0 ? style.bad(`${load.failed} failed`) : '0 failed',
  ];
  if (load.skipped > 0) parts.push(style.warn(`${load.skipped} skipped (nodes busy)`));
  if (load.lastError !== undefined) parts.push(style.dim(`last error: ${load.lastError}`));
  return parts.join(style.dim(' · '));
}

function paintEvent(event: FeedEvent, text: string, style: Style): string {
  switch (event.kind) {
    case 'quarantine':
    case 'attacker':
      return style.bad(text);
    case 'offence':
    case 'problem':
    case 'reorg':
      return style.warn(text);
    case 'lifecycle':
      return style.dim(text);
    default:
      return text;
  }
}

/**
 * The plain status: one line per node, for logs and pipes:
 * `12:00:05 alice  up  height 42  tip 0000ab12cd34  out 3/3  in 2  mempool 0  tx/s 0.0  quarantined 0  mining`,
 * ending in `partition SUSPECTED (<reason>)` while the node suspects a partition.
 */
export function renderPlainStatus(model: DashboardModel): string[] {
  const plain = { ok: id, warn: id, bad: id, dim: id, bold: id, accent: id };
  const width = Math.max(0, ...model.nodes.map((n) => n.name.length));
  const lines = model.nodes.map((node) => {
    const { status, quarantined } = node.poll;
    const state = stateCell(node, model.now, plain);
    const facts =
      status === undefined
        ? []
        : [
            `height ${status.height}`,
            `tip ${status.tip.slice(0, TIP_CHARS)}`,
            `out ${status.outbound === undefined ? '-' : status.outbound}${node.outboundTarget === undefined ? '' : `/${node.outboundTarget}`}`,
            `in ${status.inbound ?? '-'}`,
            `mempool ${status.mempool}`,
            `tx/s ${status.txPerSec.toFixed(1)}`,
            `quarantined ${quarantined ?? status.quarantined}`,
            status.mining ? 'mining' : 'not mining',
            ...(status.partitionSuspected === true ? [`partition ${partitionText(status)}`] : []),
          ];
    return [`${clock(model.now)} ${node.name.padEnd(width)}`, state, ...facts].join('  ');
  });
  return model.load === null ? lines : [...lines, `${clock(model.now)} ${loadLine(model.load, plain)}`];
}

function id(text: string): string {
  return text;
}

function bestHeight(nodes: readonly NodeRow[]): number | undefined {
  const heights = nodes.flatMap((n) => (n.poll.status === undefined ? [] : [n.poll.status.height]));
  return heights.length === 0 ? undefined : Math.max(...heights);
}

/** Cuts a line (which may hold colour codes) to `width` visible characters, so it never wraps. */
export function fitWidth(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  return `${stripVTControlCharacters(line).slice(0, Math.max(0, width - 1))}…`;
}
