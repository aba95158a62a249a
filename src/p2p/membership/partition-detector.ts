/**
 * Partition detection: does this node look cut off from the network? Pure; the connection manager
 * feeds it the time, our tip's age and the peer counts each tick, and dials extra outbound peers
 * while it says yes (sync on reconnect then catches up).
 *
 * Reasons, first match wins (the first two only for a node that keeps peers of its own choosing):
 * - `no-peers`: no connection at all for `PARTITION_NO_OUTBOUND_MS`;
 * - `no-outbound-peers`: connections, but none we chose (outbound or manual) for that long: what we
 *   hear comes only from peers that chose us, the eclipse situation;
 * - `peers-ahead`: no new block for `PARTITION_STALE_INTERVALS` target intervals while a peer
 *   claims more chain work than ours (we are not getting its blocks);
 * - `stale-tip`: blocks had been arriving, and none came for that long (our side of a split has no
 *   miner, or we are cut off from the miners). A network where nobody has mined since we started
 *   is quiet, not partitioned;
 * - `peers-unreachable`: at least half of our peers (and at least `MIN_UNREACHABLE_PEERS`) are
 *   suspect at once, i.e. stopped answering pings over connections that are still open: the links
 *   to part of the network went dark together. This is how a split with miners on both sides shows
 *   (both halves keep getting blocks); it clears when they answer again, or once they are declared
 *   dead and replaced.
 * Also reports `staleTip` (Core's: no new block for `STALE_TIP_INTERVALS` intervals), which earns one
 * extra outbound peer.
 */
import { PARTITION_NO_OUTBOUND_MS, PARTITION_STALE_INTERVALS, STALE_TIP_INTERVALS } from './constants.js';

export type PartitionReason =
  'no-peers' | 'no-outbound-peers' | 'peers-ahead' | 'stale-tip' | 'peers-unreachable';

/**
 * Fewest suspect peers that make `peers-unreachable` (with at least half of the connections): one
 * silent peer of two is a slow peer, not a partition.
 */
export const MIN_UNREACHABLE_PEERS = 2;

export interface PartitionInputs {
  now: number;
  /** When our tip last changed (ms); the start time before the first block. */
  lastTipChangeAt: number;
  /** Whether our tip has changed since we started (blocks were arriving). */
  tipEverChanged: boolean;
  /**
   * Whether this node keeps peers of its own choosing (outbound targets or static peers). A node
   * that only waits for others to dial it (a bootstrap node, the root of a static topology) is not
   * cut off for lack of outbound peers.
   */
  expectsOutbound: boolean;
  /** The chain's target block interval (ms). */
  targetSpacingMs: number;
  /** Open connections of any kind. */
  connected: number;
  /** Open connections we chose: outbound full-relay, block-relay-only and manual. */
  outbound: number;
  /** Peers whose last reported chain work exceeds ours. */
  peersAhead: number;
  /** Connected peers the liveness table holds suspect (pings unanswered). */
  suspectPeers: number;
}

export interface PartitionStatus {
  suspected: boolean;
  reason: PartitionReason | undefined;
  /** Human-readable explanation, for `status` and logs. */
  detail: string | undefined;
  /** Since when the current reason holds (ms). */
  since: number | undefined;
  staleTip: boolean;
}

export interface PartitionDetectorOptions {
  noOutboundMs?: number;
  staleIntervals?: number;
  staleTipIntervals?: number;
}

export class PartitionDetector {
  private noPeersSince: number | undefined;
  private noOutboundSince: number | undefined;
  private current: PartitionStatus = {
    suspected: false,
    reason: undefined,
    detail: undefined,
    since: undefined,
    staleTip: false,
  };
  private readonly noOutboundMs: number;
  private readonly staleIntervals: number;
  private readonly staleTipIntervals: number;

  constructor(options: PartitionDetectorOptions = {}) {
    this.noOutboundMs = options.noOutboundMs ?? PARTITION_NO_OUTBOUND_MS;
    this.staleIntervals = options.staleIntervals ?? PARTITION_STALE_INTERVALS;
    this.staleTipIntervals = options.staleTipIntervals ?? STALE_TIP_INTERVALS;
  }

  get status(): PartitionStatus {
    return this.current;
  }

  update(input: PartitionInputs): PartitionStatus {
    const { now } = input;
    const lonely = input.expectsOutbound && input.connected === 0;
    this.noPeersSince = lonely ? (this.noPeersSince ?? now) : undefined;
    const noOutbound = input.expectsOutbound && input.outbound === 0;
    this.noOutboundSince = noOutbound ? (this.noOutboundSince ?? now) : undefined;
    const tipAge = now - input.lastTipChangeAt;
    const staleTip = tipAge >= this.staleTipIntervals * input.targetSpacingMs;
    const stale = tipAge >= this.staleIntervals * input.targetSpacingMs;
    const seconds = (ms: number): string => `${Math.round(ms / 1_000)} s`;
    let reason: PartitionReason | undefined;
    let detail: string | undefined;
    let since: number | undefined;
    if (this.noPeersSince !== undefined && now - this.noPeersSince >= this.noOutboundMs) {
      reason = 'no-peers';
      since = this.noPeersSince;
      detail = `no connected peer for ${seconds(now - since)}`;
    } else if (this.noOutboundSince !== undefined && now - this.noOutboundSince >= this.noOutboundMs) {
      reason = 'no-outbound-peers';
      since = this.noOutboundSince;
      detail = `no outbound peer for ${seconds(now - since)} (only peers that dialled us)`;
    } else if (stale && input.peersAhead > 0) {
      reason = 'peers-ahead';
      since = input.lastTipChangeAt;
      detail = `no new block for ${seconds(tipAge)} while ${input.peersAhead} peer(s) claim more work`;
    } else if (stale && input.tipEverChanged) {
      reason = 'stale-tip';
      since = input.lastTipChangeAt;
      detail = `no new block for ${seconds(tipAge)} (${this.staleIntervals} block intervals)`;
    } else if (input.suspectPeers >= MIN_UNREACHABLE_PEERS && input.suspectPeers * 2 >= input.connected) {
      reason = 'peers-unreachable';
      since = this.current.reason === 'peers-unreachable' ? this.current.since : now;
      detail = `${input.suspectPeers} of ${input.connected} peers stopped answering pings`;
    }
    this.current = { suspected: reason !== undefined, reason, detail, since, staleTip };
    return this.current;
  }
}
