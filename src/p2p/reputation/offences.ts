/**
 * The named offences a peer can commit, with a fixed penalty each. Protocol code reports a verdict
 * (`reputation.recordOffence(peer, 'INVALID_POW', blockId)`); it never invents a number.
 *
 * Two classes, following Bitcoin Core's lesson that graduated scores are arbitrary and hard to
 * explain:
 * - `flagrant`: data no honest, correctly working node ever sends (it validates before relaying,
 *   and noise's AEAD rules out corruption in transit). One offence quarantines the peer, whatever
 *   credit it has banked.
 * - `judgement`: things an honest peer can plausibly do now and then (clock skew, races, load,
 *   policy differences). Penalties are graduated and decay with a 10-minute half-life, so only a
 *   rate of offences that no honest peer reaches leads to quarantine.
 *
 * With `QUARANTINE_THRESHOLD` = -50 and a 10-minute half-life, a penalty p quarantines after
 * ceil(50 / p) offences in a burst (one more unless they share a millisecond: see
 * `offencesToQuarantine`), or when sustained more often than once per
 * -H * log2(1 - p / 50): 17.5 s for p = 1, 35 s for p = 2, 91 s for p = 5. Every judgement penalty is
 * at most `MAX_JUDGEMENT_PENALTY` (6.47), so an honest peer offending at most once per 2 minutes,
 * with any mix of kinds, is never quarantined.
 *
 * One judgement kind escalates (`REQUEST_TIMEOUT`, for transactions, while the peer kept talking to
 * us: blame keeps block timeouts, and timeouts during which the peer fell silent for a second or more,
 * out of streaks): within a streak (no service in between, each offence within
 * `ESCALATION_WINDOW_MS` = 30 s of the previous one) the k-th costs k times the base penalty. A
 * streak needs offences less than 30 s apart, so the 2-minute honest bound above is untouched; what
 * it adds is that a peer that announces on and serves nothing at all is quarantined after a handful.
 */
import { PENALTY_FLAGRANT, PENALTY_LOW, PENALTY_MODERATE, QUARANTINE_THRESHOLD } from './constants.js';
import { UnknownOffenceError } from './errors.js';

/** `flagrant`: quarantine on the first offence. `judgement`: graduated penalty that decays. */
export type OffenceClass = 'flagrant' | 'judgement';

/** Every offence kind, flagrant ones first. */
export const OFFENCE_KINDS = [
  'INVALID_SIGNATURE',
  'INVALID_HASH',
  'INVALID_MERKLE_ROOT',
  'INVALID_POW',
  'MALFORMED_MESSAGE',
  'OVERSIZE_MESSAGE',
  'INVALID_OBJECT',
  'PROTOCOL_VIOLATION',
  'IMPLAUSIBLE_TIMESTAMP',
  'TIMESTAMP_OUT_OF_WINDOW',
  'STALE_REPLAY',
  'UNSOLICITED_RESPONSE',
  'NOTFOUND_AFTER_ANNOUNCE',
  'REQUEST_TIMEOUT',
  'RATE_LIMIT_EXCEEDED',
] as const;

/** The name of an offence, e.g. `'INVALID_SIGNATURE'`. */
export type OffenceKind = (typeof OFFENCE_KINDS)[number];

/** What an offence costs and how to explain it. */
export interface OffenceSpec {
  readonly kind: OffenceKind;
  readonly class: OffenceClass;
  /**
   * Score points subtracted (after forfeiting any positive credit). For an escalating kind, the
   * penalty of the first offence of a streak.
   */
  readonly penalty: number;
  /**
   * Whether the penalty escalates: the k-th offence of a streak costs k x `penalty`, where a streak
   * is offences of this kind with no good delivery in between and each within
   * `ESCALATION_WINDOW_MS` of the previous one (see `escalatedPenalty`).
   */
  readonly escalates: boolean;
  /** One line for logs and the REPL. */
  readonly description: string;
}

const flagrant = (kind: OffenceKind, description: string): OffenceSpec =>
  Object.freeze({ kind, class: 'flagrant', penalty: PENALTY_FLAGRANT, escalates: false, description });

const judgement = (
  kind: OffenceKind,
  penalty: number,
  description: string,
  options: { escalates?: boolean } = {},
): OffenceSpec =>
  Object.freeze({ kind, class: 'judgement', penalty, escalates: options.escalates === true, description });

