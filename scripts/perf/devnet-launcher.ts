/**
 * The startup benchmark's end-to-end run: `npm run devnet` itself (`scripts/devnet.ts --no-ui`,
 * with `--no-web` unless the trust map page is wanted), timed from spawning the launcher to every node up (its `all N nodes up` line) and to
 * height >= 1 on every node (RPC `status`, polled). The devnet is `nodes/devnet.json` (5 nodes,
 * alice and carol mine, all by discovery) on free ports with its data root in a temp folder, so
 * this includes what the launcher does before the nodes start: checking the compiled build in
 * `<data root>/.build` (building it on a cold cache), creating identities, starting the seeds
 * first.
 *
 * Only processes started here are signalled: the launcher, by its pid (SIGINT, as Ctrl-C; it stops
 * its nodes), SIGKILL after a grace period.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RpcClient } from '../../src/cli/rpc-client.js';
import { freePorts } from '../../src/devnet/free-ports.js';
import { nodeCommand } from '../../src/devnet/node-process.js';
import { cookiePathOf, loadDevnet, rpcUrlOf } from '../../src/node/devnet-definitions.js';

/** How long (ms) the launcher may take to bring every node to height 1. */
const LAUNCH_TIMEOUT_MS = 120_000;
/** Grace (ms) between SIGINT and SIGKILL when stopping the launcher. */
const STOP_GRACE_MS = 15_000;
/** RPC poll interval (ms) and timeout of one call (ms). */
const POLL_MS = 50;
const RPC_TIMEOUT_MS = 2_000;

export interface LauncherTiming {
  /** From spawning the launcher to its compiled-build line (absent with `--tsx`). */
  readonly buildReadyMs: number | undefined;
  /** Modules the launcher bundled (0: the cached build was reused; absent with `--tsx`). */
  readonly transpiled: number | undefined;
  readonly allNodesUpMs: number;
  readonly firstBlockAllNodesMs: number;
  /** Each node: ms to its `started` line and to height >= 1. */
  readonly nodes: Array<{ name: string; upMs: number; heightOneMs: number }>;
}

/** A temp devnet like nodes/devnet.json on free ports; `fresh()` deletes its chain data but keeps the build cache. */
export class LauncherDevnet {
  private constructor(
    readonly root: string,
    readonly file: string,
  ) {}

  static async create(repoRoot: string): Promise<LauncherDevnet> {
    const template = JSON.parse(await readFile(join(repoRoot, 'nodes/devnet.json'), 'utf8')) as {
      network: string;
      nodes: Array<Record<string, unknown>>;
    };
    const count = template.nodes.length;
    const ports = await freePorts(3 * count);
    const root = await mkdtemp(join(tmpdir(), 'trustmesh-perf-launch-'));
    const file = join(root, 'devnet.json');
    const nodes = template.nodes.map((node, i) => ({
      ...node,
      p2pPort: ports[i],
      rpcPort: ports[count + i],
      metricsPort: ports[2 * count + i],
    }));
    await writeFile(file, JSON.stringify({ network: template.network, dataRoot: join(root, 'data'), nodes }));
    return new LauncherDevnet(root, file);
  }

  /** Deletes every node's data (a chain from genesis next time); the build cache stays. */
  async fresh(): Promise<void> {
    const devnet = loadDevnet(this.file);
    for (const def of devnet.nodes)
      await rm(join(devnet.dataRoot, def.name), { recursive: true, force: true });
    await rm(join(devnet.dataRoot, 'devnet-manifest.json'), { force: true });
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  /**
   * Runs the launcher (extra flags such as `--tsx`) until every node is at height 1, then stops it.
   * `web`: with the trust map page, as `npm run devnet` has it by default (else `--no-web`).
   */
  async time(repoRoot: string, extra: readonly string[] = [], web = false): Promise<LauncherTiming> {
    const devnet = loadDevnet(this.file);
    const startedAt = performance.now();
    const since = () => Math.round(performance.now() - startedAt);
    const child = spawn(
      process.execPath,
      [
        // The orphan guard: a launcher whose benchmark died stops by itself (and stops its nodes).
        ...nodeCommand('scripts/devnet.ts'),
        '--devnet',
        this.file,
        '--no-ui',
        ...(web ? [] : ['--no-web']),
        ...extra,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    let buildReadyMs: number | undefined;
    let transpiled: number | undefined;
    let allNodesUpMs: number | undefined;
    const upMs = new Map<string, number>();
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const compiled = /^bundled (\d+) modules/.exec(line);
      if (compiled !== null || line.startsWith('nodes run from the compiled build')) {
        buildReadyMs = since();
        transpiled = compiled === null ? 0 : Number(compiled[1]);
      }
      const started = /^(\S+)\s+started: pid/.exec(line);
      if (started !== null) upMs.set(started[1]!, since());
      if (/^all \d+ nodes up/.test(line)) allNodesUpMs = since();
    });
    const heightOneMs = new Map<string, number>();
    try {
      while (heightOneMs.size < devnet.nodes.length) {
        if (child.exitCode !== null) throw new Error(`the launcher exited (${child.exitCode}): ${stderr}`);
        if (since() > LAUNCH_TIMEOUT_MS)
          throw new Error(`not every node at height 1 within ${LAUNCH_TIMEOUT_MS} ms`);
        await Promise.all(
          devnet.nodes.map(async (def) => {
            if (heightOneMs.has(def.name) || !upMs.has(def.name)) return;
            const rpc = RpcClient.fromCookie(rpcUrlOf(def), cookiePathOf(def), {
              name: def.name,
              timeoutMs: RPC_TIMEOUT_MS,
            });
            const status = await rpc.call('status').catch(() => undefined);
            if (status !== undefined && status.height >= 1) heightOneMs.set(def.name, since());
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      while (allNodesUpMs === undefined && child.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
    }
    return {
      buildReadyMs,
      transpiled,
      allNodesUpMs: allNodesUpMs ?? Math.max(...upMs.values()),
      firstBlockAllNodesMs: Math.max(...heightOneMs.values()),
      nodes: devnet.nodes.map((def) => ({
        name: def.name,
        upMs: upMs.get(def.name) ?? -1,
        heightOneMs: heightOneMs.get(def.name) ?? -1,
      })),
    };
  }
}
