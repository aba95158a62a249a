/**
 * The commands of the CLI and the REPL: one table, each entry with its arguments, one-line help,
 * the RPC method it calls and a formatter for people (`--json` prints the raw result instead).
 *
 * Arguments are checked here, before the node is asked (a wrong one is a `UsageError`, exit 2);
 * peer arguments accept a unique prefix of a peer id and are resolved against the node.
 */
import { ADDRESS_LENGTH } from '../crypto/constants.js';
import { HASH_LENGTH } from '../crypto/hash.js';
import type {
  AddrBookEntry,
  BlockJson,
  BlockSummary,
  NodeStatus,
  OffenceRecord,
  PeerInfo,
  PeerReport,
  ReputationEntry,
  TxJson,
} from '../node/api.js';
import { MAX_MINE_COUNT } from '../node/rpc/constants.js';
import type { RpcMethodName } from '../node/rpc/methods.js';
import { formatCoins, parseCoins } from './coins.js';
import { UsageError } from './errors.js';
import {
  count,
  formatBytes,
  formatDuration,
  formatRelative,
  formatScore,
  formatState,
  formatTime,
  keyValues,
  type Style,
  shortHash,
  shortPeerId,
  table,
} from './format.js';
import { resolvePeer } from './peer-prefix.js';
import type { RpcCaller, RpcParams, RpcResult } from './rpc-client.js';

export type ArgKind =
  'peer' | 'minutes' | 'count' | 'text' | 'blockRef' | 'txid' | 'address' | 'coins' | 'command';

export interface ArgSpec {
  readonly name: string;
  readonly kind: ArgKind;
  readonly optional?: boolean;
  /** Takes the rest of the line (words joined by spaces). */
  readonly rest?: boolean;
}

export interface CommandContext {
  readonly client: RpcCaller;
  readonly style: Style;
  readonly now: () => number;
}

/** Arguments after checking: numbers, bigints and strings by kind; absent optionals are missing. */
export type Args = Readonly<Record<string, unknown>>;

interface CommandBase {
  readonly name: string;
  readonly args: readonly ArgSpec[];
  readonly help: string;
  /** Only in the REPL (needs an interactive terminal). */
  readonly replOnly?: boolean;
}

export interface RpcCommand<M extends RpcMethodName = RpcMethodName> extends CommandBase {
  readonly method: M;
  /** RPC params from the checked arguments (default: none). */
  readonly params?: (args: Args, ctx: CommandContext) => RpcParams | Promise<RpcParams>;
  readonly format: (result: RpcResult<M>, ctx: CommandContext, args: Args) => string;
}

export interface LocalCommand extends CommandBase {
  readonly method: null;
}

export type CommandSpec = RpcCommand | LocalCommand;

function rpc<M extends RpcMethodName>(spec: RpcCommand<M>): CommandSpec {
  return spec as unknown as RpcCommand;
}

