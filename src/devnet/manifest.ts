/**
 * The devnet manifest: what a running `npm run devnet` launched, so the CLI, the REPL, the
 * attacker and `cli nodes` can reach every node of it by name, including the nodes of a generated
 * devnet (`--nodes 7`: node6, node7) that no definitions file on their command line names.
 *
 * The launcher writes `<dataRoot>/devnet-manifest.json` (atomically, see manifest-file.ts) when it
 * starts, as each node comes up, once all are up (`running`), and when it stops (`stopped`, the
 * pids dropped). It records per node: name, roles, RPC URL, cookie path, data dir, ports, pid and
 * peer id; and for the launch: its state, the launcher's pid, the definitions file the nodes read.
 * This module owns the format (build, validate) and the rule that decides whether a recorded
 * node runs; it does no I/O.
 *
 * Whether a node runs (`judgeLiveness`), for a node the manifest records with a pid:
 * - the pid must be alive (`kill(pid, 0)`): a node whose process is gone is not running, whatever
 *   a stale manifest of a killed launcher says;
 * - and its RPC must answer an authenticated `status` in time with the recorded name and peer id.
 *   A pid alone can mislead (the OS reuses pids after a crash: an unrelated process may hold it);
 *   the answer proves that the process serving that node's RPC, with that node's cookie, is that
 *   node. Both together cover the stale manifest and the reused pid. (Comparing the process start
 *   time would also catch a reused pid, but only on Linux via /proc; the RPC answer is portable
 *   and also tells a hung node from a running one.)
 * A node without a recorded pid (a `stopped` manifest, a node not yet spawned, or a node known only
 * from the definitions file) runs when its RPC answers with its name: nodes started by hand count.
 *
 * @example
 * ```ts
 * const manifest = buildManifest({ state: 'running', devnet, definitions, launcher, nodes, now });
 * const same = parseManifest(JSON.parse(JSON.stringify(manifest)), 'devnet-manifest.json');
 * judgeLiveness({ name: 'node7', pid: 4242 }, { pidAlive: false }); // { running: false, ... }
 * ```
 */
import {
  cookiePathOf,
  type DevnetDefinition,
  dataDirOf,
  NODE_ROLES,
  type NodeDefinition,
  type NodeRole,
  rpcUrlOf,
} from '../node/devnet-definitions.js';

/** File name of the manifest inside the devnet's data root. */
export const MANIFEST_FILE_NAME = 'devnet-manifest.json';

/** Format version; a reader refuses other versions rather than guess. */
export const MANIFEST_VERSION = 1;

/** `starting`: nodes being spawned; `running`: all started; `stopped`: the launcher stopped them. */
export const LAUNCH_STATES = ['starting', 'running', 'stopped'] as const;
export type LaunchState = (typeof LAUNCH_STATES)[number];

export interface ManifestNode {
  readonly name: string;
  readonly roles: readonly NodeRole[];
  /** RPC URL, `http://127.0.0.1:<port>`. */
  readonly rpc: string;
  /** Absolute path of the node's RPC cookie. */
  readonly cookie: string;
  readonly dataDir: string;
  readonly p2pPort: number;
  readonly metricsPort: number;
  /** The node's process, once spawned (dropped when the launch is `stopped`). */
  readonly pid?: number;
  /** The node's libp2p peer id, once it printed `started`. */
  readonly peerId?: string;
}

export interface DevnetManifest {
  readonly version: typeof MANIFEST_VERSION;
  readonly state: LaunchState;
  readonly network: string;
  /** Absolute path of the definitions file the nodes read (for a generated devnet, the written one). */
  readonly definitions: string;
  readonly launcher: { readonly pid: number; readonly startedAt: number };
  /** When this version of the file was written (unit: ms since the epoch). */
  readonly updatedAt: number;
  readonly nodes: readonly ManifestNode[];
}

/** A manifest that cannot be used; the message names the file and the field. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** What the launcher knows of one node's process. */
export interface NodeRun {
  readonly def: NodeDefinition;
  readonly pid?: number;
  readonly peerId?: string;
}

export interface ManifestInput {
  readonly state: LaunchState;
  readonly devnet: DevnetDefinition;
  readonly definitions: string;
  readonly launcher: { readonly pid: number; readonly startedAt: number };
  readonly nodes: readonly NodeRun[];
  readonly now: number;
}

/** The manifest of a launch in `state`; a `stopped` one keeps no pids (no process is promised). */
export function buildManifest(input: ManifestInput): DevnetManifest {
  const keepPids = input.state !== 'stopped';
  return {
    version: MANIFEST_VERSION,
    state: input.state,
    network: input.devnet.network,
    definitions: input.definitions,
    launcher: { pid: input.launcher.pid, startedAt: input.launcher.startedAt },
    updatedAt: input.now,
    nodes: input.nodes.map(({ def, pid, peerId }) => ({
      name: def.name,
      roles: [...def.roles],
      rpc: rpcUrlOf(def),
      cookie: cookiePathOf(def),
      dataDir: dataDirOf(def),
      p2pPort: def.p2pPort,
      metricsPort: def.metricsPort,
      ...(keepPids && pid !== undefined ? { pid } : {}),
      ...(peerId === undefined ? {} : { peerId }),
    })),
  };
}

