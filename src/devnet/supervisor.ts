/**
 * Runs every node of a devnet as its own child process and stops them together.
 *
 * Start: each node's identity key is created first (identity-files.ts), so when the nodes start
 * in parallel every one of them resolves its peers' /p2p/ addresses from existing key files and
 * none races another to create a key. Then the seeds (the nodes others bootstrap from) are spawned
 * at once, and every other node as soon as one of its own seeds is up (its `started` line): a
 * node that dialled its seeds before they listened would wait out the address book's redial
 * backoff (10 s) for its first peer, and so for its first block. The supervisor waits for every
 * `started` line; if one fails, the others are stopped and the error names the node.
 *
 * Stop: SIGTERM to every node at once, SIGKILL to those still running after the grace period.
 *
 * @example
 * ```ts
 * const supervisor = new Supervisor(devnet, '/abs/nodes/devnet.json');
 * supervisor.onLine((node, line) => feed(node.label, line));
 * await supervisor.start();
 * await supervisor.stop();
 * ```
 */
import { type DevnetDefinition, type NodeDefinition, REPO_ROOT } from '../node/devnet-definitions.js';
import type { CompiledTree } from './compiled-build.js';
import { ensureIdentityFiles } from './identity-files.js';
import type { NodeOutputLine } from './node-log.js';
import { NodeProcess, START_TIMEOUT_MS, STOP_TIMEOUT_MS } from './node-process.js';

/**
 * The miners' share of one core on `npm run devnet` (unit: percent; `--mining-cpu`): five or more
 * node processes share a laptop, so the miners hash at a tenth of a core each and leave the CPU to
 * the relays; the difficulty retargets to the lower hash rate, so blocks still come every 5 s.
 */
export const DEVNET_MINING_CPU = 10;

export interface SupervisorOptions {
  /** Passed to every node as `--mining-cpu` (percent of one core); absent: the node's default (100). */
  readonly miningCpu?: number;
  /**
   * Run the nodes from this compiled build by plain `node` (given `--repo-root`, so the definitions'
   * relative paths resolve as from the sources); absent: through tsx.
   */
  readonly build?: CompiledTree;
}

export interface SupervisedNode {
  readonly def: NodeDefinition;
  readonly process: NodeProcess;
}

/**
 * What each node waits for before it is spawned: the names of its bootstrap nodes when it is not
 * a seed itself (one of them up is enough), else nothing. Seeds are the nodes named in another
 * node's `bootstrap`; they bootstrap from each other, and the later one to listen reaches the
 * earlier, so they start together.
 */
export function startGates(defs: readonly NodeDefinition[]): Map<string, string[]> {
  const names = new Set(defs.map((def) => def.name));
  const seeds = new Set(defs.flatMap((def) => def.bootstrap.filter((name) => name !== def.name)));
  return new Map(
    defs.map((def) => [
      def.name,
      seeds.has(def.name) ? [] : def.bootstrap.filter((name) => name !== def.name && names.has(name)),
    ]),
  );
}

export class Supervisor {
  readonly nodes: readonly SupervisedNode[];
  private stopping = false;

  /** `devnetFile` is passed to every node as `--devnet` (absolute). */
  constructor(
    readonly devnet: DevnetDefinition,
    devnetFile: string,
    options: SupervisorOptions = {},
  ) {
    const extra = [
      ...(options.miningCpu === undefined ? [] : ['--mining-cpu', `${options.miningCpu}%`]),
      ...(options.build === undefined ? [] : ['--repo-root', REPO_ROOT]),
    ];
    this.nodes = devnet.nodes.map((def) => ({
      def,
      process: new NodeProcess({
        label: def.name,
        args: [def.name, '--devnet', devnetFile, '--log-stdout', ...extra],
        ...(options.build === undefined ? {} : { build: options.build }),
      }),
    }));
  }

  /** Called for every stdout line of every node. */
  onLine(listener: (node: SupervisedNode, line: NodeOutputLine) => void): void {
    for (const node of this.nodes) node.process.onLine((line) => listener(node, line));
  }

  /** Called when a node exits while the devnet is not stopping (a crash). */
  onUnexpectedExit(listener: (node: SupervisedNode, description: string) => void): void {
    for (const node of this.nodes) {
      node.process.onExit((description) => {
        if (!this.stopping && node.process.started !== undefined) listener(node, description);
      });
    }
  }

  /** Creates the identity key of every node that has none (identity-files.ts); resolves to how many. */
  async createIdentities(): Promise<number> {
    return ensureIdentityFiles(this.nodes.map(({ def }) => def));
  }

  /**
   * Spawns every node and waits until all printed `started`. `onStarted` runs as each comes up.
   * On the first failure every node is stopped and the error is rethrown.
   */
  async start(onStarted?: (node: SupervisedNode) => void, timeoutMs = START_TIMEOUT_MS): Promise<void> {
    await this.createIdentities();
    const gates = startGates(this.nodes.map(({ def }) => def));
    const started = new Map<string, Promise<void>>();
    const startNode = async (node: SupervisedNode, after: Array<Promise<void>>): Promise<void> => {
      if (after.length > 0) await Promise.any(after);
      // A failed start elsewhere stopped the devnet while this node waited: do not spawn it.
      if (this.stopping) return;
      await node.process.start(timeoutMs);
      onStarted?.(node);
    };
    // Gated nodes last, so every gate's promise exists when they are scheduled.
    const order = [...this.nodes].sort(
      (a, b) => gates.get(a.def.name)!.length - gates.get(b.def.name)!.length,
    );
    for (const node of order) {
      const after = gates.get(node.def.name)!.flatMap((name) => started.get(name) ?? []);
      started.set(node.def.name, startNode(node, after));
    }
    try {
      await Promise.all(started.values());
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Stops every node (SIGTERM, then SIGKILL after `timeoutMs`); resolves when all are gone. */
  async stop(timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
    this.stopping = true;
    await Promise.all(this.nodes.map((node) => node.process.stop(timeoutMs)));
  }

  /** Kills every node at once (a second Ctrl-C while stopping). */
  kill(): void {
    this.stopping = true;
    for (const node of this.nodes) node.process.kill();
  }
}
