/**
 * `PeerTrustTable`: the in-memory trust score of every peer we deal with, its offence history and
 * its state (`healthy` / `throttled` / `quarantined`). Pure and synchronous: peer ids are strings,
 * time comes from an injected clock, and nothing here touches libp2p or the disk. The persisted
 * ban list (`ban-list.ts`) and the facade (`reputation.ts`) sit on top.
 *
 * Rules, each with its reason:
 * - A score lives in [SCORE_MIN, SCORE_MAX] = [-100, +10], neutral 0, and decays toward 0 with a
 *   10-minute half-life, computed lazily from timestamps on read (no timers, deterministic tests).
 * - `penalize` first forfeits any positive credit, then subtracts the offence's fixed penalty. So a
 *   peer that banked credit by relaying 1000 valid objects is quarantined after exactly as many
 *   offences as a fresh one: service cannot be banked to pay for an attack.
 * - `reward` (first delivery of a new valid object) adds a small credit, capped at +10, and only while
 *   the score is >= 0: good deeds never repair a negative score, only time does. Otherwise an attacker
 *   could interleave cheap valid relays with offences and never reach the threshold.
 * - An escalating kind (`REQUEST_TIMEOUT`) costs k times its penalty for the k-th offence of a streak:
 *   offences of that kind each within `ESCALATION_WINDOW_MS` (30 s) of the previous one, with no good
 *   delivery in between (`reward` ends every streak, and so does the end of a quarantine). A peer that
 *   announces and never serves reaches the threshold after 7 timeouts instead of 25; one that serves
 *   between its timeouts, or times out less than once per 30 s, pays the base penalty each time. The
 *   caller may keep an offence out of the streak (`escalate: false`: blame does so for blocks, and for
 *   a timeout during which the peer fell silent, i.e. its process stalled), or start a new streak with
 *   it (`restartStreak: true`: blame does so when the peer served a request since its last timeout,
 *   even late or with an object we had meanwhile, which earns no credit but is service).
 * - A flagrant offence quarantines at once, by its class rather than its number, so no credit or
 *   configuration can absorb it. A judgement call quarantines when the score reaches -50.
 * - The quarantine decision is returned exactly once (on the transition), with who, why and until,
 *   so the caller hangs up and logs once. When the quarantine ends the peer starts over at 0; its
 *   history stays, and the ban list escalates the next ban's duration.
 * - Allow-listed peers (Bitcoin Core's `noban`): offences are recorded and scored, so an operator can
 *   see them, but never lead to quarantine.
 * - Memory is bounded: at most 50 history entries per peer (per-kind counts are exact), evidence
 *   strings truncated, and at most `maxPeers` records.
 *
 * Attacks it resists:
 * - Credit banking (behave, then attack): forfeiture on the first offence, and a +10 cap.
 * - Drip attacks below the threshold: every judgement penalty has a sustained rate that quarantines
 *   (17.5 s, 35 s or 91 s between offences, see `offences.ts`), while an honest peer offending at
 *   most once per 2 minutes never is (`MAX_JUDGEMENT_PENALTY`, property-tested).
 * - Record flushing (flood the table with fresh identities so one's own bad record is evicted): the
 *   most neutral, then least recently seen records go first, so a negative record outlives any number
 *   of neutral newcomers, and quarantined records are kept while any other record can go. Only if
 *   every record is quarantined (a flood of banned identities) is the one whose quarantine ends
 *   soonest dropped; its ban lives on in the `BanList`, which bounds itself separately.
 *
 * @example
 * ```ts
 * const trust = new PeerTrustTable({ now: () => Date.now() });
 * const outcome = trust.penalize('12D3KooW...', 'INVALID_POW', blockIdHex);
 * if (outcome.quarantine) hangUpAndLog(outcome.quarantine); // { peerId, reason, until, ... }
 * trust.snapshot('12D3KooW...'); // { score: -100, state: 'quarantined', offences: [...], ... }
 * ```
 */
