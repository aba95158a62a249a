/**
 * The address relay protocol `/trustmesh/<network>/addr/1.0.0` (docs/membership.md): one request per
 * stream. The opener writes one `AddrRequest` frame: `getAddr` (the server answers with one `Addr`
 * frame and closes) or `addr` (unsolicited: a self-announcement or a relay; no answer).
 *
 * Receiving, per peer: the stream costs a stream token (over the limit: RATE_LIMIT_EXCEEDED, reset);
 * a frame that is oversize or has more than 1,000 entries is OVERSIZE_MESSAGE, one that does not
 * decode or has an entry of the wrong shape is MALFORMED_MESSAGE (both flagrant: no honest encoder
 * produces them). Addresses beyond the peer's address tokens are dropped silently (Core); the rest
 * go to the address book with the peer's netgroup as their source. From an unsolicited message of at
 * most 10 entries, the fresh entries that were new to our book are forwarded to 2 random full-relay
 * peers (Core's RelayAddress; new-to-us only, so each node forwards an address once).
 * Block-relay-only connections carry no address relay at all (Core): they stay invisible to a spy.
 *
 * Sending unsolicited addresses: entries for one peer are gathered and sent in one stream at most
 * once per `ADDR_SEND_INTERVAL_MS` (at most MAX_RELAYED_ENTRIES per stream, the rest dropped as
 * Core drops what exceeds its relay budget), so an honest node stays far below the receiver's stream
 * limit however many announcements arrive at once (a devnet starting, a partition healing).
 *
 * Answering getaddr: at most once per `GETADDR_ANSWER_INTERVAL_MS` per peer (more often: an empty
 * answer, no penalty), a random sample of at most 1,000 entries / 23% of the book.
 */
import type { IncomingStreamData } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { WireError } from '../wire/errors.js';
import { frameStream } from '../wire/framing.js';
import { openConnection } from '../wire/peers.js';
import {
  type AddrEntryMessage,
  decodeAddr,
  decodeAddrRequest,
  encodeAddr,
  encodeAddrRequest,
  encodeGetAddr,
  isDialableEntry,
} from './addr-codec.js';
import type { AddrRateLimiter } from './addr-rate-limiter.js';
import type { AddressBook } from './address-book.js';
import { assertNetworkName } from '../wire/constants.js';
import {
  ADDR_TIMEOUT_MS,
  GETADDR_ANSWER_INTERVAL_MS,
  MAX_ADDR_FRAME_BYTES,
  MAX_RELAYED_ENTRIES,
  RELAY_FANOUT,
  RELAY_FRESHNESS_MS,
} from './constants.js';
import type { LogPort, MembershipHost, OffencePort } from './ports.js';

/** Stream protocol id of the address relay. */
export function addrProtocol(network: string): string {
  assertNetworkName(network);
  return `/trustmesh/${network}/addr/1.0.0`;
}

/** Inbound addr streams a peer may have open at once (one request each; two covers a race). */
const MAX_INBOUND_ADDR_STREAMS = 2;

/**
 * Least time (ms) between two unsolicited addr streams to one peer: twice the receiver's sustained
 * stream allowance (ADDR_STREAMS_PER_SECOND), so an honest sender never nears it.
 */
export const ADDR_SEND_INTERVAL_MS = 2_000;

/** Entries waiting to be announced to one peer, sent together by one timer. */
interface Outbox {
  readonly entries: Map<string, AddrEntryMessage>;
  readonly sent: Promise<void>;
  /** Drops what waits (stopping): `sent` resolves without a stream. */
  cancel(): void;
}

export interface AddrRelayModules {
  host: MembershipHost;
  network: string;
  book: AddressBook;
  limiter: AddrRateLimiter;
  /** Netgroup of the connection to `peer` (the source of what it tells us). */
  netgroupOfPeer: (peer: string) => string | undefined;
  /** Whether `peer` is a block-relay-only connection (no address relay). */
  isBlockRelay: (peer: string) => boolean;
  /** Connected full-relay peers to forward fresh addresses to. */
  relayCandidates: () => string[];
  /** Our own advertisable addresses. */
  selfEntries: () => AddrEntryMessage[];
  onOffence: OffencePort;
  now: () => number;
  random: () => number;
  log: LogPort;
}