const peerParam = async (args: Args, ctx: CommandContext) => [
  await resolvePeer(ctx.client, args.peer as string),
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'help',
    args: [{ name: 'command', kind: 'command', optional: true }],
    help: 'list commands',
    method: null,
  },
  rpc({
    name: 'status',
    args: [],
    help: 'height, tip, peers, mempool and uptime of the node',
    method: 'status',
    format: formatStatus,
  }),
  rpc({
    name: 'peers',
    args: [],
    help: 'connected peers: connection type, netgroup, RTT, liveness, trust and gossipsub scores',
    method: 'peers',
    format: formatPeers,
  }),
  rpc({
    name: 'addrbook',
    args: [],
    help: 'the address book: known peers, their netgroup, table (new/tried), source, last seen',
    method: 'addrbook',
    format: formatAddrbook,
  }),
  rpc({
    name: 'reputation',
    args: [],
    help: 'trust state of every known peer, worst score first',
    method: 'reputation',
    format: (entries, ctx) => formatReputation(entries, ctx, 'no known peers yet'),
  }),
  rpc({
    name: 'why',
    args: [{ name: 'peer', kind: 'peer' }],
    help: 'why a peer has its score: offence history with evidence, ban, gossipsub score',
    method: 'why',
    params: peerParam,
    format: formatWhy,
  }),
  rpc({
    name: 'quarantined',
    args: [],
    help: 'peers currently quarantined',
    method: 'quarantined',
    format: (entries, ctx) => formatReputation(entries, ctx, 'no peer is quarantined'),
  }),
  rpc({
    name: 'ban',
    args: [
      { name: 'peer', kind: 'peer' },
      { name: 'minutes', kind: 'minutes', optional: true },
      { name: 'reason', kind: 'text', optional: true, rest: true },
    ],
    help: 'quarantine a peer by hand (default duration: the node’s)',
    method: 'ban',
    params: async (args, ctx) => {
      const [peerId] = await peerParam(args, ctx);
      // null leaves an optional parameter out, so a reason can follow a default duration.
      const params = [peerId, args.minutes ?? null, args.reason ?? null];
      while (params.at(-1) === null) params.pop();
      return params;
    },
    format: (r, { style, now }) =>
      `${style.bad('quarantined')} ${r.peerId} until ${formatTime(r.bannedUntil)} (${formatRelative(r.bannedUntil, now())})`,
  }),
  rpc({
    name: 'unban',
    args: [{ name: 'peer', kind: 'peer' }],
    help: 'lift a peer’s quarantine',
    method: 'unban',
    params: peerParam,
    format: (r, { style }) =>
      r.unbanned ? `${style.ok('unbanned')} ${r.peerId}` : `${r.peerId} was not quarantined`,
  }),
  rpc({
    name: 'tip',
    args: [],
    help: 'the tip of the active chain',
    method: 'tip',
    format: (b, ctx) => formatBlock(b, ctx),
  }),
  rpc({
    name: 'block',
    args: [{ name: 'id|height', kind: 'blockRef' }],
    help: 'a block by id or height',
    method: 'block',
    params: (args) => [args['id|height']],
    format: (b, ctx) => formatBlock(b, ctx),
  }),
  rpc({
    name: 'tx',
    args: [{ name: 'txid', kind: 'txid' }],
    help: 'a transaction in the mempool or on the active chain',
    method: 'tx',
    params: (args) => [args.txid],
    format: formatTx,
  }),
  rpc({
    name: 'mempool',
    args: [],
    help: 'transactions waiting to be mined',
    method: 'mempool',
    format: (m, { style }) => {
      const head = `${count(m.size, 'transaction')} · ${formatBytes(m.bytes)}`;
      return [head, ...listed(m.txids, 20, style)].join('\n');
    },
  }),
  rpc({
    name: 'balance',
    args: [{ name: 'address', kind: 'address', optional: true }],
    help: 'confirmed balance of the node wallet, or of an address',
    method: 'balance',
    params: (args) => (args.address === undefined ? [] : [args.address]),
    format: (b, { style }) =>
      `${b.address}\n${keyValues(
        [
          [
            'balance',
            `${style.bold(formatCoins(b.balance, { group: true }))} coins (${b.balance} base units)`,
          ],
          ['outputs', count(b.utxos, 'unspent output')],
        ],
        style,
      )}`,
  }),
  rpc({
    name: 'send',
    args: [
      { name: 'address', kind: 'address' },
      { name: 'amount', kind: 'coins' },
    ],
    help: 'send coins (e.g. 1.5) from the node wallet to an address',
    method: 'send',
    params: (args) => [args.address, (args.amount as bigint).toString()],
    format: (r, { style }, args) =>
      `${style.ok('sent')} ${formatCoins(args.amount as bigint)} coins to ${args.address}\n${keyValues([['txid', r.txid]], style)}`,
  }),
  rpc({
    name: 'mine',
    args: [{ name: 'n', kind: 'count', optional: true }],
    help: `mine n blocks now (default 1, at most ${MAX_MINE_COUNT})`,
    method: 'mine',
    params: (args) => (args.n === undefined ? [] : [args.n]),
    format: (r) =>
      [`mined ${count(r.blocks.length, 'block')}`, ...r.blocks.map((id) => `  ${id}`)].join('\n'),
  }),
  {
    name: 'watch',
    args: [{ name: 'command', kind: 'command', optional: true, rest: true }],
    help: 're-run status (or a command) every second until Enter or Ctrl-C',
    method: null,
    replOnly: true,
  },
];

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);

export function findCommand(name: string): CommandSpec | undefined {
  return BY_NAME.get(name);
}

export function usageOf(spec: CommandSpec): string {
  const args = spec.args.map((a) => {
    const name = a.rest ? `${a.name}...` : a.name;
    return a.optional ? `[${name}]` : `<${name}>`;
  });
  return [spec.name, ...args].join(' ');
}

