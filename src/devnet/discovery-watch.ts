/**
 * What a discovering devnet looks like from outside, over each node's RPC: how many outbound
 * connections of each type a node holds against its targets (`peers`: connection types), whom it
 * is connected to beyond its bootstrap nodes, and whether any honest node has an offence or a
 * quarantine against another honest node (`reputation`). Used by the discovery measurement
 * (scripts/devnet-discovery.ts) and the devnet end-to-end test; nothing here changes a node.
 */
import type { RpcCaller } from '../cli/rpc-client.js';
import { devnetOutboundTargets, type NodeDefinition } from '../node/devnet-definitions.js';

/** One node's connections, as its `peers` and `status` RPCs report them. */
export interface NodeConnections {
  readonly name: string;
  readonly fullRelay: number;
  readonly blockRelay: number;
  readonly inbound: number;
  /** Peer ids of every connected peer, each once (feelers included). */
  readonly peerIds: readonly string[];
  /** Netgroups of the connected peers, one per peer, e.g. `ipv4:127.3`. */
  readonly netgroups: readonly string[];
  readonly partitionSuspected: boolean;
  readonly partitionReason: string | null;
}

/** An offence or a quarantine one honest node holds against another. */
export interface HonestOffence {
  readonly judge: string;
  readonly peer: string;
  readonly state: string;
  readonly offences: number;
  readonly kind: string | null;
  readonly evidence: string | null;
}

/** A node of a running devnet: its definition, its RPC and the peer id it started with. */
export interface WatchedNode {
  readonly def: NodeDefinition;
  readonly rpc: RpcCaller;
  readonly peerId: string;
}

/** The connections of one node now. */
export async function nodeConnections(node: WatchedNode): Promise<NodeConnections> {
  const [connections, status] = await Promise.all([node.rpc.call('peers'), node.rpc.call('status')]);
  // `peers` lists connections; two nodes that dialled each other at once hold two. Count peers.
  const peers = [...new Map(connections.map((p) => [p.peerId, p])).values()];
  const count = (type: string) => peers.filter((p) => p.connectionType === type).length;
  return {
    name: node.def.name,
    fullRelay: count('outbound-full'),
    blockRelay: count('block-relay'),
    inbound: count('inbound'),
    peerIds: peers.map((p) => p.peerId),
    netgroups: peers.flatMap((p) => (p.netgroup === undefined ? [] : [p.netgroup])),
    partitionSuspected: status.partitionSuspected === true,
    partitionReason: status.partitionReason ?? null,
  };
}

/** Whether `connections` meets the devnet-sized outbound targets of a devnet of `nodeCount` nodes. */
export function meetsTargets(connections: NodeConnections, nodeCount: number): boolean {
  const targets = devnetOutboundTargets(nodeCount);
  return (
    connections.fullRelay >= targets.outboundFullRelay && connections.blockRelay >= targets.blockRelayOnly
  );
}

/** Peers `connections` holds that the node was not given (neither bootstrap nor static peers). */
export function discoveredPeers(
  node: WatchedNode,
  connections: NodeConnections,
  byName: ReadonlyMap<string, WatchedNode>,
): string[] {
  const given = new Set(
    [...node.def.bootstrap, ...node.def.peers].map((name) => byName.get(name)?.peerId ?? ''),
  );
  return connections.peerIds.filter((id) => !given.has(id));
}

/** Every offence or quarantine an honest node records against another honest node. */
export async function honestOffences(nodes: readonly WatchedNode[]): Promise<HonestOffence[]> {
  const names = new Map(nodes.map((n) => [n.peerId, n.def.name]));
  const found: HonestOffence[] = [];
  await Promise.all(
    nodes.map(async (node) => {
      for (const entry of await node.rpc.call('reputation')) {
        const peer = names.get(entry.peerId);
        if (peer === undefined || (entry.offences === 0 && entry.state !== 'quarantined')) continue;
        found.push({
          judge: node.def.name,
          peer,
          state: entry.state,
          offences: entry.offences,
          kind: entry.lastOffence?.kind ?? null,
          evidence: entry.lastOffence?.evidence ?? null,
        });
      }
    }),
  );
  return found;
}
