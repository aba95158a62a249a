/**
 * Helpers of the end-to-end tests: a temporary devnet (definitions file with ports in a free range
 * above 17100, data root in a temp dir, the topology of nodes/devnet.json), child processes that
 * are all killed when a suite ends, and bounded waits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { RpcClient } from '../../src/cli/rpc-client.js';
import { isPortFree } from '../../src/devnet/prepare.js';
import {
  cookiePathOf,
  type DevnetDefinition,
  loadDevnet,
  type NodeDefinition,
  rpcUrlOf,
} from '../../src/node/devnet-definitions.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Port bases tried in turn; node i uses base+i (p2p), base+20+i (rpc), base+40+i (metrics). */
const PORT_BASES = [17100, 17200, 17300, 17400, 17500, 17600, 17700, 17800, 17900];

export interface TempDevnet {
  readonly dir: string;
  readonly file: string;
  readonly devnet: DevnetDefinition;
  node(name: string): NodeDefinition;
  remove(): Promise<void>;
}

/** A devnet like nodes/devnet.json on free ports, with its data root in a new temp dir. */
export async function createTempDevnet(): Promise<TempDevnet> {
  const template = JSON.parse(await readFile(join(REPO_ROOT, 'nodes/devnet.json'), 'utf8')) as {
    network: string;
    nodes: Array<Record<string, unknown>>;
  };
  const count = template.nodes.length;
  let base: number | undefined;
  for (const candidate of PORT_BASES) {
    const ports = Array.from({ length: count }, (_, i) => [
      candidate + i,
      candidate + 20 + i,
      candidate + 40 + i,
    ]);
    const free = await Promise.all(ports.flat().map((p) => isPortFree(p)));
    if (free.every(Boolean)) {
      base = candidate;
      break;
    }
  }
  if (base === undefined) throw new Error(`no free port range among ${PORT_BASES.join(', ')}`);
  const dir = await mkdtemp(join(tmpdir(), 'trustmesh-e2e-'));
  const file = join(dir, 'devnet.json');
  const json = {
    network: template.network,
    dataRoot: join(dir, 'data'),
    nodes: template.nodes.map((node, i) => ({
      ...node,
      p2pPort: base + i,
      rpcPort: base + 20 + i,
      metricsPort: base + 40 + i,
    })),
  };
  await writeFile(file, JSON.stringify(json, null, 2));
  const devnet = loadDevnet(file, REPO_ROOT);
  return {
    dir,
    file,
    devnet,
    node: (name) => {
      const def = devnet.nodes.find((n) => n.name === name);
      if (def === undefined) throw new Error(`no node ${name}`);
      return def;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export function rpcClient(def: NodeDefinition): RpcClient {
  return RpcClient.fromCookie(rpcUrlOf(def), cookiePathOf(def), { name: def.name, timeoutMs: 5_000 });
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Both streams, for assertion messages. */
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `pattern` in stdout; rejects on exit or timeout. */
  waitForStdout(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
}

/**
 * Child processes of a suite. `killAll()` (in afterAll) sends SIGTERM to the ones still running,
 * SIGKILL after a grace period, and SIGKILL to any extra pid registered (e.g. node processes a
 * launcher reported).
 */
export class Processes {
  private readonly children: Child[] = [];
  private readonly extraPids = new Set<number>();

  /** `node --import tsx <script> ...` from the repository root (or any command with `command`). */
  spawnScript(args: readonly string[], options: { stdin?: string; command?: string } = {}): Child {
    const command = options.command ?? process.execPath;
    const argv = options.command === undefined ? ['--import', 'tsx', ...args] : [...args];
    const child = spawn(command, argv, {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    const handle: Child = {
      process: child,
      pid: child.pid!,
      stdout: () => out,
      stderr: () => err,
      output: () => `--- stdout\n${out}\n--- stderr\n${err}`,
      exited,
      waitForStdout: async (pattern, timeoutMs) => {
        const deadline = Date.now() + timeoutMs;
        let done = false;
        void exited.then(() => {
          done = true;
        });
        while (Date.now() < deadline) {
          const match = out.match(pattern);
          if (match !== null) return match;
          if (done) throw new Error(`exited before printing ${pattern}\n${handle.output()}`);
          await sleep(100);
        }
        throw new Error(`no ${pattern} within ${timeoutMs} ms\n${handle.output()}`);
      },
    };
    this.children.push(handle);
    return handle;
  }

  /** Runs to completion; kills it past `timeoutMs`. */
  async run(
    args: readonly string[],
    options: { stdin?: string; command?: string; timeoutMs?: number } = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = this.spawnScript(args, options);
    const timer = setTimeout(() => child.process.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    const { code } = await child.exited;
    clearTimeout(timer);
    return { code, stdout: child.stdout(), stderr: child.stderr() };
  }

  /** Pids to SIGKILL at the end if still alive (nodes a launcher started). */
  track(pid: number): void {
    this.extraPids.add(pid);
  }

  async killAll(graceMs = 15_000): Promise<void> {
    const running = this.children.filter((c) => c.process.exitCode === null && c.process.signalCode === null);
    for (const child of running) child.process.kill('SIGTERM');
    await Promise.race([Promise.all(running.map((c) => c.exited)), sleep(graceMs)]);
    for (const child of running) if (isAlive(child.pid)) child.process.kill('SIGKILL');
    await Promise.all(running.map((c) => c.exited));
    for (const pid of this.extraPids) {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  }
}

/** Whether a process with this pid exists (and is not a zombie of ours already reaped). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `probe` until it returns a value (not undefined); throws with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  const detail = lastError === undefined ? '' : ` (last error: ${(lastError as Error).message})`;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
}

/** The node pids a launcher reported in plain mode (`alice  started: pid 123, ...`). */
export function reportedNodePids(launcherStdout: string): Map<string, number> {
  const pids = new Map<string, number>();
  for (const match of launcherStdout.matchAll(/^(\S+)\s+started: pid (\d+),/gm)) {
    pids.set(match[1]!, Number(match[2]));
  }
  return pids;
}
