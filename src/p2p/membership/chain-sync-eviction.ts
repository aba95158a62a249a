/**
 * Stale-tip eviction of outbound peers (Bitcoin Core's ConsiderEviction): an outbound full-relay
 * peer whose chain work stays below ours for `CHAIN_SYNC_TIMEOUT_INTERVALS` block intervals is
 * asked for its status once; if it is still behind `CHAIN_SYNC_GRACE_MS` later, it is disconnected
 * and its slot goes to another peer. A peer that lags is useless as an outbound peer (it cannot
 * give us blocks), and an eclipsing attacker's peers are exactly the ones that lag. Pure: the
 * connection manager calls `check` for each outbound peer on each status poll.
 */
import { CHAIN_SYNC_GRACE_MS, CHAIN_SYNC_TIMEOUT_INTERVALS } from './constants.js';

export type ChainSyncVerdict = 'ok' | 'behind' | 'ask-status' | 'evict';

interface PeerSync {
  timeoutAt: number;
  asked: boolean;
}

export class ChainSyncEviction {
  private readonly peers = new Map<string, PeerSync>();

  constructor(
    private readonly targetSpacingMs: number,
    private readonly timeoutIntervals = CHAIN_SYNC_TIMEOUT_INTERVALS,
    private readonly graceMs = CHAIN_SYNC_GRACE_MS,
  ) {}

  /**
   * `peerWork`: the peer's last reported cumulative work (undefined: not known yet, treated as
   * behind). Returns what to do now.
   */
  check(peer: string, peerWork: bigint | undefined, ourWork: bigint, now: number): ChainSyncVerdict {
    if (peerWork !== undefined && peerWork >= ourWork) {
      this.peers.delete(peer);
      return 'ok';
    }
    const state = this.peers.get(peer);
    if (state === undefined) {
      this.peers.set(peer, { timeoutAt: now + this.timeoutIntervals * this.targetSpacingMs, asked: false });
      return 'behind';
    }
    if (now < state.timeoutAt) return 'behind';
    if (!state.asked) {
      state.asked = true;
      state.timeoutAt = now + this.graceMs;
      return 'ask-status';
    }
    this.peers.delete(peer);
    return 'evict';
  }

  forget(peer: string): void {
    this.peers.delete(peer);
  }
}
