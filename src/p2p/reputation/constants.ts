/**
 * Every tunable number of the reputation layer, each with its unit and the reason for its value.
 *
 * The score model in one paragraph: a peer's score starts at 0 (neutral), moves down by a fixed
 * penalty per offence and up by a tiny reward per first delivery of a new valid object (capped at
 * `SCORE_MAX`), and decays exponentially back toward 0 with half-life `SCORE_HALF_LIFE_MS`. At or
 * below `THROTTLE_THRESHOLD` the peer is throttled; at or below `QUARANTINE_THRESHOLD`, or on any
 * flagrant offence, it is quarantined (banned) for an escalating duration.
 */

// ---------------------------------------------------------------------------------------------
// Score range and thresholds (unit: score points, dimensionless)
// ---------------------------------------------------------------------------------------------

/** Lowest possible score. A flagrant offence sends a peer straight here. */
export const SCORE_MIN = -100;

/**
 * Highest possible score, i.e. the cap on banked credit. Small on purpose: credit is a tie-breaker
 * for useful peers (eviction order, gossipsub's positive application score), never a shield. Any
 * offence forfeits the whole credit first (see `PeerTrustTable.penalize`), so a peer with full
 * credit reaches quarantine after exactly as many offences as a fresh peer.
 */
export const SCORE_MAX = 10;

/** Score of a peer we know nothing about, and the value every score decays toward. */
export const SCORE_NEUTRAL = 0;

/**
 * At or below this score the peer is `throttled`: the caller should serve it less (e.g. ask it for
 * objects last, lower its rate limits). Equals 4 moderate or 10 minor offences in a short time:
 * enough misbehaviour to stop giving the benefit of the doubt, not enough to cut it off.
 */
export const THROTTLE_THRESHOLD = -20;

/**
 * At or below this score the peer is quarantined. Half of the range, as in Lodestar
 * (`MIN_SCORE_BEFORE_BAN`): with the judgement-call penalties of `offences.ts` this is 10 to 50
 * offences in a burst, and the honest-rate argument of `MAX_JUDGEMENT_PENALTY` keeps honest peers
 * out of reach.
 */
export const QUARANTINE_THRESHOLD = -50;

/**
 * Scores closer to 0 than this snap to exactly 0 (unit: score points). Keeps "most neutral" eviction
 * and JSON output clean; 0.01 is below every penalty and reward by two orders of magnitude.
 */
export const SCORE_EPSILON = 0.01;

// ---------------------------------------------------------------------------------------------
// Decay
// ---------------------------------------------------------------------------------------------

/**
 * Half-life of the score's exponential decay toward 0 (unit: ms). 10 minutes, as Lodestar: long
 * enough that an attacker cannot wait out its penalties between bursts cheaply, short enough that an
 * honest peer recovers from a bad minute (e.g. a burst of late responses while its CPU was busy)
 * within the hour. Decay is applied lazily from timestamps on every read, never by a timer.
 */
export const SCORE_HALF_LIFE_MS = 10 * 60_000;

// ---------------------------------------------------------------------------------------------
// Penalties (unit: score points subtracted per offence). See `offences.ts` for who gets which.
// ---------------------------------------------------------------------------------------------

/**
 * Penalty of a flagrant offence: the whole score range, so that one offence lands on `SCORE_MIN`.
 * Quarantine on a flagrant offence does not depend on this number (it is decided by the offence's
 * class), so banked credit cannot absorb it. Bitcoin Core discourages on the first consensus-invalid
 * message for the same reason: such data never comes from an honest, correctly working node.
 */
export const PENALTY_FLAGRANT = SCORE_MAX - SCORE_MIN;

/**
 * Penalty for offences honest peers commit occasionally (clock skew, evicted-before-served, policy
 * differences, timeouts): 25 in a burst to quarantine, and sustained only faster than one per ~35 s.
 */
export const PENALTY_LOW = 2;

/**
 * Penalty for offences an honest peer commits only in rare corner cases (unsolicited data, replays,
 * exceeding rate limits set 10x above honest load): 10 in a burst to quarantine, and sustained only
 * faster than one per ~91 s. This is the heaviest judgement-call penalty; see the bound below.
 */