import {
  BASE_BAN_MS,
  ESCALATION_WINDOW_MS,
  EVICTION_BATCH_FRACTION,
  MAX_EVIDENCE_LENGTH,
  MAX_OFFENCE_HISTORY,
  MAX_TRACKED_PEERS,
  QUARANTINE_THRESHOLD,
  REWARD_PER_DELIVERY,
  SCORE_EPSILON,
  SCORE_HALF_LIFE_MS,
  SCORE_MAX,
  SCORE_MIN,
  SCORE_NEUTRAL,
  THROTTLE_THRESHOLD,
} from './constants.js';
import { ReputationError } from './errors.js';
import { escalatedPenalty, type OffenceClass, type OffenceKind, offenceSpec } from './offences.js';

/** `healthy`: serve normally. `throttled`: serve less. `quarantined`: hang up and refuse. */
export type TrustState = 'healthy' | 'throttled' | 'quarantined';

/** One recorded offence. Plain data, safe to JSON-encode. */
export interface OffenceEntry {
  /** Clock time of the offence (ms). */
  readonly at: number;
  readonly kind: OffenceKind;
  /** What proves it, e.g. an object hash; truncated to `MAX_EVIDENCE_LENGTH`. */
  readonly evidence: string;
  /** Score points charged: the kind's penalty, times the streak position for an escalating kind. */
  readonly penalty: number;
  /** Score right after this offence. */
  readonly scoreAfter: number;
}

/** "Quarantine this peer now": returned once, by the offence that crossed the line. */
export interface QuarantineDecision {
  readonly peerId: string;
  /** The offence that triggered it. */
  readonly kind: OffenceKind;
  readonly offenceClass: OffenceClass;
  readonly evidence: string;
  /** One human-readable line: what, evidence, and (for judgement calls) the score and recent kinds. */
  readonly reason: string;
  /** Score after the triggering offence. */
  readonly score: number;
  /** When it was decided and when it ends (clock ms). */
  readonly at: number;
  readonly until: number;
}

/** How `penalize` charges one offence. */
export interface PenaltyOptions {
  /**
   * For an escalating kind: whether this offence takes part in the streak (default true). False
   * charges the base penalty and leaves the streak as it is.
   */
  readonly escalate?: boolean;
  /**
   * For an escalating kind taking part in the streak: whether the streak ended before this offence
   * (default false), so that this one is its first. Used when the peer served us since its previous
   * offence in a way that earns no credit (`reward`), e.g. a late answer.
   */
  readonly restartStreak?: boolean;
}

/** What `penalize` did. */
export interface PenaltyOutcome {
  readonly peerId: string;
  readonly kind: OffenceKind;
  readonly offenceClass: OffenceClass;
  /** Score points charged (escalated for the k-th offence of a streak, see the module comment). */
  readonly penalty: number;
  /** Position of this offence in its streak (1 for a kind that does not escalate). */
  readonly streak: number;
  /** Score (decayed to now) before the offence, and after it. */
  readonly scoreBefore: number;
  readonly score: number;
  readonly state: TrustState;
  readonly allowListed: boolean;
  /** Non-null exactly once per quarantine: on the offence that moved the peer into it. */
  readonly quarantine: QuarantineDecision | null;
}

/** Everything we know about a peer, as plain JSON-friendly data for the RPC/REPL. */
export interface PeerTrustSnapshot {
  peerId: string;
  /** Decayed to now, rounded to 3 decimals. */
  score: number;
  state: TrustState;
  allowListed: boolean;
  /** The last `MAX_OFFENCE_HISTORY` offences, oldest first. */
  offences: OffenceEntry[];
  /** Offences per kind since the record was created (not truncated). */
  offenceCounts: Partial<Record<OffenceKind, number>>;
  totalOffences: number;
  lastOffence: OffenceEntry | null;
  /** End of the current quarantine (clock ms), or null when not quarantined. */
  bannedUntil: number | null;
  quarantineReason: string | null;
}

/** Options of `PeerTrustTable`; every field has a documented default. */
export interface PeerTrustTableOptions {
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
  /** Most records kept. Default `MAX_TRACKED_PEERS` (2000). */
  maxPeers?: number;
  /** Peers whose offences never lead to quarantine. Default none. */
  allowList?: Iterable<string>;
  /**
   * Duration (ms) of the quarantine about to start. Default: `BASE_BAN_MS` (10 min) every time;
   * the facade plugs in the ban list's escalation (`BanList.nextBanDuration`).
   */
  quarantineDuration?: (peerId: string, now: number) => number;
}

