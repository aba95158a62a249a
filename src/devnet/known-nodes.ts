/**
 * Which nodes a name can reach: the nodes the devnet's manifest records (what the launcher in the
 * definitions' data root started, e.g. node6 and node7 of `--nodes 7`) and the nodes of the
 * definitions file (`nodes/devnet.json` or `--devnet <file>`).
 *
 * Order of resolution: while a launch is live (manifest `starting` or `running`) its nodes come
 * first, so a name means the node that runs now, with its pid and peer id to check; the
 * definitions add the names it does not have. Once the launch is `stopped`, the definitions come
 * first (a node started by hand from them is the one to reach) and the manifest only adds the names
 * they lack (so `cli node7 status` still says node7 is not running instead of `unknown node`).
 * A manifest that cannot be read is ignored, and the problem reported, never fatal: the
 * definitions still work.
 */
import { cookiePathOf, type DevnetDefinition, type NodeRole, rpcUrlOf } from '../node/devnet-definitions.js';
import type { DevnetManifest } from './manifest.js';
import { ManifestError } from './manifest.js';
import { manifestPathOf, readManifest } from './manifest-file.js';

export interface KnownNode {
  readonly name: string;
  readonly roles: readonly NodeRole[];
  readonly rpc: string;
  readonly cookiePath: string;
  /** The process a live manifest recorded for this node: it must be alive for the node to run. */
  readonly pid?: number;
  /** The identity a manifest recorded: the RPC must answer with it. */
  readonly peerId?: string;
}

export interface KnownNodes {
  readonly nodes: readonly KnownNode[];
  /** The manifest read from the data root, or null when there is none (or it was unusable). */
  readonly manifest: DevnetManifest | null;
  readonly manifestPath: string;
  /** Why the manifest was ignored, when it was. */
  readonly problem?: string;
}

/** Merges a manifest (or none) with the definitions, in the order of the module comment. */
export function mergeKnownNodes(definitions: DevnetDefinition, manifest: DevnetManifest | null): KnownNode[] {
  const fromDefinitions = definitions.nodes.map((def): KnownNode => ({
    name: def.name,
    roles: def.roles,
    rpc: rpcUrlOf(def),
    cookiePath: cookiePathOf(def),
  }));
  if (manifest === null) return fromDefinitions;
  const live = manifest.state !== 'stopped';
  const fromManifest = manifest.nodes.map((node): KnownNode => ({
    name: node.name,
    roles: node.roles,
    rpc: node.rpc,
    cookiePath: node.cookie,
    ...(live && node.pid !== undefined ? { pid: node.pid } : {}),
    ...(node.peerId === undefined ? {} : { peerId: node.peerId }),
  }));
  const [first, second] = live ? [fromManifest, fromDefinitions] : [fromDefinitions, fromManifest];
  const names = new Set(first.map((n) => n.name));
  return [...first, ...second.filter((n) => !names.has(n.name))];
}

/** The known nodes of the devnet whose data root `definitions` names (reads its manifest). */
export function loadKnownNodes(definitions: DevnetDefinition): KnownNodes {
  const manifestPath = manifestPathOf(definitions.dataRoot);
  try {
    const manifest = readManifest(definitions.dataRoot);
    return { nodes: mergeKnownNodes(definitions, manifest), manifest, manifestPath };
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    return { nodes: mergeKnownNodes(definitions, null), manifest: null, manifestPath, problem: err.message };
  }
}
