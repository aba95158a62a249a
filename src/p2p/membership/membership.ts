/**
 * Open membership of a node: composes the address book (persisted), the address relay, the
 * connection manager and the liveness monitor from narrow ports, starts and stops them in order,
 * and offers the views the RPC shows (`peers`, `addrbook`, the partition status).
 *
 * @example
 * ```ts
 * const p2p = await createP2PNode({ ..., inboundGate: (addr) => membership?.denyInbound(addr) ?? false });
 * const membership = await Membership.create(
 *   { network: 'devnet', dataDir, bootstrap: ['/ip4/127.1.0.1/tcp/9000/p2p/12D3KooW...'] },
 *   { host: p2p.libp2p, isBanned: (p) => banList.isQuarantined(p), onOffence: (p, k, e) => node.offence(p, k, e) },
 * );
 * await membership.start();
 * membership.peers(); // direction, connection type, netgroup, RTT, liveness, connected time
 * await membership.stop(); // saves the book and the anchors
 * ```
 */
import { multiaddr } from '@multiformats/multiaddr';
import type { AddrEntryMessage } from './addr-codec.js';
import { entryMultiaddr } from './addr-codec.js';
import { AddrRateLimiter } from './addr-rate-limiter.js';
import { AddrRelay } from './addr-relay.js';
import type { AddressBook, AddrTable } from './address-book.js';
import { loadAddressBook, saveAddressBook, takeAnchors } from './address-book-store.js';
import { type ConnectionTargets, ConnectionManager } from './connection-manager.js';
import {
  CORE_BLOCK_RELAY_ONLY,
  CORE_MAX_INBOUND,
  CORE_OUTBOUND_FULL_RELAY,
  FEELER_INTERVAL_MS,
  MAX_INBOUND_PER_NETGROUP,
  PING_INTERVAL_MS,
  PING_TIMEOUT_MS,
  SEED_SOURCE,
  SUSPECT_TIMEOUT_MS,
} from './constants.js';
import { type LivenessState, LivenessTable } from './liveness.js';
import { DEFAULT_LIVENESS_TIMINGS, LivenessMonitor } from './liveness-monitor.js';
import { type NetgroupMode, netgroupFunction, netgroupOfAddr } from './netgroup.js';
import type { PartitionStatus } from './partition-detector.js';
import type {
  ChainPort,
  ConnectionType,
  EventPort,
  LogPort,
  MembershipHost,
  OffencePort,
  PeerWorkPort,
} from './ports.js';
import type { Multiaddr } from '@multiformats/multiaddr';

/** The address book is saved this often (ms), and at stop. */
const SAVE_INTERVAL_MS = 60_000;

export interface MembershipOptions extends Partial<ConnectionTargets> {
  network: string;
  dataDir: string;
  /** Seed addresses (multiaddrs with /p2p/<peer id>) put in the book at start. */
  bootstrap?: readonly string[];
  netgroupMode?: NetgroupMode;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  suspectTimeoutMs?: number;
}

export interface MembershipModules {
  host: MembershipHost;
  isBanned: (peer: string) => boolean;
  isNoBan?: (peer: string) => boolean;
  /** Static (addnode) peers. */
  manualPeers?: () => ReadonlySet<string>;
  onOffence: OffencePort;
  chain?: ChainPort;
  peerWork?: PeerWorkPort;
  onEvent?: EventPort;
  /**
   * A suspect peer answered again (its link came back, e.g. a partition healed without the
   * connection dropping): what it sent meanwhile may be lost, so the node resyncs from it as from a
   * new connection.
   */
  onPeerRecovered?: (peer: string) => void;
  log?: LogPort;
  now?: () => number;
  random?: () => number;
}

/** One connected peer, as `peers` shows it. */
export interface MembershipPeerView {
  peerId: string;
  direction: 'inbound' | 'outbound';
  connectionType: ConnectionType;
  netgroup: string;
  address: string;
  rttMs: number | undefined;
  minRttMs: number | undefined;
  liveness: LivenessState;
  connectedAt: number;
}

/** One address book entry, as `addrbook` shows it. */
export interface AddrBookEntryView {
  peerId: string;
  addrs: string[];
  netgroup: string;
  table: AddrTable;
  source: string;
  sourcePeer: string | undefined;
  lastSeen: number;
  lastTry: number | undefined;
  lastSuccess: number | undefined;
  attempts: number;
}