/** The command list, for `help` and `--help`. */
export function commandsHelp(
  style: Style,
  options: { repl: boolean; extra?: readonly (readonly [string, string])[] },
): string {
  const rows: (readonly [string, string])[] = COMMANDS.filter((c) => options.repl || !c.replOnly).map((c) => [
    usageOf(c),
    c.help,
  ]);
  rows.push(...(options.extra ?? []));
  const width = Math.max(...rows.map(([usage]) => usage.length));
  const lines = rows.map(([usage, help]) => `  ${style.accent(usage.padEnd(width))}  ${help}`);
  return [
    'Commands:',
    ...lines,
    '',
    style.dim('<peer> takes any unique prefix of a peer id, as shown in tables.'),
    style.dim('Add --json to print the raw JSON result.'),
  ].join('\n');
}

/** A checked command, ready to run (again, for `watch`). */
export interface PreparedCommand {
  readonly spec: CommandSpec;
  readonly args: Args;
  run(ctx: CommandContext, options: { json: boolean }): Promise<string>;
}

/**
 * Checks a command line (`tokens[0]` = command) without asking the node. `repl` allows REPL-only
 * commands (which the caller then runs itself: `watch`).
 */
export function prepareCommand(tokens: readonly string[], options: { repl: boolean }): PreparedCommand {
  const [name, ...words] = tokens;
  if (name === undefined) throw new UsageError('missing command (try `help`)');
  const spec = findCommand(name);
  if (spec === undefined) {
    const guess = closest(name, COMMAND_NAMES);
    throw new UsageError(
      `unknown command '${name}'${guess === undefined ? '' : ` (did you mean '${guess}'?)`}; try \`help\``,
    );
  }
  if (spec.replOnly === true && !options.repl) {
    throw new UsageError(`${spec.name} works only in the REPL (npm run repl -- <node>)`);
  }
  const args = parseArgs(spec, words);
  return {
    spec,
    args,
    async run(ctx, { json }) {
      if (spec.method === null) return runLocal(spec, args, ctx, options.repl, json);
      const params = spec.params === undefined ? [] : await spec.params(args, ctx);
      const result = await ctx.client.call(spec.method, params);
      return json ? JSON.stringify(result, null, 2) : spec.format(result as never, ctx, args);
    },
  };
}

/** Checks and runs one command line; returns the text to print. */
export async function runCommand(
  ctx: CommandContext,
  tokens: readonly string[],
  options: { json: boolean; repl: boolean },
): Promise<string> {
  return prepareCommand(tokens, options).run(ctx, options);
}

function runLocal(spec: CommandSpec, args: Args, ctx: CommandContext, repl: boolean, json: boolean): string {
  if (spec.name === 'help') {
    const topic = args.command as string | undefined;
    const shown = topic === undefined ? COMMANDS : [findCommand(topic)!];
    if (json) {
      return JSON.stringify(
        shown.map((c) => ({
          name: c.name,
          usage: usageOf(c),
          help: c.help,
          method: c.method,
          replOnly: !!c.replOnly,
        })),
        null,
        2,
      );
    }
    if (topic === undefined) return commandsHelp(ctx.style, { repl });
    const c = shown[0]!;
    const via = c.method === null ? '' : ctx.style.dim(`  (RPC method: ${c.method})`);
    return `${ctx.style.accent(usageOf(c))}\n  ${c.help}${via}`;
  }
  throw new UsageError(`${spec.name} cannot run here`);
}

function parseArgs(spec: CommandSpec, words: readonly string[]): Args {
  const usage = () => `usage: ${usageOf(spec)}`;
  const last = spec.args.at(-1);
  if (words.length > spec.args.length && last?.rest !== true) {
    throw new UsageError(`too many arguments; ${usage()}`);
  }
  const args: Record<string, unknown> = {};
  spec.args.forEach((arg, i) => {
    const word = arg.rest ? (words.length > i ? words.slice(i).join(' ') : undefined) : words[i];
    if (word === undefined || word === '') {
      if (!arg.optional) throw new UsageError(`missing <${arg.name}>; ${usage()}`);
      return;
    }
    args[arg.name] = checkArg(arg, word, spec);
  });
  return args;
}

