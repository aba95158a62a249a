/**
 * Our txpush subscriptions: every connected peer pushes us the transactions it creates (mode OWN),
 * and `eagerCount` of them push us every fresh transaction they accept (mode ALL, see
 * eager-peers.ts). Driven by connection events; the TxPushClient does the streaming.
 *
 * A subscription that ends while its peer is still connected (the stream failed, or the peer does
 * not speak txpush) is retried after `retryMs`; meanwhile the peer cannot be eager, and its
 * vacancy goes to another peer at once. Nothing depends on pushes for correctness: a peer that
 * never pushes still announces, and we fetch.
 */
import { PushMode } from '../wire/codec.js';
import { type EagerCandidate, selectEagerPeers } from './eager-peers.js';

/**
 * Eager peers per node: each node receives about this many copies of a transaction's body. Two is
 * the smallest number with a spare (one eager peer that is slow or lying only delays us, it cannot
 * cut us off); measured with three: no faster, 0.56 instead of 0.42 of the baseline's bytes.
 */
export const EAGER_PUSH_PEERS = 2;

/** Ms before a subscription that ended while its peer stayed connected is tried again. */
export const PUSH_RESUBSCRIBE_MS = 10_000;

/** What the subscriptions need from the txpush client. */
export interface SubscriptionClient {
  subscribe(peer: string, mode: PushMode): void;
  unsubscribe(peer: string): void;
}

export interface PushSubscriptionsOptions {
  /** Default EAGER_PUSH_PEERS. */
  eagerCount?: number;
  /** Default PUSH_RESUBSCRIBE_MS. */
  retryMs?: number;
  random?: () => number;
}

export class PushSubscriptions {
  private readonly eagerCount: number;
  private readonly retryMs: number;
  private readonly random: () => number;
  /** Connected peers, and whether we dialed them. */
  private readonly peers = new Map<string, boolean>();
  /** Peers whose subscription ended, until their retry. */
  private readonly retrying = new Map<string, NodeJS.Timeout>();
  private eager = new Set<string>();
  private stopped = false;

  constructor(
    private readonly client: SubscriptionClient,
    options: PushSubscriptionsOptions = {},
  ) {
    this.eagerCount = options.eagerCount ?? EAGER_PUSH_PEERS;
    this.retryMs = options.retryMs ?? PUSH_RESUBSCRIBE_MS;
    this.random = options.random ?? Math.random;
  }

  /** The peers we asked for every transaction. */
  eagerPeers(): string[] {
    return [...this.eager];
  }

  peerConnected(peer: string, outbound: boolean): void {
    if (this.stopped || this.peers.has(peer)) return;
    this.peers.set(peer, outbound);
    this.client.subscribe(peer, PushMode.OWN);
    this.reselect();
  }

  peerDisconnected(peer: string): void {
    if (!this.peers.delete(peer)) return;
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
      this.client.subscribe(peer, PushMode.OWN);
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
    if (!this.stopped) this.reselect(new Set());
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

  /** Recomputes the eager set, keeping `keep` where it can, and sends the mode changes. */
  private reselect(keep: ReadonlySet<string> = this.eager): void {
    const candidates: EagerCandidate[] = [];
    for (const [peer, outbound] of this.peers) {
      if (!this.retrying.has(peer)) candidates.push({ peer, outbound });
    }
    const next = selectEagerPeers(keep, candidates, this.eagerCount, this.random);
    for (const peer of this.eager) {
      if (!next.has(peer) && this.peers.has(peer) && !this.retrying.has(peer))
        this.client.subscribe(peer, PushMode.OWN);
    }
    for (const peer of next) {
      if (!this.eager.has(peer)) this.client.subscribe(peer, PushMode.ALL);
    }
    this.eager = next;
  }
}