export interface MembershipStatus {
  outboundFullRelay: number;
  blockRelayOnly: number;
  manual: number;
  feeler: number;
  inbound: number;
  targets: { outboundFullRelay: number; blockRelayOnly: number; maxInbound: number };
  addrbook: { new: number; tried: number };
  partitionSuspected: boolean;
  partitionReason: string | undefined;
  staleTip: boolean;
}

/** Devnet defaults would be set by the node's config; these are Core's. */
export const DEFAULT_TARGETS: ConnectionTargets = {
  outboundFullRelay: CORE_OUTBOUND_FULL_RELAY,
  blockRelayOnly: CORE_BLOCK_RELAY_ONLY,
  maxInbound: CORE_MAX_INBOUND,
  maxInboundPerNetgroup: MAX_INBOUND_PER_NETGROUP,
  feelerIntervalMs: FEELER_INTERVAL_MS,
};

export class Membership {
  readonly book: AddressBook;
  readonly liveness: LivenessTable;
  readonly relay: AddrRelay;
  readonly connections: ConnectionManager;
  private readonly monitor: LivenessMonitor;
  private saveTimer: ReturnType<typeof setInterval> | undefined;
  private running = false;

  private constructor(
    private readonly options: MembershipOptions,
    private readonly modules: MembershipModules,
    book: AddressBook,
    anchors: Awaited<ReturnType<typeof takeAnchors>>,
  ) {
    const now = modules.now ?? Date.now;
    const random = modules.random ?? Math.random;
    const log = modules.log ?? (() => {});
    const onEvent = modules.onEvent ?? (() => {});
    const netgroup = netgroupFunction(options.netgroupMode ?? 'ipv4-16');
    const host = modules.host;
    this.book = book;
    this.liveness = new LivenessTable({
      suspectTimeoutMs: options.suspectTimeoutMs ?? SUSPECT_TIMEOUT_MS,
      onTransition: (peer, from, to, at) => {
        if (to === 'alive') {
          if (from === 'suspect') modules.onPeerRecovered?.(peer);
          return;
        }
        onEvent({ kind: 'liveness', peer, state: to, at });
        log('peer %s %s', peer, to);
      },
    });
    const targets: ConnectionTargets = { ...DEFAULT_TARGETS };
    for (const key of Object.keys(DEFAULT_TARGETS) as (keyof ConnectionTargets)[]) {
      if (options[key] !== undefined) targets[key] = options[key];
    }
    this.relay = new AddrRelay({
      host,
      network: options.network,
      book,
      limiter: new AddrRateLimiter(),
      netgroupOfPeer: (peer) => this.connections.slot(peer)?.netgroup,
      isBlockRelay: (peer) => this.connections.slot(peer)?.type === 'block-relay',
      relayCandidates: () =>
        this.connections
          .slotList()
          .filter((s) => s.type !== 'block-relay' && s.type !== 'feeler')
          .map((s) => s.peerId),
      selfEntries: () => this.selfEntries(),
      onOffence: modules.onOffence,
      now,
      random,
      log,
    });
    this.connections = new ConnectionManager(
      {
        host,
        dataDir: options.dataDir,
        book,
        relay: this.relay,
        liveness: this.liveness,
        netgroup,
        anchors,
        manualPeers: modules.manualPeers ?? (() => new Set()),
        isBanned: modules.isBanned,
        isNoBan: modules.isNoBan ?? (() => false),
        chain: modules.chain,
        peerWork: modules.peerWork,
        onEvent,
        log,
        now,
        random,
      },
      targets,
    );
    this.monitor = new LivenessMonitor(
      {
        host,
        liveness: this.liveness,
        shouldPing: (peer) => {
          const type = this.connections.slot(peer)?.type;
          return type !== undefined && type !== 'feeler';
        },
        onDead: (peer) => this.connections.declareDead(peer),
        log,
        now,
      },
      {
        ...DEFAULT_LIVENESS_TIMINGS,
        pingIntervalMs: options.pingIntervalMs ?? PING_INTERVAL_MS,
        pingTimeoutMs: options.pingTimeoutMs ?? PING_TIMEOUT_MS,
      },
    );
    for (const text of options.bootstrap ?? []) {
      const addr = multiaddr(text);
      const peerId = addr.getPeerId();
      const bare = entryMultiaddr(addr.decapsulateCode(421));
      if (peerId === null || bare === undefined || peerId === host.peerId.toString()) continue;
      book.add({ peerId, addrs: [bare.toString()], lastSeen: now() }, { group: SEED_SOURCE }, now());
    }
  }

