/**
 * Chain sync: a node that starts, restarts or reconnects after a partition catches up with the
 * most-work chain of its peers, and learns their mempools (anti-entropy, like BIP 35).
 *
 * On connect, and every STATUS_POLL_INTERVAL_MS with one random peer, we ask the peer's status
 * and its mempool's txids (those we lack are fetched as if it announced them); when it claims more
 * cumulative work than our tip we sync
 * from it: locator → block ids after the fork point (at most MAX_BLOCKS_PER_REQUEST) → getdata of the
 * blocks we lack, in order, each validated before the next is requested. One sync runs at a time.
 *
 * Resistance: we sync only from a peer that claims more work; every block is fully validated
 * (proof of work at the retargeted difficulty) before it is stored; a round that brings no block
 * with more cumulative work than the last ends the session (no endless low-work chain); rounds per
 * session are capped; invalid blocks are blamed on the peer that served them (through the blame
 * module), and end the session.
 */

import { ValidationError } from '../../chain/errors.js';
import { toHex } from '../../crypto/hash.js';
import type { Logger } from '../../node/logger.js';
import { PeerFault } from '../reputation/faults.js';
import { deliveredKey, invKeyOf, MAX_BLOCKS_PER_GETDATA } from '../relay/inv-relay.js';
import type { InvItem, ObjectFetcher, RelayBlame } from '../relay/ports.js';
import { type ChainStatus, InvType } from '../wire/codec.js';
import { MAX_BLOCKS_PER_REQUEST, MAX_MEMPOOL_INV_ITEMS } from '../wire/constants.js';

/** Rounds per sync session: 200 x 500 = 100k blocks, then the next trigger continues. */
export const MAX_ROUNDS_PER_SESSION = 200;
/**
 * Interval (ms) between reconciliations with a random peer: its status (catch up when nothing is
 * announced) and its mempool (anti-entropy: a partition that heals without a reconnect still
 * exchanges what was announced on either side of the cut).
 */
export const STATUS_POLL_INTERVAL_MS = 15_000;

export interface SyncTransport {
  status(peer: string): Promise<ChainStatus>;
  blocksAfter(peer: string, locator: Uint8Array[], max: number): Promise<Uint8Array[]>;
  mempool(peer: string): Promise<Uint8Array[]>;
}

export interface SyncChain {
  genesisHex(): string;
  tipWork(): bigint;
  locator(): Uint8Array[];
  hasBlock(idHex: string): boolean;
  /** Cumulative work of a known block, or undefined. */
  workOf(idHex: string): bigint | undefined;
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
      if (this.deps.carriesTransactions(peer)) this.learnMempool(peer);
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

  /** Asks `peer` for its mempool's txids; the ones we lack are fetched as if it announced them. */
  private learnMempool(peer: string): void {
    this.deps.transport.mempool(peer).then(
      (txids) => {
        const items = txids.slice(0, MAX_MEMPOOL_INV_ITEMS).map((hash) => ({ type: InvType.TX, hash }));
        if (items.length > 0) this.deps.onMempoolInventory(peer, items);
      },
      (err: Error) => this.deps.logger?.debug({ peer, err: err.message }, 'mempool request failed'),
    );
  }

  /** Queues a status check (and a sync if the peer is ahead); at most one pending per peer. */
  requestSync(peer: string): void {
    if (this.queued.has(peer) || this.stopped) return;
    this.queued.add(peer);
    this.queue = this.queue.then(async () => {
      this.queued.delete(peer);
      if (this.stopped || this.deps.blame.isQuarantined(peer)) return;
      try {
        await this.syncFrom(peer);
      } catch (err) {
        this.deps.logger?.debug({ peer, err: (err as Error).message }, 'sync from peer ended');
      }
    });
  }

  private async syncFrom(peer: string): Promise<void> {
    const { chain, transport } = this.deps;
    const status = await transport.status(peer);
    if (toHex(status.genesis) !== chain.genesisHex()) {
      this.deps.logger?.warn({ peer }, 'peer is on another network (different genesis); not syncing');
      return;
    }
    if (status.cumulativeWork <= chain.tipWork()) return;
    this.deps.logger?.info({ peer, height: status.height }, 'syncing from peer with more work');
    let bestWork = chain.tipWork();
    for (let round = 0; round < MAX_ROUNDS_PER_SESSION && !this.stopped; round++) {
      const ids = await transport.blocksAfter(peer, chain.locator(), MAX_BLOCKS_PER_REQUEST);
      const missing = ids.slice(0, MAX_BLOCKS_PER_REQUEST).filter((id) => !chain.hasBlock(toHex(id)));
      if (missing.length === 0) return;
      const roundBest = await this.downloadBlocks(peer, missing);
      if (roundBest === undefined || roundBest <= bestWork) return; // no progress: stop
      bestWork = roundBest;
      if (chain.tipWork() >= status.cumulativeWork) return;
    }
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