export const PENALTY_MODERATE = 5;

/**
 * The rate of judgement-call offences we promise to tolerate forever from an honest peer (unit: ms
 * between offences): one per 2 minutes, whatever the mix of kinds. Property-tested in
 * `test/unit/reputation/trust-score.property.test.ts`.
 */
export const HONEST_OFFENCE_INTERVAL_MS = 2 * 60_000;

/**
 * Largest judgement-call penalty compatible with `HONEST_OFFENCE_INTERVAL_MS` (unit: score points).
 * A peer offending with penalty p every T ms peaks at p / (1 - 2^(-T/H)) below 0 (geometric series;
 * H = half-life). With T = 2 min and H = 10 min that is 7.73 p, which must stay above
 * `QUARANTINE_THRESHOLD`: p < 6.47. `PENALTY_MODERATE` = 5 peaks at -38.6, a 23 % margin.
 */
export const MAX_JUDGEMENT_PENALTY =
  -QUARANTINE_THRESHOLD * (1 - 2 ** (-HONEST_OFFENCE_INTERVAL_MS / SCORE_HALF_LIFE_MS));

/**
 * Longest gap (unit: ms) between two offences of an escalating kind (`REQUEST_TIMEOUT`) that still
 * continues a streak; a good delivery ends the streak whatever the gap, and so does any answer that
 * serves a requested object (even late). 30 s: a staller that announces and never serves times out
 * every 0.3-1 s (one request per announcement round, each expiring 2 s later; measured by the
 * announce-no-serve scenario), so it stays well inside; it is shorter than
 * `HONEST_OFFENCE_INTERVAL_MS`, so an honest peer offending at the tolerated rate never escalates.
 * An honest peer whose process stalls sends nothing during the stall, so its timeouts there stay out
 * of the streak (`SILENCE_GAP_MS`); one that is slow but running answers late, which ends the streak.
 */
export const ESCALATION_WINDOW_MS = 30_000;

/**
 * Silence (unit: ms) that marks a request timeout as a stall rather than withholding: when a peer
 * sent us nothing at all (no Inv, push or answer) for this long while one of our requests to it
 * waited, the timeout costs the flat penalty and stays out of the streak (`escalatesTimeout` in
 * blame.ts). 1 s, half of the relay's 2 s request timeout and the relay's own stall threshold
 * (`MAX_SWEEP_LATENESS_MS`): a stalled process (GC, CPU starvation, SIGSTOP) sends nothing, and a
 * stall shorter than 1 s cannot make a 2 s request time out on its own; a withholder that announces
 * on while it withholds (announce-no-serve announces every 0.5 s) is never silent that long, and one
 * that falls silent on purpose can announce at most about once per second, each announcement costing
 * it a flat 2 (quarantined after 25, as before escalation existed).
 */
export const SILENCE_GAP_MS = 1_000;

/**
 * Silences remembered per peer (unit: entries) by `PeerActivity`. A request waits at most ~3.2 s
 * before it is judged (the 2 s timeout, a 0.1 s sweep and 1.1 s of tolerated sweep lateness); the
 * silences kept are at least `SILENCE_GAP_MS` long and never overlap, so at most 4 fall in one wait.
 */
export const MAX_SILENCES_PER_PEER = 4;

/**
 * Peers whose traffic `PeerActivity` follows (unit: peers). Far above the connection limit; the
 * relay forgets a peer when it disconnects, and beyond this the least recently heard one is dropped
 * (a dropped peer counts as silent until heard again, so at worst a timeout escapes escalation).
 */
export const MAX_ACTIVITY_PEERS = 1_024;

// ---------------------------------------------------------------------------------------------
// Rewards
// ---------------------------------------------------------------------------------------------

/**
 * Credit for the first delivery of a new valid object (unit: score points). 20 deliveries reach the
 * `SCORE_MAX` cap: a useful peer is recognised within seconds at normal load, but credit is earned
 * only while the score is >= 0 (only time forgives an offence, so good deeds cannot buy offences).
 */