interface PeerRecord {
  /** Score at `updatedAt`. */
  score: number;
  updatedAt: number;
  /** Last time anything happened to this peer (offence, reward, quarantine); eviction order. */
  lastSeen: number;
  history: OffenceEntry[];
  counts: Partial<Record<OffenceKind, number>>;
  total: number;
  quarantinedUntil: number | null;
  quarantineReason: string | null;
  /** Current streak of each escalating kind: its length and the time of its last offence. */
  streaks: Partial<Record<OffenceKind, Streak>>;
}

/** A run of offences of one escalating kind with no good delivery in between. */
interface Streak {
  count: number;
  /** Clock time (ms) of the streak's last offence. */
  at: number;
}

/** The per-peer trust scores. See the module comment for the rules. */
export class PeerTrustTable {
  private readonly records = new Map<string, PeerRecord>();
  private readonly allowed: Set<string>;
  private readonly now: () => number;
  private readonly maxPeers: number;
  private readonly quarantineDuration: (peerId: string, now: number) => number;

  constructor(options: PeerTrustTableOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxPeers = options.maxPeers ?? MAX_TRACKED_PEERS;
    if (!Number.isSafeInteger(this.maxPeers) || this.maxPeers < 1) {
      throw new ReputationError(`maxPeers must be a positive integer, got ${options.maxPeers}`);
    }
    this.allowed = new Set(options.allowList ?? []);
    this.quarantineDuration = options.quarantineDuration ?? (() => BASE_BAN_MS);
  }

  /** Number of peers tracked (never above `maxPeers`). */
  get size(): number {
    return this.records.size;
  }

  /**
   * Records an offence and returns the resulting state. `quarantine` is non-null only on the offence
   * that starts a quarantine: the caller should then hang up, refuse the peer until `until`, and log.
   * `options.escalate: false` charges an escalating kind its base penalty, outside any streak (the
   * streak is neither continued nor ended); `options.restartStreak: true` makes it the first of a new
   * streak.
   */
  penalize(peerId: string, kind: OffenceKind, evidence = '', options: PenaltyOptions = {}): PenaltyOutcome {
    const spec = offenceSpec(kind);
    const now = this.now();
    const record = this.touch(peerId, now);
    const scoreBefore = record.score;
    const inStreak = spec.escalates && options.escalate !== false;
    if (inStreak && options.restartStreak === true) delete record.streaks[kind];
    const streak = inStreak ? continueStreak(record, kind, now) : 1;
    const penalty = escalatedPenalty(kind, streak);
    // Forfeit banked credit first, then charge the penalty: credit never absorbs an offence.
    const score = snap(Math.max(SCORE_MIN, Math.min(scoreBefore, SCORE_NEUTRAL) - penalty));
    record.score = score;
    const entry: OffenceEntry = Object.freeze({
      at: now,
      kind,
      evidence: truncate(evidence, MAX_EVIDENCE_LENGTH),
      penalty,
      scoreAfter: score,
    });
    record.history.push(entry);
    if (record.history.length > MAX_OFFENCE_HISTORY) record.history.shift();
    record.counts[kind] = (record.counts[kind] ?? 0) + 1;
    record.total++;

    const allowListed = this.allowed.has(peerId);
    let quarantine: QuarantineDecision | null = null;
    const crossed = spec.class === 'flagrant' || score <= QUARANTINE_THRESHOLD;
    if (crossed && !allowListed && record.quarantinedUntil === null) {
      const duration = this.quarantineDuration(peerId, now);
      if (!Number.isFinite(duration) || duration <= 0) {
        throw new ReputationError(
          `quarantineDuration returned ${duration}; expected a positive number of ms`,
        );
      }
      const reason = describeQuarantine(entry, spec.class, record.history);
      record.quarantinedUntil = now + duration;
      record.quarantineReason = reason;
      quarantine = Object.freeze({
        peerId,
        kind,
        offenceClass: spec.class,
        evidence: entry.evidence,
        reason,
        score,
        at: now,
        until: now + duration,
      });
    }
    return {
      peerId,
      kind,
      offenceClass: spec.class,
      penalty,
      streak,
      scoreBefore,
      score,
      state: stateOf(record),
      allowListed,
      quarantine,
    };
  }

