/**
 * Inventory relay: Bitcoin's inv/getdata, with gossipsub as the announcement channel.
 *
 * - A node announces (publishes an Inv to its gossipsub mesh) only objects it has validated itself:
 *   transactions it created or fetched and accepted, and blocks once they joined its active chain
 *   (src/node/events.ts calls `announce` for those, whatever path brought them).
 * - On an Inv from a neighbour, the hashes we lack go to the RequestTracker, which picks one
 *   announcer per hash; we fetch with getdata from that announcer, validate, and announce on. A
 *   transaction whose last announcer timed out is asked from it again, a few times (TX_RETRIES):
 *   each node announces a transaction once, so it often has a single announcer.
 * - The gossipsub validation result of an Inv is reported once its announced objects are resolved:
 *   Reject when the announcer served an invalid object (gossipsub's P4 penalty), otherwise Ignore.
 *   Gossipsub never forwards a received Inv: forwarding is each node's own announcement, made after
 *   it validated the objects. Every Inv carries a random nonce, so announcements of the same objects
 *   by different nodes are different gossipsub messages: we see every announcer (the tracker can
 *   fall back to a second one when the first never serves), and a Reject penalises only the one
 *   peer that sent that message, never honest peers that announced the same objects.
 * - Blocks travel compact (src/p2p/compact, BIP152-style): we fetch an announced block as a
 *   CompactBlock, rebuild it from our mempool (asking the sender for what we lack), and fetch the
 *   whole block only when that fails. A block that joins our active chain is pushed compact to the
 *   subscribers that asked for compact blocks (high-bandwidth mode), then announced.
 * - Transactions also arrive by push (src/p2p/push), from peers we subscribed to: validated exactly
 *   like fetched ones. A fresh transaction we accepted is pushed at once to the subscribers that
 *   want it and are not known to have it (KnownInventory), then announced: transaction Invs are
 *   batched over TX_ANNOUNCE_INTERVAL_MS, block Invs go out at once.
 * - Blame goes to the neighbour that served or pushed the bytes: the relay hands the typed error to
 *   the blame module (src/p2p/reputation/blame.ts), which alone decides whether it is an offence.
 * - Announcements are requested from preferred announcers first: peers we dialed and allow-listed
 *   peers, as in Bitcoin Core's txrequest. An inbound peer never becomes preferred by earning trust,
 *   so an attacker that delivers once cannot make us wait on its withheld announcements.
 * - Block-relay-only connections (Bitcoin Core's) carry no transactions: their transaction
 *   announcements are ignored and we push them none (the node also neither subscribes to their
 *   pushes nor asks for their mempool). Our own Invs still reach them over the shared gossipsub topic.
 *
 * Costs an attacker can impose: announcements are rate limited and capped per peer (tracker);
 * pushes are rate limited per peer before they reach us (objects and bytes); every fetched object is
 * checked against the hash we asked for before it is validated; objects found invalid or
 * unacceptable are remembered (bounded) so they are not fetched or validated again.
 */

import { headerBytesOfBlock } from '../../chain/encoding/codec.js';
import { MAX_BLOCK_BYTES, MAX_TX_BYTES } from '../../chain/encoding/limits.js';
import { ValidationError } from '../../chain/errors.js';
import { blockIdOfBytes } from '../../chain/objects/block.js';
import { txidOfBytes } from '../../chain/objects/transaction.js';
import { isBodyTampering } from '../../chain/rules/block.js';
import { toHex } from '../../crypto/hash.js';
import type { Logger } from '../../node/logger.js';
import type { NodeMetrics } from '../../node/metrics.js';
import type { Verdict } from '../reputation/blame.js';
import { PeerFault } from '../reputation/faults.js';
import { PeerActivity } from '../reputation/peer-activity.js';
import { type InvItem, invTypeFromName, invTypeName } from '../wire/codec.js';
import { MAX_DATA_BYTES, MAX_INV_ITEMS } from '../wire/constants.js';
import { BoundedMap } from '../../collections/bounded-map.js';
import { BoundedSet } from '../../collections/bounded-set.js';
import { KnownInventory } from './known-inventory.js';
import { type CompactBlock, decodeCompactBlock } from '../compact/compact-block.js';
import { CompactFallbacks } from '../compact/fallbacks.js';
import { rebuildFromCompact } from '../compact/rebuild.js';
import { InvType } from '../wire/codec.js';
import { WireError } from '../wire/errors.js';
import type {
  AnnouncementChannel,
  CompactBlockPort,
  ObjectFetcher,
  ObjectType,
  RelayBlame,
  RelayChain,
  TxPushChannel,
} from './ports.js';
import { RequestTracker, type RequestTrackerOptions } from './request-tracker.js';

/** Transactions per getdata: as many largest transactions as fit one Data response (41), so nothing is deferred. */
export const MAX_TXS_PER_GETDATA = Math.floor(MAX_DATA_BYTES / MAX_TX_BYTES);
/** Blocks per getdata: as many largest blocks as fit one Data response (4). */
export const MAX_BLOCKS_PER_GETDATA = Math.floor(MAX_DATA_BYTES / MAX_BLOCK_BYTES);
/**
 * How long (ms) an Inv's validation result may wait for its objects. Gossipsub forgets unvalidated
 * messages after its mcache window (5 heartbeats of 1 s): a later Reject would no longer count.
 */