const HASH_HEX = new RegExp(`^[0-9a-fA-F]{${2 * HASH_LENGTH}}$`);
const ADDRESS_HEX = new RegExp(`^[0-9a-fA-F]{${2 * ADDRESS_LENGTH}}$`);

function checkArg(arg: ArgSpec, word: string, spec: CommandSpec): unknown {
  const bad = (expected: string): never => {
    throw new UsageError(`invalid <${arg.name}> '${word}': expected ${expected}; usage: ${usageOf(spec)}`);
  };
  switch (arg.kind) {
    case 'peer':
    case 'text':
      return word;
    case 'minutes': {
      const minutes = /^\d+(\.\d+)?$/.test(word) ? Number(word) : Number.NaN;
      const ms = Math.round(minutes * 60_000);
      return Number.isSafeInteger(ms) && ms >= 1 ? ms : bad('a positive number of minutes, like 10 or 0.5');
    }
    case 'count': {
      const n = /^\d+$/.test(word) ? Number(word) : Number.NaN;
      return n >= 1 && n <= MAX_MINE_COUNT ? n : bad(`a whole number 1..${MAX_MINE_COUNT}`);
    }
    case 'blockRef':
      if (/^\d{1,15}$/.test(word)) return Number(word);
      return HASH_HEX.test(word)
        ? word.toLowerCase()
        : bad(`a block height or a ${2 * HASH_LENGTH}-hex block id`);
    case 'txid':
      return HASH_HEX.test(word) ? word.toLowerCase() : bad(`a ${2 * HASH_LENGTH}-hex transaction id`);
    case 'address':
      return ADDRESS_HEX.test(word) ? word.toLowerCase() : bad(`a ${2 * ADDRESS_LENGTH}-hex address`);
    case 'coins':
      return parseCoins(word);
    case 'command': {
      const name = word.split(' ')[0] ?? '';
      if (findCommand(name) === undefined || (spec.name === 'watch' && name === 'watch'))
        bad(`a command (${COMMAND_NAMES.join(', ')})`);
      return word;
    }
  }
}

