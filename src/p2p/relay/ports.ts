/**
 * What the relay needs from the rest of the node, as narrow interfaces: the chain (validate and
 * store objects), blame (offences, rate limits, verdicts), the getdata transport, the gossipsub
 * announcement channel and the push channel. The node composition adapts the real services to
 * these, and the relay stays testable and free of libp2p and LevelDB details.
 */
import type { PeerError, Verdict } from '../reputation/blame.js';
import type { RateClass } from '../reputation/rate-limiter.js';
import type { HeldTransaction } from '../compact/reconstruct.js';
import type { InvItem } from '../wire/codec.js';

export type { InvItem } from '../wire/codec.js';

/** The relay's name of an inventory type; also the prefix of its keys (`tx:<hex>`, `block:<hex>`). */
export type ObjectType = 'tx' | 'block';

export interface RelayChain {
  /** True when the object is held (mempool, active or side chain, orphan pool) or known invalid. */
  hasObject(type: ObjectType, idHex: string): boolean;
  /** Relay pipeline into the mempool; throws ValidationError. `timestamp`: the transaction's, in ms. */
  acceptTransaction(bytes: Uint8Array): { txidHex: string; timestamp: number };
  /**
   * Checked before a compact block is rebuilt: what its header alone proves (version, field lengths,
   * proof of work against its own target within the network's limit; throws ValidationError), then
   * where the block would go: 'orphan' (parent unknown), 'low-work' (it would not be stored), 'store'.
   */
  checkCompactHeader(headerBytes: Uint8Array, blockId: Uint8Array): 'store' | 'orphan' | 'low-work';
  /** Full block pipeline; throws ValidationError. Calls are serialised by the implementation. */
  processBlock(bytes: Uint8Array): Promise<{ status: string; idHex: string }>;
}

/** Blame, as the relay and sync see it (implemented by `Blame`). */
export interface RelayBlame {
  /** `peer` sent what failed with `error`; the blame tables choose the offence, if any. */
  punish(peer: string, error: PeerError, subject?: string): void;
  /** The peer delivered a new, valid object first. */
  goodDelivery(peer: string): void;
  isQuarantined(peer: string): boolean;
  /** Charges `cost` units of `cls` to the peer; false (with an offence) when over its rate limit. */
  admit(peer: string, cls: RateClass, cost: number): boolean;
  /** Counts one received object of `type` with its verdict. */
  judged(type: ObjectType, verdict: Verdict): void;
  /** Reports an announcement's gossipsub validation result. */
  gossipVerdict(msgId: string, peer: string, verdict: Verdict): void;
}

export interface FetchedObjects {
  /** `compact`: an encoded CompactBlock, served for a block requested in compact form. */
  objects: Array<{ type: ObjectType | 'compact'; payload: Uint8Array }>;
  notFound: InvItem[];
  deferred: InvItem[];
}

export interface ObjectFetcher {
  /** Sends one getdata to `peer`; rejects on timeout, stream failure or protocol violation. */
  fetch(peer: string, items: InvItem[]): Promise<FetchedObjects>;
}

export interface AnnouncementChannel {
  /** Publishes one Inv message to our gossipsub mesh; resolves to how many peers it was sent to. */
  publish(items: InvItem[]): Promise<number>;
}

export interface TxPushChannel {
  /**
   * Peers subscribed to our pushes; `all`: every fresh transaction, otherwise only our own;
   * `compactBlocks`: new blocks, compact (high-bandwidth mode).
   */
  subscribers(): Iterable<{ readonly peer: string; readonly all: boolean; readonly compactBlocks: boolean }>;
  /** Queues a transaction's bytes for subscriber `peer`; false when it was dropped. */
  push(peer: string, payload: Uint8Array): boolean;
  /** Queues an encoded compact block for subscriber `peer`; false when it was dropped. */
  pushCompactBlock(peer: string, compactBlock: Uint8Array): boolean;
}

/** Compact block relay (src/p2p/compact), as the relay needs it. */
export interface CompactBlockPort {
  /** Our encoded compact form of stored block `idHex` (one nonce per block), or undefined. */
  compactOf(idHex: string): Promise<Uint8Array | undefined>;
  /** Keeps the compact block a block is being rebuilt from, to relay as it came (served once stored). */
  remember(idHex: string, encoded: Uint8Array): void;
  /** Drops a kept compact block whose rebuilt block did not match its header. */
  forget(idHex: string): void;
  /** The transactions we hold (the mempool), to rebuild blocks from. */
  held(): Iterable<HeldTransaction>;
  /** `getBlockTxn` to `peer`: its transactions at `indexes` of block `blockId`; empty if it lacks it. */
  fetchTransactions(peer: string, blockId: Uint8Array, indexes: number[]): Promise<Uint8Array[]>;
}
