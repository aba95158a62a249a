/**
 * A devnet for the benchmark: `count` node processes started the way `npm run devnet` starts them
 * (`src/node/main.ts <name> --devnet <file> --mining-cpu <p>%`, the orphan guard preloaded, the
 * V8 flags and malloc environment of src/devnet/process-tuning.ts), from a definitions file
 * written to a temp folder: free ports, the generated topology of `npm run devnet -- --nodes n`
 * (a ring plus chords), the chosen network and miners, data under os.tmpdir(). Each node runs
 * either through tsx (as the devnet does today) or from a compiled tree (compiled-build.ts).
 *
 * Only processes started here are ever signalled, by their own pid; `stop()` sends SIGTERM (a clean
 * stop, which also writes `--cpu-prof` profiles), then SIGKILL after a grace period.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RpcClient } from '../../src/cli/rpc-client.js';
import { freePorts } from '../../src/devnet/free-ports.js';
import { nodeCommand } from '../../src/devnet/node-process.js';
import { nodeProcessEnv } from '../../src/devnet/process-tuning.js';
import { DEVNET_MINING_CPU } from '../../src/devnet/supervisor.js';
import { cookiePathIn } from '../../src/node/rpc/cookie.js';
import type { CompiledTree } from '../../src/devnet/compiled-build.js';

/** How long (ms) a node may take to print `started` (20 tsx processes on a busy 2-core machine). */
const START_TIMEOUT_MS = 240_000;
/** Grace (ms) between SIGTERM and SIGKILL on stop. */
const STOP_GRACE_MS = 10_000;
/** Timeout (ms) of one RPC call to a node. */
const RPC_TIMEOUT_MS = 20_000;

export type Runtime = 'tsx' | 'compiled';

export interface PerfDevnetOptions {
  readonly count: number;
  readonly miners: number;
  readonly network: 'devnet' | 'regtest';
  readonly runtime: Runtime;
  readonly repoRoot: string;
  /** Required for the compiled runtime. */
  readonly build?: CompiledTree;
  /** Extra Node.js flags per node index (e.g. `--cpu-prof` for one node). */
  readonly nodeFlags?: (index: number) => string[];
  /** Peer ids every node allow-lists (`--allow`): the benchmark's load injector. */
  readonly allow?: readonly string[];
  readonly logLevel?: string;
  /** `--mining-cpu` of every node, percent of one core; default `npm run devnet`'s (10). */
  readonly miningCpu?: number;
  /** Extra node flags for every node (e.g. `--no-compact-blocks` for a baseline network). */
  readonly nodeArgs?: readonly string[];
}

export interface PerfNode {
  readonly index: number;
  readonly name: string;
  readonly miner: boolean;
  readonly p2pPort: number;
  readonly dataDir: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Set once the node printed `started`. */
  peerId: string | undefined;
  rpc: RpcClient | undefined;
  /** When (performance.now()) the node printed `started`. */
  startedAt: number | undefined;
}

/** Node i's name, as `npm run devnet -- --nodes n` names them. */
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin'];
const nameOf = (i: number): string => NAMES[i] ?? `node${i + 1}`;

export class PerfDevnet {
  readonly nodes: PerfNode[] = [];
  /** performance.now() when the first process was spawned. */
  launchedAt = 0;

  private constructor(
    readonly root: string,
    readonly file: string,
  ) {}