export const REWARD_PER_DELIVERY = 0.5;

// ---------------------------------------------------------------------------------------------
// Bounded memory of the trust table
// ---------------------------------------------------------------------------------------------

/**
 * Offence history entries kept per peer (unit: entries). Enough to explain any quarantine (at most
 * 50 offences lead to one); per-kind counts are kept separately and are not truncated.
 */
export const MAX_OFFENCE_HISTORY = 50;

/**
 * Longest evidence string kept per offence (unit: UTF-16 code units). Fits a 64-hex object hash with
 * a short label; longer strings are truncated so attacker-influenced text cannot bloat memory.
 */
export const MAX_EVIDENCE_LENGTH = 160;

/**
 * Peers tracked by the trust table (unit: peers). Far above any connection limit (~100 peers), so
 * evicted records belong to long-gone, neutral peers. Worst case ~2000 x 50 history entries
 * x ~250 B = ~25 MB.
 */
export const MAX_TRACKED_PEERS = 2_000;

/**
 * Fraction of `maxPeers` evicted at once when the table is full. Amortises the O(n log n) choice of
 * victims over many insertions (a 100k-identity flood costs ~1600 scans of 2000 records).
 */
export const EVICTION_BATCH_FRACTION = 1 / 32;

// ---------------------------------------------------------------------------------------------
// Quarantine (ban) durations and the ban list
// ---------------------------------------------------------------------------------------------

/**
 * Duration of a peer's first quarantine (unit: ms). 10 minutes: long enough to stop an attack and
 * cost the attacker a new identity or a wait, short enough that an honest node hit by a bug is back
 * soon. A devnet can lower it (option `baseBanMs`) to watch the full cycle in seconds.
 */
export const BASE_BAN_MS = 10 * 60_000;

/** Each earlier ban (within `BAN_MEMORY_MS`) multiplies the next ban's duration by this factor. */
export const BAN_ESCALATION_FACTOR = 2;

/**
 * Longest automatic quarantine (unit: ms). 24 hours, Bitcoin Core's default `-bantime`; reached on
 * the 9th ban with the defaults (10 min x 2^8 = 42.7 h, capped).
 */
export const MAX_BAN_MS = 24 * 60 * 60_000;

/**
 * How long a peer's prior-ban count is remembered after its last ban (unit: ms). A week of good
 * behaviour wipes the escalation slate, so a node that was buggy once is not punished for ever.
 */
export const BAN_MEMORY_MS = 7 * 24 * 60 * 60_000;

/** Default duration of a manual ban from the RPC/REPL when none is given (unit: ms): Core's 24 h. */
export const MANUAL_BAN_DEFAULT_MS = 24 * 60 * 60_000;

/**
 * Active bans kept (unit: entries). Bans are by peer id and ids are free, so an attacker can make us
 * ban without limit; like Bitcoin Core's rolling discouragement filter, beyond this we forget the
 * automatic ban that ends soonest. Manual bans are never evicted. ~10k x 200 B = 2 MB of JSON.
 */
export const MAX_BANS = 10_000;

/** Prior-ban counters kept for escalation (unit: entries); the oldest is forgotten first. */
export const MAX_BAN_HISTORY = 10_000;

/**
 * Longest ban reason kept (unit: UTF-16 code units); longer reasons are truncated. Fits a typical
 * automatic reason (offence, description, 160-character evidence, a summary of the recent kinds)
 * while bounding what an operator's RPC call or a hand-edited file can make us hold.
 */
export const MAX_REASON_LENGTH = 600;

/** Longest peer id accepted (unit: characters). A base58 Ed25519 libp2p peer id is 52. */
export const MAX_PEER_ID_LENGTH = 128;

/** Name of the ban-list file inside the node's data directory. */
export const BAN_FILE_NAME = 'banlist.json';

/** Version of the ban-list file format; a file with another version is rejected as corrupt. */
export const BAN_FILE_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// gossipsub application score
// ---------------------------------------------------------------------------------------------