  /**
   * Credits the first delivery of a new valid object. Adds `REWARD_PER_DELIVERY`, capped at
   * `SCORE_MAX`, and only while the score is >= 0 and the peer is not quarantined. Ends every streak
   * of an escalating kind, whatever the score. Returns the score.
   */
  reward(peerId: string): number {
    const record = this.touch(peerId, this.now());
    record.streaks = {};
    if (record.quarantinedUntil === null && record.score >= SCORE_NEUTRAL) {
      record.score = Math.min(SCORE_MAX, record.score + REWARD_PER_DELIVERY);
    }
    return record.score;
  }

  /**
   * Puts a peer in quarantine until `until` (clock ms) for `reason`, without an offence: used for
   * manual bans and to restore persisted bans at start-up. Allow-listing does not prevent it.
   */
  markQuarantined(peerId: string, until: number, reason: string): void {
    const record = this.touch(peerId, this.now());
    record.quarantinedUntil =
      record.quarantinedUntil === null ? until : Math.max(until, record.quarantinedUntil);
    record.quarantineReason = reason;
  }

  /** Ends a quarantine early (manual unban): the peer starts over at 0. Returns whether it was quarantined. */
  release(peerId: string): boolean {
    const record = this.records.get(peerId);
    if (record === undefined) return false;
    const now = this.now();
    refresh(record, now);
    const wasQuarantined = record.quarantinedUntil !== null;
    if (wasQuarantined) startOver(record, now);
    return wasQuarantined;
  }

  /** Adds a peer to the allow-list: its offences are still recorded but never quarantine it. */
  allow(peerId: string): void {
    this.allowed.add(peerId);
  }

  /** Removes a peer from the allow-list. */
  disallow(peerId: string): void {
    this.allowed.delete(peerId);
  }

  isAllowListed(peerId: string): boolean {
    return this.allowed.has(peerId);
  }

  /** The allow-listed peer ids. */
  allowList(): string[] {
    return [...this.allowed];
  }

  /** Current score, decayed to now (0 for an unknown peer). */
  score(peerId: string): number {
    const record = this.records.get(peerId);
    if (record === undefined) return SCORE_NEUTRAL;
    refresh(record, this.now());
    return record.score;
  }

  /** Current state (`healthy` for an unknown peer). */
  state(peerId: string): TrustState {
    const record = this.records.get(peerId);
    if (record === undefined) return 'healthy';
    refresh(record, this.now());
    return stateOf(record);
  }

  /** End of the peer's current quarantine (clock ms), or null. */
  quarantinedUntil(peerId: string): number | null {
    const record = this.records.get(peerId);
    if (record === undefined) return null;
    refresh(record, this.now());
    return record.quarantinedUntil;
  }

  /** Everything known about a peer as plain data (a neutral snapshot for an unknown peer). */
  snapshot(peerId: string): PeerTrustSnapshot {
    const record = this.records.get(peerId);
    if (record !== undefined) refresh(record, this.now());
    return toSnapshot(peerId, record, this.allowed.has(peerId));
  }

  /** Snapshots of every tracked peer, lowest score first. */
  list(): PeerTrustSnapshot[] {
    const now = this.now();
    const out: PeerTrustSnapshot[] = [];
    for (const [peerId, record] of this.records) {
      refresh(record, now);
      out.push(toSnapshot(peerId, record, this.allowed.has(peerId)));
    }
    return out.sort((a, b) => a.score - b.score || a.peerId.localeCompare(b.peerId));
  }

  /** The peer's record, decayed to `now`, created (evicting others if full) when missing. */
  private touch(peerId: string, now: number): PeerRecord {
    let record = this.records.get(peerId);
    if (record === undefined) {
      if (this.records.size >= this.maxPeers) this.evict(now);
      record = {
        score: SCORE_NEUTRAL,
        updatedAt: now,
        lastSeen: now,
        history: [],
        counts: {},
        total: 0,
        quarantinedUntil: null,
        quarantineReason: null,
        streaks: {},
      };
      this.records.set(peerId, record);
    } else {
      refresh(record, now);
      record.lastSeen = Math.max(record.lastSeen, now);
    }
    return record;
  }