/** Result of handling received addresses, for logs and tests. */
export interface ReceivedAddrs {
  received: number;
  accepted: number;
  added: number;
  /** The entries that were new to our book (the only ones we forward). */
  newEntries: AddrEntryMessage[];
}

export class AddrRelay {
  readonly protocol: string;
  private readonly lastAnswered = new Map<string, number>();
  private readonly outboxes = new Map<string, Outbox>();
  private readonly lastSent = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = false;

  constructor(private readonly m: AddrRelayModules) {
    this.protocol = addrProtocol(m.network);
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.m.host.handle(this.protocol, (data) => void this.onStream(data), {
      maxInboundStreams: MAX_INBOUND_ADDR_STREAMS,
    });
    this.running = true;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const outbox of this.outboxes.values()) outbox.cancel();
    this.outboxes.clear();
    if (!this.running) return;
    this.running = false;
    await this.m.host.unhandle(this.protocol);
  }

  forget(peer: string): void {
    this.outboxes.delete(peer);
    this.lastSent.delete(peer);
    this.lastAnswered.delete(peer);
    this.m.limiter.forget(peer);
  }

  private offenceFor(peer: string, err: WireError, what: string): void {
    const kind = err.kind === 'OVERSIZE' ? 'OVERSIZE_MESSAGE' : 'MALFORMED_MESSAGE';
    this.m.onOffence(peer, kind, `${what}: ${err.message}`);
  }

  private async onStream({ stream, connection }: IncomingStreamData): Promise<void> {
    const peer = connection.remotePeer.toString();
    const signal = AbortSignal.timeout(ADDR_TIMEOUT_MS);
    try {
      if (!this.m.limiter.admitStream(peer, this.m.now())) {
        this.m.onOffence(peer, 'RATE_LIMIT_EXCEEDED', 'addr: streams over the rate limit');
        stream.abort(new Error('addr streams over the rate limit'));
        return;
      }
      const frames = frameStream(stream, MAX_ADDR_FRAME_BYTES);
      const bytes = await frames.read({ signal });
      if (bytes === undefined) {
        stream.abort(new Error('addr stream closed before a request'));
        return;
      }
      const request = decodeAddrRequest(bytes);
      if (this.m.isBlockRelay(peer)) {
        await stream.close({ signal });
        return;
      }
      if (request.kind === 'getAddr') {
        await frames.write(encodeAddr(this.answerFor(peer)), { signal });
      } else {
        const result = this.receive(peer, request.entries);
        if (request.entries.length <= MAX_RELAYED_ENTRIES) this.forward(peer, result.newEntries);
        this.m.log(
          'addr from %s: %d received, %d accepted, %d new',
          peer,
          result.received,
          result.accepted,
          result.added,
        );
      }
      await stream.close({ signal });
    } catch (err) {
      if (err instanceof WireError) this.offenceFor(peer, err, 'addr request');
      else this.m.log('addr stream from %s failed: %s', peer, (err as Error).message);
      stream.abort(err as Error);
    }
  }

  private answerFor(peer: string): AddrEntryMessage[] {
    const now = this.m.now();
    const last = this.lastAnswered.get(peer);
    if (last !== undefined && now - last < GETADDR_ANSWER_INTERVAL_MS) return [];
    this.lastAnswered.set(peer, now);
    const sample = this.m.book.sample(now, this.m.random, (e) => e.peerId === peer);
    const entries = sample.map((e) => ({ peerId: e.peerId, addr: e.addrs[0]!, lastSeen: e.lastSeen }));
    return [...this.m.selfEntries(), ...entries].slice(0, 1_000);
  }

  /** Adds what `peer` told us to the book, within its address tokens. */
  receive(peer: string, entries: readonly AddrEntryMessage[]): ReceivedAddrs {
    const now = this.m.now();
    const accepted = this.m.limiter.takeAddresses(peer, entries.length, now);
    const group = this.m.netgroupOfPeer(peer);
    const self = this.m.host.peerId.toString();
    const newEntries: AddrEntryMessage[] = [];
    if (group === undefined) return { received: entries.length, accepted: 0, added: 0, newEntries };
    for (const entry of entries.slice(0, accepted)) {
      if (entry.peerId === self || !isDialableEntry(entry)) continue;
      const result = this.m.book.add(
        { peerId: entry.peerId, addrs: [entry.addr], lastSeen: entry.lastSeen },
        { group, peerId: peer },
        now,
      );
      if (result === 'added') newEntries.push(entry);
    }
    return { received: entries.length, accepted, added: newEntries.length, newEntries };
  }

  /**
   * Forwards entries that were new to our book and fresh to RELAY_FANOUT other full-relay peers.
   * Forwarding only what is new to us ends every relay after one pass over the network (each node
   * forwards an address at most once); forwarding everything would bounce announcements between
   * nodes forever (Core prevents that with a per-peer filter of known addresses).
   */
  private forward(source: string, entries: readonly AddrEntryMessage[]): void {
    const now = this.m.now();
    const fresh = entries.filter((e) => now - e.lastSeen <= RELAY_FRESHNESS_MS && isDialableEntry(e));
    if (fresh.length === 0) return;
    const candidates = this.m
      .relayCandidates()
      .filter((p) => p !== source && !fresh.some((e) => e.peerId === p));
    for (let i = candidates.length - 1; i > 0; i--) {
      const j = Math.floor(this.m.random() * (i + 1));
      [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
    }
    for (const target of candidates.slice(0, RELAY_FANOUT)) void this.announce(target, fresh);
  }

  /**
   * Sends `entries` to `peer` unsolicited, together with whatever else waits for it, at most once
   * per ADDR_SEND_INTERVAL_MS. Resolves once that stream is done; failures are logged, never thrown.
   */
  announce(peer: string, entries: readonly AddrEntryMessage[]): Promise<void> {
    if (entries.length === 0 || this.m.isBlockRelay(peer)) return Promise.resolve();
    const outbox = this.outboxes.get(peer) ?? this.openOutbox(peer);
    for (const entry of entries) {
      if (outbox.entries.size >= MAX_RELAYED_ENTRIES) break;
      outbox.entries.set(entry.peerId, entry);
    }
    return outbox.sent;
  }

  private openOutbox(peer: string): Outbox {
    const entries = new Map<string, AddrEntryMessage>();
    let resolve!: () => void;
    const sent = new Promise<void>((r) => (resolve = r));
    const send = async (): Promise<void> => {
      if (this.outboxes.get(peer) === outbox) this.outboxes.delete(peer);
      this.lastSent.set(peer, this.m.now());
      try {
        if (entries.size > 0) await this.exchange(peer, encodeAddrRequest([...entries.values()]), false);
      } catch (err) {
        this.m.log('addr to %s failed: %s', peer, (err as Error).message);
      }
    };
    const wait = Math.max(0, (this.lastSent.get(peer) ?? -Infinity) + ADDR_SEND_INTERVAL_MS - this.m.now());
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void send().finally(resolve);
    }, wait);
    timer.unref();
    this.timers.add(timer);
    const cancel = () => {
      clearTimeout(timer);
      resolve();
    };
    const outbox: Outbox = { entries, sent, cancel };
    this.outboxes.set(peer, outbox);
    return outbox;
  }

  /** Announces our own addresses to `peer`. */
  announceSelf(peer: string): Promise<void> {
    return this.announce(peer, this.m.selfEntries());
  }

  /** Asks `peer` for addresses and adds them to the book; resolves with what happened. */
  async requestAddresses(peer: string): Promise<ReceivedAddrs> {
    this.m.limiter.solicited(peer, this.m.now());
    const bytes = await this.exchange(peer, encodeGetAddr(), true);
    let entries: AddrEntryMessage[];
    try {
      entries = decodeAddr(bytes!);
    } catch (err) {
      if (err instanceof WireError) this.offenceFor(peer, err, 'getaddr answer');
      throw err;
    }
    return this.receive(peer, entries);
  }

  private async exchange(
    peer: string,
    request: Uint8Array,
    answer: boolean,
  ): Promise<Uint8Array | undefined> {
    const connection = openConnection(this.m.host, peerIdFromString(peer));
    const signal = AbortSignal.timeout(ADDR_TIMEOUT_MS);
    const stream = await connection.newStream(this.protocol, { signal });
    try {
      const frames = frameStream(stream, MAX_ADDR_FRAME_BYTES);
      await frames.write(request, { signal });
      let bytes: Uint8Array | undefined;
      if (answer) {
        bytes = await frames.read({ signal });
        if (bytes === undefined) throw new Error(`${peer} closed the addr stream without answering`);
      }
      await stream.close({ signal });
      return bytes;
    } catch (err) {
      stream.abort(err as Error);
      throw err;
    }
  }
}
