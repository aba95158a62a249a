/**
 * Our txpush subscriptions: every connected peer pushes us the transactions it creates (mode OWN),
 * and `eagerCount` of them push us every fresh transaction they accept (mode ALL, see
 * eager-peers.ts). Driven by connection events; the TxPushClient does the streaming.
 *
 * The eager peers are reviewed by who delivers first (eager-review.ts): one that lags the other is
 * replaced by a peer drawn at random among those not tried lately, keeping an outbound peer among
 * the eager ones while there is one to keep. That holds at connection time too: while no eager peer
 * is outbound, an outbound peer that connects takes an inbound one's place.
 *
 * Separately, `highBandwidthCount` peers push us each new block in compact form (BIP152's
 * high-bandwidth mode), chosen as Bitcoin Core chooses them: the peers that most recently delivered
 * a new block to us first. Vacancies are filled like eager places (outbound first, at random); a peer
 * that delivers a block first replaces the one that did so longest ago, except that the last
 * outbound one is never replaced by an inbound one (an attacker that connects to us and relays
 * blocks fast cannot take every high-bandwidth place).
 *
 * A subscription that ends while its peer is still connected (the stream failed, or the peer does
 * not speak txpush) is retried after `retryMs`; meanwhile the peer cannot be eager, and its
 * vacancy goes to another peer at once. Nothing depends on pushes for correctness: a peer that
 * never pushes still announces, and we fetch.
 */
import { PushMode } from '../wire/codec.js';
import { type EagerCandidate, promoteOutbound, selectEagerPeers } from './eager-peers.js';
import { EagerReview, type EagerReviewOptions } from './eager-review.js';

/**
 * Eager peers per node: each node receives about this many copies of a transaction's body. Two is
 * the smallest number with a spare (one eager peer that is slow or lying only delays us, it cannot
 * cut us off). Three, measured on 20 and 50 hosts with 40 ms links (docs/testnet.md): 20-25% faster
 * to the last node, but 0.52 of plain gossipsub's bytes per transaction instead of 0.41.
 */
export const EAGER_PUSH_PEERS = 2;

/** Peers that push us new blocks compact (Bitcoin Core's 3 high-bandwidth compact block peers). */
export const HIGH_BANDWIDTH_BLOCK_PEERS = 3;

/** Ms before a subscription that ended while its peer stayed connected is tried again. */
export const PUSH_RESUBSCRIBE_MS = 10_000;

/** What the subscriptions need from the txpush client. */
export interface SubscriptionClient {
  subscribe(peer: string, mode: PushMode, compactBlocks: boolean): void;
  unsubscribe(peer: string): void;
}

export interface PushSubscriptionsOptions {
  /** Default EAGER_PUSH_PEERS. */
  eagerCount?: number;
  /** Default HIGH_BANDWIDTH_BLOCK_PEERS. */
  highBandwidthCount?: number;
  /** Default PUSH_RESUBSCRIBE_MS. */
  retryMs?: number;
  /** Windows of the eager peers' review (eager-review.ts). */
  review?: EagerReviewOptions;
  random?: () => number;
  now?: () => number;
}

export class PushSubscriptions {
  private readonly eagerCount: number;
  private readonly highBandwidthCount: number;
  private readonly retryMs: number;
  private readonly random: () => number;
  /** Connected peers, and whether we dialed them. */
  private readonly peers = new Map<string, boolean>();
  /** Peers whose subscription ended, until their retry. */
  private readonly retrying = new Map<string, NodeJS.Timeout>();
  private eager = new Set<string>();
  private readonly review: EagerReview;
  /** Peers replaced as eager by a review, not drawn again until every other candidate was tried. */
  private readonly replaced = new Set<string>();
  /** High-bandwidth block peers, the one that delivered a block first longest ago first. */
  private highBandwidth: string[] = [];
  private stopped = false;

  constructor(
    private readonly client: SubscriptionClient,
    options: PushSubscriptionsOptions = {},
  ) {
    this.eagerCount = options.eagerCount ?? EAGER_PUSH_PEERS;
    this.highBandwidthCount = options.highBandwidthCount ?? HIGH_BANDWIDTH_BLOCK_PEERS;
    this.retryMs = options.retryMs ?? PUSH_RESUBSCRIBE_MS;
    this.random = options.random ?? Math.random;
    this.review = new EagerReview(options.now ?? Date.now, options.review);
  }

  /** The peers we asked for every transaction. */
  eagerPeers(): string[] {
    return [...this.eager];
  }

  /** The peers we asked for compact blocks, least recent first deliverer first. */
  highBandwidthPeers(): string[] {
    return [...this.highBandwidth];
  }

  /**
   * `peer` delivered a new valid block to us first: it becomes (or stays, now as the most recent)
   * a high-bandwidth block peer, replacing the one that did so longest ago.
   */
  deliveredBlockFirst(peer: string): void {
    if (this.stopped || !this.isCandidate(peer)) return;
    const before = new Set(this.highBandwidth);
    const rest = this.highBandwidth.filter((p) => p !== peer);
    if (rest.length >= this.highBandwidthCount) {
      const inbound = this.peers.get(peer) === false;
      const outboundLeft = rest.filter((p) => this.peers.get(p) === true).length;
      const victim = rest.find((p) => !(inbound && outboundLeft === 1 && this.peers.get(p) === true));
      if (victim === undefined) return;
      rest.splice(rest.indexOf(victim), 1);
    }
    this.highBandwidth = [...rest, peer];
    this.sendChanges(this.eager, before);
  }

