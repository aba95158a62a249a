/**
 * One process inside a host namespace: `ip netns exec <ns> node <V8 flags> --import tsx --import
 * host-preload.ts --import orphan-guard.ts <entry> ...`, started from the repository root with the
 * devnet's memory settings (src/devnet/process-tuning.ts). `ip netns
 * exec` replaces itself with node, so the pid is the node's and the orphan guard sees the launcher
 * as its parent (a node whose launcher died stops by itself).
 *
 * Its stdout is read as JSON lines (node logs, the `started` line, probe events) and handed to the
 * listeners; the last stderr lines explain a failed start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { NODE_V8_FLAGS, nodeProcessEnv } from '../devnet/process-tuning.js';
import { REPO_ROOT } from '../node/devnet-definitions.js';

/** How long a process may take to print its `started` line (unit: ms): tsx compiles on first start, many at once on 2 cores. */
export const START_TIMEOUT_MS = 180_000;
/** Grace after SIGTERM before SIGKILL (unit: ms). */
const STOP_GRACE_MS = 10_000;
/** Stderr lines kept to explain a failure. */
const STDERR_TAIL_LINES = 8;

const PRELOADS = [
  ...NODE_V8_FLAGS,
  '--import',
  'tsx',
  '--import',
  './src/testnet/host-preload.ts',
  '--import',
  './src/devnet/orphan-guard.ts',
];

/** A host process exited or stayed silent before it was up. */
export class HostStartError extends Error {
  override readonly name = 'HostStartError';
}

export type HostLine = Record<string, unknown>;

export interface HostProcessOptions {
  readonly label: string;
  readonly namespace: string;
  /** Script run by node, relative to the repository root. */
  readonly entry: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
}

export class HostProcess {
  readonly label: string;
  private child: ChildProcess | undefined;
  private readonly stderr: string[] = [];
  private readonly listeners: Array<(line: HostLine) => void> = [];
  private exited: Promise<void> = Promise.resolve();
  private exitText: string | undefined;

  constructor(private readonly options: HostProcessOptions) {
    this.label = options.label;
  }

  private get running(): boolean {
    return this.child !== undefined && this.exitText === undefined;
  }

  onLine(listener: (line: HostLine) => void): void {
    this.listeners.push(listener);
  }

  /** Spawns the process; resolves with its `started` line (`{"event":"started",...}`). */
  start(timeoutMs = START_TIMEOUT_MS): Promise<HostLine> {
    const { options } = this;
    const child = spawn(
      'ip',
      ['netns', 'exec', options.namespace, process.execPath, ...PRELOADS, options.entry, ...options.args],
      {
        cwd: REPO_ROOT,
        env: nodeProcessEnv({ ...process.env, ...options.env }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.exitText = signal === null ? `exit code ${code}` : `signal ${signal}`;
        resolve();
      });
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (line.trim() === '') return;
      this.stderr.push(line);
      if (this.stderr.length > STDERR_TAIL_LINES) this.stderr.shift();
    });
    return new Promise((resolve, reject) => {
      let started = false;
      const timer = setTimeout(() => {
        reject(new HostStartError(`${this.label} did not start within ${timeoutMs / 1000} s${this.tail()}`));
        void this.stop(0);
      }, timeoutMs);
      createInterface({ input: child.stdout! }).on('line', (text) => {
        if (!text.startsWith('{')) return;
        let line: HostLine;
        try {
          line = JSON.parse(text) as HostLine;
        } catch {
          return;
        }
        if (!started && line.event === 'started') {
          started = true;
          clearTimeout(timer);
          resolve(line);
        }
        for (const listener of this.listeners) listener(line);
      });
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new HostStartError(`${this.label} could not be spawned: ${err.message}`));
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        if (!started)
          reject(
            new HostStartError(`${this.label} exited (${this.exitText}) before it started${this.tail()}`),
          );
      });
    });
  }

  /** SIGTERM (SIGKILL when `graceMs` is 0), SIGKILL after the grace; resolves once the process is gone. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    const child = this.child;
    if (child === undefined || this.exitText !== undefined) return;
    child.kill(graceMs === 0 ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Synchronous last resort (the launcher's 'exit' handler). */
  killNow(): void {
    if (this.running) this.child?.kill('SIGKILL');
  }

  private tail(): string {
    return this.stderr.length === 0
      ? ' (no output on stderr)'
      : `; its last stderr lines:\n  ${this.stderr.join('\n  ')}`;
  }
}