  /** Loads the book and anchors from the data dir and builds the services (not started). */
  static async create(options: MembershipOptions, modules: MembershipModules): Promise<Membership> {
    const book = await loadAddressBook(options.dataDir, netgroupFunction(options.netgroupMode ?? 'ipv4-16'));
    const anchors = await takeAnchors(options.dataDir);
    return new Membership(options, modules, book, anchors);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.relay.start();
    await this.connections.start();
    await this.monitor.start();
    this.saveTimer = setInterval(() => void this.save(), SAVE_INTERVAL_MS);
    this.saveTimer.unref?.();
  }

  /** Stops in reverse order, saves the anchors and the book. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.saveTimer);
    await this.monitor.stop();
    await this.connections.stop();
    await this.relay.stop();
    await this.save();
  }

  private async save(): Promise<void> {
    await saveAddressBook(this.options.dataDir, this.book).catch((err: Error) =>
      this.modules.log?.('address book not saved: %s', err.message),
    );
  }

  /** Our advertisable listen addresses (ip/tcp, not unspecified), now. */
  private selfEntries(): AddrEntryMessage[] {
    const now = (this.modules.now ?? Date.now)();
    const peerId = this.modules.host.peerId.toString();
    const entries: AddrEntryMessage[] = [];
    for (const addr of this.modules.host.getMultiaddrs()) {
      const bare = entryMultiaddr(addr.decapsulateCode(421));
      const host = bare?.toOptions().host;
      if (bare === undefined || host === '0.0.0.0' || host === '::') continue;
      entries.push({ peerId, addr: bare.toString(), lastSeen: now });
    }
    return entries;
  }

  /** Gater check before the handshake (the inbound netgroup cap). */
  denyInbound(remoteAddr: Multiaddr): boolean {
    return this.connections.denyInbound(remoteAddr);
  }

  /**
   * Whether our connection to `peer` is block-relay-only (Core's): we neither take its transactions
   * (pushes, announcements, mempool) nor give it ours by push, so the link reveals nothing of how
   * transactions travel and cannot be used to map or starve our transaction relay.
   */
  isBlockRelayOnly(peer: string): boolean {
    return this.connections.slot(peer)?.type === 'block-relay';
  }

  /**
   * We received something from `peer` (a ping, a relay or sync message): it is alive, and the
   * liveness monitor need not ping it for a while.
   */
  heardFrom(peer: string): void {
    this.liveness.heard(peer, (this.modules.now ?? Date.now)());
  }

  /** A peer delivered a new valid transaction or block (eviction protection). */
  recordDelivery(peer: string, kind: 'tx' | 'block'): void {
    this.connections.recordDelivery(peer, kind);
  }

  /** Netgroup of a multiaddr under this node's netgroup mode. */
  netgroupOf(addr: Multiaddr): string {
    return netgroupOfAddr(addr, netgroupFunction(this.options.netgroupMode ?? 'ipv4-16'));
  }

  peers(): MembershipPeerView[] {
    return this.connections.slotList().map((slot) => {
      const live = this.liveness.get(slot.peerId);
      return {
        peerId: slot.peerId,
        direction: slot.direction,
        connectionType: slot.type,
        netgroup: slot.netgroup,
        address: slot.remoteAddr,
        rttMs: live?.lastRttMs,
        minRttMs: live?.minRttMs,
        liveness: live?.state ?? 'alive',
        connectedAt: slot.connectedAt,
      };
    });
  }

  addressBook(): AddrBookEntryView[] {
    return this.book.entriesList().map((e) => ({
      peerId: e.peerId,
      addrs: [...e.addrs],
      netgroup: e.netgroup,
      table: e.table,
      source: e.source,
      sourcePeer: e.sourcePeer,
      lastSeen: e.lastSeen,
      lastTry: e.lastTry,
      lastSuccess: e.lastSuccess,
      attempts: e.attempts,
    }));
  }

  get partition(): PartitionStatus {
    return this.connections.partitionStatus;
  }

  status(): MembershipStatus {
    const c = this.connections;
    const partition = c.partitionStatus;
    return {
      outboundFullRelay: c.count('outbound-full'),
      blockRelayOnly: c.count('block-relay'),
      manual: c.count('manual'),
      feeler: c.count('feeler'),
      inbound: c.count('inbound'),
      targets: {
        outboundFullRelay: c.fullRelayTarget,
        blockRelayOnly: c.config.blockRelayOnly,
        maxInbound: c.config.maxInbound,
      },
      addrbook: { new: this.book.count('new'), tried: this.book.count('tried') },
      partitionSuspected: partition.suspected,
      partitionReason: partition.detail,
      staleTip: partition.staleTip,
    };
  }
}
