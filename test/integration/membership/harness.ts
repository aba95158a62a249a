/**
 * Membership test harness: real libp2p hosts (createP2PNode: TCP, noise, yamux, gossipsub) with a
 * Membership each, every node on its own loopback address 127.(BASE+i).0.1 so it has its own /16
 * netgroup, each data dir a fresh temp dir. No chain: these tests are about who connects to whom.
 * Offences go to an in-memory list; a ban set stands in for the reputation layer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createP2PNode, type P2PNode } from '../../../src/p2p/node/create-node.js';
import { Membership, type MembershipOptions } from '../../../src/p2p/membership/membership.js';
import type { MembershipEvent } from '../../../src/p2p/membership/ports.js';

export const NETWORK = 'regtest';

export interface MemberNode {
  readonly index: number;
  readonly host: string;
  readonly dataDir: string;
  p2p: P2PNode;
  membership: Membership;
  readonly events: MembershipEvent[];
  readonly offences: { peer: string; kind: string; evidence: string }[];
  readonly banned: Set<string>;
  /** Ping streams each peer opened to this node. */
  readonly pingsFrom: Map<string, number>;
  port: number;
}

export type MemberOptions = Partial<Omit<MembershipOptions, 'network' | 'dataDir'>> & {
  /** Static (addnode) peers, kept connected by the host's dialer. */
  staticPeers?: string[];
};

/** Loopback address of node `index`: 127.(base + index).0.1. */
export function hostOf(index: number, base: number): string {
  return `127.${base + index}.0.1`;
}

export class MemberNetwork {
  readonly nodes: (MemberNode | undefined)[] = [];
  private readonly dirs: string[] = [];

  constructor(private readonly base: number) {}

  /** Starts node `index` (a new one, or a restart on its old dir and port). */
  async start(index: number, memberOptions: MemberOptions = {}): Promise<MemberNode> {
    const { staticPeers = [], ...options } = memberOptions;
    const previous = this.nodes[index] ?? this.stoppedNodes.get(index);
    const host = previous?.host ?? hostOf(index, this.base);
    const dataDir = previous?.dataDir ?? (await mkdtemp(join(tmpdir(), `trustmesh-member-${index}-`)));
    if (previous === undefined) this.dirs.push(dataDir);
    const events: MembershipEvent[] = [];
    const offences: MemberNode['offences'] = [];
    const banned = previous?.banned ?? new Set<string>();
    // Filled in below: the gater consults membership, which needs the host first.
    const ref: { membership?: Membership } = {};
    const pingsFrom = new Map<string, number>();
    const p2p = await createP2PNode({
      network: NETWORK,
      dataDir,
      host,
      port: previous?.port ?? 0,
      devnetLoopback: true,
      peerGate: { isBlocked: (peer) => banned.has(peer) },
      inboundGate: (addr) => ref.membership?.denyInbound(addr) ?? false,
      // As the node wires it (src/node/compose.ts): a peer that pings us is alive.
      onInboundPing: (peer) => {
        pingsFrom.set(peer, (pingsFrom.get(peer) ?? 0) + 1);
        ref.membership?.heardFrom(peer);
      },
      maxConnections: 400,
      bootstrap: staticPeers,
    });
    const membership = await Membership.create(
      {
        network: NETWORK,
        dataDir,
        outboundFullRelay: 4,
        blockRelayOnly: 1,
        maxInbound: 40,
        feelerIntervalMs: 0,
        ...options,
      },
      {
        host: p2p.libp2p,
        isBanned: (peer) => banned.has(peer),
        manualPeers: () => p2p.staticPeers,
        onOffence: (peer, kind, evidence) => offences.push({ peer, kind, evidence }),
        onEvent: (event) => events.push(event),
      },
    );
    ref.membership = membership;
    await membership.start();
    const port = Number(p2p.multiaddrs()[0]!.toOptions().port);
    const node: MemberNode = {
      index,
      host,
      dataDir,
      p2p,
      membership,
      events,
      offences,
      banned,
      pingsFrom,
      port,
    };
    this.nodes[index] = node;
    return node;
  }

  node(index: number): MemberNode {
    const node = this.nodes[index];
    if (node === undefined) throw new Error(`node ${index} is not running`);
    return node;
  }

  /** `/ip4/.../tcp/.../p2p/...` of a running node. */
  addrOf(index: number): string {
    return this.node(index).p2p.multiaddrs()[0]!.toString();
  }

  /** Stops node `index` cleanly (membership saves book and anchors); it can be restarted. */
  async stop(index: number): Promise<void> {
    const node = this.nodes[index];
    if (node === undefined) return;
    await node.membership.stop();
    await node.p2p.stop();
    this.stoppedNodes.set(index, node);
    this.nodes[index] = undefined;
  }

  private readonly stoppedNodes = new Map<number, MemberNode>();

  /** The running nodes. */
  live(): MemberNode[] {
    return this.nodes.filter((n): n is MemberNode => n !== undefined);
  }

  async cleanup(): Promise<void> {
    for (const node of this.live()) {
      await node.membership.stop().catch(() => undefined);
      await node.p2p.stop().catch(() => undefined);
    }
    for (const dir of this.dirs) await rm(dir, { recursive: true, force: true });
  }
}

/** Whether a node has reached its outbound targets. */
export function reachedTargets(node: MemberNode, full = 4, block = 1): boolean {
  const s = node.membership.status();
  return s.outboundFullRelay >= full && s.blockRelayOnly >= block;
}
