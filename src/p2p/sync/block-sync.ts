/**
 * Chain sync: a node that starts, restarts or reconnects after a partition catches up with the
 * most-work chain of its peers, and learns their mempools (anti-entropy, like BIP 35).
 *
 * On connect, and every STATUS_POLL_INTERVAL_MS with one random peer, we ask the peer's status
 * and its mempool's txids (on connect all of them, on the poll those of the last
 * RECENT_MEMPOOL_SECONDS; those we lack are fetched as if it announced them); when it claims more
 * cumulative work than our tip we sync from it, headers first (as Bitcoin since 0.10):
 *
 * 1. headers: locator → up to MAX_HEADERS_PER_REQUEST headers after the fork point, checked as a
 *    chain (proof of work, links, height, retargeted target, timestamps; `HeaderChain`) before any
 *    block is asked for; repeated from the last header until the chain reaches the claimed work or
 *    the peer has no more, at most MAX_HEADERS_PER_SESSION headers;
 * 2. blocks: only when the headers carry more work than our tip, their blocks are fetched in order
 *    with getdata and each validated before the next (the chain stores them although the first
 *    ones alone may be below its anti-DoS work: the headers proved the branch's work).
 *
 * Resistance: a low-work side chain costs us a header check per header (no signature, no block,
 * nothing stored); headers that fail a check are blamed like the block would be; headers that do
 * not link, or end below the work the peer claimed, are BAD_HEADERS (an honest peer's headers run
 * to its tip); invalid blocks are blamed on the peer that served them and end the session. One
 * sync runs at a time.
 */

import { decodeHeader } from '../../chain/encoding/codec.js';
import { ValidationError } from '../../chain/errors.js';
import { blockIdOfBytes } from '../../chain/objects/block.js';
import type { HeaderChain } from '../../chain/state/header-chain.js';
import { fromHex, toHex } from '../../crypto/hash.js';
import type { Logger } from '../../node/logger.js';
import { PeerFault } from '../reputation/faults.js';
import { deliveredKey, invKeyOf, MAX_BLOCKS_PER_GETDATA } from '../relay/inv-relay.js';
import type { InvItem, ObjectFetcher, RelayBlame } from '../relay/ports.js';
import { type ChainStatus, InvType } from '../wire/codec.js';
import { MAX_HEADERS_PER_REQUEST, MAX_MEMPOOL_INV_ITEMS } from '../wire/constants.js';

/**
 * Headers per sync session (40 requests): the deepest fork one session follows, 28 hours of 5 s
 * devnet blocks; the chain keeps the proven ids of one session (MAX_PROVEN_HEADERS, the same).
 */
export const MAX_HEADERS_PER_SESSION = 20_000;
/**
 * Interval (ms) between reconciliations with a random peer: its status (catch up when nothing is
 * announced) and its recent mempool (anti-entropy: a partition that heals without a reconnect still
 * exchanges what was announced on either side of the cut).
 */
export const STATUS_POLL_INTERVAL_MS = 15_000;
/**
 * The periodic exchange asks only for transactions dated within this many seconds: four polls'
 * worth, so an announcement the relay missed gets four chances with random peers. Older ones come
 * with the whole mempool asked on every new connection and when a suspected partition ends. Asking
 * for the whole mempool every poll cost each node 38 bytes per pooled transaction every 15 s (a
 * 10,000-transaction mempool: 190 KB; in the 50-host propagation benchmark about a sixth of the
 * bytes per transaction).
 */
export const RECENT_MEMPOOL_SECONDS = 60;

export interface SyncTransport {
  status(peer: string): Promise<ChainStatus>;
  headersAfter(peer: string, locator: Uint8Array[], max: number): Promise<Uint8Array[]>;
  /** Txids in `peer`'s mempool; with `maxAgeSeconds`, of transactions dated at most that long ago. */
  mempool(peer: string, maxAgeSeconds?: number): Promise<Uint8Array[]>;
}

