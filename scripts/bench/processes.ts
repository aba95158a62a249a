/**
 * Child processes of the benchmark: spawned with piped stdio, their stdout read as JSON lines, and
 * every one of them stopped when the driver ends, however it ends (normal exit, error, SIGINT,
 * SIGTERM). Only processes spawned here are ever signalled, by their own pid.
 *
 * A child also stops by itself if the driver dies without cleaning up: the driver holds each
 * child's stdin, and the children (arrival-probe.ts, flood-node.ts) exit when it closes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Lines of a child's stderr kept for error messages. */
const STDERR_TAIL_LINES = 20;
/** How long (ms) a child gets after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5_000;

/**
 * Extra Node.js flags for every node process, from the environment (e.g.
 * BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the nodes).
 */
export function nodeFlags(): string[] {
  return (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter((flag) => flag !== '');
}

export type LineHandler = (event: Record<string, unknown>) => void;

export class Child {
  readonly process: ChildProcess;
  private readonly stderrTail: string[] = [];
  private readonly handlers = new Set<LineHandler>();
  private exited: Promise<void>;
  exitCode: number | null = null;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    options: { cwd: string; env?: NodeJS.ProcessEnv; echoStderr?: boolean },
  ) {
    this.process = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal === null ? null : -1);
        resolve();
      });
    });
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      for (const handler of this.handlers) handler(event);
    });
    createInterface({ input: this.process.stderr! }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
      if (options.echoStderr === true) process.stderr.write(`[${name}] ${line}\n`);
    });
    this.process.stdin!.on('error', () => {});
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  get running(): boolean {
    return this.exitCode === null && this.process.exitCode === null && this.process.signalCode === null;
  }

  onEvent(handler: LineHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Resolves with the first event matching `predicate`; rejects on exit or after `timeoutMs`. */
  waitFor(predicate: (event: Record<string, unknown>) => boolean, timeoutMs: number, what: string) {
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms${this.describeStderr()}`));
      }, timeoutMs);
      const off = this.onEvent((event) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        off();
        resolve(event);
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        off();
        reject(new Error(`${this.name} exited (code ${this.exitCode})${this.describeStderr()}`));
      });
    });
  }

  send(command: Record<string, unknown>): void {
    if (this.running) this.process.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  describeStderr(): string {
    return this.stderrTail.length === 0 ? '' : `; stderr:\n  ${this.stderrTail.join('\n  ')}`;
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (!this.running) return;
    this.process.stdin!.end();
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (this.running) this.process.kill('SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Synchronous last resort (process 'exit' handler). */
  killNow(): void {
    if (this.running) this.process.kill('SIGKILL');
  }
}

/** All children of this driver, for cleanup. */
const children = new Set<Child>();
/** Extra work after the children stopped on a signal (e.g. removing temp dirs). */
const afterStop: (() => Promise<void>)[] = [];
let cleanupInstalled = false;

/** Registers `fn` to run after the children stopped when the driver is interrupted. */
export function onInterrupt(fn: () => Promise<void>): void {
  afterStop.push(fn);
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    for (const child of children) child.killNow();
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${signal}: stopping ${children.size} node processes\n`);
    void stopAll()
      .then(() => Promise.allSettled(afterStop.map((fn) => fn())))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

export function spawnChild(
  name: string,
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; echoStderr?: boolean },
): Child {
  installCleanup();
  const child = new Child(name, command, args, options);
  children.add(child);
  child.process.once('exit', () => children.delete(child));
  return child;
}

/** Pids of every running child. */
export function childPids(): number[] {
  return [...children].filter((child) => child.running).map((child) => child.pid);
}

/** Stops every running child (in parallel). */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => child.stop()));
  children.clear();
}
