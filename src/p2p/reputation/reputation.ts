/**
 * `Reputation`: the one object the rest of the node talks to about peer behaviour. It combines the
 * in-memory trust scores (`PeerTrustTable`), the persisted, escalating quarantine list (`BanList`)
 * and the allow-list, and answers the questions the libp2p wiring asks:
 *
 * - protocol code: `recordOffence(peer, kind, evidence)` on a verdict, `recordGoodDelivery(peer)` on
 *   the first delivery of a new valid object;
 * - `ConnectionGater` (`denyDialPeer`, `denyInbound/OutboundEncryptedConnection`): `isQuarantined`;
 * - gossipsub `scoreParams.appSpecificScore`: `applicationScore`;
 * - RPC/REPL: `report`, `list`, `manualBan`, `unban`.
 *
 * A quarantine is announced exactly once, both in `recordOffence`'s verdict (`newlyQuarantined`) and
 * through the `onQuarantine` callback, with who, why and until, so the wiring hangs up
 * (`node.hangUp(peer)`) and logs one line. gossipsub alone would only graylist the peer: it stays
 * connected until hung up (docs/libp2p-notes.md).
 *
 * Bans survive restarts (the `BanList` file) and are restored into the trust table at `open()`;
 * scores and histories are in memory only, since a restart is not something an attacker can trigger
 * to its advantage (it loses its score's decay progress too).
 *
 * @example
 * ```ts
 * const reputation = await Reputation.open({
 *   dataDir: '.devnet/node1',
 *   allowList: config.noban,
 *   onQuarantine: (q) => { log.warn(q, 'quarantined peer'); void node.hangUp(peerIdFromString(q.peerId)); },
 * });
 * const verdict = reputation.recordOffence(peer, 'INVALID_SIGNATURE', txidHex);
 * // { quarantined: true, newlyQuarantined: true, until: 1767000600000, reason: 'INVALID_SIGNATURE (flagrant): ...' }
 * ```
 */
import { assertPeerId, type BanEntry, BanList } from './ban-list.js';
import { MANUAL_BAN_DEFAULT_MS, QUARANTINED_APP_SCORE, SCORE_NEUTRAL } from './constants.js';
import { InvalidBanError } from './errors.js';
import { type OffenceKind, offenceSpec } from './offences.js';
import {
  type PeerTrustSnapshot,
  PeerTrustTable,
  type PenaltyOptions,
  type TrustState,
} from './trust-score.js';

/** Options of `Reputation.open`; every field but `dataDir` has a documented default. */
export interface ReputationOptions {
  /** Where `banlist.json` lives. */
  dataDir: string;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
  /** Peer ids never quarantined automatically (Bitcoin Core's `noban`). Default none. */
  allowList?: Iterable<string>;
  /** First quarantine's duration (ms). Default `BASE_BAN_MS` (10 min); a devnet may use seconds. */
  baseBanMs?: number;
  /** Longest automatic quarantine (ms). Default `MAX_BAN_MS` (24 h). */
  maxBanMs?: number;
  /** Peers tracked by the trust table. Default `MAX_TRACKED_PEERS` (2000). */
  maxTrackedPeers?: number;
  /** Called once per quarantine (automatic or manual): hang up and log here. */
  onQuarantine?: (event: QuarantineEvent) => void;
  /** Called when writing the ban list fails. Default: none (`flush()`/`close()` rethrow). */
  onPersistError?: (error: Error) => void;
}

/** A quarantine that has just started: who, why, until. */
export interface QuarantineEvent {
  readonly peerId: string;
  /** The triggering offence, or null for a manual ban. */
  readonly kind: OffenceKind | null;
  readonly evidence: string;
  readonly reason: string;
  readonly manual: boolean;
  /** Start and end (clock ms). */
  readonly at: number;
  readonly until: number;
  /** 1 for the peer's first ban, 2 for its second (which lasts twice as long)... */
  readonly banCount: number;
}

/** What `recordOffence` concluded. */
export interface OffenceVerdict {
  /** Whether the peer is quarantined after this offence (also true if it already was). */
  readonly quarantined: boolean;
  /** True only on the offence that started the quarantine: hang up and log now. */
  readonly newlyQuarantined: boolean;
  /** End of the quarantine (clock ms), when quarantined. */
  readonly until?: number;
  /** One line: the ban's reason when quarantined, otherwise the offence, its penalty and the score. */
  readonly reason: string;
  readonly kind: OffenceKind;
  readonly score: number;
  readonly state: TrustState;
}

/** Everything known about a peer, for the RPC/REPL: the trust snapshot plus its ban. */
export interface PeerReport extends PeerTrustSnapshot {
  /** The active ban, or null. */
  ban: BanEntry | null;
  /** Bans remembered for escalation (including an active one). */
  priorBans: number;
  /** How long the next quarantine would last (ms). */
  nextBanMs: number;
  /** What gossipsub's `appSpecificScore` gets for this peer. */
  applicationScore: number;
}

