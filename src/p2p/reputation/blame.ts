/**
 * Blame: the one place where what a peer sent becomes an offence, a gossipsub verdict and a metric.
 *
 * Raise sites (relay, sync, push, the getdata/sync servers, the announcement topic) hand over the
 * peer and a typed error: the chain's `ValidationError`, the wire layer's `ProtocolViolationError`
 * or `WireError`, or a relay-level `PeerFault`. The three tables below choose the offence; the
 * reputation layer then applies its fixed penalty and decides on quarantine (its `onQuarantine`
 * hangs up). Like Bitcoin Core's `Misbehaving` and `MaybePunishNodeForTx/Block`, nothing else maps
 * a verdict to a punishment, reports a gossipsub validation result, or counts received messages.
 */
import { type ErrorCode, ValidationError } from '../../chain/errors.js';
import type { ChainParams } from '../../chain/params.js';
import type { Logger } from '../../node/logger.js';
import type { NodeMetrics } from '../../node/metrics.js';
import { WireError } from '../wire/errors.js';
import { ProtocolViolationError, type ViolationKind } from '../wire/violations.js';
import { PeerFault, type PeerFaultKind } from './faults.js';
import type { OffenceKind } from './offences.js';
import type { RateClass, RateLimiter } from './rate-limiter.js';
import type { Reputation } from './reputation.js';
import { offenceForTimestamp } from './timestamps.js';

export { CLOCK_SKEW_LIMIT_MS, REPLAY_GRACE_MS } from './timestamps.js';

/** REJECT verdicts with their own offence kind; every other REJECT is INVALID_OBJECT. */
const REJECT_OFFENCES: Partial<Record<ErrorCode, OffenceKind>> = {
  TX_BAD_SIGNATURE: 'INVALID_SIGNATURE',
  BLOCK_BAD_SIGNATURE: 'INVALID_SIGNATURE',
  HASH_MISMATCH: 'INVALID_HASH',
  BLOCK_BAD_MERKLE_ROOT: 'INVALID_MERKLE_ROOT',
  BLOCK_BAD_POW: 'INVALID_POW',
  MALFORMED_ENCODING: 'MALFORMED_MESSAGE',
  NON_CANONICAL_ENCODING: 'MALFORMED_MESSAGE',
  UNSUPPORTED_VERSION: 'MALFORMED_MESSAGE',
  OVERSIZE: 'OVERSIZE_MESSAGE',
};

/** Transport-level violations are flagrant: no correct implementation sends them. */
const VIOLATION_OFFENCES: Record<ViolationKind, OffenceKind> = {
  OVERSIZE: 'OVERSIZE_MESSAGE',
  MALFORMED: 'MALFORMED_MESSAGE',
  NON_CANONICAL: 'MALFORMED_MESSAGE',
  UNSOLICITED: 'UNSOLICITED_RESPONSE',
  UNKNOWN_REQUEST_ID: 'PROTOCOL_VIOLATION',
  TOO_MANY_PENDING: 'PROTOCOL_VIOLATION',
  INCOMPLETE: 'PROTOCOL_VIOLATION',
};

/** Relay-level faults. Timeouts and notfound are judgement calls: honest peers hit them under load. */
const FAULT_OFFENCES: Record<PeerFaultKind, OffenceKind> = {
  RATE_LIMITED: 'RATE_LIMIT_EXCEEDED',
  TOO_MANY_ANNOUNCEMENTS: 'RATE_LIMIT_EXCEEDED',
  PUSHED_KNOWN_INVALID: 'INVALID_OBJECT',
  UNREQUESTED_OBJECT: 'INVALID_HASH',
  NOT_FOUND_AFTER_ANNOUNCE: 'NOTFOUND_AFTER_ANNOUNCE',
  LEFT_OUT_OF_RESPONSE: 'NOTFOUND_AFTER_ANNOUNCE',
  REQUEST_TIMED_OUT: 'REQUEST_TIMEOUT',
  BAD_HEADERS: 'PROTOCOL_VIOLATION',
  BAD_COMPACT_BLOCK: 'PROTOCOL_VIOLATION',
  BAD_BLOCK_TXN: 'PROTOCOL_VIOLATION',
};

/** The offence for delivering an object that failed with `error`, or null when the sender is blameless. */
export function offenceForValidation(error: ValidationError, params: ChainParams): OffenceKind | null {
  if (error.verdict === 'REJECT') return REJECT_OFFENCES[error.code] ?? 'INVALID_OBJECT';
  // Outside the timestamp window: graded by how far (src/p2p/reputation/timestamps.ts). Any other
  // IGNORE (duplicates, missing inputs, conflicts, fees, unknown parents) is what honest peers hit in
  // races and reorgs: it costs the attacker nothing to us beyond the rate limits.
  return offenceForTimestamp(error, params) ?? null;
}

/**
 * Whether a `REQUEST_TIMED_OUT` fault takes part in its peer's escalating streak: only when every
 * item it names is a transaction and the peer kept talking to us while we waited.
 *
 * - Block timeouts are charged the flat penalty: every node announces each block it connects, first
 *   of all its miner, which may be busy right then; a CPU-starved honest node timing out on its block
 *   announcements one block after another was measured in the 20-node devnet (docs/membership.md).
 *   Withholding blocks cannot stall relay for long anyway: blocks come one per interval, each
 *   withheld at most one timeout per attacker connection. The items are the fault's `items`, or else
 *   the key (`tx:<hex>`, `block:<hex>`) its evidence starts with.
 * - A timeout during which the peer fell silent (`timeout.silent`: nothing from it for
 *   `SILENCE_GAP_MS` or more of the wait) is charged the flat penalty too: a stalled process (GC,
 *   CPU starvation, SIGSTOP) sends nothing at all, so its timeouts show no choice to withhold, and an
 *   overloaded honest node stalling again and again was quarantined by escalation
 *   (test/integration/reputation/stalled-peer.test.ts). A withholder that announces on while it
 *   withholds escalates; one that falls silent to avoid it can announce at most about once per
 *   second and still pays 2 per timeout (quarantined after 25, as before escalation existed).
 */
