/**
 * The connection manager: Bitcoin Core's connection shape on libp2p. It decides whom we dial, keeps
 * the role of every connection, and decides which inbound peers stay.
 *
 * Outbound (every `CONNECT_TICK_MS`, up to `MAX_PARALLEL_DIALS` dials at a time), in priority order:
 * 1. anchors: the block-relay-only peers saved at our last clean shutdown, dialled first;
 * 2. full-relay outbound peers up to `outboundFullRelay` (+1 while our tip is stale or a partition is
 *    suspected), then block-relay-only peers up to `blockRelayOnly`, chosen by the address book's
 *    bucket-first selection, never two in one netgroup, never a banned peer, never an address tried
 *    in the last `REDIAL_AFTER_MS`;
 * 3. a feeler every `feelerIntervalMs`: a short connection to an address from the `new` table (or the
 *    occupant of a tried-table collision: test-before-evict) that moves it to `tried` if it answers.
 * Dialling a peer already connected to us inbound gives its existing connection; it counts as our
 * outbound peer only if it comes from the netgroup the book has for it (we chose it either way).
 * Static peers (the config's `peers`) are `manual`: kept connected by the node's PeerDialer, exempt
 * from the netgroup rule, not counted in the targets (Core's addnode).
 *
 * Inbound: at most `maxInboundPerNetgroup` per netgroup (also checked by the connection gater before
 * the handshake) and `maxInbound` in all; a connection over the total evicts an inbound peer chosen
 * by `selectInboundToEvict` (Core's protected order), or is itself closed if every inbound peer is
 * protected.
 *
 * Stale tips (Core's ConsiderEviction): outbound full-relay peers whose chain work stays below ours
 * are asked once, then replaced (chain-sync-eviction.ts). Partition detection (partition-detector.ts)
 * runs each tick; while it suspects a partition, one extra outbound peer is dialled.
 *
 * At `stop()` the block-relay-only peers are saved as anchors.
 */
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import { peerIdFromString } from '@libp2p/peer-id';
import type { AddrEntry, AddressBook } from './address-book.js';
import { type Anchor, saveAnchors } from './address-book-store.js';
import type { AddrRelay } from './addr-relay.js';
import { ChainSyncEviction } from './chain-sync-eviction.js';
import {
  CHAIN_STATUS_POLL_MS,
  CONNECT_TICK_MS,
  DIAL_TIMEOUT_MS,
  EXTRA_OUTBOUND_WHEN_STALE,
  LOST_PEER_RETRY_INTERVAL_MS,
  LOST_PEER_RETRY_WINDOW_MS,
  FEELER_LIFETIME_MS,
  GETADDR_ANSWER_INTERVAL_MS,
  MAX_ANCHORS,
  MAX_PARALLEL_DIALS,
  REDIAL_AFTER_MS,
  SEED_FIRST_REDIAL_MS,
  SEED_SOURCE,
  SELF_ANNOUNCE_INTERVAL_MS,
  SUSPECT_PROBE_COOLDOWN_MS,
  SUSPECT_PROBE_INTERVAL_MS,
  SUSPECT_PROBE_TIMEOUT_MS,
} from './constants.js';
import { type EvictionCandidate, selectInboundToEvict } from './eviction.js';
import type { LivenessTable } from './liveness.js';
import { type NetgroupFn, netgroupOfAddr } from './netgroup.js';
import { PartitionDetector, type PartitionStatus } from './partition-detector.js';
import type {
  ChainPort,
  Connection,
  ConnectionType,
  EventPort,
  LogPort,
  MembershipHost,
  PeerWorkPort,
} from './ports.js';

/** Delay (ms) after a connection opens before we talk addr on it (lets identify finish). */
const SETTLE_MS = 250;

export interface ConnectionTargets {
  /** Full-relay outbound peers to keep (Core: 8). */
  outboundFullRelay: number;
  /** Block-relay-only outbound peers to keep (Core: 2). */
  blockRelayOnly: number;
  /** Inbound connections accepted (Core: 114). */
  maxInbound: number;
  /** Inbound connections accepted per netgroup. */
  maxInboundPerNetgroup: number;
  /** Period of feeler connections (ms); 0 disables them. */
  feelerIntervalMs: number;
}