/** The offence table. Each entry's comment says why it has its penalty. */
export const OFFENCES: Readonly<Record<OffenceKind, OffenceSpec>> = Object.freeze({
  // --- flagrant: one offence quarantines -------------------------------------------------------

  /**
   * Honest nodes verify every signature before relaying, so a bad one is a lie. Forging costs the
   * sender nothing while each verification costs us ~0.1-1.5 ms of CPU: tolerating even a few per
   * peer would be a cheap CPU exhaustion attack.
   */
  INVALID_SIGNATURE: flagrant('INVALID_SIGNATURE', 'signature does not verify'),
  /**
   * Ids are computed from content by every node, and noise's AEAD rules out corruption in transit,
   * so a mismatch is a deliberate lie, e.g. to poison our request tracker or cache under a wrong id.
   */
  INVALID_HASH: flagrant('INVALID_HASH', 'hash, id or txid does not match the content'),
  /**
   * A header whose merkle root does not commit to the block's transactions is a mutated block
   * (CVE-2012-2459 style); an honest miner or relayer never produces or forwards one.
   */
  INVALID_MERKLE_ROOT: flagrant('INVALID_MERKLE_ROOT', 'merkle root does not commit to the transactions'),
  /**
   * Proof of work is cheap to check and every honest relayer checks it first, so a block failing it
   * was sent on purpose to make us spend bandwidth and validation on worthless data.
   */
  INVALID_POW: flagrant('INVALID_POW', 'block does not meet its proof-of-work target'),
  /**
   * Every honest node uses the same canonical encoder; undecodable or non-canonical bytes are
   * either a broken implementation or a malleability/parser attack. Either way, stop listening.
   */
  MALFORMED_MESSAGE: flagrant('MALFORMED_MESSAGE', 'undecodable or non-canonical encoding'),
  /** An honest encoder never exceeds the protocol limits; oversize messages are a memory/bandwidth DoS. */
  OVERSIZE_MESSAGE: flagrant('OVERSIZE_MESSAGE', 'message exceeds the protocol size limit'),
  /**
   * Any other consensus failure (bad amounts, double spend inside a block, coinbase too large...).
   * Honest nodes run the same rules before relaying, as in Bitcoin Core's discouragement.
   */
  INVALID_OBJECT: flagrant('INVALID_OBJECT', 'transaction or block violates a consensus rule'),
  /**
   * Breaking the protocol's state machine or limits (wrong message for the stream, too many
   * items in one announcement...) never happens with a correct implementation.
   */
  PROTOCOL_VIOLATION: flagrant('PROTOCOL_VIOLATION', 'message breaks the wire protocol'),
  /**
   * An object dated more than `CLOCK_SKEW_LIMIT_MS` (10 minutes) beyond the window its rules accept:
   * over 12 minutes ahead (2 minutes of allowed drift + 10), or over 25 minutes old (the 10-minute
   * relay window, the 5-minute replay grace, + 10). Honest nodes check every object against their
   * own clock before relaying it, so only clocks more than 10 minutes apart could produce one: a
   * broken clock or a forged date (src/p2p/reputation/timestamps.ts). Each costs us a decode and a
   * signature check for an object that can never be useful.
   */
  IMPLAUSIBLE_TIMESTAMP: flagrant(
    'IMPLAUSIBLE_TIMESTAMP',
    'object dated further outside the accepted window than any honest clock error explains',
  ),

  // --- judgement calls: graduated, decaying ----------------------------------------------------

  /**
   * Honest cause: a few seconds of clock skew, or an object relayed just as it crosses the edge of
   * the window. An honest peer trips this a handful of times at most; 25 in a burst (or one every
   * 35 s for good) is a deliberately skewed or broken clock. The object itself is rejected cheaply.
   */
  TIMESTAMP_OUT_OF_WINDOW: judgement(
    'TIMESTAMP_OUT_OF_WINDOW',
    PENALTY_LOW,
    'object timestamp slightly outside the accepted window',
  ),
  /**
   * Honest cause: a node back from a long partition may re-announce a few old objects once.
   * Replaying many old signed objects makes us decode and check data that can never be useful, so
   * 10 in a burst (or one every 91 s for good) quarantines.
   */
  STALE_REPLAY: judgement(
    'STALE_REPLAY',
    PENALTY_MODERATE,
    'object far older than the relay window (a replay)',
  ),
  /**
   * Honest cause: only lost request state (we restarted, or cancelled just as it answered). Pushing
   * unrequested data bypasses inv/getdata's de-duplication to burn our bandwidth and CPU, so
   * 10 in a burst (or one every 91 s for good) quarantines.
   */
  UNSOLICITED_RESPONSE: judgement(
    'UNSOLICITED_RESPONSE',
    PENALTY_MODERATE,
    'object or response we never requested from this peer',
  ),
  /**
   * Honest cause: the object left the peer's mempool between its announcement and our request
   * (mined, replaced, evicted), typically around a new block. Announce-and-withhold is a stalling
   * attack; 25 in a burst (or one every 35 s for good) quarantines.
   */
  NOTFOUND_AFTER_ANNOUNCE: judgement(
    'NOTFOUND_AFTER_ANNOUNCE',
    PENALTY_LOW,
    'peer answered notfound for a block it announced, or left a requested item out of its answer',
  ),
  /**
   * Honest cause: an overloaded peer, slow to answer, or whose process stalls (GC, CPU starvation)
   * with our requests waiting. Announcing and then not serving stalls relay until the request
   * tracker tries another announcer (as in Bitcoin Core's txrequest). Escalating: the k-th
   * transaction timeout in a row costs 2k, so 7 in a row quarantine (2 + 4 + ... + 14 = 56) a peer
   * that keeps announcing and serves nothing. In a row: each within 30 s of the previous one, with
   * no service in between (a first delivery of a new valid object, or any answer delivering an
   * object we asked it for, even late or one we had got elsewhere meanwhile). Never escalating, and
   * never ending a streak, each costing the flat 2 (25 in a burst, or one every 35 s for good,
   * quarantine as before): block timeouts, and timeouts during which the peer sent us nothing for
   * `SILENCE_GAP_MS` (1 s) or more, since a stalled process sends nothing at all (see
   * `escalatesTimeout` in blame.ts and `PeerActivity`).
   */
  REQUEST_TIMEOUT: judgement(
    'REQUEST_TIMEOUT',
    PENALTY_LOW,
    'peer announced an object but did not serve it in time',
    { escalates: true },
  ),
  /**
   * Honest cause: practically none, since the limits sit about 10x above an honest peer's traffic at
   * 100 tx/s; a reconnect burst at worst. A flooder trips it on every excess message, so 10
   * rejections in a burst (or one every 91 s for good) quarantine it.
   */
  RATE_LIMIT_EXCEEDED: judgement(
    'RATE_LIMIT_EXCEEDED',
    PENALTY_MODERATE,
    'peer exceeded a per-peer rate limit',
  ),
});

