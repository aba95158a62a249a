/**
 * Faults: what a peer did wrong at the relay level, as a typed error. Relay, sync and push code raise
 * a `PeerFault` (or pass on the chain's `ValidationError` / the wire's `ProtocolViolationError`) to
 * the blame module with the peer; none of them chooses a penalty. `src/p2p/reputation/blame.ts`
 * maps each fault kind to its offence in one table.
 */

export type PeerFaultKind =
  /** More units of a rate class (announcements, requests, objects, bytes) than the per-peer limit. */
  | 'RATE_LIMITED'
  /** More outstanding announcements than the request tracker keeps per peer. */
  | 'TOO_MANY_ANNOUNCEMENTS'
  /** Pushed us a transaction we had already found invalid. */
  | 'PUSHED_KNOWN_INVALID'
  /** Served an object that is not any object we requested (its id does not match). */
  | 'UNREQUESTED_OBJECT'
  /** Answered notfound for a block it announced to us, and we still lack it after the grace period. */
  | 'NOT_FOUND_AFTER_ANNOUNCE'
  /** Left a requested item out of its answer (neither object, notFound nor deferred). */
  | 'LEFT_OUT_OF_RESPONSE'
  /** Announced an object and did not serve it before the request timed out. */
  | 'REQUEST_TIMED_OUT'
  /**
   * Sync headers that do not extend our locator or each other, or that end short of the work the
   * peer claimed in its status (an honest peer's headers run to its tip, which has that work).
   */
  | 'BAD_HEADERS'
  /** A compact block whose short ids, header or coinbase are not those of the block it names. */
  | 'BAD_COMPACT_BLOCK'
  /** `BlockTxn` transactions that are not the ones its compact block's short ids name. */
  | 'BAD_BLOCK_TXN';

/**
 * What the relay saw of a peer around a request that timed out (`REQUEST_TIMED_OUT`), which decides
 * whether the timeout takes part in the peer's escalating streak (src/p2p/reputation/blame.ts).
 */
export interface TimeoutContext {
  /**
   * The peer fell silent (sent us nothing) for `SILENCE_GAP_MS` or more while we waited: its process
   * stalled or its link did, so the timeout shows no choice to withhold. Charged the flat penalty,
   * outside the streak.
   */
  readonly silent: boolean;
  /**
   * The peer answered one of our requests with an object we asked for since its last escalating
   * timeout, even late or with an object we had got elsewhere meanwhile: its streak starts over.
   */
  readonly servedSince: boolean;
}

/** A peer's relay-level misbehaviour, with the evidence that explains it in `why`. */
export class PeerFault extends Error {
  override readonly name = 'PeerFault';

  constructor(
    readonly kind: PeerFaultKind,
    readonly evidence: string,
    /**
     * The inventory keys the fault concerns (`tx:<hex>`, `block:<hex>`), when the raiser names them
     * all; otherwise blame reads the first key from the start of `evidence`.
     */
    readonly items?: readonly string[],
    /** For `REQUEST_TIMED_OUT`: what the relay saw of the peer while it waited (see `TimeoutContext`). */
    readonly timeout?: TimeoutContext,
  ) {
    super(`${kind}: ${evidence}`);
  }
}
