/**
 * The trustmesh console (REPL): the CLI's commands typed at a `trustmesh:<node>> ` prompt, with
 * tab completion of commands and peer ids, persistent history and `watch`.
 *
 * On a terminal it is a node:repl session whose eval parses command lines (not JavaScript). With
 * piped stdin it reads commands line by line, prints each result in order and exits 0 at EOF,
 * so scripts and tests can drive it: `printf 'status\nwhy 12D3KooWAb\n' | npm run repl -- alice`.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import repl, { type REPLServer } from 'node:repl';
import { Command, CommanderError } from 'commander';
import type { NodeStatus } from '../node/api.js';
import { COMMAND_NAMES, type CommandContext, findCommand, prepareCommand } from './commands.js';
import { UsageError } from './errors.js';
import { colorEnabled, createStyle, formatRelative, type Style, shortHash } from './format.js';
import { knownPeerIds } from './peer-prefix.js';
import { oneLine } from './program.js';
import type { RpcCaller } from './rpc-client.js';
import { type ConnectionOptions, clientFor, exitCodeOf, resolveTarget, type Target } from './target.js';
import { WATCH_INTERVAL_MS, watch } from './watch.js';

export interface ConsoleIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Peer ids for completion are fetched at most this often (unit: ms). */
export const PEER_CACHE_MS = 2_000;

/** The banner's status call gives up after this long (unit: ms); the console starts regardless. */
const BANNER_TIMEOUT_MS = 3_000;

/** REPL dot-commands kept: the others (.load, .editor, ...) are for JavaScript. */
const DOT_COMMANDS = ['.exit', '.help'];

interface Session {
  readonly target: Target;
  readonly client: RpcCaller;
  readonly style: Style;
  /** --json given at start: every result as JSON. */
  readonly json: boolean;
}

/** What one input line produced. */
type Outcome =
  { kind: 'text'; text: string } | { kind: 'error'; message: string } | { kind: 'none' } | { kind: 'exit' };

export async function runConsole(argv: readonly string[], io: ConsoleIo): Promise<number> {
  const errStyle = createStyle(colorEnabled(io.stderr, io.env));
  const program = new Command('trustmesh-repl')
    .usage('<node> [--json]  |  --rpc <url> --cookie <file> [--json]')
    .description('Interactive console of a trustmesh node (type `help` inside).')
    .argument('[node]', 'a node of the running devnet (see npm run cli -- nodes) or of nodes/devnet.json')
    .option('--json', 'print raw JSON results')
    .option('--rpc <url>', 'talk to the node at this RPC URL')
    .option('--cookie <file>', 'RPC cookie file (with --rpc)')
    .option('--devnet <file>', 'node definitions file (default: nodes/devnet.json)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${text.trim()} (see --help)\n`),
    });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const options = program.opts<ConnectionOptions & { json?: boolean }>();
  let target: Target;
  try {
    target = resolveTarget(program.args[0], options);
  } catch (err) {
    io.stderr.write(`${errStyle.bad('error:')} ${oneLine(err)}\n`);
    return exitCodeOf(err);
  }
  const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
  const session: Session = {
    target,
    client: clientFor(target),
    style: createStyle(colorEnabled(io.stdout, io.env)),
    json: options.json === true,
  };
  return interactive ? runInteractive(session, io) : runPiped(session, io, errStyle);
}

