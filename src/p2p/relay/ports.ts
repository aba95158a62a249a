/**
 * What the relay needs from the rest of the node, as narrow interfaces: the chain (validate and
 * store objects), the reputation layer (blame and rate limits), the getdata transport, and the
 * gossipsub announcement channel. The node composition adapts the real services to these, and the
 * relay stays testable and free of libp2p and LevelDB details.
 */
import type { OffenceKind } from '../reputation/offences.js';

export type ObjectType = 'tx' | 'block';

export interface InvItem {
  readonly type: ObjectType;
  readonly hash: Uint8Array;
}

export interface RelayChain {
  /** True when the object is held (mempool, active or side chain, orphan pool) or known invalid. */
  hasObject(type: ObjectType, idHex: string): boolean;
  /** Relay pipeline into the mempool; throws ValidationError. `timestamp`: the transaction's, in ms. */
  acceptTransaction(bytes: Uint8Array): { txidHex: string; timestamp: number };
  /** Full block pipeline; throws ValidationError. Calls are serialised by the implementation. */
  processBlock(bytes: Uint8Array): Promise<{ status: string; idHex: string }>;
}

/** Rate-limited resources a peer makes us spend, counted per peer. */
export type RateClass = 'inv' | 'getdata' | 'objects' | 'bytes' | 'sync';

export interface RelayReputation {
  /** Records an offence; the implementation quarantines (and disconnects) when warranted. */
  offence(peer: string, kind: OffenceKind, evidence: string): void;
  /** The peer delivered a new, valid object first. */
  goodDelivery(peer: string): void;
  isQuarantined(peer: string): boolean;
  /** Whether the peer may spend `cost` units of `cls` now (token bucket). */
  allow(peer: string, cls: RateClass, cost: number): boolean;
  /** True for peers whose announcements are preferred (we dialed them, or they earned trust). */
  isPreferred(peer: string): boolean;
}

export interface FetchedObjects {
  objects: Array<{ type: ObjectType; payload: Uint8Array }>;
  notFound: InvItem[];
  deferred: InvItem[];
}

export interface ObjectFetcher {
  /** Sends one getdata to `peer`; rejects on timeout, stream failure or protocol violation. */
  fetch(peer: string, items: InvItem[]): Promise<FetchedObjects>;
}

export interface AnnouncementChannel {
  /** Publishes one Inv message to our gossipsub mesh. */
  publish(items: InvItem[]): Promise<void>;
}

export interface TxPushChannel {
  /** Peers subscribed to our pushes; `all`: every fresh transaction, otherwise only our own. */
  subscribers(): Iterable<{ readonly peer: string; readonly all: boolean }>;
  /** Queues a transaction's bytes for subscriber `peer`; false when it was dropped. */
  push(peer: string, payload: Uint8Array): boolean;
}

export type GossipVerdict = 'accept' | 'ignore' | 'reject';