export interface ConnectionManagerModules {
  host: MembershipHost;
  dataDir: string;
  book: AddressBook;
  relay: AddrRelay;
  liveness: LivenessTable;
  netgroup: NetgroupFn;
  /** Anchors read at start-up (dialled first). */
  anchors: readonly Anchor[];
  /** Static peers (addnode): kept by the node's dialer, typed `manual` here. */
  manualPeers: () => ReadonlySet<string>;
  isBanned: (peer: string) => boolean;
  /** Allow-listed peers (noban): never evicted. */
  isNoBan: (peer: string) => boolean;
  chain?: ChainPort;
  peerWork?: PeerWorkPort;
  onEvent: EventPort;
  log: LogPort;
  now: () => number;
  random: () => number;
}

/** What we know about one connected peer. */
export interface PeerSlot {
  readonly peerId: string;
  type: ConnectionType;
  readonly direction: 'inbound' | 'outbound';
  readonly connectedAt: number;
  readonly netgroup: string;
  readonly remoteAddr: string;
  lastTxAt: number | undefined;
  lastBlockAt: number | undefined;
  /** The peer's last reported chain work. */
  work: bigint | undefined;
  /** When we last asked it for addresses. */
  lastGetAddrAt: number | undefined;
}

/**
 * How long (ms) after a failed dial an address book entry may be dialled again: REDIAL_AFTER_MS,
 * except for a bootstrap seed never reached, retried after 1 s, 2 s, 4 s, ... up to it (a node and
 * its seeds often start together, and the seed may not be listening at the first try).
 */
export function redialWaitMs(entry: Pick<AddrEntry, 'source' | 'lastSuccess' | 'attempts'>): number {
  if (entry.source !== SEED_SOURCE || entry.lastSuccess !== undefined) return REDIAL_AFTER_MS;
  return Math.min(REDIAL_AFTER_MS, SEED_FIRST_REDIAL_MS * 2 ** Math.max(0, entry.attempts - 1));
}

export class ConnectionManager {
  private readonly slots = new Map<string, PeerSlot>();
  /** Dials in flight: peer -> intended type and netgroup. */
  private readonly dialing = new Map<string, { type: ConnectionType; netgroup: string }>();
  /** Peers we are disconnecting on purpose (their close is not a failure). */
  private readonly closing = new Set<string>();
  /** Suspect outbound peers -> when a fresh connection to them was last tried (ms). */
  private readonly probedAt = new Map<string, number>();
  /** Outbound peers declared dead, dialled again while their slot type is short (see constants). */
  private readonly lost = new Map<
    string,
    { readonly addr: string; readonly type: ConnectionType; readonly lostAt: number; nextTryAt: number }
  >();
  /** Peers whose stuck connection a probe replaced -> when (ms). */
  private readonly replacedAt = new Map<string, number>();
  private anchors: Anchor[];
  private readonly chainSync: ChainSyncEviction | undefined;
  private readonly partition = new PartitionDetector();
  private timer: ReturnType<typeof setInterval> | undefined;
  private nextFeelerAt = 0;
  private lastStatusPollAt = 0;
  private lastSelfAnnounceAt: number;
  private readonly startedAt: number;
  private running = false;