/** The command name a typo most likely meant: a unique prefix match, else edit distance ≤ 2. */
export function closest(word: string, names: readonly string[]): string | undefined {
  const prefixed = names.filter((n) => n.startsWith(word));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const d = editDistance(word, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

// --- formatters -------------------------------------------------------------------------------

const DASH = '-';

function listed(items: readonly string[], max: number, style: Style): string[] {
  const shown = items.slice(0, max).map((id) => `  ${id}`);
  if (items.length > max) shown.push(style.dim(`  … and ${items.length - max} more (--json lists all)`));
  return shown;
}

export function formatStatus(s: NodeStatus, { style, now }: CommandContext): string {
  const quarantined = s.quarantined > 0 ? style.bad(`${s.quarantined} quarantined`) : '0 quarantined';
  return [
    `${style.bold(s.name)} ${style.dim(`(${s.network})`)}  ${s.peerId}`,
    keyValues(
      [
        [
          'height',
          `${s.height}  ${style.dim(`tip ${shortHash(s.tip)}, ${formatRelative(s.tipTimestamp, now())}`)}`,
        ],
        [
          'peers',
          `${s.peers} connected` +
            (s.outbound === undefined ? '' : ` (${s.outbound} out, ${s.inbound ?? 0} in)`) +
            ` · ${quarantined}`,
        ],
        ...(s.partitionSuspected === true
          ? [
              ['partition', style.bad(`suspected: ${s.partitionReason ?? 'unknown reason'}`)] as [
                string,
                string,
              ],
            ]
          : []),
        [
          'mempool',
          `${count(s.mempool, 'tx', 'txs')} · ${formatBytes(s.mempoolBytes)} · ${s.txPerSec.toFixed(2)} tx/s`,
        ],
        ['mining', s.mining ? style.ok('yes') : 'no'],
        ['listening', s.listen.length === 0 ? DASH : s.listen.join(', ')],
        ['uptime', formatDuration(s.uptimeMs)],
      ],
      style,
    ),
  ].join('\n');
}

function byScore<T extends { score: number; peerId: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.score - b.score || a.peerId.localeCompare(b.peerId));
}

function lastOffenceText(offence: OffenceRecord | null, now: number): string {
  return offence === null ? DASH : `${offence.kind} (${formatDuration(now - offence.time)} ago)`;
}

export function formatReputation(
  entries: readonly ReputationEntry[],
  ctx: CommandContext,
  empty: string,
): string {
  const { style } = ctx;
  const now = ctx.now();
  if (entries.length === 0) return style.dim(empty);
  const rows = byScore(entries).map((e) => [
    shortPeerId(e.peerId),
    formatState(e.state, style),
    formatScore(e.score),
    String(e.offences),
    lastOffenceText(e.lastOffence, now),
    e.bannedUntil === null ? DASH : formatRelative(e.bannedUntil, now),
    e.connected ? 'yes' : style.dim('no'),
  ]);
  return table(
    ['PEER', 'STATE', 'SCORE', 'OFFENCES', 'LAST OFFENCE', 'BAN EXPIRES', 'CONNECTED'],
    rows,
    style,
    ['left', 'left', 'right', 'right', 'left', 'left', 'left'],
  );
}

export function formatPeers(peers: readonly PeerInfo[], { style, now }: CommandContext): string {
  if (peers.length === 0) return style.dim('no connected peers');
  const liveness = (state: string | undefined): string =>
    state === undefined ? DASH : state === 'alive' ? state : style.bad(state);
  const rows = byScore(peers).map((p) => [
    shortPeerId(p.peerId),
    p.connectionType ?? p.direction,
    p.netgroup ?? DASH,
    p.rttMs === null || p.rttMs === undefined ? DASH : `${p.rttMs} ms`,
    liveness(p.liveness),
    p.connectedAt === undefined ? DASH : formatDuration(now() - p.connectedAt),
    formatState(p.state, style) + (p.allowListed ? style.dim(' (allow-listed)') : ''),
    formatScore(p.score),
    formatScore(p.gossipsubScore),
    p.pushesUs === 'none' ? DASH : p.pushesUs,
    p.wePush === 'none' ? DASH : p.wePush,
    p.addresses[0] ?? DASH,
  ]);
  return table(
    [
      'PEER',
      'TYPE',
      'NETGROUP',
      'RTT',
      'LIVENESS',
      'CONNECTED',
      'STATE',
      'SCORE',
      'GOSSIPSUB',
      'PUSHES US',
      'WE PUSH',
      'ADDRESS',
    ],
    rows,
    style,
    ['left', 'left', 'left', 'right', 'left', 'right', 'left', 'right', 'right', 'left', 'left'],
  );
}

export function formatAddrbook(entries: readonly AddrBookEntry[], { style, now }: CommandContext): string {
  if (entries.length === 0) return style.dim('the address book is empty');
  const rows = [...entries]
    .sort((a, b) => (a.table === b.table ? b.lastSeen - a.lastSeen : a.table === 'tried' ? -1 : 1))
    .map((e) => [
      shortPeerId(e.peerId),
      e.table,
      e.netgroup,
      e.addrs[0] ?? DASH,
      e.source,
      formatRelative(e.lastSeen, now()),
      String(e.attempts),
    ]);
  const tried = entries.filter((e) => e.table === 'tried').length;
  return [
    table(['PEER', 'TABLE', 'NETGROUP', 'ADDRESS', 'SOURCE', 'LAST SEEN', 'ATTEMPTS'], rows, style, [
      'left',
      'left',
      'left',
      'left',
      'left',
      'left',
      'right',
    ]),
    style.dim(`${entries.length} entries: ${tried} tried, ${entries.length - tried} new`),
  ].join('\n');
}

export function formatWhy(r: PeerReport, ctx: CommandContext): string {
  const { style } = ctx;
  const now = ctx.now();
  const counts = Object.entries(r.offenceCounts)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} ×${n}`);
  const summary: [string, string][] = [
    [
      'state',
      `${formatState(r.state, style)} · score ${formatScore(r.score)} · ${r.connected ? 'connected' : 'disconnected'}`,
    ],
  ];
  if (r.bannedUntil !== null) {
    summary.push(['banned until', `${formatTime(r.bannedUntil)} (${formatRelative(r.bannedUntil, now)})`]);
  }
  if (r.banReason !== null) summary.push(['ban reason', r.banReason]);
  summary.push([
    'offences',
    r.offences === 0 ? 'none' : `${r.offences}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`,
  ]);
  if (r.lastOffence !== null) summary.push(['last offence', lastOffenceText(r.lastOffence, now)]);

  const out = [`${style.bold('Peer')} ${r.peerId}`, keyValues(summary, style), ''];
  if (r.history.length === 0) {
    out.push(
      style.dim(r.offences === 0 ? 'No offences recorded.' : 'No offence history kept for this peer.'),
    );
  } else {
    out.push(style.bold(`Offence history (${count(r.history.length, 'entry', 'entries')}, oldest first)`));
    const rows = [...r.history]
      .sort((a, b) => a.time - b.time)
      .map((o) => [
        `${formatTime(o.time)} ${style.dim(`(${formatDuration(now - o.time)} ago)`)}`,
        style.warn(o.kind),
        formatScore(o.penalty),
        formatScore(o.scoreAfter),
        o.evidence,
      ]);
    out.push(
      indent(
        table(['TIME', 'KIND', 'PENALTY', 'SCORE AFTER', 'EVIDENCE'], rows, style, [
          'left',
          'left',
          'right',
          'right',
        ]),
      ),
    );
  }
  out.push('');
  if (r.gossipsub === null) {
    out.push(style.dim('Gossipsub score: not connected'));
  } else {
    out.push(style.bold('Gossipsub score components'));
    out.push(...renderTree(r.gossipsub, '  ', style));
  }
  return out.join('\n');
}

function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}

/** Nested objects as indented `key  value` lines (gossipsub's per-topic components). */
function renderTree(value: Record<string, unknown>, prefix: string, style: Style): string[] {
  const entries = Object.entries(value);
  if (entries.length === 0) return [`${prefix}${style.dim('(empty)')}`];
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.flatMap(([key, v]) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      return [
        `${prefix}${style.dim(key)}`,
        ...renderTree(v as Record<string, unknown>, `${prefix}  `, style),
      ];
    }
    const text = typeof v === 'number' ? formatScore(Math.round(v * 1000) / 1000) : JSON.stringify(v);
    return [`${prefix}${style.dim(key.padEnd(width))}  ${text}`];
  });
}

function isFullBlock(b: BlockSummary | BlockJson): b is BlockJson {
  return 'txids' in b;
}

export function formatBlock(b: BlockSummary | BlockJson, { style, now }: CommandContext): string {
  const pairs: [string, string][] = [
    ['height', String(b.height)],
    ['parent', b.parent],
    ['time', `${formatTime(b.timestamp)} ${style.dim(`(${formatRelative(b.timestamp, now())})`)}`],
    ['miner', b.miner],
    ['transactions', String(b.txCount)],
    ['size', formatBytes(b.bytes)],
  ];
  if (isFullBlock(b)) pairs.push(['target', b.target], ['nonce', b.nonce]);
  const out = [`${style.bold('Block')} ${b.id}`, keyValues(pairs, style)];
  if (isFullBlock(b) && b.txids.length > 0)
    out.push(style.bold('Transactions'), ...listed(b.txids, 50, style));
  return out.join('\n');
}

export function formatTx(tx: TxJson, { style, now }: CommandContext): string {
  const where =
    'mempool' in tx.status
      ? style.warn('in the mempool')
      : `in block ${tx.status.blockId} (height ${tx.status.height})`;
  const total = tx.outputs.reduce((sum, o) => sum + BigInt(o.amount), 0n);
  const out = [
    `${style.bold(tx.coinbase ? 'Coinbase transaction' : 'Transaction')} ${tx.txid}`,
    keyValues(
      [
        ['status', where],
        ['time', `${formatTime(tx.timestamp)} ${style.dim(`(${formatRelative(tx.timestamp, now())})`)}`],
        ['total out', `${formatCoins(total, { group: true })} coins`],
      ],
      style,
    ),
  ];
  if (tx.inputs.length > 0) {
    out.push(style.bold('Inputs'));
    out.push(
      ...tx.inputs.map(
        (i) => `  ${i.prevTxid}:${i.outputIndex}  ${style.dim(`key ${shortHash(i.publicKey)}`)}`,
      ),
    );
  }
  out.push(style.bold('Outputs'));
  out.push(
    indent(
      table(
        ['#', 'ADDRESS', 'COINS'],
        tx.outputs.map((o, i) => [String(i), o.address, formatCoins(o.amount, { group: true })]),
        style,
        ['right', 'left', 'right'],
      ),
    ),
  );
  return out.join('\n');
}
