/**
 * Keeps the eager push peers that deliver first, and tries others in place of the ones that do not:
 * Bitcoin Core picks its high-bandwidth compact-block peers by who delivered a block first; this
 * does the same for the peers that push us every transaction.
 *
 * Why: eager peers drawn at random form a random push graph, where a transaction reaches the last
 * node after several pushes in a row. Each hop costs a link's latency (40 ms between the testnet's
 * hosts), so the depth of the graph, not the work per hop, sets how long the last node waits. A peer
 * that delivers first is one fewer hops from the senders than the others; keeping such peers pulls
 * the graph's depth down at no cost in bytes (each node still receives `count` bodies).
 *
 * The review, over a window of at least EAGER_REVIEW_DELIVERIES fresh transactions and
 * EAGER_REVIEW_MIN_MS:
 * - counts, for each current eager peer, the fresh transactions it delivered to us first (its
 *   pushes of them; a push that arrives second is a duplicate and counts nothing), and how many
 *   fresh transactions reached us first by a fetch after an announcement instead (the eager
 *   pushes lost a race they should win by a round trip and the announcement delay);
 * - at the window's end, the eager peer that delivered fewest first is replaced when it delivered
 *   fewer than EAGER_REPLACE_BELOW of what the best one did, or when fetches won at least
 *   EAGER_FETCHED_FIRST_SHARE of the window (both eager peers lag). The caller draws its successor.
 * - the window restarts whenever the eager set changes, so every peer is judged on a whole window.
 *
 * What an attacker gains by pushing fast (to be kept eager): the place it was given anyway, and a
 * transaction it delays is still pushed by the other eager peer and announced by every peer. The
 * caller keeps an outbound peer among the eager ones, so connecting to us many times buys no more.
 * Memory: one counter per eager peer.
 */

/**
 * Fresh transactions in a review window at least (at 2 tx/s, 25 s; at 20 tx/s EAGER_REVIEW_MIN_MS
 * sets it). Two eager peers at the same depth get ~20 firsts each from 50; one at half that is 2
 * standard deviations off, so a peer is sometimes swapped for no reason: a harmless extra trial.
 */
export const EAGER_REVIEW_DELIVERIES = 50;
/** Ms a review window lasts at least: a newly tried peer gets its subscription going first. */
export const EAGER_REVIEW_MIN_MS = 5_000;
/**
 * The worst eager peer is replaced when it delivered first fewer than this fraction of what the best
 * one did: two peers at the same depth split the firsts about evenly and both stay.
 */
export const EAGER_REPLACE_BELOW = 0.5;
/** Share of a window's fresh transactions fetched first, at or above which the worst one goes anyway. */
export const EAGER_FETCHED_FIRST_SHARE = 0.25;

export interface EagerReviewOptions {
  /** Default EAGER_REVIEW_DELIVERIES. */
  deliveries?: number;
  /** Default EAGER_REVIEW_MIN_MS. */
  minMs?: number;
}

export class EagerReview {
  private readonly windowDeliveries: number;
  private readonly minMs: number;
  /** First deliveries in this window, per current eager peer. */
  private firsts = new Map<string, number>();
  private deliveries = 0;
  private fetchedFirst = 0;
  private windowStart: number;

  constructor(
    private readonly now: () => number,
    options: EagerReviewOptions = {},
  ) {
    this.windowDeliveries = options.deliveries ?? EAGER_REVIEW_DELIVERIES;
    this.minMs = options.minMs ?? EAGER_REVIEW_MIN_MS;
    this.windowStart = now();
  }

  /** A new window for these eager peers. */
  restart(eager: Iterable<string>): void {
    this.firsts = new Map([...eager].map((peer) => [peer, 0]));
    this.deliveries = 0;
    this.fetchedFirst = 0;
    this.windowStart = this.now();
  }

  /**
   * `peer` delivered a fresh transaction first, by `fetched` (a fetch after its announcement) or a
   * push. Returns the eager peer to replace when this ends a window that condemns one.
   */
  record(peer: string, fetched: boolean): string | undefined {
    this.deliveries += 1;
    if (fetched) this.fetchedFirst += 1;
    const count = this.firsts.get(peer);
    if (count !== undefined && !fetched) this.firsts.set(peer, count + 1);
    if (this.deliveries < this.windowDeliveries || this.now() - this.windowStart < this.minMs)
      return undefined;
    const verdict = this.verdict();
    this.restart(this.firsts.keys());
    return verdict;
  }

  private verdict(): string | undefined {
    let worst: [string, number] | undefined;
    let best = 0;
    for (const entry of this.firsts) {
      if (worst === undefined || entry[1] < worst[1]) worst = entry;
      best = Math.max(best, entry[1]);
    }
    if (worst === undefined) return undefined;
    const lagging = worst[1] < best * EAGER_REPLACE_BELOW;
    const outrun = this.fetchedFirst >= this.deliveries * EAGER_FETCHED_FIRST_SHARE;
    return lagging || outrun ? worst[0] : undefined;
  }
}