export const PENDING_REPORT_TIMEOUT_MS = 4_000;
/** Interval (ms) of the sweep that expires requests and pending reports. */
export const SWEEP_INTERVAL_MS = 100;
/** How late (ms) a sweep may run before we blame the stall on our own event loop, not on peers. */
export const MAX_SWEEP_LATENESS_MS = 1_000;
/** Objects remembered as rejected (never fetched again) and as unacceptable until the next block. */
export const REJECTED_CAPACITY = 50_000;
/**
 * Transactions older than this (ms, by their timestamp) are announced but not pushed: a node learns
 * old ones from a peer's mempool after connecting, and its other peers most likely have them.
 */
export const PUSH_MAX_AGE_MS = 30_000;
/**
 * Transaction announcements are batched over this many ms into one Inv, as Bitcoin trickles them
 * (2 s on average to its outbound peers, 5 s to inbound ones). Pushes carry new transactions at
 * once; the Inv serves peers that got no push, so the wait costs them little and saves one Inv per
 * transaction per mesh peer. Measured:
 * - 20 nodes at 20 tx/s: 500 ms (Invs of ~10 transactions) gave 0.42 of the flooding baseline's
 *   bytes and 2.7 ms CPU per node per transaction, against 0.50 and 3.6 ms at 100 ms; same latency;
 * - 50 hosts with 40 ms links at 2 tx/s, where a 500 ms Inv carried about one transaction: 2 s
 *   (with the recent-only mempool exchange of src/p2p/sync) gave 0.52 of the baseline's bytes at
 *   1.38x its p50, against 0.78 and 0.55x at 500 ms with the whole-mempool exchange (latency
 *   figures are noisy: the machine was shared).
 * Blocks are announced at once, together with whatever transactions are waiting.
 */
export const TX_ANNOUNCE_INTERVAL_MS = 2_000;
/** Recent objects whose holders we remember, to push only to peers that lack them. */
export const KNOWN_INVENTORY_CAPACITY = 8_192;
/**
 * How long (ms) a notfound for a block waits before it may count against its sender: if within this
 * time we hold the block (it came by another path), the answer was a race and costs nothing.
 * A notfound for a transaction never counts (Bitcoin Core's rule): an honest peer answers it for a
 * transaction that left its mempool since it announced it (confirmed in a block we have not synced
 * yet, replaced, expired, evicted), and a node that restarts behind the tip sees hundreds of those.
 * It costs the answerer nothing either way: the request moves at once to the next announcer.
 */
export const NOTFOUND_GRACE_MS = 10_000;
/** Notfound answers awaiting their grace period; beyond this the oldest are forgiven. */
export const MAX_PENDING_NOTFOUND = 10_000;
/**
 * Times a transaction is asked again from the announcer whose timeout left it with no announcer
 * (the tracker forgets a key once every announcer failed, and each node announces a transaction
 * once, to its 2-5 mesh peers). Without it, the first hop from the node a transaction was submitted
 * to, which has that node as its only announcer, loses the transaction for good whenever that one
 * request fails: a node starved of CPU answering after the 4 s getdata timeout, or the getdata
 * stream reset with every request it carried (measured: 8 nodes, 3,000 Inv-only payments, one node
 * at a time stalled 4.5 s after announcing: 52-444 payments missing per node, none with retries).
 * Each retry that times out costs the announcer another REQUEST_TIMEOUT, as a new announcement would.
 */
export const TX_RETRIES = 3;
/**
 * Wait (ms) from the tracker's expiry to the first such retry, doubled for each further one: the
 * retry goes out after the getdata transport timeout (4 s from the request) reset a stalled stream,
 * on a fresh one, instead of queueing behind the request that stalled.
 */
export const TX_RETRY_DELAY_MS = 3_000;
/** Retries waiting at once (unit: transactions); beyond this a timed-out transaction is not retried. */
export const MAX_PENDING_TX_RETRIES = 10_000;

interface PendingReport {
  readonly peer: string;
  /** Items still being fetched. */
  readonly keys: Set<string>;
  readonly deadline: number;
  reject: boolean;
}

export interface InvRelayDeps {
  chain: RelayChain;
  blame: RelayBlame;
  fetcher: ObjectFetcher;
  channel: AnnouncementChannel;
  push: TxPushChannel;
  /** Whether `peer`'s announcements are preferred: we dialed it, or it is allow-listed (noban). */
  isPreferred(peer: string): boolean;
  /** A peer served a block whose parent we lack: it has a chain we do not; sync from it. */
  onUnknownParent(peer: string): void;
  /** Whether `peer` is a block-relay-only connection: its transaction announcements are ignored. */
  isBlockRelayOnly(peer: string): boolean;
  /** We received a message from `peer` (its liveness: no need to ping it). */
  onHeard?(peer: string): void;
  /**
   * `peer` delivered a new valid object first, by `path` (it protects the peer from inbound
   * eviction, and ranks eager push peers).
   */
  onNewObject(peer: string, type: ObjectType, path: 'push' | 'getdata'): void;
  /** Compact block relay; without it, blocks are fetched and relayed whole. */
  compact?: CompactBlockPort;
  /** Batching of transaction announcements (ms; default TX_ANNOUNCE_INTERVAL_MS). */
  txAnnounceIntervalMs?: number;
  now?: () => number;
  logger?: Logger;
  metrics?: NodeMetrics | null;
}