  /**
   * `peer` delivered a fresh transaction to us first, by `fetched` (after its announcement) or a
   * push. At the end of a review window the eager peer that lags is replaced.
   */
  deliveredTransactionFirst(peer: string, fetched: boolean): void {
    if (this.stopped) return;
    const lagging = this.review.record(peer, fetched);
    if (lagging === undefined || !this.eager.has(lagging)) return;
    const kept = [...this.eager].filter((p) => p !== lagging);
    const successor = this.drawSuccessor(kept, lagging);
    if (successor === undefined) return;
    this.replaced.add(lagging);
    const previous = this.eager;
    this.eager = new Set([...kept, successor]);
    this.review.restart(this.eager);
    this.sendChanges(previous, new Set(this.highBandwidth));
  }

  peerConnected(peer: string, outbound: boolean): void {
    if (this.stopped || this.peers.has(peer)) return;
    this.peers.set(peer, outbound);
    this.client.subscribe(peer, PushMode.OWN, false);
    this.reselect();
  }

  peerDisconnected(peer: string): void {
    if (!this.peers.delete(peer)) return;
    this.replaced.delete(peer);
    this.cancelRetry(peer);
    this.client.unsubscribe(peer);
    this.reselect();
  }

  /** The client's subscription to `peer` ended. */
  subscriptionClosed(peer: string): void {
    if (this.stopped || !this.peers.has(peer) || this.retrying.has(peer)) return;
    const timer = setTimeout(() => {
      this.retrying.delete(peer);
      if (this.stopped || !this.peers.has(peer)) return;
      this.client.subscribe(peer, PushMode.OWN, false);
      this.reselect();
    }, this.retryMs);
    timer.unref();
    this.retrying.set(peer, timer);
    this.reselect();
  }

  /**
   * Draws the eager peers again at random among the connected ones. After a partition heals, the
   * ones chosen while it lasted are all on our side of the cut (eager peers are kept while
   * connected), so fresh transactions would keep crossing it only by announcement polls.
   */
  redraw(): void {
    if (this.stopped) return;
    this.replaced.clear();
    this.reselect(new Set());
  }

  /** Nothing to start: peers are added as they connect. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.stopped = true;
    for (const peer of [...this.retrying.keys()]) this.cancelRetry(peer);
  }

  private cancelRetry(peer: string): void {
    clearTimeout(this.retrying.get(peer));
    this.retrying.delete(peer);
  }

  private isCandidate(peer: string): boolean {
    return this.peers.has(peer) && !this.retrying.has(peer);
  }

  /**
   * A peer to try in place of `lagging`, at random among the candidates not eager and not replaced
   * lately (all of them again once each was); outbound if none of `kept` is and one can be.
   */
  private drawSuccessor(kept: readonly string[], lagging: string): string | undefined {
    const others = [...this.peers.keys()].filter(
      (peer) => peer !== lagging && !kept.includes(peer) && this.isCandidate(peer),
    );
    let pool = others.filter((peer) => !this.replaced.has(peer));
    if (pool.length === 0) {
      this.replaced.clear();
      pool = others;
    }
    const needOutbound = !kept.some((peer) => this.peers.get(peer) === true);
    const outbound = pool.filter((peer) => this.peers.get(peer) === true);
    if (needOutbound && outbound.length > 0) pool = outbound;
    else if (needOutbound && this.peers.get(lagging) === true) return undefined;
    if (pool.length === 0) return undefined;
    return pool[Math.floor(this.random() * pool.length)];
  }

  /**
   * Recomputes the eager and high-bandwidth sets, keeping `keep` (and the high-bandwidth peers still
   * candidates) where it can, and sends the changes.
   */
  private reselect(keep: ReadonlySet<string> = this.eager): void {
    const candidates: EagerCandidate[] = [];
    for (const [peer, outbound] of this.peers) {
      if (!this.retrying.has(peer)) candidates.push({ peer, outbound });
    }
    const previousEager = this.eager;
    const previousHighBandwidth = new Set(this.highBandwidth);
    this.eager = promoteOutbound(
      selectEagerPeers(keep, candidates, this.eagerCount, this.random),
      candidates,
      this.random,
    );
    if (!sameMembers(previousEager, this.eager)) this.review.restart(this.eager);
    const kept = this.highBandwidth.filter((peer) => this.isCandidate(peer));
    const added = selectEagerPeers(new Set(kept), candidates, this.highBandwidthCount, this.random);
    this.highBandwidth = [...kept, ...[...added].filter((peer) => !kept.includes(peer))];
    this.sendChanges(previousEager, previousHighBandwidth);
  }

  /** Sends what changed for each connected, subscribed peer since `eager` and `highBandwidth`. */
  private sendChanges(eager: ReadonlySet<string>, highBandwidth: ReadonlySet<string>): void {
    const nowHighBandwidth = new Set(this.highBandwidth);
    for (const peer of new Set([...eager, ...highBandwidth, ...this.eager, ...nowHighBandwidth])) {
      if (!this.isCandidate(peer)) continue;
      const changed =
        eager.has(peer) !== this.eager.has(peer) || highBandwidth.has(peer) !== nowHighBandwidth.has(peer);
      if (changed)
        this.client.subscribe(
          peer,
          this.eager.has(peer) ? PushMode.ALL : PushMode.OWN,
          nowHighBandwidth.has(peer),
        );
    }
  }
}

function sameMembers(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((peer) => b.has(peer));
}