/**
 * `appSpecificScore` of a quarantined peer. gossipsub multiplies it by `appSpecificWeight`; with
 * weight 1 this puts the peer at about -1000, far below any sensible `graylistThreshold` (e.g. -80),
 * and no positive topic score (capped in the tens) can lift it back. docs/libp2p-notes.md records an
 * application score of -100 showing up as -1000 and graylisting the peer at once; the peer stayed
 * connected until hung up, so the caller must still hang up on a quarantine decision.
 */
export const QUARANTINED_APP_SCORE = -1000;

// ---------------------------------------------------------------------------------------------
// Rate limiter
// ---------------------------------------------------------------------------------------------

/**
 * Peers whose buckets the rate limiter keeps (unit: peers). Well above the connection limit; beyond
 * it the least recently used peer is forgotten (which only gives it a fresh, full burst).
 */
export const MAX_RATE_LIMITED_PEERS = 1_024;

/** The metered classes of traffic. */
export const RATE_CLASSES = ['inv', 'getdata', 'objects', 'bytes', 'sync', 'served'] as const;

/**
 * One metered class: `inv` items, `getdata` items, `objects` and payload `bytes` received, `sync`
 * requests, and payload bytes `served` to the peer by getdata.
 */
export type RateClass = (typeof RATE_CLASSES)[number];

/** A token bucket's shape, in the class's unit. */
export interface RateLimit {
  /** Sustained rate (units per second). */
  readonly ratePerSecond: number;
  /** Bucket size: the most that can pass at once after a quiet period (units). */
  readonly burst: number;
}

/**
 * Default per-peer limits, per class (unit of `ratePerSecond` and `burst`: the class's unit, per
 * second and in total). Sized against an honest peer at a network load of 100 tx/s of ~250 B each,
 * plus blocks: every sustained rate is at least 10x what such a peer sends, and every burst covers a
 * peer (re-)announcing or fetching a whole mempool (~10 000 tx = 100 s of load) right after connecting.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<RateClass, RateLimit>> = Object.freeze({
  /** Inventory items announced to us (unit: items). Honest: ~100 tx + a block announced per second. */
  inv: Object.freeze({ ratePerSecond: 1_000, burst: 10_000 }),
  /** Items the peer requests from us (unit: items). Honest: each object once, ~100 per second. */
  getdata: Object.freeze({ ratePerSecond: 1_000, burst: 10_000 }),
  /** Objects (transactions, blocks) the peer delivers (unit: objects). Honest: ~100 per second. */
  objects: Object.freeze({ ratePerSecond: 1_000, burst: 10_000 }),
  /**
   * Payload bytes the peer sends (unit: bytes). Honest relay: 100 tx/s x 250 B + blocks, ~50 KB/s;
   * 4 MiB/s is 80x that and the 32 MiB burst holds several full blocks during catch-up.
   */
  bytes: Object.freeze({ ratePerSecond: 4 * 1024 * 1024, burst: 32 * 1024 * 1024 }),
  /**
   * Sync requests (block or header ranges) the peer sends (unit: requests). An honest syncing peer
   * sends a few per second (one per batch); 20/s leaves room for pipelining, 100 for a restart.
   */
  sync: Object.freeze({ ratePerSecond: 20, burst: 100 }),
  /**
   * Payload bytes we serve the peer by getdata (unit: bytes). An honest peer fetches each object
   * once: relay is ~50 KB/s, and catching up after a restart fetches each missed block once (64 MiB
   * of burst is 64 full blocks at once, then 8 per second). A peer that asks for the same large
   * objects again and again (bandwidth amplification) gets its answers deferred once it is over.
   */
  served: Object.freeze({ ratePerSecond: 8 * 1024 * 1024, burst: 64 * 1024 * 1024 }),
});

/**
 * Payload bytes the node serves by getdata to all peers together (unit: bytes): 4 peers at their
 * full `served` rate. Beyond it, answers are deferred (never an offence), so many identities cannot
 * add up to more upload than this (per second; the burst after a quiet period).
 */
export const TOTAL_SERVED_LIMIT: RateLimit = Object.freeze({
  ratePerSecond: 32 * 1024 * 1024,
  burst: 128 * 1024 * 1024,
});
