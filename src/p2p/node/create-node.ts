/**
 * Builds and starts the node's libp2p host: TCP, noise, yamux, identify, gossipsub on the
 * inventory topic and a ping responder (ping-responder.ts), with a persistent identity, a connection
 * gater fed by the reputation layer, and a dialer that keeps the static peers connected.
 *
 * libp2p's peer store lives in memory (libp2p's default datastore). What must survive a restart is
 * kept by the node's own stores: the address book (`addrbook.json`, src/p2p/membership) and the
 * ban list. A LevelDB-backed peer store cost a read and a write on every identify and new stream
 * (about a third of an idle node's CPU, and 4-6% under load, measured with `--cpu-prof`).
 *
 * @example
 * ```ts
 * const node = await createP2PNode({ network: 'devnet', dataDir: '/tmp/n1', host: '127.0.0.1', port: 0 });
 * console.log(node.peerId.toString(), node.multiaddrs().map(String));
 * node.gossipsub.addEventListener('gossipsub:message', (evt) => console.log(evt.detail.propagationSource));
 * await node.stop();
 * ```
 */
import { mkdir } from 'node:fs/promises';
import { type GossipSub, type GossipSubComponents, gossipsub } from '@chainsafe/libp2p-gossipsub';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { type Identify, identify } from '@libp2p/identify';
import { type Libp2p, type PeerId, StrictNoSign } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import type { Multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { INV_VERDICT_WINDOW_HEARTBEATS, invTopic, MAX_GOSSIP_RPC_BYTES } from '../wire/constants.js';
import { createConnectionGater, type InboundAddressGate, OPEN_GATE, type PeerGate } from './gater.js';
import {
  contentMsgId,
  fastContentMsgId,
  INV_MESH,
  peerScoreParams,
  SCORE_THRESHOLDS,
} from './gossip-config.js';
import { loadOrCreatePrivateKey } from './identity.js';
import { PeerDialer, parseBootstrapAddrs, type RedialPolicy } from './peer-dialer.js';
import { startPingResponder } from './ping-responder.js';

/** The libp2p services of a trustmesh node. */
export interface P2PServices extends Record<string, unknown> {
  identify: Identify;
  pubsub: GossipSub;
}

export type P2PLibp2p = Libp2p<P2PServices>;

export interface P2PNodeOptions {
  /** Network name: part of the topic and protocol ids, so networks never mix. */
  network: string;
  /** Holds `p2p-key` (identity); created if missing. */
  dataDir: string;
  /** Listen address (IPv4 or IPv6 literal). Default '0.0.0.0'. */
  host?: string;
  /** Listen TCP port; 0 picks a free port. Default 0. */
  port?: number;
  /** Multiaddrs to announce instead of the listen addresses (e.g. behind NAT). */
  announce?: string[];
  /** Static peers, each a multiaddr ending in `/p2p/<peer id>`: dialed at start and kept connected. */
  bootstrap?: string[];
  /** Refuses blocked peers (the reputation layer's ban list). Default: nobody is blocked. */
  peerGate?: PeerGate;
  /** Refuses inbound connections by remote address before the handshake (membership's netgroup cap). */
  inboundGate?: InboundAddressGate;
  /** Gossipsub P5: the reputation layer's score of a peer id (weight 1). Default: 0 for everyone. */
  appSpecificScore?: (peerId: string) => number;
  /**
   * Publish our own announcements to every peer above the publish threshold, not only the mesh
   * (gossipsub's floodPublish). Honest nodes leave it off (the mesh carries them, at a third of the
   * bytes); an attacker turns it on to reach every peer it is connected to.
   */
  floodPublish?: boolean;
  /**
   * Put loopback (`127.0.0.0/8`) on the connection manager's allow list, lifting its per-IP inbound
   * rate limit (~5 connections/s) and its connection cap for loopback (devnet only: membership's
   * connection manager enforces the inbound limits there). Default false.
   */
  devnetLoopback?: boolean;
  /** Connections kept before libp2p prunes the least valuable. Default 100. */
  maxConnections?: number;
  /** A peer pinged us (it is alive): membership's liveness monitor hears of it. */
  onInboundPing?: (peer: string) => void;
  /** Re-dial backoff of the static peers. */
  redial?: Partial<RedialPolicy>;
}

export interface P2PNode {
  readonly libp2p: P2PLibp2p;
  /** The gossipsub router, typed so `reportMessageValidationResult`, `getScore`, `dumpPeerScoreStats` work. */
  readonly gossipsub: GossipSub;
  readonly peerId: PeerId;
  readonly network: string;
  /** The inventory topic this node is subscribed to. */
  readonly invTopic: string;
  /** Listen addresses with `/p2p/<peer id>`, ready to give to other nodes as bootstrap addresses. */
  multiaddrs(): Multiaddr[];
  /** Peer ids of the static peers the dialer keeps connected (manual, `addnode` peers). */
  readonly staticPeers: ReadonlySet<string>;
  /** Stops the dialer and libp2p, then closes the peer store. Idempotent. */
  stop(): Promise<void>;
}

/** Default cap on connections: a devnet has tens of nodes; Bitcoin Core keeps ~125. */
export const DEFAULT_MAX_CONNECTIONS = 100;

/** User agent sent in identify. */
export const USER_AGENT = 'trustmesh/0.1.0';

function listenAddr(host: string, port: number): string {
  return host.includes(':') ? `/ip6/${host}/tcp/${port}` : `/ip4/${host}/tcp/${port}`;
}

/**
 * Source address of outbound TCP connections. A node listening on a loopback address other than
 * 127.0.0.1 (the devnet gives node N 127.N.0.1) dials from it too, so its peers see it in its own
 * netgroup; otherwise the kernel would pick 127.0.0.1 for every node and they would all share one.
 * Any other host keeps the kernel's choice (binding a public address could break routing).
 */
export function dialSourceAddress(host: string): string | undefined {
  return /^127\.\d+\.\d+\.\d+$/.test(host) && host !== '127.0.0.1' ? host : undefined;
}

/** Creates, starts and returns the node; on failure nothing is left running or open. */
export async function createP2PNode(options: P2PNodeOptions): Promise<P2PNode> {
  const topic = invTopic(options.network);
  const bootstrap = parseBootstrapAddrs(options.bootstrap ?? []);
  const gate = options.peerGate ?? OPEN_GATE;
  const localAddress = dialSourceAddress(options.host ?? '0.0.0.0');
  await mkdir(options.dataDir, { recursive: true });
  const privateKey = await loadOrCreatePrivateKey(options.dataDir);
  const libp2p: P2PLibp2p = await createLibp2p<P2PServices>({
    privateKey,
    nodeInfo: { userAgent: USER_AGENT },
    addresses: {
      listen: [listenAddr(options.host ?? '0.0.0.0', options.port ?? 0)],
      announce: options.announce ?? [],
    },
    // `localAddress` is passed through to net.connect (tcp's dialOpts type lists only a subset).
    transports: [tcp(localAddress === undefined ? {} : { dialOpts: { localAddress } as object })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: createConnectionGater(gate, options.inboundGate),
    connectionManager: {
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      allow: options.devnetLoopback === true ? ['/ip4/127.0.0.0/ipcidr/8'] : [],
    },
    // Off: membership's liveness monitor pings (only silent peers, one side per connection), and
    // libp2p's monitor pinged every connection from both sides every 10 s on top of it
    // (docs/libp2p-notes.md).
    connectionMonitor: { enabled: false },
    services: {
      identify: identify(),
      // gossipsub() is typed as a generic PubSub; the instance is a GossipSub.
      pubsub: gossipsub({
        globalSignaturePolicy: StrictNoSign,
        msgIdFn: contentMsgId,
        fastMsgIdFn: fastContentMsgId,
        asyncValidation: true,
        floodPublish: options.floodPublish === true,
        ...INV_MESH,
        fallbackToFloodsub: false,
        doPX: false,
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        allowedTopics: [topic],
        maxInboundDataLength: MAX_GOSSIP_RPC_BYTES,
        mcacheLength: INV_VERDICT_WINDOW_HEARTBEATS,
        // No IHAVE gossip: every node announces to its own mesh, so gossiping an Inv to non-mesh
        // peers only makes them fetch a useless copy a heartbeat later (measured: -27% bytes and
        // -21% CPU per transaction in the 20-node propagation benchmark, latency unchanged).
        mcacheGossip: 0,
        scoreParams: peerScoreParams({
          topic,
          appSpecificScore: options.appSpecificScore ?? (() => 0),
        }),
        scoreThresholds: SCORE_THRESHOLDS,
      }) as unknown as (components: GossipSubComponents) => GossipSub,
    },
  });

  const pubsub = libp2p.services.pubsub;
  let dialer: PeerDialer;
  try {
    pubsub.subscribe(topic);
    await startPingResponder(libp2p, (peer) => options.onInboundPing?.(peer));
    dialer = new PeerDialer(
      libp2p,
      bootstrap,
      gate,
      libp2p.logger.forComponent('trustmesh:p2p:dialer'),
      options.redial,
    );
    dialer.start();
  } catch (err) {
    await libp2p.stop();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    libp2p,
    gossipsub: pubsub,
    peerId: libp2p.peerId,
    network: options.network,
    invTopic: topic,
    multiaddrs: () => libp2p.getMultiaddrs(),
    staticPeers: new Set(dialer.peerIds),
    stop: () => {
      stopping ??= (async () => {
        dialer.stop();
        await libp2p.stop();
      })();
      return stopping;
    },
  };
}