/** Validates parsed JSON as a manifest; `source` names the file in error messages. */
export function parseManifest(json: unknown, source: string): DevnetManifest {
  const fail = (field: string, detail: string): never => {
    throw new ManifestError(`${source}: ${field}: ${detail}`);
  };
  const root = record(json) ?? fail('(root)', 'expected an object');
  if (root.version !== MANIFEST_VERSION) {
    fail('version', `expected ${MANIFEST_VERSION}, got ${JSON.stringify(root.version)}`);
  }
  const state = root.state;
  if (!LAUNCH_STATES.includes(state as LaunchState)) {
    fail('state', `expected one of ${LAUNCH_STATES.join(', ')}`);
  }
  const launcher = record(root.launcher) ?? fail('launcher', 'expected an object');
  const nodes = Array.isArray(root.nodes) ? root.nodes : fail('nodes', 'expected an array');
  const names = new Set<string>();
  return {
    version: MANIFEST_VERSION,
    state: state as LaunchState,
    network: text(root.network, 'network', fail),
    definitions: text(root.definitions, 'definitions', fail),
    launcher: {
      pid: positive(launcher.pid, 'launcher.pid', fail),
      startedAt: positive(launcher.startedAt, 'launcher.startedAt', fail),
    },
    updatedAt: positive(root.updatedAt, 'updatedAt', fail),
    nodes: nodes.map((raw: unknown, i): ManifestNode => {
      const at = `nodes[${i}]`;
      const node = record(raw) ?? fail(at, 'expected an object');
      const name = text(node.name, `${at}.name`, fail);
      if (names.has(name)) fail(`${at}.name`, `'${name}' appears twice`);
      names.add(name);
      const roles = Array.isArray(node.roles) ? node.roles : fail(`${at}.roles`, 'expected an array');
      if (roles.some((r) => !NODE_ROLES.includes(r as NodeRole))) {
        fail(`${at}.roles`, `expected roles among ${NODE_ROLES.join(', ')}`);
      }
      const rpc = text(node.rpc, `${at}.rpc`, fail);
      if (!/^http:\/\/127\.0\.0\.1:\d{1,5}$/.test(rpc)) fail(`${at}.rpc`, 'expected http://127.0.0.1:<port>');
      return {
        name,
        roles: roles as NodeRole[],
        rpc,
        cookie: text(node.cookie, `${at}.cookie`, fail),
        dataDir: text(node.dataDir, `${at}.dataDir`, fail),
        p2pPort: positive(node.p2pPort, `${at}.p2pPort`, fail),
        metricsPort: positive(node.metricsPort, `${at}.metricsPort`, fail),
        ...(node.pid === undefined ? {} : { pid: positive(node.pid, `${at}.pid`, fail) }),
        ...(node.peerId === undefined ? {} : { peerId: text(node.peerId, `${at}.peerId`, fail) }),
      };
    }),
  };
}

/** The facts gathered about one node right now. */
export interface LivenessEvidence {
  /** Whether the recorded pid exists; undefined when no pid is recorded. */
  readonly pidAlive?: boolean;
  /** The node's answer to an authenticated `status`; undefined when it did not answer in time. */
  readonly answer?: { readonly name: string; readonly peerId: string };
}

export type Liveness =
  | { readonly running: true }
  | { readonly running: false; readonly state: 'stopped' | 'gone' | 'not answering' | 'impostor' };

/**
 * The rule of the module comment: a recorded pid must be alive, and the RPC must answer as the
 * node (its name, and its recorded peer id when there is one).
 * `gone`: the recorded process no longer exists; `not answering`: it exists but its RPC is silent;
 * `impostor`: something else answers on its RPC port; `stopped`: no pid recorded and no answer.
 */
export function judgeLiveness(
  expected: { readonly name: string; readonly pid?: number; readonly peerId?: string },
  evidence: LivenessEvidence,
): Liveness {
  if (expected.pid !== undefined && evidence.pidAlive !== true) return { running: false, state: 'gone' };
  const { answer } = evidence;
  if (answer === undefined) {
    return { running: false, state: expected.pid === undefined ? 'stopped' : 'not answering' };
  }
  const sameNode =
    answer.name === expected.name && (expected.peerId === undefined || answer.peerId === expected.peerId);
  return sameNode ? { running: true } : { running: false, state: 'impostor' };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown, field: string, fail: (field: string, detail: string) => never): string {
  return typeof value === 'string' && value !== '' ? value : fail(field, 'expected a non-empty string');
}

function positive(value: unknown, field: string, fail: (field: string, detail: string) => never): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? value
    : fail(field, 'expected a positive integer');
}