  /**
   * Frees room for at least one record: evicts a batch of the most neutral, then least recently
   * seen, non-quarantined records; quarantined ones only if nothing else is left (soonest end first).
   */
  private evict(now: number): void {
    const batch = Math.max(1, Math.ceil(this.maxPeers * EVICTION_BATCH_FRACTION));
    const free: [string, PeerRecord][] = [];
    const quarantined: [string, PeerRecord][] = [];
    for (const entry of this.records) {
      refresh(entry[1], now);
      (entry[1].quarantinedUntil === null ? free : quarantined).push(entry);
    }
    free.sort(([, a], [, b]) => Math.abs(a.score) - Math.abs(b.score) || a.lastSeen - b.lastSeen);
    for (const [peerId] of free.slice(0, batch)) this.records.delete(peerId);
    if (this.records.size < this.maxPeers) return;
    quarantined.sort(([, a], [, b]) => (a.quarantinedUntil ?? 0) - (b.quarantinedUntil ?? 0));
    for (const [peerId] of quarantined) {
      if (this.records.size < this.maxPeers) break;
      this.records.delete(peerId);
    }
  }
}

/** Decays the score to `now` and ends an expired quarantine. */
function refresh(record: PeerRecord, now: number): void {
  if (record.quarantinedUntil !== null && now >= record.quarantinedUntil) {
    startOver(record, now);
    return;
  }
  const elapsed = now - record.updatedAt;
  if (elapsed <= 0) return; // same instant, or the clock stepped back: no decay
  if (record.score !== SCORE_NEUTRAL) {
    record.score = snap(record.score * 2 ** (-elapsed / SCORE_HALF_LIFE_MS));
  }
  record.updatedAt = now;
}

/**
 * The position of an offence of escalating `kind` at `now` in its streak (recorded): one more than
 * the last when that one was at most `ESCALATION_WINDOW_MS` ago, else 1.
 */
function continueStreak(record: PeerRecord, kind: OffenceKind, now: number): number {
  const last = record.streaks[kind];
  const count = last !== undefined && now - last.at <= ESCALATION_WINDOW_MS ? last.count + 1 : 1;
  record.streaks[kind] = { count, at: Math.max(now, last?.at ?? now) };
  return count;
}

/** After a quarantine: neutral score, no streak, history kept. */
function startOver(record: PeerRecord, now: number): void {
  record.quarantinedUntil = null;
  record.quarantineReason = null;
  record.streaks = {};
  record.score = SCORE_NEUTRAL;
  record.updatedAt = Math.max(record.updatedAt, now);
}

function stateOf(record: PeerRecord): TrustState {
  if (record.quarantinedUntil !== null) return 'quarantined';
  return record.score <= THROTTLE_THRESHOLD ? 'throttled' : 'healthy';
}

function snap(score: number): number {
  return Math.abs(score) < SCORE_EPSILON ? SCORE_NEUTRAL : score;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function describeQuarantine(
  entry: OffenceEntry,
  offenceClass: OffenceClass,
  history: readonly OffenceEntry[],
): string {
  const spec = offenceSpec(entry.kind);
  const evidence = entry.evidence === '' ? '' : ` [${entry.evidence}]`;
  if (offenceClass === 'flagrant') return `${entry.kind} (flagrant): ${spec.description}${evidence}`;
  const recent = new Map<OffenceKind, number>();
  for (const { kind } of history) recent.set(kind, (recent.get(kind) ?? 0) + 1);
  const kinds = [...recent].map(([kind, count]) => `${kind} x${count}`).join(', ');
  return (
    `${entry.kind}: ${spec.description}${evidence}; score ${entry.scoreAfter.toFixed(1)} reached ` +
    `the quarantine threshold ${QUARANTINE_THRESHOLD} (last ${history.length} offences: ${kinds})`
  );
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function toSnapshot(peerId: string, record: PeerRecord | undefined, allowListed: boolean): PeerTrustSnapshot {
  if (record === undefined) {
    return {
      peerId,
      score: SCORE_NEUTRAL,
      state: 'healthy',
      allowListed,
      offences: [],
      offenceCounts: {},
      totalOffences: 0,
      lastOffence: null,
      bannedUntil: null,
      quarantineReason: null,
    };
  }
  return {
    peerId,
    score: round3(record.score),
    state: stateOf(record),
    allowListed,
    offences: [...record.history],
    offenceCounts: { ...record.counts },
    totalOffences: record.total,
    lastOffence: record.history.at(-1) ?? null,
    bannedUntil: record.quarantinedUntil,
    quarantineReason: record.quarantineReason,
  };
}