export interface SyncChain {
  genesisHex(): string;
  tipWork(): bigint;
  locator(): Uint8Array[];
  hasBlock(idHex: string): boolean;
  /** Cumulative work of a known block, or undefined. */
  workOf(idHex: string): bigint | undefined;
  /** An empty header chain from the stored block `idHex`, or undefined if we do not store it. */
  headerChainFrom(idHex: string): HeaderChain | undefined;
  /** Lets the chain store the blocks of `headers` (it proved enough work); false if it did not. */
  expectHeaders(headers: HeaderChain): boolean;
  processBlock(bytes: Uint8Array): Promise<{ status: string; idHex: string }>;
}

export interface BlockSyncDeps {
  chain: SyncChain;
  transport: SyncTransport;
  fetcher: ObjectFetcher;
  blame: RelayBlame;
  /** Mempool txids learned from a peer: handed to the relay as announcements by that peer. */
  onMempoolInventory(peer: string, items: InvItem[]): void;
  connectedPeers(): string[];
  /** False for a block-relay-only connection: its mempool is never asked for (on connect or poll). */
  carriesTransactions(peer: string): boolean;
  logger?: Logger;
}

export class BlockSync {
  private readonly deps: BlockSyncDeps;
  private queue: Promise<void> = Promise.resolve();
  /** Peers a status request is in flight to. */
  private readonly asking = new Set<string>();
  /** Peers a sync session is queued for. */
  private readonly queued = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(deps: BlockSyncDeps) {
    this.deps = deps;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.timer = setInterval(() => {
      const peers = this.deps.connectedPeers();
      const peer = peers[Math.floor(Math.random() * peers.length)];
      if (peer === undefined) return;
      this.requestSync(peer);
      if (this.deps.carriesTransactions(peer)) this.learnMempool(peer, RECENT_MEMPOOL_SECONDS);
    }, STATUS_POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.queue;
  }

  /**
   * A new connection (or one that came back): sync if it is ahead, and learn its mempool unless
   * the link carries no transactions.
   */
  peerConnected(peer: string): void {
    this.requestSync(peer);
    if (this.deps.carriesTransactions(peer)) this.learnMempool(peer);
  }

  /**
   * Asks `peer` for its mempool's txids (only recent ones with `maxAgeSeconds`); the ones we lack
   * are fetched as if it announced them.
   */
  private learnMempool(peer: string, maxAgeSeconds?: number): void {
    this.deps.transport.mempool(peer, maxAgeSeconds).then(
      (txids) => {
        const items = txids.slice(0, MAX_MEMPOOL_INV_ITEMS).map((hash) => ({ type: InvType.TX, hash }));
        if (items.length > 0) this.deps.onMempoolInventory(peer, items);
      },
      (err: Error) => this.deps.logger?.debug({ peer, err: err.message }, 'mempool request failed'),
    );
  }

  /**
   * Asks `peer` for its status now (at most one ask in flight per peer) and, if it claims more
   * work than our tip, queues a sync session from it. Status asks run in parallel: a peer whose
   * connection is stuck (its answer times out after SYNC_TIMEOUT_MS) must not hold up the sync from
   * the others, as it did when reconnecting after a partition.
   */
  requestSync(peer: string): void {
    if (this.asking.has(peer) || this.stopped) return;
    this.asking.add(peer);
    this.deps.transport
      .status(peer)
      .then(
        (status) => this.queueSession(peer, status),
        (err: Error) => this.deps.logger?.debug({ peer, err: err.message }, 'status request failed'),
      )
      .finally(() => this.asking.delete(peer));
  }

  /** Queues a sync session from `peer` if its status is ours and ahead; one session runs at a time. */
  private queueSession(peer: string, status: ChainStatus): void {
    const { chain } = this.deps;
    if (toHex(status.genesis) !== chain.genesisHex()) {
      this.deps.logger?.warn({ peer }, 'peer is on another network (different genesis); not syncing');
      return;
    }
    if (status.cumulativeWork <= chain.tipWork() || this.queued.has(peer) || this.stopped) return;
    this.queued.add(peer);
    this.queue = this.queue.then(async () => {
      this.queued.delete(peer);
      if (this.stopped || this.deps.blame.isQuarantined(peer)) return;
      try {
        await this.syncFrom(peer, status.cumulativeWork, status.height);
      } catch (err) {
        this.deps.logger?.debug({ peer, err: (err as Error).message }, 'sync from peer ended');
      }
    });
  }

  private async syncFrom(peer: string, claimedWork: bigint, height: number): Promise<void> {
    const { chain } = this.deps;
    // Another session may have brought us that far already.
    if (claimedWork <= chain.tipWork()) return;
    this.deps.logger?.info({ peer, height }, 'syncing from peer with more work');
    const headers = await this.downloadHeaders(peer, claimedWork);
    if (headers === undefined || headers.work <= chain.tipWork() || !chain.expectHeaders(headers)) return;
    const missing = headers.ids.filter((idHex) => !chain.hasBlock(idHex)).map(fromHex);
    if (missing.length > 0) await this.downloadBlocks(peer, missing);
  }

  /**
   * The peer's headers after our locator, checked as a chain, until they reach `claimedWork`, end,
   * or make MAX_HEADERS_PER_SESSION; undefined (and the peer blamed) when they fail a check.
   */
  private async downloadHeaders(peer: string, claimedWork: bigint): Promise<HeaderChain | undefined> {
    const { chain, transport, blame } = this.deps;
    let locator = chain.locator();
    let headers: HeaderChain | undefined;
    let ended = false;
    for (let fetched = 0; fetched < MAX_HEADERS_PER_SESSION && !this.stopped;) {
      const batch = await transport.headersAfter(peer, locator, MAX_HEADERS_PER_REQUEST);
      fetched += MAX_HEADERS_PER_REQUEST;
      ended = batch.length < MAX_HEADERS_PER_REQUEST;
      if (batch.length === 0) break;
      try {
        // Headers of blocks we store already (e.g. a branch stored by an earlier session) are skipped.
        let start = 0;
        const stored = (header: Uint8Array): boolean =>
          chain.workOf(toHex(blockIdOfBytes(header))) !== undefined;
        while (headers === undefined && start < batch.length && stored(batch[start]!)) start++;
        if (headers === undefined && start < batch.length) {
          const parentHex = toHex(decodeHeader(batch[start]!).prevHash);
          headers = chain.headerChainFrom(parentHex);
          if (headers === undefined) {
            blame.punish(
              peer,
              new PeerFault('BAD_HEADERS', `first header's parent ${parentHex} is not ours`),
            );
            return undefined;
          }
        }
        headers?.extend(batch.slice(start));
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        blame.punish(
          peer,
          err.code === 'BLOCK_UNKNOWN_PARENT' ? new PeerFault('BAD_HEADERS', err.message) : err,
          'sync headers',
        );
        return undefined;
      }
      locator = [blockIdOfBytes(batch[batch.length - 1]!)];
      if (ended || (headers !== undefined && headers.work >= claimedWork)) break;
    }
    if (ended && headers !== undefined && headers.work < claimedWork) {
      blame.punish(
        peer,
        new PeerFault('BAD_HEADERS', `claimed work ${claimedWork}, its headers end at ${headers.work}`),
      );
      return undefined;
    }
    return headers;
  }

  /** Fetches and processes `ids` in order; returns the most cumulative work seen, or undefined on failure. */
  private async downloadBlocks(peer: string, ids: Uint8Array[]): Promise<bigint | undefined> {
    const { chain, fetcher, blame } = this.deps;
    let best: bigint | undefined;
    for (let i = 0; i < ids.length; i += MAX_BLOCKS_PER_GETDATA) {
      const batch = ids.slice(i, i + MAX_BLOCKS_PER_GETDATA);
      const wanted = new Map(batch.map((hash) => [invKeyOf('block', hash), hash]));
      const response = await fetcher.fetch(
        peer,
        batch.map((hash) => ({ type: InvType.BLOCK, hash })),
      );
      if (response.objects.length === 0) return best;
      for (const object of response.objects) {
        const key = object.type === 'block' ? deliveredKey('block', object.payload) : undefined;
        if (key === undefined || !wanted.has(key)) {
          blame.punish(
            peer,
            new PeerFault('UNREQUESTED_OBJECT', 'sync: served a block that was not requested'),
          );
          return undefined;
        }
        try {
          const result = await chain.processBlock(object.payload);
          const work = chain.workOf(result.idHex);
          if (work !== undefined && (best === undefined || work > best)) best = work;
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          if (err.code === 'BLOCK_DUPLICATE') continue;
          blame.punish(peer, err, `sync ${key}`);
          return undefined;
        }
      }
    }
    return best;
  }
}
