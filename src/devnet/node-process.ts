/**
 * One trustmesh node running as a child process of the devnet launcher (or the attacker
 * launcher): `node --import tsx src/node/main.ts [name] ... --log-stdout`, or with a compiled
 * build (compiled-build.ts) `node <build>/src/node/main.js ...`, started from the repository root,
 * with the memory settings of process-tuning.ts (a smaller young generation, fewer malloc arenas).
 * Its stdout is read line by line (NDJSON logs and the `started` line), the last lines of its
 * stderr are kept to explain a failed start (a port in use, a bad flag).
 *
 * Rules:
 * - `start()` resolves with the `started` line, or rejects with `NodeStartError` naming the node
 *   when it exits first or stays silent past the timeout (the process is then killed);
 * - `stop()` sends SIGTERM (the node stops cleanly and keeps its state), then SIGKILL after a
 *   grace period; it resolves once the process is gone, and is safe to call twice or on a node
 *   that never started;
 * - every node loads `orphan-guard.ts`, so a node whose launcher died stops by itself.
 *
 * @example
 * ```ts
 * const alice = new NodeProcess({ label: 'alice', args: ['alice', '--log-stdout'] });
 * alice.onLine((line) => console.log(line));
 * const started = await alice.start(); // { peerId, rpc, ... }
 * await alice.stop();
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../node/devnet-definitions.js';
import type { CompiledTree } from './compiled-build.js';
import { type NodeOutputLine, parseNodeLine, type StartedLine } from './node-log.js';
import { NODE_V8_FLAGS, nodeProcessEnv } from './process-tuning.js';

/** How long a node may take to print its `started` line (unit: ms); tsx compiles on first start. */
export const START_TIMEOUT_MS = 60_000;
/** How long a node may take to stop after SIGTERM before it is killed (unit: ms). */
export const STOP_TIMEOUT_MS = 10_000;
/** Lines of stderr kept to explain a failure. */
const STDERR_TAIL_LINES = 8;

/** The node entry point and the orphan guard preloaded into it, relative to the repository root. */
const NODE_ENTRY = 'src/node/main.ts';
const ORPHAN_GUARD = 'src/devnet/orphan-guard.ts';

/** A node process exited or stayed silent before it was up. */
export class NodeStartError extends Error {
  override name = 'NodeStartError';
}

export interface NodeProcessOptions {
  /** How messages name the node (its devnet name, or e.g. `attacker`). */
  readonly label: string;
  /** Entry point, relative to the repository root; default the honest node, `src/node/main.ts`. */
  readonly entry?: string;
  /** Arguments after the entry point. */
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Environment (default: the launcher's own), with process-tuning.ts's variables on top. */
  readonly env?: NodeJS.ProcessEnv;
  /** Run the entry from this compiled build by plain `node`; absent: the TypeScript through tsx. */
  readonly build?: CompiledTree;
}

/** `node` arguments before the node's own: V8 flags, the preloads and the entry point. */
export function nodeCommand(entry: string, build?: CompiledTree): string[] {
  if (build === undefined) {
    return [...NODE_V8_FLAGS, '--import', 'tsx', '--import', `./${ORPHAN_GUARD}`, entry];
  }
  return [...NODE_V8_FLAGS, '--import', build.entry(ORPHAN_GUARD), build.entry(entry)];
}

export type NodeProcessState = 'new' | 'starting' | 'running' | 'stopping' | 'exited';

export class NodeProcess {
  readonly label: string;
  private child: ChildProcess | undefined;
  private readonly stderrLines: string[] = [];
  private readonly lineListeners: Array<(line: NodeOutputLine) => void> = [];
  private readonly exitListeners: Array<(description: string) => void> = [];
  private exited: Promise<void> = Promise.resolve();
  private stateValue: NodeProcessState = 'new';
  private exitDescription: string | undefined;
  started: StartedLine | undefined;

  constructor(private readonly options: NodeProcessOptions) {
    this.label = options.label;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get state(): NodeProcessState {
    return this.stateValue;
  }

  /** How the process ended (`exit code 1`, `signal SIGKILL`), once it has. */
  get exit(): string | undefined {
    return this.exitDescription;
  }

  /** Called for every stdout line (parsed). */
  onLine(listener: (line: NodeOutputLine) => void): void {
    this.lineListeners.push(listener);
  }

  /** Called once when the process ends, with how it ended. */
  onExit(listener: (description: string) => void): void {
    this.exitListeners.push(listener);
  }

  /** The last lines the node wrote to stderr. */
  stderrTail(): string[] {
    return [...this.stderrLines];
  }

  /** Spawns the node; resolves when it printed `started`. */
  async start(timeoutMs = START_TIMEOUT_MS): Promise<StartedLine> {
    if (this.child !== undefined) throw new Error(`${this.label} was already started`);
    this.stateValue = 'starting';
    const entry = this.options.entry ?? NODE_ENTRY;
    const command = nodeCommand(entry, this.options.build);
    const child = spawn(process.execPath, [...command, ...this.options.args], {
      cwd: this.options.cwd ?? REPO_ROOT,
      env: nodeProcessEnv(this.options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': by then stderr is fully read, so a failed start can quote it.
      child.once('close', (code, signal) => {
        this.stateValue = 'exited';
        this.exitDescription = signal === null ? `exit code ${code}` : `signal ${signal}`;
        for (const listener of this.exitListeners) listener(this.exitDescription);
        resolve();
      });
    });
    createInterface({ input: child.stderr!, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      if (line.trim() === '') return;
      this.stderrLines.push(line);
      if (this.stderrLines.length > STDERR_TAIL_LINES) this.stderrLines.shift();
    });
    const stdout = createInterface({ input: child.stdout!, crlfDelay: Number.POSITIVE_INFINITY });
    const started = new Promise<StartedLine>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new NodeStartError(`${this.label} did not start within ${timeoutMs / 1000} s${this.tailText()}`),
        );
        void this.stop(0);
      }, timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new NodeStartError(`${this.label} could not be spawned: ${err.message}`));
      });
      stdout.on('line', (text) => {
        const line = parseNodeLine(text);
        if (line.kind === 'started' && this.started === undefined) {
          clearTimeout(timer);
          this.started = line.started;
          if (this.stateValue === 'starting') this.stateValue = 'running';
          resolve(line.started);
        }
        for (const listener of this.lineListeners) listener(line);
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(
          new NodeStartError(
            `${this.label} exited (${this.exitDescription}) before it started${this.tailText()}`,
          ),
        );
      });
    });
    return started;
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves when the process is gone. */
  async stop(timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
    const child = this.child;
    if (child === undefined || this.stateValue === 'exited') return;
    if (this.stateValue !== 'stopping') {
      this.stateValue = 'stopping';
      child.kill(timeoutMs === 0 ? 'SIGKILL' : 'SIGTERM');
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the process at once (second Ctrl-C). */
  kill(): void {
    if (this.stateValue !== 'exited') this.child?.kill('SIGKILL');
  }

  /** Resolves when the process has exited. */
  async waitForExit(): Promise<void> {
    await this.exited;
  }

  private tailText(): string {
    const tail = this.stderrLines.slice(-STDERR_TAIL_LINES);
    return tail.length === 0 ? ' (no output on stderr)' : `; its last stderr lines:\n  ${tail.join('\n  ')}`;
  }
}