/** Facade over trust scores, the ban list and the allow-list. See the module comment. */
export class Reputation {
  readonly trust: PeerTrustTable;
  readonly bans: BanList;
  private readonly now: () => number;
  private readonly onQuarantine: ((event: QuarantineEvent) => void) | undefined;

  /** Opens (or creates) the ban list in `dataDir` and builds the facade around it. */
  static async open(options: ReputationOptions): Promise<Reputation> {
    const now = options.now ?? Date.now;
    const bans = new BanList({
      dataDir: options.dataDir,
      now,
      baseBanMs: options.baseBanMs,
      maxBanMs: options.maxBanMs,
      onPersistError: options.onPersistError,
    });
    await bans.open();
    const trust = new PeerTrustTable({
      now,
      maxPeers: options.maxTrackedPeers,
      allowList: options.allowList,
      quarantineDuration: (peerId, at) => bans.nextBanDuration(peerId, at),
    });
    return new Reputation({ trust, bans }, { now, onQuarantine: options.onQuarantine });
  }

  /**
   * Wires existing parts together (`open` is the usual way). The table's `quarantineDuration` should
   * be `bans.nextBanDuration` for bans to escalate. Restores the list's active bans into the table.
   */
  constructor(
    modules: { trust: PeerTrustTable; bans: BanList },
    options: { now?: () => number; onQuarantine?: (event: QuarantineEvent) => void } = {},
  ) {
    this.trust = modules.trust;
    this.bans = modules.bans;
    this.now = options.now ?? Date.now;
    this.onQuarantine = options.onQuarantine;
    for (const entry of this.bans.list()) this.trust.markQuarantined(entry.peerId, entry.until, entry.reason);
  }

  /**
   * Records an offence by `peerId` (the neighbour that sent the data: gossipsub's
   * `propagationSource`). `evidence` should identify the data, e.g. an object hash. `options` as for
   * `PeerTrustTable.penalize` (whether an escalating kind takes part in its streak).
   */
  recordOffence(
    peerId: string,
    kind: OffenceKind,
    evidence = '',
    options: PenaltyOptions = {},
  ): OffenceVerdict {
    assertPeerId(peerId);
    const spec = offenceSpec(kind);
    const outcome = this.trust.penalize(peerId, kind, evidence, options);
    const decision = outcome.quarantine;
    if (decision !== null) {
      const entry = this.bans.ban(peerId, {
        reason: decision.reason,
        until: decision.until,
        at: decision.at,
      });
      this.trust.markQuarantined(peerId, entry.until, entry.reason);
      this.onQuarantine?.(
        Object.freeze({
          peerId,
          kind,
          evidence: decision.evidence,
          reason: entry.reason,
          manual: entry.manual,
          at: decision.at,
          until: entry.until,
          banCount: entry.banCount,
        }),
      );
      return {
        quarantined: true,
        newlyQuarantined: true,
        until: entry.until,
        reason: entry.reason,
        kind,
        score: outcome.score,
        state: 'quarantined',
      };
    }
    const until = this.quarantinedUntil(peerId);
    if (until !== null) {
      const reason = this.bans.get(peerId)?.reason ?? this.trust.snapshot(peerId).quarantineReason ?? '';
      return {
        quarantined: true,
        newlyQuarantined: false,
        until,
        reason,
        kind,
        score: outcome.score,
        state: 'quarantined',
      };
    }
    const allowNote = outcome.allowListed ? ', allow-listed' : '';
    return {
      quarantined: false,
      newlyQuarantined: false,
      reason: `${kind}: ${spec.description}; penalty ${outcome.penalty}${outcome.streak > 1 ? ` (offence ${outcome.streak} in a row)` : ''}, score ${outcome.score.toFixed(1)} (${outcome.state}${allowNote})`,
      kind,
      score: outcome.score,
      state: outcome.state,
    };
  }

  /** Credits the first delivery of a new valid object. Returns the peer's score. */
  recordGoodDelivery(peerId: string): number {
    return this.trust.reward(peerId);
  }

  /** Whether the peer must be refused now (automatic or manual quarantine). */
  isQuarantined(peerId: string): boolean {
    return this.quarantinedUntil(peerId) !== null;
  }

  /** The peer's state, with bans taken into account. */
  state(peerId: string): TrustState {
    return this.isQuarantined(peerId) ? 'quarantined' : this.trust.state(peerId);
  }