const KIND_SET: ReadonlySet<string> = new Set(OFFENCE_KINDS);

/** Kinds that quarantine on the first offence. */
export const FLAGRANT_KINDS: readonly OffenceKind[] = OFFENCE_KINDS.filter(
  (kind) => OFFENCES[kind].class === 'flagrant',
);

/** Kinds with a graduated, decaying penalty. */
export const JUDGEMENT_KINDS: readonly OffenceKind[] = OFFENCE_KINDS.filter(
  (kind) => OFFENCES[kind].class === 'judgement',
);

/** Whether `value` names an offence kind. */
export function isOffenceKind(value: unknown): value is OffenceKind {
  return typeof value === 'string' && KIND_SET.has(value);
}

/** The offence kind named by `value` (e.g. from the RPC or an attack script); throws `UnknownOffenceError`. */
export function parseOffenceKind(value: string): OffenceKind {
  if (!isOffenceKind(value)) throw new UnknownOffenceError(value);
  return value;
}

/** The spec of `kind`; throws `UnknownOffenceError` for a string that names no kind. */
export function offenceSpec(kind: OffenceKind): OffenceSpec {
  if (!isOffenceKind(kind)) throw new UnknownOffenceError(String(kind));
  return OFFENCES[kind];
}

/**
 * The penalty of the `streak`-th offence in a row of `kind` (1 for the first): `streak` x the base
 * penalty for an escalating kind, the base penalty otherwise.
 */
export function escalatedPenalty(kind: OffenceKind, streak: number): number {
  const spec = offenceSpec(kind);
  return spec.escalates ? spec.penalty * Math.max(1, streak) : spec.penalty;
}

/**
 * How many offences of `kind`, committed at once by a neutral (or credited) peer, quarantine it:
 * 1 for flagrant kinds, ceil(-QUARANTINE_THRESHOLD / penalty) for judgement calls, and for an
 * escalating kind the smallest n with penalty x (1 + 2 + ... + n) >= -QUARANTINE_THRESHOLD.
 *
 * "At once" means in the same millisecond. Every judgement penalty divides 50 exactly, so spread over
 * any time at all the decay leaves the score a hair above -50 after this many offences and one more
 * is needed (measured by test/integration/reputation: 26 stale timestamps at 1/s, 11 flood
 * rejections within 0.5 s).
 */
export function offencesToQuarantine(kind: OffenceKind): number {
  const spec = offenceSpec(kind);
  if (spec.class === 'flagrant') return 1;
  if (!spec.escalates) return Math.ceil(-QUARANTINE_THRESHOLD / spec.penalty);
  let total = 0;
  let n = 0;
  while (total < -QUARANTINE_THRESHOLD) total += escalatedPenalty(kind, ++n);
  return n;
}
