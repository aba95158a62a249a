/**
 * `npm run attacker -- <kind>`: one attacker node in the foreground against the running devnet.
 *
 * The attacker (`src/attacks/main.ts`: the honest node composed with its misbehaviour) has its own
 * data dir (`<dataRoot>/attacker-<kind>`, so it keeps its peer id and a repeat run meets its
 * escalated ban), any free P2P port, no RPC, dev account 9, and every running devnet node as a
 * static peer. It prints what it does, its peer id, how to watch the honest nodes judge it, its
 * own log in readable form, and, as each honest node quarantines it, that node's verdict.
 */
import { join } from 'node:path';
import { MISBEHAVIOURS, misbehaviourOf } from '../attacks/kinds.js';
import { formatScore } from '../cli/format.js';
import { RpcClient } from '../cli/rpc-client.js';
import type { ReputationEntry } from '../node/api.js';
import { ATTACKER_DEV_ACCOUNT } from '../attacks/runner.js';
import {
  ConfigError,
  cookiePathOf,
  type DevnetDefinition,
  displayPath,
  type NodeDefinition,
  rpcUrlOf,
} from '../node/devnet-definitions.js';
import { clock, formatRecord, shortEvidence } from './node-log.js';
import { NodeProcess } from './node-process.js';
import { DevnetSetupError, resolveRunningDevnet, runningNodes } from './prepare.js';

/** The attacker's entry point (relative to the repository root). */
const ATTACKER_ENTRY = 'src/attacks/main.ts';
/** How often the honest nodes' verdicts on the attacker are checked (unit: ms). */
const VERDICT_POLL_MS = 2_000;
/** Characters of the peer id suggested for `why` (unique in any devnet; the REPL completes it). */
const WHY_PREFIX_CHARS = 16;

export interface AttackerOptions {
  readonly kind: string;
  /** `--devnet <file>`, relative to the working directory. */
  readonly devnet?: string;
  /** Log level of the attacker node (default info). */
  readonly logLevel?: string;
}

export interface AttackerIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** `--list`: every kind with its one-line description. */
export function listKinds(): string {
  const width = Math.max(...MISBEHAVIOURS.map((m) => m.kind.length));
  return MISBEHAVIOURS.map((m) => `  ${m.kind.padEnd(width)}  ${m.description}`).join('\n');
}