/** `tx:<hex>` or `block:<hex>`: the tracker's key of an inventory item. */
export function invKeyOf(type: ObjectType, hash: Uint8Array): string {
  return `${type}:${toHex(hash)}`;
}

/** The tracker's key of a wire inventory item. */
export function keyOfItem(item: InvItem): string {
  return invKeyOf(invTypeName(item.type), item.hash);
}

function itemOfKey(key: string): InvItem {
  const [type, hex] = key.split(':') as [ObjectType, string];
  return { type: invTypeFromName(type), hash: new Uint8Array(Buffer.from(hex, 'hex')) };
}

/** The key a delivered payload really has, computed from its bytes; undefined if it has no header. */
export function deliveredKey(type: ObjectType, payload: Uint8Array): string | undefined {
  if (type === 'tx') return invKeyOf('tx', txidOfBytes(payload));
  const header = headerBytesOfBlock(payload);
  if (header === undefined) return undefined;
  return invKeyOf('block', blockIdOfBytes(header));
}

export class InvRelay {
  readonly tracker: RequestTracker;
  private readonly deps: InvRelayDeps;
  private readonly now: () => number;
  private readonly pending = new Map<string, PendingReport>();
  private readonly pendingByKey = new Map<string, Set<string>>();
  /** Objects that failed with REJECT: invalid from anyone (txids and block ids commit to the bytes). */
  private readonly rejected = new BoundedSet(REJECTED_CAPACITY);
  /** Objects that failed with IGNORE (missing inputs, stale, duplicate): retried after the next block. */
  private readonly unacceptable = new BoundedSet(REJECTED_CAPACITY);
  private readonly known = new KnownInventory(KNOWN_INVENTORY_CAPACITY);
  private announceQueue: InvItem[] = [];
  private announceTimer: NodeJS.Timeout | undefined;
  private announceNow = false;
  private fetchScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private lastSweep: number | undefined;
  private readonly running = new Set<Promise<void>>();
  /** Blocks to fetch whole (their compact form did not rebuild), to tell a collision from a lie. */
  private readonly fallbacks = new CompactFallbacks();
  /** Blocks being rebuilt from a compact block: a second compact block for one waits for the first. */
  private readonly rebuilding = new Set<string>();
  /** What each peer sent us when, to tell a stalled peer's timeouts from a withholder's. */
  private readonly activity = new PeerActivity();
  /** Notfound answers in their grace period, oldest first. */
  private notFound: Array<{ readonly peer: string; readonly key: string; readonly at: number }> = [];
  /** Retries done per transaction (bounded; a forgotten count allows at most TX_RETRIES more). */
  private readonly retriesDone = new BoundedMap<string, number>(MAX_PENDING_TX_RETRIES);
  /** Retries waiting, one FIFO per retry number (each FIFO is in `at` order: one delay each). */
  private retryQueues: Array<Array<{ readonly peer: string; readonly key: string; readonly at: number }>> =
    Array.from({ length: TX_RETRIES }, () => []);