  /**
   * Bans a peer by operator decision, for `durationMs` (default 24 h). Applies to allow-listed peers
   * too: the allow-list only protects against automatic quarantine. Fires `onQuarantine` if the peer
   * was not already quarantined.
   */
  manualBan(peerId: string, options: { reason: string; durationMs?: number }): BanEntry {
    assertPeerId(peerId);
    const durationMs = options.durationMs ?? MANUAL_BAN_DEFAULT_MS;
    if (!(Number.isFinite(durationMs) && durationMs > 0)) {
      throw new InvalidBanError(`manual ban duration must be a positive number of ms, got ${durationMs}`);
    }
    const wasQuarantined = this.isQuarantined(peerId);
    const now = this.now();
    const entry = this.bans.ban(peerId, {
      reason: `manual: ${options.reason}`,
      until: now + durationMs,
      manual: true,
    });
    this.trust.markQuarantined(peerId, entry.until, entry.reason);
    if (!wasQuarantined) {
      this.onQuarantine?.(
        Object.freeze({
          peerId,
          kind: null,
          evidence: '',
          reason: entry.reason,
          manual: true,
          at: now,
          until: entry.until,
          banCount: entry.banCount,
        }),
      );
    }
    return entry;
  }

  /** Lifts a quarantine early; the peer starts over at score 0. Returns whether it was quarantined. */
  unban(peerId: string): boolean {
    const banned = this.bans.unban(peerId);
    const released = this.trust.release(peerId);
    return banned || released;
  }

  /** Adds a peer to the allow-list (offences recorded, never quarantined automatically). */
  allow(peerId: string): void {
    assertPeerId(peerId);
    this.trust.allow(peerId);
  }

  /** Drops expired bans and ban counters past their memory (persisted); returns the bans dropped. */
  prune(): number {
    return this.bans.prune(this.now());
  }

  /** Whether the peer is allow-listed (Bitcoin Core's noban): its offences never quarantine it. */
  isAllowListed(peerId: string): boolean {
    return this.trust.isAllowListed(peerId);
  }

  /** Removes a peer from the allow-list. */
  disallow(peerId: string): void {
    this.trust.disallow(peerId);
  }

  /**
   * The value for gossipsub's `scoreParams.appSpecificScore(peerId)`. gossipsub multiplies it by
   * `appSpecificWeight` (use 1) and adds its own topic scores:
   * - quarantined: `QUARANTINED_APP_SCORE` (-1000), far below any graylist threshold (e.g. -80);
   * - allow-listed or healthy: max(0, score), i.e. 0 to +10: an honest peer never goes negative here,
   *   so minor judgement calls do not make gossipsub shun it;
   * - throttled: the score itself, in (-50, -20]: below a typical `gossipThreshold` (-10), so gossip
   *   to and from it stops, yet above a graylist threshold set below -50, so it is still heard.
   */
  applicationScore(peerId: string): number {
    if (this.isQuarantined(peerId)) return QUARANTINED_APP_SCORE;
    const score = this.trust.score(peerId);
    if (this.trust.isAllowListed(peerId) || this.trust.state(peerId) === 'healthy') {
      return Math.max(SCORE_NEUTRAL, score);
    }
    return score;
  }

  /** Explains a peer: score, state, history, counts, ban and its expiry, next ban's duration. */
  report(peerId: string): PeerReport {
    const snapshot = this.trust.snapshot(peerId);
    const ban = this.bans.get(peerId);
    const until = this.quarantinedUntil(peerId);
    return {
      ...snapshot,
      state: until !== null ? 'quarantined' : snapshot.state,
      bannedUntil: until,
      quarantineReason: ban?.reason ?? snapshot.quarantineReason,
      ban,
      priorBans: this.bans.priorBanCount(peerId),
      nextBanMs: this.bans.nextBanDuration(peerId),
      applicationScore: this.applicationScore(peerId),
    };
  }

  /** Reports of every tracked or banned peer, lowest score first. */
  list(): PeerReport[] {
    const peerIds = new Set<string>();
    for (const snapshot of this.trust.list()) peerIds.add(snapshot.peerId);
    for (const entry of this.bans.list()) peerIds.add(entry.peerId);
    return [...peerIds]
      .map((peerId) => this.report(peerId))
      .sort(
        (a, b) =>
          a.applicationScore - b.applicationScore || a.score - b.score || a.peerId.localeCompare(b.peerId),
      );
  }

  /** Waits until every ban-list change is on disk. */
  flush(): Promise<void> {
    return this.bans.flush();
  }

  /** Flushes and closes the ban list. */
  close(): Promise<void> {
    return this.bans.close();
  }

  private quarantinedUntil(peerId: string): number | null {
    const ban = this.bans.get(peerId);
    const tableUntil = this.trust.quarantinedUntil(peerId);
    if (ban === null) return tableUntil;
    return tableUntil === null ? ban.until : Math.max(ban.until, tableUntil);
  }
}
