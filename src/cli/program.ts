/**
 * The `trustmesh-cli` program: parses the command line (commander), picks the node, runs one
 * command and prints its result. Exit codes: 0 ok, 1 the node failed or refused (or is not
 * running), 2 the command line is wrong. Errors are one line on stderr, never a stack.
 */
import { Command, CommanderError, type Help } from 'commander';
import { commandsHelp, findCommand, prepareCommand } from './commands.js';
import { UsageError } from './errors.js';
import { colorEnabled, createStyle, type Style } from './format.js';
import { describeDevnet, formatNodes, probeNodes } from './nodes.js';
import { type ConnectionOptions, clientFor, exitCodeOf, knownNodesOf, resolveTarget } from './target.js';

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

interface CliOptions extends ConnectionOptions {
  json?: boolean;
}

const EXAMPLES = [
  'npm run cli -- nodes',
  'npm run cli -- alice reputation',
  'npm run cli -- alice why 12D3KooWAb',
  'npm run cli -- bob send <address> 1.5',
  'npm run cli -- --rpc http://127.0.0.1:8101 --cookie .devnet/alice/rpc.cookie status --json',
];

function buildProgram(io: CliIo, style: Style): Command {
  const program = new Command('trustmesh-cli')
    .argument('[words...]')
    .option('--json', 'print the raw JSON result')
    .option('--rpc <url>', 'talk to the node at this RPC URL instead of a devnet node')
    .option('--cookie <file>', 'RPC cookie file (with --rpc; default: <dataDir>/rpc.cookie)')
    .option('--devnet <file>', 'node definitions file (default: nodes/devnet.json)')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${text.trim()} (see --help)\n`),
    })
    .configureHelp({ formatHelp: (cmd, helper) => helpText(cmd, helper, style) });
  return program;
}

function helpText(cmd: Command, helper: Help, style: Style): string {
  const options = helper.visibleOptions(cmd);
  const width = Math.max(...options.map((o) => helper.optionTerm(o).length));
  return [
    `${style.bold('Usage:')} npm run cli -- <node> <command> [args...] [--json]`,
    '       npm run cli -- nodes [--json]',
    '       npm run cli -- --rpc <url> --cookie <file> <command> [args...]',
    '',
    'Ask a trustmesh node about its chain and its peers, and why it quarantined one.',
    '<node> is a node of the running devnet (see `nodes`) or of nodes/devnet.json;',
    '<command> defaults to status.',
    '',
    commandsHelp(style, {
      repl: false,
      extra: [['nodes', 'the running devnet’s nodes and which run (no <node>)']],
    }),
    '',
    'Options:',
    ...options.map((o) => `  ${helper.optionTerm(o).padEnd(width)}  ${o.description}`),
    '',
    'Examples:',
    ...EXAMPLES.map((e) => `  ${style.dim(e)}`),
    '',
  ].join('\n');
}

/** Runs the CLI on `argv` (without `node` and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const style = createStyle(colorEnabled(io.stdout, io.env));
  const program = buildProgram(io, style);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const options = program.opts<CliOptions>();
  try {
    const text = await execute(program, program.args, options, style, io);
    io.stdout.write(`${text}\n`);
    return 0;
  } catch (err) {
    const errStyle = createStyle(colorEnabled(io.stderr, io.env));
    io.stderr.write(`${errStyle.bad('error:')} ${oneLine(err)}\n`);
    return exitCodeOf(err);
  }
}

async function execute(
  program: Command,
  words: readonly string[],
  options: CliOptions,
  style: Style,
  io: CliIo,
): Promise<string> {
  const json = options.json === true;
  const byUrl = options.rpc !== undefined;
  const [first, ...rest] = words;
  if (!byUrl && first === undefined) {
    throw new UsageError('missing <node> and <command>: e.g. `npm run cli -- alice status` (see --help)');
  }
  if (!byUrl && first === 'help' && rest.length === 0) return program.helpInformation().trimEnd();
  if (!byUrl && first === 'nodes') {
    if (rest.length > 0) throw new UsageError('nodes takes no arguments');
    const known = knownNodesOf(options.devnet);
    const reports = await probeNodes(known.nodes);
    const summary = describeDevnet(known, reports);
    if (!json) return `${formatNodes(reports, style)}\n${summary}`;
    // stdout stays pure JSON; the verdict a script may miss goes to stderr.
    if (!reports.some((r) => r.probe.running)) io.stderr.write(`${summary}\n`);
    return JSON.stringify(
      reports.map((r) => r.probe),
      null,
      2,
    );
  }
  const node = byUrl ? undefined : first;
  const tokens = byUrl ? [...words] : rest;
  if (node !== undefined && findCommand(node) !== undefined) {
    const names = knownNodesOf(options.devnet).nodes.map((n) => n.name);
    if (!names.includes(node)) {
      throw new UsageError(
        `'${node}' is a command; name the node first: npm run cli -- <node> ${words.join(' ')}`,
      );
    }
  }
  const target = resolveTarget(node, options);
  const prepared = prepareCommand(tokens.length === 0 ? ['status'] : tokens, { repl: false });
  const ctx = { client: clientFor(target), style, now: io.now ?? Date.now };
  return prepared.run(ctx, { json });
}

export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return text.split('\n', 1)[0] ?? text;
}