/** Runs the attacker until SIGINT/SIGTERM; resolves to the exit code. */
export async function runAttacker(
  options: AttackerOptions,
  io: AttackerIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const fail = (text: string) => io.stderr.write(`attacker: ${text}\n`);
  const misbehaviour = misbehaviourOf(options.kind);
  if (misbehaviour === undefined) {
    fail(`unknown kind '${options.kind}'; the kinds are:\n${listKinds()}`);
    return 2;
  }
  let devnet: DevnetDefinition;
  let isDefault: boolean;
  let file: string;
  let targets: NodeDefinition[];
  try {
    // The running devnet's manifest first (a generated devnet's node6, node7, ...), then the file.
    ({ devnet, isDefault, file } = resolveRunningDevnet(options.devnet));
    const running = new Set(await runningNodes(devnet));
    targets = devnet.nodes.filter((def) => running.has(def.name));
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DevnetSetupError) {
      fail(err.message);
      return 2;
    }
    throw err;
  }
  const flag = isDefault ? '' : `--devnet ${displayPath(file)} `;
  if (targets.length === 0) {
    fail(
      `no devnet node is running (none of ${devnet.nodes.map((n) => n.name).join(', ')} answers on RPC); ` +
        `start the devnet first: npm run devnet${flag === '' ? '' : ` -- ${flag.trim()}`}`,
    );
    return 1;
  }
  const { devnetPeerAddress } = await import('./peer-address.js');
  const peers = await Promise.all(targets.map((def) => devnetPeerAddress(def)));
  const dataDir = join(devnet.dataRoot, `attacker-${misbehaviour.kind}`);
  const attacker = new NodeProcess({
    label: `attacker ${misbehaviour.kind}`,
    entry: ATTACKER_ENTRY,
    args: [
      '--kind',
      misbehaviour.kind,
      '--data-dir',
      dataDir,
      '--network',
      devnet.network,
      '--port',
      '0',
      '--rpc-port',
      '-1',
      '--dev-account',
      String(ATTACKER_DEV_ACCOUNT),
      '--log-level',
      options.logLevel ?? 'info',
      '--log-stdout',
      '--peer',
      ...peers,
    ],
  });
  say(`attacker ${misbehaviour.kind}: ${misbehaviour.description}`);
  say(
    `  data ${displayPath(dataDir)}, dev account ${ATTACKER_DEV_ACCOUNT}, dialing ${targets.map((t) => t.name).join(', ')}`,
  );
  attacker.onLine((line) => {
    if (line.kind === 'log') say(`  ${formatRecord(line.record)}`);
    if (line.kind === 'text' && line.text !== '') say(`  ${line.text}`);
  });

  let stopping = false;
  const stop = () => {
    if (stopping) {
      attacker.kill();
      return;
    }
    stopping = true;
    say('stopping the attacker… (again to kill it)');
    void attacker.stop();
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, stop);
  const cleanup = () => {
    for (const signal of signals) process.off(signal, stop);
  };

  let peerId: string;
  try {
    peerId = (await attacker.start()).peerId;
  } catch (err) {
    cleanup();
    if (stopping) return 0;
    fail((err as Error).message);
    return 1;
  }
  const first = targets[0]!.name;
  const prefix = peerId.slice(0, WHY_PREFIX_CHARS);
  say(`attacker peer id ${peerId}`);
  say('watch the honest nodes judge it:');
  say(`  npm run cli -- ${flag}${first} reputation`);
  say(`  npm run cli -- ${flag}${first} why ${prefix}`);
  say(`  npm run repl -- ${flag}${first}    then: why ${prefix}`);
  say('Ctrl-C stops the attacker.');

  const verdicts = watchVerdicts(targets, peerId, (text) => say(text));
  await attacker.waitForExit();
  verdicts.stop();
  cleanup();
  if (stopping) {
    say(`attacker stopped (${attacker.exit})`);
    return 0;
  }
  const tail = attacker.stderrTail();
  fail(`the attacker node exited (${attacker.exit})${tail.length > 0 ? `:\n  ${tail.join('\n  ')}` : ''}`);
  return 1;
}

/**
 * Polls each honest node's `reputation` and prints when its view of the attacker changes state
 * (first seen, throttled, quarantined, released).
 */
function watchVerdicts(
  targets: readonly NodeDefinition[],
  peerId: string,
  say: (text: string) => void,
): { stop(): void } {
  const clients = targets.map((def) => ({
    name: def.name,
    client: RpcClient.fromCookie(rpcUrlOf(def), cookiePathOf(def), { name: def.name, timeoutMs: 1_500 }),
  }));
  const last = new Map<string, string>();
  let allCaught = false;
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      await Promise.all(
        clients.map(async ({ name, client }) => {
          let entry: ReputationEntry | undefined;
          try {
            entry = (await client.call('reputation')).find((r) => r.peerId === peerId);
          } catch {
            return;
          }
          if (entry === undefined || last.get(name) === entry.state) return;
          last.set(name, entry.state);
          say(`${clock(Date.now())} >> ${name}: ${verdictText(entry)}`);
        }),
      );
      const caught = [...last.values()].filter((s) => s === 'quarantined').length;
      if (caught === clients.length && !allCaught)
        say(`${clock(Date.now())} >> quarantined by all ${caught} nodes it reached`);
      allCaught = caught === clients.length;
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), VERDICT_POLL_MS);
  return { stop: () => clearInterval(timer) };
}

function verdictText(entry: ReputationEntry): string {
  const offence = entry.lastOffence;
  const why = offence === null ? '' : ` after ${offence.kind} (${shortEvidence(offence.evidence)})`;
  const score = `score ${formatScore(entry.score)}`;
  if (entry.state === 'quarantined') {
    const until = entry.bannedUntil === null ? '' : ` until ${clock(entry.bannedUntil)}`;
    return `QUARANTINED the attacker${until}${why}, ${score}`;
  }
  if (entry.state === 'throttled') return `throttles the attacker${why}, ${score}`;
  return `sees the attacker as ${entry.state}, ${score}${entry.connected ? ', connected' : ''}`;
}