  /** Writes the definitions and spawns every node (does not wait for them). */
  static async launch(options: PerfDevnetOptions): Promise<PerfDevnet> {
    const { count, miners } = options;
    const root = await mkdtemp(join(tmpdir(), 'trustmesh-perf-'));
    const ports = await freePorts(3 * count);
    const minerSet = new Set(Array.from({ length: miners }, (_, k) => Math.floor((k * count) / miners)));
    const half = Math.floor(count / 2);
    const defs = Array.from({ length: count }, (_, i) => {
      const peers = new Set<number>();
      if (count > 1) peers.add((i - 1 + count) % count);
      if (count >= 4 && i % 2 === 0) peers.add((i + half) % count);
      peers.delete(i);
      return {
        name: nameOf(i),
        roles: [minerSet.has(i) ? 'miner' : 'relay'],
        p2pPort: ports[i]!,
        rpcPort: ports[count + i]!,
        metricsPort: ports[2 * count + i]!,
        peers: [...peers].map(nameOf),
        devAccount: (i % 9) + 1,
      };
    });
    const file = join(root, 'devnet.json');
    await writeFile(
      file,
      JSON.stringify({ network: options.network, dataRoot: join(root, 'data'), nodes: defs }),
    );
    const devnet = new PerfDevnet(root, file);
    if (options.runtime === 'compiled' && options.build === undefined)
      throw new Error('the compiled runtime needs a build');
    const entry = nodeCommand('src/node/main.ts', options.runtime === 'tsx' ? undefined : options.build);
    devnet.launchedAt = performance.now();
    for (const [i, def] of defs.entries()) {
      const args = [
        ...(options.nodeFlags?.(i) ?? []),
        ...entry,
        def.name,
        '--devnet',
        file,
        '--log-level',
        options.logLevel ?? 'warn',
        '--mining-cpu',
        `${options.miningCpu ?? DEVNET_MINING_CPU}%`,
        ...(options.allow ?? []).flatMap((peer) => ['--allow', peer]),
        ...(options.nodeArgs ?? []),
      ];
      const child = spawn(process.execPath, args, {
        env: nodeProcessEnv(),
        cwd: options.repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const node: PerfNode = {
        index: i,
        name: def.name,
        miner: minerSet.has(i),
        p2pPort: def.p2pPort,
        dataDir: join(root, 'data', def.name),
        child,
        pid: child.pid ?? -1,
        peerId: undefined,
        rpc: undefined,
        startedAt: undefined,
      };
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2_000);
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (!line.startsWith('{"event":"started"')) return;
        const event = JSON.parse(line) as { peerId: string; rpc: string };
        node.startedAt = performance.now();
        node.peerId = event.peerId;
        node.rpc = RpcClient.fromCookie(event.rpc, cookiePathIn(node.dataDir), {
          name: def.name,
          timeoutMs: RPC_TIMEOUT_MS,
        });
      });
      child.once('exit', (code, signal) => {
        if (node.startedAt === undefined)
          process.stderr.write(`bench: ${def.name} exited before starting (${code ?? signal}): ${stderr}\n`);
      });
      devnet.nodes.push(node);
    }
    return devnet;
  }

  /** Resolves once every node printed `started`; returns the ms from launch to the last one. */
  async waitStarted(timeoutMs = START_TIMEOUT_MS): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (this.nodes.some((node) => node.startedAt === undefined)) {
      if (this.nodes.some((node) => node.child.exitCode !== null))
        throw new Error('a node exited during start');
      if (performance.now() > deadline) throw new Error(`nodes not started within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Math.max(...this.nodes.map((node) => node.startedAt! - this.launchedAt));
  }

  /** Polls `predicate` on every node's RPC until it holds for all (or throws after `timeoutMs`). */
  async waitAll(
    predicate: (node: PerfNode) => Promise<boolean>,
    timeoutMs: number,
    what: string,
    intervalMs = 100,
  ): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    const done = new Set<number>();
    while (done.size < this.nodes.length) {
      await Promise.all(
        this.nodes.map(async (node) => {
          if (done.has(node.index)) return;
          if (await predicate(node).catch(() => false)) done.add(node.index);
        }),
      );
      if (done.size === this.nodes.length) break;
      if (performance.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    return performance.now();
  }

  rpc(index: number): RpcClient {
    const client = this.nodes[index]?.rpc;
    if (client === undefined) throw new Error(`node ${index} has not started`);
    return client;
  }

  /** `/ip4/127.0.0.1/tcp/<port>/p2p/<peer id>` of a started node. */
  addressOf(index: number): string {
    const node = this.nodes[index]!;
    return `/ip4/127.0.0.1/tcp/${node.p2pPort}/p2p/${node.peerId}`;
  }

  /** Stops every node (SIGTERM, then SIGKILL) and deletes the temp folder. */
  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
    await rm(this.root, { recursive: true, force: true });
  }
}