  constructor(deps: InvRelayDeps, trackerOptions: RequestTrackerOptions = {}) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.tracker = new RequestTracker(trackerOptions);
  }

  private heard(peer: string): void {
    this.activity.heard(peer, this.now());
    this.deps.onHeard?.(peer);
  }

  async start(): Promise<void> {
    this.timer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    clearTimeout(this.announceTimer);
    this.announceTimer = undefined;
    await Promise.allSettled([...this.running]);
  }

  /**
   * Announcements from neighbour `peer`: an Inv gossipsub message `msgId` (peer = its propagation
   * source), or, without msgId, mempool inventory learned at connect time.
   */
  handleInv(peer: string, items: readonly InvItem[], msgId?: string): void {
    const { blame } = this.deps;
    this.heard(peer);
    if (blame.isQuarantined(peer) || !blame.admit(peer, 'inv', items.length)) {
      this.report(msgId, peer, 'ignore');
      return;
    }
    const now = this.now();
    const preferred = this.deps.isPreferred(peer);
    const blocksOnly = this.deps.isBlockRelayOnly(peer);
    const keys = new Set<string>();
    for (const item of items) {
      const type = invTypeName(item.type);
      if (blocksOnly && type === 'tx') continue;
      const key = invKeyOf(type, item.hash);
      if (!this.isWanted(type, key)) continue;
      const result = this.tracker.receivedInv(peer, key, { outbound: preferred, now });
      if (result === 'capped') {
        blame.punish(peer, new PeerFault('TOO_MANY_ANNOUNCEMENTS', `${key} and later items`));
        break;
      }
      if (result === 'complete') continue;
      keys.add(key);
      this.known.add(key, peer);
    }
    if (msgId === undefined || keys.size === 0) {
      this.report(msgId, peer, 'ignore');
      if (keys.size > 0) this.scheduleFetch();
      return;
    }
    this.pending.set(msgId, {
      peer,
      keys,
      deadline: now + PENDING_REPORT_TIMEOUT_MS,
      reject: false,
    });
    for (const key of keys) {
      const ids = this.pendingByKey.get(key) ?? new Set<string>();
      ids.add(msgId);
      this.pendingByKey.set(key, ids);
    }
    this.scheduleFetch();
  }

  /** A transaction we created: pushed to every subscriber and announced to our mesh. */
  relayOwnTransaction(txid: Uint8Array, payload: Uint8Array): void {
    this.pushTransaction(invKeyOf('tx', txid), payload, true);
    this.announce('tx', txid);
  }

  /**
   * A transaction a reorg returned to our mempool (it was confirmed only on the branch we left):
   * peers on the winning branch may never have seen it, and after a healed partition our mesh may
   * hold only peers of our old branch, who have it. Pushed to every subscriber not known to have
   * it, as our own transactions are, and announced.
   */
  relayReturnedTransaction(txid: Uint8Array, payload: Uint8Array): void {
    this.pushTransaction(invKeyOf('tx', txid), payload, true);
    this.announce('tx', txid);
  }

  /**
   * Transactions `peer` pushed to us unasked (it validated them): validated like fetched ones. A
   * push of a transaction already found invalid is the pusher's fault, as an invalid one would be.
   */
  async handlePushed(peer: string, payloads: readonly Uint8Array[]): Promise<void> {
    const { blame, chain } = this.deps;
    this.heard(peer);
    for (const payload of payloads) {
      if (blame.isQuarantined(peer)) return;
      const key = invKeyOf('tx', txidOfBytes(payload));
      this.known.add(key, peer);
      if (this.rejected.has(key)) {
        blame.punish(peer, new PeerFault('PUSHED_KNOWN_INVALID', key));
        continue;
      }
      if (this.unacceptable.has(key) || chain.hasObject('tx', key.slice(3))) {
        blame.judged('tx', 'ignore');
        continue;
      }
      await this.validate(peer, key, 'tx', payload, 'push');
    }
  }

  /**
   * A block that joined our active chain: pushed in compact form to the subscribers that asked for
   * compact blocks and are not known to have it (BIP152's high-bandwidth mode), and announced to our
   * mesh at once.
   */
  relayBlock(id: Uint8Array): void {
    const compact = this.deps.compact;
    const key = invKeyOf('block', id);
    const targets =
      compact === undefined
        ? []
        : [...this.deps.push.subscribers()].filter(
            ({ peer, compactBlocks }) =>
              compactBlocks && !this.known.has(key, peer) && !this.deps.blame.isQuarantined(peer),
          );
    if (compact === undefined || targets.length === 0) {
      this.announce('block', id);
      return;
    }
    // The pushes go first: a high-bandwidth peer that got the Inv first would also ask for the block.
    this.track(
      compact
        .compactOf(toHex(id))
        .then((encoded) => {
          if (encoded === undefined) return;
          for (const { peer } of targets) {
            if (this.known.has(key, peer) || !this.deps.push.pushCompactBlock(peer, encoded)) continue;
            this.known.add(key, peer);
            this.deps.metrics?.compactBlocks.inc({ event: 'pushed' });
          }
        })
        .finally(() => this.announce('block', id)),
    );
  }

  /**
   * A compact block `peer` pushed to us (it validated the block, as for a pushed transaction):
   * rebuilt from our mempool, then validated like a fetched block.
   */
  async handlePushedCompactBlock(peer: string, bytes: Uint8Array): Promise<void> {
    const { blame } = this.deps;
    this.heard(peer);
    if (blame.isQuarantined(peer) || this.deps.compact === undefined) return;
    const compact = this.decodeCompact(peer, bytes);
    if (compact === undefined) return;
    const key = invKeyOf('block', compact.blockId);
    this.known.add(key, peer);
    if (this.rejected.has(key)) {
      blame.punish(peer, new PeerFault('PUSHED_KNOWN_INVALID', key));
      return;
    }
    await this.receiveCompact(peer, key, compact, bytes, 'push');
  }

  /**
   * Queues an object we validated (or created) for announcement to our mesh: a block at once, a
   * transaction within TX_ANNOUNCE_INTERVAL_MS.
   */
  announce(type: ObjectType, hash: Uint8Array): void {
    this.announceQueue.push({ type: invTypeFromName(type), hash });
    if (type === 'block') {
      if (this.announceNow) return;
      this.announceNow = true;
      // Coalesce everything validated in this turn of the event loop into one Inv.
      setImmediate(() => this.flushAnnouncements());
    } else if (this.announceTimer === undefined && !this.announceNow) {
      this.announceTimer = setTimeout(
        () => this.flushAnnouncements(),
        this.deps.txAnnounceIntervalMs ?? TX_ANNOUNCE_INTERVAL_MS,
      );
    }
  }

  private flushAnnouncements(): void {
    clearTimeout(this.announceTimer);
    this.announceTimer = undefined;
    this.announceNow = false;
    const queue = this.announceQueue;
    this.announceQueue = [];
    for (let i = 0; i < queue.length; i += MAX_INV_ITEMS) {
      this.deps.channel.publish(queue.slice(i, i + MAX_INV_ITEMS)).catch((err: Error) => {
        this.deps.logger?.debug({ err: err.message }, 'announcement not published');
      });
    }
  }

  /**
   * Objects that arrived by another path (a connected block and its transactions): stop fetching
   * them, and settle the Invs that announced them.
   */
  objectsArrived(keys: readonly string[]): void {
    for (const key of keys) {
      this.tracker.forgetKey(key);
      this.resolveKey(key, undefined);
    }
  }

  /** The chain tip changed: objects unacceptable before (missing inputs, duplicates) may be fine now. */
  tipChanged(): void {
    this.unacceptable.clear();
  }

  peerDisconnected(peer: string): void {
    this.tracker.disconnectedPeer(peer);
    this.retryQueues = this.retryQueues.map((queue) => queue.filter((retry) => retry.peer !== peer));
    this.activity.forget(peer);
    for (const [msgId, report] of this.pending) {
      if (report.peer === peer) this.finishReport(msgId, report);
    }
    this.scheduleFetch();
  }

  /**
   * Pushes a validated transaction to the subscribers that want it (all of them for our own, the
   * eager ones otherwise) and are not known to have it.
   */
  private pushTransaction(key: string, payload: Uint8Array, own: boolean): void {
    const { push, blame } = this.deps;
    for (const { peer, all } of push.subscribers()) {
      if (!(own || all) || this.known.has(key, peer) || blame.isQuarantined(peer)) continue;
      if (this.deps.isBlockRelayOnly(peer)) continue;
      if (!push.push(peer, payload)) continue;
      this.known.add(key, peer);
      this.deps.metrics?.pushesSent.inc();
    }
  }

  private scheduleFetch(): void {
    if (this.fetchScheduled) return;
    this.fetchScheduled = true;
    setImmediate(() => {
      this.fetchScheduled = false;
      this.fetchRequestable();
    });
  }

  private fetchRequestable(): void {
    const now = this.now();
    for (const peer of this.tracker.peersWithRequestable(now)) {
      const keys = this.tracker.getRequestable(peer, now);
      const txs = keys.filter((k) => k.startsWith('tx:'));
      const blocks = keys.filter((k) => k.startsWith('block:'));
      for (let i = 0; i < blocks.length; i += MAX_BLOCKS_PER_GETDATA) {
        this.track(this.fetchFrom(peer, blocks.slice(i, i + MAX_BLOCKS_PER_GETDATA)));
      }
      for (let i = 0; i < txs.length; i += MAX_TXS_PER_GETDATA) {
        this.track(this.fetchFrom(peer, txs.slice(i, i + MAX_TXS_PER_GETDATA)));
      }
    }
  }

  private track(task: Promise<void>): void {
    this.running.add(task);
    task.finally(() => this.running.delete(task)).catch(() => undefined);
  }

  private async fetchFrom(peer: string, keys: string[]): Promise<void> {
    const { blame } = this.deps;
    let response: Awaited<ReturnType<ObjectFetcher['fetch']>>;
    try {
      response = await this.deps.fetcher.fetch(
        peer,
        keys.map((key) => this.requestItem(key)),
      );
    } catch (err) {
      // Timeouts are handled by the tracker's expiry (one place, one penalty); stream failures and
      // protocol violations are reported by the transport.
      this.deps.logger?.debug({ peer, err: (err as Error).message }, 'getdata failed');
      return;
    }
    this.heard(peer);
    const requested = new Set(keys);
    for (const object of response.objects) {
      if (blame.isQuarantined(peer)) return;
      if (object.type === 'compact') {
        await this.fetchedCompact(peer, object.payload, requested);
        continue;
      }
      const key = deliveredKey(object.type, object.payload);
      if (key === undefined || !requested.has(key)) {
        blame.punish(
          peer,
          new PeerFault('UNREQUESTED_OBJECT', `served a ${object.type} that is not any object requested`),
        );
        blame.judged(object.type, 'reject');
        continue;
      }
      requested.delete(key);
      await this.validate(peer, key, object.type, object.payload, 'getdata');
    }
    const notFound = new Set(response.notFound.map((item) => keyOfItem(item)));
    for (const item of [...response.notFound, ...response.deferred]) {
      const key = keyOfItem(item);
      if (!requested.delete(key)) continue;
      this.tracker.receivedResponse(peer, key, { found: false });
      this.resolveKey(key, peer);
      // Deferred items (the response was full) and transactions not found are never an offence; a
      // block not found is judged after its grace.
      if (notFound.has(key) && key.startsWith('block:')) this.judgeNotFoundLater(peer, key);
    }
    for (const key of requested) {
      this.tracker.receivedResponse(peer, key, { found: false });
      this.resolveKey(key, peer);
      blame.punish(peer, new PeerFault('LEFT_OUT_OF_RESPONSE', key));
    }
    this.scheduleFetch();
  }

  /** How we ask for `key`: a block in compact form unless compact relay is off or failed for it. */
  private requestItem(key: string): InvItem {
    const item = itemOfKey(key);
    const compact =
      item.type === InvType.BLOCK && this.deps.compact !== undefined && !this.fallbacks.wantsWhole(key);
    return compact ? { type: InvType.COMPACT_BLOCK, hash: item.hash } : item;
  }

  /** The decoded compact block, or undefined when it does not decode (charged to `peer`). */
  private decodeCompact(peer: string, bytes: Uint8Array): CompactBlock | undefined {
    try {
      return decodeCompactBlock(bytes);
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      this.deps.blame.punish(peer, err);
      return undefined;
    }
  }

  /** A compact block served for one of the `requested` keys (removed from it once matched). */
  private async fetchedCompact(peer: string, payload: Uint8Array, requested: Set<string>): Promise<void> {
    const { blame } = this.deps;
    const compact = this.decodeCompact(peer, payload);
    if (compact === undefined) return;
    const key = invKeyOf('block', compact.blockId);
    if (!requested.delete(key)) {
      blame.punish(
        peer,
        new PeerFault('UNREQUESTED_OBJECT', 'served a compact block that is not any block requested'),
      );
      blame.judged('block', 'reject');
      return;
    }
    await this.receiveCompact(peer, key, compact, payload, 'getdata');
  }

  /**
   * Rebuilds the block `compact` describes and validates it; on a fallback, fetches the whole block
   * from the same peer (remembering the compact block, to check it against the whole one).
   */
  private async receiveCompact(
    peer: string,
    key: string,
    compact: CompactBlock,
    encoded: Uint8Array,
    path: 'push' | 'getdata',
  ): Promise<void> {
    const { chain, blame, metrics } = this.deps;
    const port = this.deps.compact!;
    const idHex = key.slice('block:'.length);
    // Settled without rebuilding, at no cost to the sender: the block is held already, or is being
    // rebuilt from another peer's compact block (which fetches it whole if that fails).
    const held = chain.hasObject('block', idHex);
    if (held || this.rebuilding.has(key)) return this.settleUnbuilt(peer, key, held);
    // Cheap before expensive: the header's proof of work, and whether the block would be kept at
    // all, before any mempool hashing or request.
    let place: ReturnType<RelayChain['checkCompactHeader']>;
    try {
      place = chain.checkCompactHeader(compact.header, compact.blockId);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return this.judgeFailure(peer, key, 'block', err);
    }
    if (place !== 'store') {
      // A low-work block would not be stored (no verdict, as for a whole one); an orphan's parent
      // chain comes by headers-first sync from this peer, which brings the block itself too.
      this.settleUnbuilt(peer, key, true);
      if (place === 'orphan') this.deps.onUnknownParent(peer);
      return;
    }
    // Marked until the rebuilt block is validated: a second compact block arriving meanwhile (another
    // high-bandwidth peer, a getdata answer) would only rebuild and validate it again.
    this.rebuilding.add(key);
    let outcome: Awaited<ReturnType<typeof rebuildFromCompact>>;
    try {
      outcome = await rebuildFromCompact(peer, compact, port);
      if (outcome.kind === 'block') {
        if (outcome.missing > 0) metrics?.compactMissingTxs.inc(outcome.missing);
        // Relayed on as it came, once stored (no block read, no hashing on the critical path).
        port.remember(idHex, encoded);
        if ((await this.validate(peer, key, 'block', outcome.bytes, path, true)) === 'settled') {
          metrics?.compactBlocks.inc({ event: 'rebuilt' });
          return;
        }
        // The merkle root did not match: a mempool transaction shared a short id (or the sender
        // lied, which the whole block will show). Nothing is blamed yet.
        port.forget(idHex);
        outcome = { kind: 'fallback', reason: 'collision' };
      }
      metrics?.compactBlocks.inc({ event: outcome.kind === 'lied' ? 'lied' : outcome.reason });
    } finally {
      this.rebuilding.delete(key);
    }
    if (outcome.kind === 'lied')
      blame.punish(peer, new PeerFault('BAD_BLOCK_TXN', `${key}: ${outcome.evidence}`));
    else this.fallbacks.fetchWhole(key, { peer, compact });
    if (blame.isQuarantined(peer)) {
      this.tracker.receivedResponse(peer, key, { found: false });
      this.resolveKey(key, peer);
      return;
    }
    // Fetch it whole: from the same peer (it validated the block), through the tracker's bookkeeping.
    if (outcome.kind === 'lied') this.fallbacks.fetchWhole(key);
    await this.fetchFrom(peer, [key]);
  }

  /**
   * A compact block answer settled without rebuilding (no verdict against its sender); `resolved`:
   * the block needs no more fetching from anyone (held, or not to be kept).
   */
  private settleUnbuilt(peer: string, key: string, resolved: boolean): void {
    this.tracker.receivedResponse(peer, key, { found: true });
    if (resolved) this.resolveKey(key, undefined);
    this.deps.blame.judged('block', 'ignore');
  }

  private async validate(
    peer: string,
    key: string,
    type: ObjectType,
    payload: Uint8Array,
    path: 'push' | 'getdata',
    rebuilt = false,
  ): Promise<'settled' | 'rebuilt-mismatch'> {
    const { chain, blame, metrics } = this.deps;
    try {
      let status = 'accepted';
      let pushable = false;
      if (type === 'tx')
        pushable = this.now() - chain.acceptTransaction(payload).timestamp <= PUSH_MAX_AGE_MS;
      else status = (await chain.processBlock(payload)).status;
      // Answered with what we asked for, even late or already held: service, never withholding.
      if (path === 'getdata') this.activity.served(peer, this.now());
      this.tracker.receivedResponse(peer, key, { found: true });
      // The request may have expired during validation: complete the key for every announcer anyway.
      this.tracker.forgetKey(key);
      if (status === 'orphan') {
        // Valid so far, but its parent is unknown: the announcer has a chain we lack, so sync from
        // it. Not announced (we could not serve it from the orphan pool); its Inv is reported when
        // the block connects (`objectsArrived`) or at the report deadline.
        blame.judged(type, 'ignore');
        this.deps.onUnknownParent(peer);
        return 'settled';
      }
      this.resolveKey(key, undefined);
      if (type === 'block' && status !== 'low-work') {
        for (const liar of this.fallbacks.settle(key, payload)) {
          const why = `${key}: its short ids, header or coinbase are not the block's`;
          blame.punish(liar, new PeerFault('BAD_COMPACT_BLOCK', why));
        }
      }
      // A duplicate arrived by another path first (sync, another announcer) and was announced then;
      // a low-work block (a branch far below our tip's work) is not stored: neither earns credit.
      const ignored = status === 'duplicate' || status === 'low-work';
      blame.judged(type, ignored ? 'ignore' : 'accept');
      if (ignored) return 'settled';
      blame.goodDelivery(peer);
      this.deps.onNewObject(peer, type, path);
      metrics?.deliveries.inc({ type, path });
      // A block is announced when it joins the active chain (the node's chain events), not here.
      if (type === 'tx') {
        if (pushable) this.pushTransaction(key, payload, false);
        this.announce('tx', itemOfKey(key).hash);
      }
      return 'settled';
    } catch (err) {
      // A block rebuilt from a compact block that does not match its header (merkle root): a
      // short-id collision until the whole block proves otherwise. The caller fetches it whole.
      if (rebuilt && err instanceof ValidationError && isBodyTampering(err.code)) {
        blame.judged(type, 'ignore');
        return 'rebuilt-mismatch';
      }
      // A transaction we got from another announcer while this answer was late is still service.
      if (path === 'getdata' && err instanceof ValidationError && err.code === 'TX_DUPLICATE') {
        this.activity.served(peer, this.now());
      }
      if (!(err instanceof ValidationError)) {
        this.deps.logger?.error({ peer, key, err: (err as Error).message }, 'validation failed unexpectedly');
        this.tracker.receivedResponse(peer, key, { found: false });
        this.resolveKey(key, peer);
        return 'settled';
      }
      this.judgeFailure(peer, key, type, err);
      return 'settled';
    } finally {
      this.scheduleFetch();
    }
  }

  /** `peer` delivered `key` and it failed validation with `err`: remember the verdict, blame. */
  private judgeFailure(peer: string, key: string, type: ObjectType, err: ValidationError): void {
    const { blame } = this.deps;
    blame.judged(type, err.verdict === 'REJECT' ? 'reject' : 'ignore');
    if (err.verdict === 'REJECT') {
      if (type === 'block' && isBodyTampering(err.code)) {
        // The body does not match the header: this peer lied, the block may be fine elsewhere.
        this.tracker.receivedResponse(peer, key, { found: false });
      } else {
        this.tracker.forgetKey(key);
        this.rejected.add(key);
      }
      this.markReject(key, peer);
    } else {
      // Not complete: after the next block it may be acceptable (missing inputs, stale tip).
      this.tracker.forgetKey(key, { complete: false });
      this.unacceptable.add(key);
      this.resolveKey(key, undefined);
    }
    blame.punish(peer, err, key);
  }

  private judgeNotFoundLater(peer: string, key: string): void {
    if (this.notFound.length >= MAX_PENDING_NOTFOUND) this.notFound.shift();
    this.notFound.push({ peer, key, at: this.now() });
  }

  /**
   * Notfounds past their grace: those we now hold were races (forgiven); the rest cost their
   * sender one offence per peer per sweep, however many items one answer held.
   */
  private judgeNotFound(now: number): void {
    let due = 0;
    while (due < this.notFound.length && this.notFound[due]!.at + NOTFOUND_GRACE_MS <= now) due++;
    if (due === 0) return;
    const unexplained = new Map<string, string[]>();
    for (const { peer, key } of this.notFound.slice(0, due)) {
      const [type, idHex] = key.split(':') as [ObjectType, string];
      if (this.deps.chain.hasObject(type, idHex)) continue;
      unexplained.set(peer, [...(unexplained.get(peer) ?? []), key]);
    }
    this.notFound = this.notFound.slice(due);
    for (const [peer, keys] of unexplained) {
      const more = keys.length > 1 ? ` and ${keys.length - 1} more` : '';
      this.deps.blame.punish(peer, new PeerFault('NOT_FOUND_AFTER_ANNOUNCE', `${keys[0]}${more}`));
    }
  }

  private report(msgId: string | undefined, peer: string, verdict: Verdict): void {
    if (msgId !== undefined) this.deps.blame.gossipVerdict(msgId, peer, verdict);
  }

  private markReject(key: string, peer: string): void {
    for (const msgId of this.pendingByKey.get(key) ?? []) {
      const report = this.pending.get(msgId);
      if (report !== undefined && report.peer === peer) report.reject = true;
    }
    this.resolveKey(key, peer);
  }

  /** The key is settled for `peer` (or, when peer is undefined, for every announcer). */
  private resolveKey(key: string, peer: string | undefined): void {
    const ids = this.pendingByKey.get(key);
    if (ids === undefined) return;
    for (const msgId of [...ids]) {
      const report = this.pending.get(msgId);
      if (report === undefined || (peer !== undefined && report.peer !== peer)) continue;
      ids.delete(msgId);
      report.keys.delete(key);
      if (report.keys.size === 0) this.finishReport(msgId, report);
    }
    if (ids.size === 0) this.pendingByKey.delete(key);
  }

  private finishReport(msgId: string, report: PendingReport): void {
    this.pending.delete(msgId);
    for (const key of report.keys) {
      const ids = this.pendingByKey.get(key);
      ids?.delete(msgId);
      if (ids?.size === 0) this.pendingByKey.delete(key);
    }
    this.report(msgId, report.peer, report.reject ? 'reject' : 'ignore');
  }

  /** `key` timed out at `peer`, its last announcer: ask `peer` again later (TX_RETRIES). */
  private scheduleRetry(peer: string, key: string, now: number): void {
    const done = this.retriesDone.get(key) ?? 0;
    const waiting = this.retryQueues.reduce((sum, queue) => sum + queue.length, 0);
    if (done >= TX_RETRIES || waiting >= MAX_PENDING_TX_RETRIES) return;
    this.retriesDone.set(key, done + 1);
    this.retryQueues[done]!.push({ peer, key, at: now + TX_RETRY_DELAY_MS * 2 ** done });
  }

  /** Whether an announced object is worth tracking: not judged already, and not held. */
  private isWanted(type: ObjectType, key: string): boolean {
    if (this.rejected.has(key) || this.unacceptable.has(key)) return false;
    return !this.deps.chain.hasObject(type, key.slice(type.length + 1));
  }

  /** Retries whose wait is over: announced again by their peer, unless the object came meanwhile. */
  private dueRetries(now: number): void {
    const { blame } = this.deps;
    for (const queue of this.retryQueues) {
      let due = 0;
      while (due < queue.length && queue[due]!.at <= now) due++;
      for (const { peer, key } of queue.splice(0, due)) {
        if (blame.isQuarantined(peer) || !this.isWanted('tx', key)) continue;
        if (this.tracker.receivedInv(peer, key, { outbound: this.deps.isPreferred(peer), now }) === 'added')
          this.scheduleFetch();
      }
    }
  }

  private sweep(): void {
    const now = this.now();
    // A sweep much later than scheduled means our own event loop stalled: answers may be sitting
    // unread on the socket. Skip expiry this round so they are read first; never blame peers for it.
    const stalled =
      this.lastSweep !== undefined && now - this.lastSweep > SWEEP_INTERVAL_MS + MAX_SWEEP_LATENESS_MS;
    this.lastSweep = now;
    const expired = stalled ? [] : this.tracker.expire(now);
    const expiredByPeer = new Map<string, { keys: string[]; requestedAt: number }>();
    for (const { peer, key, requestedAt } of expired) {
      const entry = expiredByPeer.get(peer) ?? { keys: [], requestedAt };
      entry.keys.push(key);
      entry.requestedAt = Math.min(entry.requestedAt, requestedAt);
      expiredByPeer.set(peer, entry);
      this.resolveKey(key, peer);
      if (key.startsWith('tx:') && this.tracker.announcers(key).length === 0)
        this.scheduleRetry(peer, key, now);
    }
    this.dueRetries(now);
    // One offence per peer per sweep, however many items one slow answer held: a single late
    // response is one judgement call, not dozens. What the peer sent while we waited decides
    // whether it escalates (blame's `escalatesTimeout`): a silent peer had stalled.
    for (const [peer, { keys, requestedAt }] of expiredByPeer) {
      const more = keys.length > 1 ? ` and ${keys.length - 1} more` : '';
      const context = this.activity.timeout(peer, requestedAt, now);
      const silent = context.silent ? ' (peer silent meanwhile)' : '';
      this.deps.blame.punish(
        peer,
        new PeerFault('REQUEST_TIMED_OUT', `${keys[0]}${more} not served in time${silent}`, keys, context),
      );
    }
    for (const [msgId, report] of this.pending) {
      if (report.deadline <= now) this.finishReport(msgId, report);
    }
    if (!stalled) this.judgeNotFound(now);
    // Inbound announcements become requestable only after their delay: fetch them once it elapsed.
    const wakeup = this.tracker.nextWakeup();
    if (expired.length > 0 || (wakeup !== undefined && wakeup <= now)) this.scheduleFetch();
  }
}
