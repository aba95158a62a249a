/**
 * Attackers started from the page, run exactly as `npm run attacker -- <kind>` runs them: each is
 * `scripts/attacker.ts <kind> --devnet <file>` as a child process (which starts the misbehaving
 * node and dials every running devnet node), with the launcher's orphan guard preloaded so it
 * stops if this process dies. `launch()` resolves with the attacker's peer id once the script
 * prints it; `stopAll()` sends SIGTERM to every attacker, SIGKILL after a grace period.
 *
 * @example
 * ```ts
 * const fleet = new AttackerFleet({ devnetFile: '/abs/nodes/devnet.json' });
 * const { peerId, exited } = await fleet.launch('invalid-signature');
 * await fleet.stopAll();
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { MISBEHAVIOURS } from '../../attacks/kinds.js';
import { REPO_ROOT } from '../../node/devnet-definitions.js';
import type { AttackKind } from '../protocol.js';
import { MAX_ATTACKERS } from './constants.js';

/** How long an attacker may take to print its peer id (unit: ms): tsx compiles on first start. */
const START_TIMEOUT_MS = 60_000;
/** How long an attacker may take to stop after SIGTERM before it is killed (unit: ms). */
const STOP_TIMEOUT_MS = 10_000;
/** Lines of an attacker's output quoted when it fails to start. */
const TAIL_LINES = 6;

/** The attacker could not be started; the message says why. */
export class AttackerStartError extends Error {
  override name = 'AttackerStartError';
}

export interface LaunchedAttacker {
  readonly peerId: string;
  /** Resolves with how the process ended (`exit code 1`, `signal SIGTERM`). */
  readonly exited: Promise<string>;
}

export interface AttackerFleetOptions {
  /** The running devnet's definitions file (absolute), passed as `--devnet`. */
  readonly devnetFile: string;
  readonly cwd?: string;
}

/** Every kind of the attack catalogue, for the page's menu. */
export function attackCatalogue(): AttackKind[] {
  return MISBEHAVIOURS.map((m) => ({ kind: m.kind, description: m.description }));
}

export class AttackerFleet {
  readonly #running = new Map<string, { child: ChildProcess; exited: Promise<string> }>();

  constructor(private readonly options: AttackerFleetOptions) {}

  async launch(kind: string): Promise<LaunchedAttacker> {
    if (!MISBEHAVIOURS.some((m) => m.kind === kind))
      throw new AttackerStartError(`unknown attack kind '${kind}'`);
    if (this.#running.has(kind)) throw new AttackerStartError(`an attacker ${kind} is already running`);
    if (this.#running.size >= MAX_ATTACKERS) {
      throw new AttackerStartError(`at most ${MAX_ATTACKERS} attackers run at once`);
    }
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        './src/devnet/orphan-guard.ts',
        'scripts/attacker.ts',
        kind,
        '--devnet',
        this.options.devnetFile,
      ],
      {
        cwd: this.options.cwd ?? REPO_ROOT,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const tail: string[] = [];
    const keep = (line: string) => {
      if (line.trim() === '') return;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    createInterface({ input: child.stderr!, crlfDelay: Number.POSITIVE_INFINITY }).on('line', keep);
    const exited = new Promise<string>((resolve) => {
      child.once('close', (code, signal) => {
        this.#running.delete(kind);
        resolve(signal === null ? `exit code ${code}` : `signal ${signal}`);
      });
    });
    this.#running.set(kind, { child, exited });
    const peerId = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new AttackerStartError(`attacker ${kind} printed no peer id within ${START_TIMEOUT_MS / 1000} s`),
        );
      }, START_TIMEOUT_MS);
      createInterface({ input: child.stdout!, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
        keep(line);
        const match = /^attacker peer id (\S+)/.exec(line);
        if (match !== null) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      void exited.then((how) => {
        clearTimeout(timer);
        reject(
          new AttackerStartError(`attacker ${kind} exited (${how}) before it started: ${tail.join(' | ')}`),
        );
      });
    });
    return { peerId, exited };
  }

  /** SIGTERM to every attacker, SIGKILL after `timeoutMs`; resolves when all are gone. */
  async stopAll(timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
    const all = [...this.#running.values()];
    for (const { child } of all) child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const { child } of all) child.kill('SIGKILL');
    }, timeoutMs);
    await Promise.all(all.map((a) => a.exited));
    clearTimeout(timer);
  }
}
