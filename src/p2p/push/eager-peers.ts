/**
 * Which peers push us every transaction ("eager" peers, mode ALL; the others push only their own,
 * mode OWN). This is Bitcoin Core's high-bandwidth compact-block mode (BIP152) applied to
 * transactions: each node asks a few peers to send new objects at once instead of announcing them,
 * so a transaction crosses most hops in one message instead of inv, getdata and data.
 *
 * Rules (each with its reason):
 * - At most `count` eager peers. Each node receives about `count` bodies per transaction, so the
 *   count sets the bandwidth; every other peer still announces (inv) what it has.
 * - Current eager peers stay eager while connected and subscribed, unless a review finds one lagging
 *   (eager-review.ts): stable choices keep the push graph stable and cost no mode changes.
 * - Vacancies go to outbound peers first (we chose them; an attacker cannot make us pick it by
 *   connecting to us many times), then inbound ones, at random within each group so that the push
 *   graph is a random graph, where every node is a few hops from every other.
 * - While no eager peer is outbound, an outbound peer that connects takes an inbound one's place
 *   (`promoteOutbound`). After a restart, inbound peers that redial at once (an eclipse attacker's
 *   identities do) connect before our own dials complete; kept while connected, they would hold
 *   every eager place and need not push us anything. One outbound place is enough: the review
 *   (eager-review.ts) keeps it, and is free to choose the other places by who delivers first.
 */

export interface EagerCandidate {
  readonly peer: string;
  /** We dialed this peer. */
  readonly outbound: boolean;
}

/** The eager peers after a change: `current` ones still among `candidates`, then fresh picks. */
export function selectEagerPeers(
  current: ReadonlySet<string>,
  candidates: readonly EagerCandidate[],
  count: number,
  random: () => number = Math.random,
): Set<string> {
  const selected = new Set<string>();
  for (const candidate of candidates) {
    if (selected.size >= count) break;
    if (current.has(candidate.peer)) selected.add(candidate.peer);
  }
  for (const outbound of [true, false]) {
    const pool = candidates.filter((c) => c.outbound === outbound && !selected.has(c.peer));
    while (selected.size < count && pool.length > 0) {
      const index = Math.floor(random() * pool.length);
      selected.add(pool[index]!.peer);
      pool.splice(index, 1);
    }
  }
  return selected;
}

/**
 * `selected`, with one inbound peer (drawn at random) swapped for an outbound candidate (drawn at
 * random) when none of `selected` is outbound and an outbound candidate is not selected.
 */
export function promoteOutbound(
  selected: ReadonlySet<string>,
  candidates: readonly EagerCandidate[],
  random: () => number = Math.random,
): Set<string> {
  const result = new Set(selected);
  const outbound = candidates.filter((c) => c.outbound).map((c) => c.peer);
  if (outbound.some((peer) => result.has(peer))) return result;
  const inbound = candidates.filter((c) => !c.outbound && result.has(c.peer)).map((c) => c.peer);
  if (inbound.length === 0 || outbound.length === 0) return result;
  result.delete(inbound[Math.floor(random() * inbound.length)]!);
  result.add(outbound[Math.floor(random() * outbound.length)]!);
  return result;
}