export function escalatesTimeout(fault: PeerFault): boolean {
  if (fault.timeout?.silent === true) return false;
  const items = fault.items ?? [fault.evidence.split(' ', 1)[0] ?? ''];
  return items.length > 0 && items.every((key) => key.startsWith('tx:'));
}

/** Everything a peer can be blamed for. */
export type PeerError = ValidationError | ProtocolViolationError | WireError | PeerFault;

/** The offence for `error`, or null when the sender is blameless. */
export function offenceFor(error: PeerError, params: ChainParams): OffenceKind | null {
  if (error instanceof ValidationError) return offenceForValidation(error, params);
  if (error instanceof ProtocolViolationError) return VIOLATION_OFFENCES[error.kind];
  if (error instanceof WireError) return VIOLATION_OFFENCES[error.kind];
  return FAULT_OFFENCES[error.kind];
}

/** The key of the node-wide upload bucket. */
const ALL_PEERS = '*';

/** What a received object or message was found to be; `reject` blames its sender. */
export type Verdict = 'accept' | 'ignore' | 'reject';

/** Where gossipsub validation results go (the gossipsub router's `reportMessageValidationResult`). */
export type GossipVerdictSink = (msgId: string, peer: string, verdict: Verdict) => void;

export interface BlameModules {
  readonly reputation: Reputation;
  readonly limiter: RateLimiter;
  /** The node's total upload budget, one `served` bucket for all peers together (TOTAL_SERVED_LIMIT). */
  readonly uploads: RateLimiter;
  readonly params: ChainParams;
  readonly metrics: NodeMetrics | null;
  readonly logger: Logger;
  /** Where announcement verdicts go: the gossipsub router. */
  readonly gossipVerdicts: GossipVerdictSink;
}

export class Blame {
  constructor(private readonly modules: BlameModules) {}

  /**
   * `peer` sent what failed with `error`; `subject` names the object or message (e.g. `tx:<id>`).
   * Records the offence the tables choose (none for a blameless failure) and logs it.
   */
  punish(peer: string, error: PeerError, subject?: string): void {
    const kind = offenceFor(error, this.modules.params);
    if (kind === null) return;
    const evidence = subject === undefined ? error.message : `${subject}: ${error.message}`;
    this.modules.metrics?.offences.inc({ kind });
    const timeout = error instanceof PeerFault && error.kind === 'REQUEST_TIMED_OUT' ? error : undefined;
    const escalate = timeout === undefined ? true : escalatesTimeout(timeout);
    // The peer served us since its last timeout (late, or an object we had meanwhile): no credit,
    // but its streak starts over, as a first delivery would make it.
    const restartStreak = timeout?.timeout?.servedSince === true;
    const verdict = this.modules.reputation.recordOffence(peer, kind, evidence, { escalate, restartStreak });
    this.modules.logger.info({ peer, kind, evidence, score: verdict.score, state: verdict.state }, 'offence');
  }

  /** The transport's violation callback (`ProtocolViolationHandler`), as a punishment. */
  readonly onViolation = (peer: string, kind: ViolationKind, detail: string): void =>
    this.punish(peer, new ProtocolViolationError(kind, detail));

  /**
   * Charges `cost` units of `cls` to `peer`'s rate limit. False (and an offence) when it is over the
   * limit; false without one when the peer is quarantined already.
   */
  admit(peer: string, cls: RateClass, cost: number): boolean {
    if (this.modules.reputation.isQuarantined(peer)) return false;
    if (this.modules.limiter.take(peer, cls, cost)) return true;
    this.punish(peer, new PeerFault('RATE_LIMITED', `${cls}: ${cost} over the rate limit`));
    return false;
  }

  /**
   * Payload bytes `peer` may be served now: the smaller of its own `served` budget and the node's
   * total. Beyond it answers are deferred, which is never an offence: the request rate limit
   * (`getdata` items) already bounds what asking costs us, and deferring costs no reads.
   */
  uploadBudget(peer: string): number {
    const own = this.modules.limiter.available(peer, 'served');
    return Math.floor(Math.min(own, this.modules.uploads.available(ALL_PEERS, 'served')));
  }

  /** Charges `bytes` served to `peer` to its budget and the node's. */
  chargeUpload(peer: string, bytes: number): void {
    this.modules.limiter.take(peer, 'served', bytes);
    this.modules.uploads.take(ALL_PEERS, 'served', bytes);
  }

  /** `peer` delivered a new, valid object first: it earns credit. */
  goodDelivery(peer: string): void {
    this.modules.reputation.recordGoodDelivery(peer);
  }

  isQuarantined(peer: string): boolean {
    return this.modules.reputation.isQuarantined(peer);
  }

  /** Counts one received object or message of `type` with its verdict. */
  judged(type: string, verdict: Verdict): void {
    this.modules.metrics?.messages.inc({ type, verdict });
  }

  /** Reports an announcement's gossipsub validation result (Reject lowers its sender's P4 score). */
  gossipVerdict(msgId: string, peer: string, verdict: Verdict): void {
    this.modules.gossipVerdicts(msgId, peer, verdict);
  }
}
