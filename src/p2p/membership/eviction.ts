/**
 * Inbound eviction: which inbound peer to disconnect when a new one arrives and the inbound slots
 * are full. Bitcoin Core's SelectNodeToEvict (node/eviction.cpp), as a pure function.
 *
 * Protected, in this order (each step removes its protected peers from the candidates):
 * 1. allow-listed (noban) peers and every non-inbound peer: they are never candidates;
 * 2. the 4 with the highest keyed netgroup (a hash of the netgroup with our secret: an attacker
 *    cannot tell which netgroups we favour, and needs to be in many netgroups to be protected);
 * 3. the 8 with the lowest minimum ping (an attacker far away cannot fake low latency);
 * 4. the 4 that most recently sent us a new, valid transaction;
 * 5. the 4 that most recently sent us a new, valid block;
 * 6. half of those left, by longest connection time.
 * Each step is deterministic: ties are broken by connection time (older protected first), then peer id.
 * If no candidate is left, nobody is evicted (the new connection is refused instead). Otherwise the
 * netgroup with the most remaining candidates is chosen (ties: the one whose youngest member
 * connected last), and its youngest member is evicted. Idle identities from few netgroups
 * therefore go first, and a peer that earned its place by being fast, useful or old stays.
 */
import {
  PROTECT_BY_BLOCK,
  PROTECT_BY_NETGROUP,
  PROTECT_BY_PING,
  PROTECT_BY_TX,
  PROTECT_BY_UPTIME_RATIO,
} from './constants.js';

export interface EvictionCandidate {
  readonly peerId: string;
  readonly netgroup: string;
  /** Keyed hash of the netgroup (same netgroup, same value). */
  readonly keyedNetgroup: number;
  /** When the connection opened (ms). */
  readonly connectedAt: number;
  /** Lowest ping RTT seen (ms); undefined if never measured (treated as infinitely slow). */
  readonly minPingMs: number | undefined;
  /** Last time the peer sent us a new valid transaction (ms); undefined: never. */
  readonly lastTxAt: number | undefined;
  /** Last time the peer sent us a new valid block (ms); undefined: never. */
  readonly lastBlockAt: number | undefined;
  readonly inbound: boolean;
  /** Allow-listed (noban): never evicted. */
  readonly noBan: boolean;
}

/** Why a peer was protected, or that it was evicted: for logs and tests. */
export type EvictionStep = 'not-inbound' | 'netgroup' | 'ping' | 'tx' | 'block' | 'uptime';

export interface EvictionDecision {
  /** The peer to evict, or undefined when every inbound peer is protected. */
  evict: string | undefined;
  /** Protected peer ids by the step that protected them. */
  protectedBy: Map<string, EvictionStep>;
}

/** Older connection first, then peer id: the tie-breaker of every step. */
const byAge = (a: EvictionCandidate, b: EvictionCandidate): number =>
  a.connectedAt - b.connectedAt || (a.peerId < b.peerId ? -1 : a.peerId > b.peerId ? 1 : 0);

const NEVER = Number.NEGATIVE_INFINITY;

/** Removes from `pool` the `count` best by `better` (a comparator: negative = a protected first). */
function protect(
  pool: EvictionCandidate[],
  count: number,
  step: EvictionStep,
  protectedBy: Map<string, EvictionStep>,
  better: (a: EvictionCandidate, b: EvictionCandidate) => number,
  eligible: (c: EvictionCandidate) => boolean = () => true,
): EvictionCandidate[] {
  const chosen = new Set(
    pool
      .filter(eligible)
      .sort((a, b) => better(a, b) || byAge(a, b))
      .slice(0, count)
      .map((c) => c.peerId),
  );
  for (const peerId of chosen) protectedBy.set(peerId, step);
  return pool.filter((c) => !chosen.has(c.peerId));
}

export function selectInboundToEvict(candidates: readonly EvictionCandidate[]): EvictionDecision {
  const protectedBy = new Map<string, EvictionStep>();
  let pool: EvictionCandidate[] = [];
  for (const c of candidates) {
    if (!c.inbound || c.noBan) protectedBy.set(c.peerId, 'not-inbound');
    else pool.push(c);
  }
  pool = protect(
    pool,
    PROTECT_BY_NETGROUP,
    'netgroup',
    protectedBy,
    (a, b) => b.keyedNetgroup - a.keyedNetgroup,
  );
  pool = protect(
    pool,
    PROTECT_BY_PING,
    'ping',
    protectedBy,
    (a, b) => (a.minPingMs ?? Infinity) - (b.minPingMs ?? Infinity),
  );
  pool = protect(
    pool,
    PROTECT_BY_TX,
    'tx',
    protectedBy,
    (a, b) => (b.lastTxAt ?? NEVER) - (a.lastTxAt ?? NEVER),
    (c) => c.lastTxAt !== undefined,
  );
  pool = protect(
    pool,
    PROTECT_BY_BLOCK,
    'block',
    protectedBy,
    (a, b) => (b.lastBlockAt ?? NEVER) - (a.lastBlockAt ?? NEVER),
    (c) => c.lastBlockAt !== undefined,
  );
  pool = protect(pool, Math.floor(pool.length * PROTECT_BY_UPTIME_RATIO), 'uptime', protectedBy, () => 0);
  if (pool.length === 0) return { evict: undefined, protectedBy };

  // Youngest first, then group by netgroup; the largest group (ties: youngest member) loses its youngest.
  pool.sort((a, b) => -byAge(a, b));
  const groups = new Map<string, EvictionCandidate[]>();
  let worst: EvictionCandidate[] | undefined;
  for (const c of pool) {
    let group = groups.get(c.netgroup);
    if (group === undefined) groups.set(c.netgroup, (group = []));
    group.push(c);
    if (
      worst === undefined ||
      group.length > worst.length ||
      (group.length === worst.length && byAge(group[0]!, worst[0]!) > 0)
    ) {
      worst = group;
    }
  }
  return { evict: worst![0]!.peerId, protectedBy };
}