/** Splits a command line into words; '...' and "..." group words (a ban reason with spaces). */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | null = null;
  for (const ch of line) {
    if (quote !== null) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote !== null) throw new UsageError(`unterminated ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

function context(session: Session): CommandContext {
  return { client: session.client, style: session.style, now: Date.now };
}

/**
 * Runs one line. `onWatch` runs `watch` (interactive only); without it, `watch` is refused.
 */
async function runLine(
  session: Session,
  line: string,
  onWatch?: (render: () => Promise<string>, title: string) => Promise<void>,
): Promise<Outcome> {
  try {
    const words = splitWords(line);
    if (words.length === 0 || words[0]?.startsWith('#')) return { kind: 'none' };
    if (words.length === 1 && ['.exit', 'exit', 'quit'].includes(words[0] ?? '')) return { kind: 'exit' };
    const json = session.json || words.includes('--json');
    const tokens = words.filter((w) => w !== '--json');
    const prepared = prepareCommand(tokens, { repl: true });
    if (prepared.spec.name !== 'watch')
      return { kind: 'text', text: await prepared.run(context(session), { json }) };

    if (onWatch === undefined) throw new UsageError('watch needs an interactive terminal');
    const inner = prepareCommand(splitWords((prepared.args.command as string | undefined) ?? 'status'), {
      repl: true,
    });
    const render = () =>
      inner
        .run(context(session), { json })
        .catch((err: unknown) => `${session.style.bad('error:')} ${oneLine(err)}`);
    await onWatch(render, tokens.slice(1).join(' ') || 'status');
    return { kind: 'none' };
  } catch (err) {
    return { kind: 'error', message: oneLine(err) };
  }
}

async function runPiped(session: Session, io: ConsoleIo, errStyle: Style): Promise<number> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  for await (const line of lines) {
    const outcome = await runLine(session, line);
    if (outcome.kind === 'exit') break;
    if (outcome.kind === 'text') io.stdout.write(`${outcome.text}\n`);
    if (outcome.kind === 'error') io.stderr.write(`${errStyle.bad('error:')} ${outcome.message}\n`);
  }
  lines.close();
  return 0;
}

async function runInteractive(session: Session, io: ConsoleIo): Promise<number> {
  const { style, target } = session;
  const status = await clientFor(target, { timeoutMs: BANNER_TIMEOUT_MS })
    .call('status')
    .catch((err: unknown) => err as Error);
  const name = target.name ?? (status instanceof Error ? new URL(target.url).host : status.name);
  io.stdout.write(`${banner(session, status)}\n`);

  const peers = peerIdCache(session.client);
  let queue: Promise<void> = Promise.resolve();
  const server: REPLServer = repl.start({
    prompt: `trustmesh:${name}> `,
    input: io.stdin,
    output: io.stdout,
    terminal: true,
    useColors: colorEnabled(io.stdout, io.env),
    ignoreUndefined: true,
    preview: false,
    eval: (line, _context, _file, callback) => {
      // One command at a time, in the order typed.
      queue = queue.then(async () => {
        const outcome = await runLine(session, line, (render, title) =>
          watch({
            input: io.stdin,
            output: io.stdout,
            intervalMs: WATCH_INTERVAL_MS,
            title: `trustmesh:${name}> ${title}`,
            style,
            render,
          }),
        );
        if (outcome.kind === 'text') io.stdout.write(`${outcome.text}\n`);
        if (outcome.kind === 'error') io.stdout.write(`${style.bad('error:')} ${outcome.message}\n`);
        if (outcome.kind === 'exit') server.close();
        callback(null, undefined);
      });
    },
    completer: (line: string, callback: (err: Error | null, result: [string[], string]) => void) => {
      complete(line, peers).then(
        (result) => callback(null, result),
        () => callback(null, [[], line]),
      );
    },
  });
  const commands = server.commands as Record<string, unknown>;
  for (const key of Object.keys(commands)) if (!DOT_COMMANDS.includes(`.${key}`)) delete commands[key];

  try {
    await mkdir(dirname(target.historyFile), { recursive: true });
    await new Promise<void>((resolve) => server.setupHistory(target.historyFile, () => resolve()));
  } catch {
    // No history is no reason not to start.
  }
  await new Promise<void>((resolve) => server.on('exit', resolve));
  return 0;
}

function banner(session: Session, status: NodeStatus | Error): string {
  const { style, target } = session;
  const head = `${style.bold('trustmesh console')} ${style.dim('·')} ${target.url}`;
  const hint = style.dim('Type help for commands, Tab to complete, .exit or Ctrl-D to quit.');
  if (status instanceof Error) return `${head}\n${style.bad('error:')} ${oneLine(status)}\n${hint}`;
  const q = status.quarantined > 0 ? style.bad(`${status.quarantined} quarantined`) : '0 quarantined';
  const facts = [
    `${style.bold(status.name)} (${status.network})`,
    `height ${status.height}, tip ${shortHash(status.tip)} ${formatRelative(status.tipTimestamp, Date.now())}`,
    `${status.peers} peers`,
    q,
    `mempool ${status.mempool}`,
    status.mining ? style.ok('mining') : 'not mining',
  ];
  return `${head}\n${facts.join(style.dim(' · '))}\n${hint}`;
}

interface PeerIdCache {
  get(): Promise<string[]>;
}

/** Known peer ids for completion, refetched at most once per `PEER_CACHE_MS`. */
function peerIdCache(client: RpcCaller): PeerIdCache {
  let ids: string[] = [];
  let fetchedAt = Number.NEGATIVE_INFINITY;
  return {
    async get() {
      if (Date.now() - fetchedAt >= PEER_CACHE_MS) {
        fetchedAt = Date.now();
        ids = await knownPeerIds(client).catch(() => ids);
      }
      return ids;
    },
  };
}

/** Completions for the word under the cursor: command names, then peer ids or command names. */
export async function complete(line: string, peers: PeerIdCache): Promise<[string[], string]> {
  const words = line.trimStart().split(/\s+/);
  const current = words.at(-1) ?? '';
  const hits = (candidates: readonly string[]): [string[], string] => [
    candidates.filter((c) => c.startsWith(current)),
    current,
  ];
  if (words.length <= 1) return hits(current.startsWith('.') ? DOT_COMMANDS : COMMAND_NAMES);
  if (current.startsWith('-')) return hits(['--json']);
  const spec = findCommand(words[0] ?? '');
  if (spec === undefined) return [[], current];
  if (spec.name === 'watch') return complete(words.slice(1).join(' '), peers);
  const last = spec.args.at(-1);
  const arg = spec.args[words.length - 2] ?? (last?.rest === true ? last : undefined);
  if (arg?.kind === 'command') return hits(COMMAND_NAMES.filter((n) => n !== 'watch'));
  if (arg?.kind === 'peer') return hits(await peers.get());
  return [[], current];
}
