/**
 * Other identities of an attacker on its own host: redials from its own identity (to meet its ban
 * at the gater), fresh honest trustmesh nodes (a new identity from the same address, judged
 * afresh) and bare libp2p peers (many connections for stream-exhaustion attacks). Each lives in a
 * directory under the attacker's data dir and is stopped and deleted when the attack stops.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { multiaddr } from '@multiformats/multiaddr';
import type { NodeConfig } from '../../node/config.js';
import { TrustmeshNode } from '../../node/trustmesh-node.js';
import { createP2PNode, type P2PNode } from '../../p2p/node/create-node.js';
import type { Identities } from '../attack.js';
import type { RawStreams } from './raw-wire.js';

/** How long (ms) a redialed connection must stay open to count as accepted (a gater refusal closes it at once). */
const ACCEPTED_AFTER_MS = 500;

export class AttackIdentities implements Identities {
  private readonly nodes: TrustmeshNode[] = [];
  private readonly bare: P2PNode[] = [];
  private readonly dirs: string[] = [];
  private spawned = 0;

  constructor(
    private readonly config: NodeConfig,
    private readonly own: P2PNode,
    private readonly streams: RawStreams,
  ) {}

  targets(): string[] {
    return [...this.config.peers];
  }

  async redial(addr: string): Promise<boolean> {
    try {
      const connection = await this.own.libp2p.dial(multiaddr(addr), { signal: AbortSignal.timeout(5_000) });
      await sleep(ACCEPTED_AFTER_MS);
      return connection.status === 'open';
    } catch {
      return false;
    }
  }

  async dropConnections(): Promise<void> {
    for (const connection of this.own.libp2p.getConnections()) connection.abort(new Error('link dropped'));
  }

  async spawnHonestNode(): Promise<{ peerId: string; connectedTo(): string[] }> {
    const dataDir = this.nextDir('honest');
    const node = await TrustmeshNode.start({
      ...this.config,
      name: `${this.config.name}-fresh${this.spawned}`,
      dataDir,
      port: 0,
      rpcPort: -1,
      metricsPort: -1,
      logStdout: false,
      mine: false,
    });
    this.nodes.push(node);
    return {
      peerId: node.peerIdString,
      connectedTo: () => node.p2p.libp2p.getPeers().map(String),
    };
  }

  async spawnBarePeer(addr: string) {
    const p2p = await createP2PNode({
      network: this.own.network,
      dataDir: this.nextDir('bare'),
      host: '127.0.0.1',
      port: 0,
      devnetLoopback: true,
      allowLoopbackColocation: true,
    });
    this.bare.push(p2p);
    const target = multiaddr(addr);
    try {
      const connection = await p2p.libp2p.dial(target, { signal: AbortSignal.timeout(5_000) });
      const remote = connection.remotePeer;
      return {
        peerId: p2p.peerId.toString(),
        wire: {
          open: (_peer: string, protocol: string) => this.streams.openOn(p2p.libp2p, remote, protocol),
        },
      };
    } catch {
      return undefined;
    }
  }

  /** Stops every spawned node and peer and deletes their directories. */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.nodes.map((n) => n.stop()), ...this.bare.map((p) => p.stop())]);
    await Promise.allSettled(this.dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }

  private nextDir(what: string): string {
    this.spawned++;
    const dir = join(this.config.dataDir, `identity-${what}-${this.spawned}-${Date.now()}`);
    this.dirs.push(dir);
    return dir;
  }
}
