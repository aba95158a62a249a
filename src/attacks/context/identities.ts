/**
 * Other identities of an attacker: redials from its own identity (to meet its ban at the gater),
 * fresh honest trustmesh nodes (a new identity from the same address, judged afresh), bare libp2p
 * peers (many connections for stream-exhaustion attacks) and peers on a host of the attack's
 * choosing that serve pushes and a view of the chain of its choosing (Sybils, eclipse attackers).
 * Each lives in a directory under the attacker's data dir and is stopped and deleted when the
 * attack stops.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { multiaddr } from '@multiformats/multiaddr';
import type { NodeConfig } from '../../node/config.js';
import { TrustmeshNode } from '../../node/trustmesh-node.js';
import { createP2PNode, type P2PNode } from '../../p2p/node/create-node.js';
import type { AddrEntryMessage } from '../../p2p/membership/addr-codec.js';
import { decodeAddrRequest, encodeAddr } from '../../p2p/membership/addr-codec.js';
import { addrProtocol } from '../../p2p/membership/addr-relay.js';
import { MAX_ADDR_FRAME_BYTES } from '../../p2p/membership/constants.js';
import { GetDataServer } from '../../p2p/getdata/server.js';
import { TxPushServer } from '../../p2p/push/server.js';
import { SyncServer } from '../../p2p/sync/server.js';
import { frameStream } from '../../p2p/wire/framing.js';
import type { Identities, PeerServices, SpawnedPeer } from '../attack.js';
import type { RawStreams } from './raw-wire.js';

/** How long (ms) a redialed connection must stay open to count as accepted (a gater refusal closes it at once). */
const ACCEPTED_AFTER_MS = 500;
/** Longest dial (ms) of a spawned identity: loopback connects in ~10 ms; a loaded victim takes longer. */
const DIAL_TIMEOUT_MS = 5_000;

/** Whole exchange (ms) on an addr stream a spawned peer answers: the honest server's ADDR_TIMEOUT_MS. */
const ADDR_ANSWER_TIMEOUT_MS = 5_000;

/** A service a spawned peer runs on its libp2p host. */
interface PeerService {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Answers getaddr on `p2p`'s addr protocol with `entries()` (unsolicited addr frames are read and dropped). */
function addrAnswerer(p2p: P2PNode, entries: () => AddrEntryMessage[]): PeerService {
  const protocol = addrProtocol(p2p.network);
  return {
    start: () =>
      p2p.libp2p.handle(protocol, ({ stream }) => {
        void (async () => {
          const signal = AbortSignal.timeout(ADDR_ANSWER_TIMEOUT_MS);
          try {
            const frames = frameStream(stream, MAX_ADDR_FRAME_BYTES);
            const request = await frames.read({ signal });
            if (request !== undefined && decodeAddrRequest(request).kind === 'getAddr') {
              await frames.write(encodeAddr(entries()), { signal });
            }
            await stream.close({ signal });
          } catch (err) {
            stream.abort(err as Error);
          }
        })();
      }),
    stop: () => p2p.libp2p.unhandle(protocol),
  };
}

export class AttackIdentities implements Identities {
  private readonly nodes: TrustmeshNode[] = [];
  private readonly bare: P2PNode[] = [];
  private readonly services: PeerService[] = [];
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

  async spawnPeer(host: string, services: PeerServices = {}): Promise<SpawnedPeer> {
    const network = this.own.network;
    const p2p = await createP2PNode({
      network,
      dataDir: this.nextDir('peer'),
      host,
      port: 0,
      devnetLoopback: true,
    });
    this.bare.push(p2p);
    const own: PeerService[] = [];
    const push = services.push === true ? new TxPushServer(p2p.libp2p, { network }) : undefined;
    if (push !== undefined) own.push(push);
    if (services.addresses !== undefined) own.push(addrAnswerer(p2p, services.addresses));
    if (services.source !== undefined) {
      own.push(new SyncServer(p2p.libp2p, { network, source: services.source }));
      own.push(new GetDataServer(p2p.libp2p, { network, source: services.source }));
    }
    for (const service of own) await service.start();
    this.services.push(...own);
    const remote = (peer: string) =>
      p2p.libp2p.getConnections().find((c) => c.status === 'open' && c.remotePeer.toString() === peer)
        ?.remotePeer;
    return {
      peerId: p2p.peerId.toString(),
      host,
      address: p2p.multiaddrs()[0]!.toString(),
      dial: async (addr) => {
        try {
          const connection = await p2p.libp2p.dial(multiaddr(addr), {
            signal: AbortSignal.timeout(DIAL_TIMEOUT_MS),
          });
          return connection.status === 'open';
        } catch {
          return false;
        }
      },
      connectedTo: () => p2p.libp2p.getPeers().map(String),
      subscribers: () => (push === undefined ? [] : [...push.subscribers()].map((s) => s.peer)),
      push: (peer, payloads) => push !== undefined && payloads.every((payload) => push.push(peer, payload)),
      open: async (peer, protocol) => {
        const id = remote(peer);
        if (id === undefined) throw new Error(`not connected to ${peer}`);
        return this.streams.openOn(p2p.libp2p, id, protocol);
      },
      stop: async () => {
        await Promise.allSettled(own.map((service) => service.stop()));
        await p2p.stop();
      },
    };
  }

  /** Stops every spawned node and peer and deletes their directories. */
  async stopAll(): Promise<void> {
    await Promise.allSettled(this.services.map((s) => s.stop()));
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