  constructor(
    private readonly m: ConnectionManagerModules,
    private readonly targets: ConnectionTargets,
  ) {
    this.anchors = [...m.anchors];
    this.chainSync = m.chain === undefined ? undefined : new ChainSyncEviction(m.chain.targetSpacingMs);
    this.startedAt = m.now();
    this.lastSelfAnnounceAt = this.startedAt;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.m.host.addEventListener('connection:open', this.onOpen);
    this.m.host.addEventListener('connection:close', this.onClose);
    for (const connection of this.m.host.getConnections()) this.opened(connection);
    this.nextFeelerAt = this.m.now() + this.targets.feelerIntervalMs;
    this.timer = setInterval(() => this.tick(), CONNECT_TICK_MS);
    this.timer.unref?.();
    this.tick();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.timer);
    this.m.host.removeEventListener('connection:open', this.onOpen);
    this.m.host.removeEventListener('connection:close', this.onClose);
    const anchors: Anchor[] = [];
    for (const slot of this.slots.values()) {
      if (slot.type !== 'block-relay' || anchors.length >= MAX_ANCHORS) continue;
      const addr = this.m.book.get(slot.peerId)?.addrs[0] ?? slot.remoteAddr;
      anchors.push({ peerId: slot.peerId, addr });
    }
    await saveAnchors(this.m.dataDir, anchors);
  }

  // ------------------------------------------------------------------------------------------
  // Views
  // ------------------------------------------------------------------------------------------

  slot(peer: string): PeerSlot | undefined {
    return this.slots.get(peer);
  }

  slotList(): PeerSlot[] {
    return [...this.slots.values()];
  }

  count(type: ConnectionType): number {
    let n = 0;
    for (const slot of this.slots.values()) if (slot.type === type) n++;
    return n;
  }

  get partitionStatus(): PartitionStatus {
    return this.partition.status;
  }

  /**
   * Outbound full-relay target now: +1 on a stale tip or suspected partition, unless the node keeps
   * no full-relay outbound peers at all (static peers only: its topology is the operator's).
   */
  get fullRelayTarget(): number {
    const { staleTip, suspected } = this.partition.status;
    const base = this.targets.outboundFullRelay;
    return base + (base > 0 && (staleTip || suspected) ? EXTRA_OUTBOUND_WHEN_STALE : 0);
  }

  get config(): Readonly<ConnectionTargets> {
    return this.targets;
  }

  /** A peer delivered a new valid object: inbound eviction protects recent deliverers. */
  recordDelivery(peer: string, kind: 'tx' | 'block'): void {
    const slot = this.slots.get(peer);
    if (slot === undefined) return;
    if (kind === 'tx') slot.lastTxAt = this.m.now();
    else slot.lastBlockAt = this.m.now();
  }

  /** Connection gater check, before the handshake: refuse a netgroup already at its inbound cap. */
  denyInbound(remoteAddr: Multiaddr): boolean {
    const group = netgroupOfAddr(remoteAddr, this.m.netgroup);
    return this.inboundIn(group) >= this.targets.maxInboundPerNetgroup;
  }

  private inboundIn(group: string): number {
    let n = 0;
    for (const slot of this.slots.values()) if (slot.direction === 'inbound' && slot.netgroup === group) n++;
    return n;
  }

  // ------------------------------------------------------------------------------------------
  // Connection events
  // ------------------------------------------------------------------------------------------

  private readonly onOpen = (event: CustomEvent<Connection>): void => this.opened(event.detail);

  private readonly onClose = (event: CustomEvent<Connection>): void => {
    const peer = event.detail.remotePeer.toString();
    if (this.m.host.getConnections(event.detail.remotePeer).some((c) => c.status === 'open')) return;
    if (!this.slots.delete(peer)) return;
    const byUs = this.closing.delete(peer) || this.m.isBanned(peer);
    this.m.liveness.disconnected(peer, byUs, this.m.now());
    this.m.relay.forget(peer);
    this.chainSync?.forget(peer);
  };

  /**
   * `peer` gave no sign of life within the suspicion timeout: hung up on; if it was one of our
   * outbound peers, it is dialled again every LOST_PEER_RETRY_INTERVAL_MS for a while (a cut link
   * that heals brings it back at once).
   */
  declareDead(peer: string): void {
    const slot = this.slots.get(peer);
    const addr = this.m.book.get(peer)?.addrs[0];
    if (
      slot !== undefined &&
      addr !== undefined &&
      (slot.type === 'outbound-full' || slot.type === 'block-relay')
    ) {
      const now = this.m.now();
      this.lost.set(peer, {
        addr,
        type: slot.type,
        lostAt: now,
        nextTryAt: now + LOST_PEER_RETRY_INTERVAL_MS,
      });
    }
    this.disconnect(peer, 'dead: no answer within the suspicion timeout');
  }

  /** Hangs up on `peer` on purpose (eviction, feeler, dead, stale). */
  disconnect(peer: string, reason: string): void {
    if (!this.slots.has(peer)) return;
    this.closing.add(peer);
    this.m.onEvent({ kind: 'evicted', peer, reason, at: this.m.now() });
    this.m.log('disconnecting %s: %s', peer, reason);
    this.m.host.hangUp(peerIdFromString(peer)).catch(() => undefined);
  }

  private opened(connection: Connection): void {
    if (connection.status !== 'open') return;
    const peer = connection.remotePeer.toString();
    if (this.slots.has(peer)) return;
    const now = this.m.now();
    const netgroup = netgroupOfAddr(connection.remoteAddr, this.m.netgroup);
    const inbound = connection.direction === 'inbound';
    let type: ConnectionType;
    if (inbound) type = 'inbound';
    else if (this.m.manualPeers().has(peer)) type = 'manual';
    else type = this.dialing.get(peer)?.type ?? 'manual';

    if (inbound && !this.admitInbound(peer, netgroup, connection)) return;
    const slot: PeerSlot = {
      peerId: peer,
      type,
      direction: connection.direction,
      connectedAt: now,
      netgroup,
      remoteAddr: connection.remoteAddr.decapsulateCode(421).toString(),
      lastTxAt: undefined,
      lastBlockAt: undefined,
      work: undefined,
      lastGetAddrAt: undefined,
    };
    this.slots.set(peer, slot);
    this.m.liveness.connected(peer, now);
    const settle = setTimeout(() => this.greet(slot), SETTLE_MS);
    settle.unref?.();
  }

  /** Address exchange on a new connection: announce ourselves; ask outbound full-relay peers. */
  private greet(slot: PeerSlot): void {
    if (this.slots.get(slot.peerId) !== slot || slot.type === 'block-relay' || slot.type === 'feeler') return;
    void this.m.relay.announceSelf(slot.peerId);
    if (slot.type === 'outbound-full' || slot.type === 'manual') this.askAddresses(slot);
  }

  private askAddresses(slot: PeerSlot): void {
    slot.lastGetAddrAt = this.m.now();
    this.m.relay
      .requestAddresses(slot.peerId)
      .then((r) => this.m.log('getaddr %s: %d received, %d new', slot.peerId, r.received, r.added))
      .catch((err: Error) => this.m.log('getaddr %s failed: %s', slot.peerId, err.message));
  }

  /** Inbound admission: the netgroup cap, then the total with Core's eviction. */
  private admitInbound(peer: string, netgroup: string, connection: Connection): boolean {
    const now = this.m.now();
    const refuse = (reason: string): boolean => {
      this.m.onEvent({ kind: 'refused', peer, reason, at: now });
      this.m.log('refusing inbound %s: %s', peer, reason);
      connection.close().catch(() => connection.abort(new Error(reason)));
      return false;
    };
    if (this.inboundIn(netgroup) >= this.targets.maxInboundPerNetgroup) {
      return refuse(`netgroup ${netgroup} has ${this.targets.maxInboundPerNetgroup} inbound peers`);
    }
    const inbound = [...this.slots.values()].filter(
      (s) => s.type === 'inbound' && !this.closing.has(s.peerId),
    );
    if (inbound.length < this.targets.maxInbound) return true;
    const decision = selectInboundToEvict(inbound.map((s) => this.candidate(s)));
    if (decision.evict === undefined) return refuse('inbound slots full, every inbound peer protected');
    this.disconnect(decision.evict, `evicted for inbound ${peer} (inbound slots full)`);
    return true;
  }

  /** The inbound peers as eviction sees them now (diagnostics and tests). */
  evictionCandidates(): EvictionCandidate[] {
    return [...this.slots.values()]
      .filter((s) => s.type === 'inbound' && !this.closing.has(s.peerId))
      .map((s) => this.candidate(s));
  }

  private candidate(slot: PeerSlot): EvictionCandidate {
    return {
      peerId: slot.peerId,
      netgroup: slot.netgroup,
      keyedNetgroup: this.m.book.keyedNetgroup(slot.netgroup),
      connectedAt: slot.connectedAt,
      minPingMs: this.m.liveness.get(slot.peerId)?.minRttMs,
      lastTxAt: slot.lastTxAt,
      lastBlockAt: slot.lastBlockAt,
      inbound: slot.type === 'inbound',
      noBan: this.m.isNoBan(slot.peerId),
    };
  }

  // ------------------------------------------------------------------------------------------
  // The loop
  // ------------------------------------------------------------------------------------------

  private tick(): void {
    if (!this.running) return;
    const now = this.m.now();
    this.updatePartition(now);
    this.redialLost(now);
    for (let i = 0; i < MAX_PARALLEL_DIALS && this.dialing.size < MAX_PARALLEL_DIALS; i++) {
      if (!this.dialNext(now)) break;
    }
    if (now - this.lastSelfAnnounceAt >= SELF_ANNOUNCE_INTERVAL_MS) {
      this.lastSelfAnnounceAt = now;
      for (const slot of this.slots.values()) {
        if (slot.type !== 'block-relay' && slot.type !== 'feeler')
          void this.m.relay.announceSelf(slot.peerId);
      }
    }
    if (now - this.lastStatusPollAt >= CHAIN_STATUS_POLL_MS) {
      this.lastStatusPollAt = now;
      this.pollChainWork(now);
    }
    this.probeSuspects(now);
  }

  // ------------------------------------------------------------------------------------------
  // Stuck connections and lost peers
  // ------------------------------------------------------------------------------------------

  /** Dials lost outbound peers again, while their slot type is short of its target. */
  private redialLost(now: number): void {
    for (const [peer, lost] of this.lost) {
      if (this.slots.has(peer) || now - lost.lostAt >= LOST_PEER_RETRY_WINDOW_MS || this.m.isBanned(peer)) {
        this.lost.delete(peer);
        continue;
      }
      if (now < lost.nextTryAt || this.dialing.has(peer) || this.dialing.size >= MAX_PARALLEL_DIALS) continue;
      const target = lost.type === 'block-relay' ? this.targets.blockRelayOnly : this.fullRelayTarget;
      if (this.countWithDials(lost.type) >= target) continue;
      if (this.outboundNetgroups().has(netgroupOfAddr(multiaddr(lost.addr), this.m.netgroup))) continue;
      lost.nextTryAt = Number.POSITIVE_INFINITY; // until this attempt ends
      void this.dial(peer, lost.addr, lost.type, false, SUSPECT_PROBE_TIMEOUT_MS).then(() => {
        lost.nextTryAt = this.m.now() + LOST_PEER_RETRY_INTERVAL_MS;
      });
    }
  }

  /** Tries a fresh connection to each suspect outbound peer, every SUSPECT_PROBE_INTERVAL_MS. */
  private probeSuspects(now: number): void {
    for (const peer of this.probedAt.keys()) {
      if (this.m.liveness.get(peer)?.state !== 'suspect') this.probedAt.delete(peer);
    }
    for (const [peer, at] of this.replacedAt) {
      if (now - at >= SUSPECT_PROBE_COOLDOWN_MS) this.replacedAt.delete(peer);
    }
    for (const slot of this.slots.values()) {
      if (slot.direction !== 'outbound' || slot.type === 'feeler') continue;
      if (this.m.liveness.get(slot.peerId)?.state !== 'suspect' || this.replacedAt.has(slot.peerId)) continue;
      const last = this.probedAt.get(slot.peerId);
      if (last !== undefined && now - last < SUSPECT_PROBE_INTERVAL_MS) continue;
      this.probedAt.set(slot.peerId, now);
      void this.probe(slot);
    }
  }

  /**
   * A fresh connection to a suspect peer (beside the one that stopped answering): if it opens, the
   * path works and the old connection is stuck, so the peer is hung up on and dialed again at once,
   * with its slot type (its link comes back with a resync, as after any reconnect). A peer that is
   * itself stalled cannot complete the handshake either, and stays with the suspicion timeout.
   */
  private async probe(slot: PeerSlot): Promise<void> {
    const peer = slot.peerId;
    const addr = this.m.book.get(peer)?.addrs[0];
    if (addr === undefined) return;
    try {
      const fresh = await this.m.host.dial(multiaddr(`${addr}/p2p/${peer}`), {
        force: true,
        signal: AbortSignal.timeout(SUSPECT_PROBE_TIMEOUT_MS),
      });
      if (fresh.status !== 'open' || this.slots.get(peer) !== slot) return;
    } catch {
      return; // still cut off (or the peer is stalled): the suspicion timeout decides
    }
    this.m.log('fresh connection to suspect %s opened: replacing its stuck connection', peer);
    this.m.onEvent({ kind: 'evicted', peer, reason: 'stuck connection replaced', at: this.m.now() });
    this.replacedAt.set(peer, this.m.now());
    this.closing.add(peer);
    await this.m.host.hangUp(peerIdFromString(peer)).catch(() => undefined);
    void this.dial(peer, addr, slot.type, false);
  }

  private updatePartition(now: number): void {
    const before = this.partition.status;
    let outbound = 0;
    let peersAhead = 0;
    let suspectPeers = 0;
    const ourWork = this.m.chain?.work();
    for (const slot of this.slots.values()) {
      if (slot.type === 'outbound-full' || slot.type === 'block-relay' || slot.type === 'manual') outbound++;
      if (ourWork !== undefined && slot.work !== undefined && slot.work > ourWork) peersAhead++;
      if (this.m.liveness.get(slot.peerId)?.state === 'suspect') suspectPeers++;
    }
    const lastTipChangeAt = this.m.chain?.tipChangedAt() ?? now;
    const status = this.partition.update({
      now,
      lastTipChangeAt,
      tipEverChanged: lastTipChangeAt > this.startedAt,
      expectsOutbound:
        this.targets.outboundFullRelay + this.targets.blockRelayOnly > 0 || this.m.manualPeers().size > 0,
      targetSpacingMs: this.m.chain?.targetSpacingMs ?? Number.POSITIVE_INFINITY,
      connected: this.slots.size,
      outbound,
      peersAhead,
      suspectPeers,
    });
    if (status.suspected !== before.suspected || status.reason !== before.reason) {
      this.m.onEvent({ kind: 'partition', suspected: status.suspected, reason: status.detail, at: now });
      this.m.log('partition %s: %s', status.suspected ? 'suspected' : 'cleared', status.detail ?? '-');
    }
  }

  private countWithDials(type: ConnectionType): number {
    let n = this.count(type);
    for (const dial of this.dialing.values()) if (dial.type === type) n++;
    return n;
  }

  /** Starts the next dial, if any is due; false when there is nothing to do. */
  private dialNext(now: number): boolean {
    while (this.anchors.length > 0) {
      const anchor = this.anchors.shift()!;
      if (this.slots.has(anchor.peerId) || this.m.isBanned(anchor.peerId)) continue;
      void this.dial(anchor.peerId, anchor.addr, 'block-relay', true);
      return true;
    }
    const wantFull = this.countWithDials('outbound-full') < this.fullRelayTarget;
    const wantBlock = this.countWithDials('block-relay') < this.targets.blockRelayOnly;
    if (wantFull || wantBlock) {
      const entry = this.m.book.select({ now, random: this.m.random, filter: (e) => this.dialable(e, now) });
      if (entry !== undefined) {
        void this.dial(entry.peerId, entry.addrs[0]!, wantFull ? 'outbound-full' : 'block-relay', false);
        return true;
      }
      this.askForMoreAddresses(now);
    }
    if (this.targets.feelerIntervalMs > 0 && now >= this.nextFeelerAt) {
      this.nextFeelerAt = now + this.targets.feelerIntervalMs * (0.5 + this.m.random());
      return this.feel(now);
    }
    return false;
  }

  /** Outbound netgroups: full-relay and block-relay peers, and dials in flight (not manual). */
  private outboundNetgroups(): Set<string> {
    const groups = new Set<string>();
    for (const slot of this.slots.values()) {
      if (slot.type === 'outbound-full' || slot.type === 'block-relay') groups.add(slot.netgroup);
    }
    for (const dial of this.dialing.values()) if (dial.type !== 'feeler') groups.add(dial.netgroup);
    return groups;
  }

  private dialable(entry: AddrEntry, now: number): boolean {
    if (entry.peerId === this.m.host.peerId.toString() || this.dialing.has(entry.peerId)) return false;
    if (this.m.isBanned(entry.peerId)) return false;
    const slot = this.slots.get(entry.peerId);
    if (slot !== undefined && (!this.adoptable(slot) || slot.netgroup !== entry.netgroup)) return false;
    if (
      entry.lastTry !== undefined &&
      now - entry.lastTry < redialWaitMs(entry) &&
      entry.lastSuccess !== entry.lastTry
    )
      return false;
    return !this.outboundNetgroups().has(entry.netgroup);
  }

  /**
   * A connection that may become one of our outbound peers when the book's selection picks its
   * peer: an inbound one, or an outbound one nobody chose (not a static peer, no dial of ours
   * pending when it opened: a dial that completed after its timeout, or another component's).
   */
  private adoptable(slot: PeerSlot): boolean {
    return slot.type === 'inbound' || (slot.type === 'manual' && !this.m.manualPeers().has(slot.peerId));
  }

  /** No candidate in the book: ask one connected peer for addresses (each at most once per interval). */
  private askForMoreAddresses(now: number): void {
    const askable = [...this.slots.values()].filter(
      (s) =>
        s.type !== 'block-relay' &&
        s.type !== 'feeler' &&
        (s.lastGetAddrAt === undefined || now - s.lastGetAddrAt >= GETADDR_ANSWER_INTERVAL_MS),
    );
    if (askable.length === 0) return;
    this.askAddresses(askable[Math.floor(this.m.random() * askable.length)]!);
  }

  private feel(now: number): boolean {
    const collision = this.m.book.triedCollisionToTest();
    if (collision !== undefined && !this.dialing.has(collision.occupant.peerId)) {
      const { candidate, occupant } = collision;
      void this.dial(occupant.peerId, occupant.addrs[0]!, 'feeler', false).then((ok) =>
        this.m.book.resolveCollision(candidate.peerId, ok, this.m.now()),
      );
      return true;
    }
    const entry = this.m.book.select({
      now,
      random: this.m.random,
      newOnly: true,
      filter: (e) => !this.slots.has(e.peerId) && this.dialable(e, now),
    });
    if (entry === undefined) return false;
    void this.dial(entry.peerId, entry.addrs[0]!, 'feeler', false);
    return true;
  }

  /** Dials `peer` at `addr` as `type`; resolves true when connected. */
  private async dial(
    peer: string,
    addr: string,
    type: ConnectionType,
    anchor: boolean,
    timeoutMs = DIAL_TIMEOUT_MS,
  ): Promise<boolean> {
    const now = this.m.now();
    const target = multiaddr(`${addr}/p2p/${peer}`);
    const netgroup = netgroupOfAddr(target, this.m.netgroup);
    this.dialing.set(peer, { type, netgroup });
    this.m.book.attempt(peer, now);
    this.m.onEvent({ kind: 'dial', peer, type, anchor, at: now });
    try {
      const connection = await this.m.host.dial(target, { signal: AbortSignal.timeout(timeoutMs) });
      if (connection.status !== 'open') throw new Error(`connection ${connection.status}`);
      this.m.book.good(peer, this.m.now());
      const slot = this.slots.get(peer);
      if (slot !== undefined && this.adoptable(slot) && slot.netgroup === netgroup && type !== 'feeler') {
        slot.type = type;
        this.m.onEvent({ kind: 'adopted', peer, type, at: this.m.now() });
        this.greet(slot);
      }
      if (type === 'feeler' && slot?.type === 'feeler') {
        const close = setTimeout(() => this.disconnect(peer, 'feeler done'), FEELER_LIFETIME_MS);
        close.unref?.();
      }
      return true;
    } catch (err) {
      this.m.onEvent({ kind: 'dial-failed', peer, type, error: (err as Error).message, at: this.m.now() });
      this.m.log('dial %s (%s) failed: %s', peer, type, (err as Error).message);
      return false;
    } finally {
      this.dialing.delete(peer);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Stale-tip eviction
  // ------------------------------------------------------------------------------------------

  private pollChainWork(now: number): void {
    const { chain, peerWork } = this.m;
    if (chain === undefined || peerWork === undefined || this.targets.outboundFullRelay === 0) return;
    const ourWork = chain.work();
    for (const slot of this.slots.values()) {
      if (slot.type === 'inbound' || slot.type === 'feeler') continue;
      peerWork(slot.peerId)
        .then((work) => {
          slot.work = work;
        })
        .catch(() => undefined);
      if (slot.type !== 'outbound-full') continue;
      const verdict = this.chainSync!.check(slot.peerId, slot.work, ourWork, now);
      if (verdict === 'evict')
        this.disconnect(slot.peerId, 'chain work stayed below ours (stale outbound peer)');
    }
  }
}
