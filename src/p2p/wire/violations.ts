/**
 * Protocol violations: what a peer did on a stream that an honest implementation of PROTOCOL.md
 * never does. The wire layer only detects and reports them (and closes the stream); the reputation
 * layer decides the penalty.
 */
import type { WireErrorKind } from './errors.js';

export type ViolationKind =
  | WireErrorKind
  /** A `Data` response whose requestId matches no outstanding request on the stream. */
  | 'UNKNOWN_REQUEST_ID'
  /** More than MAX_PENDING_GETDATA unanswered `GetData` requests on one stream. */
  | 'TOO_MANY_PENDING'
  /** A response carries something that was not asked for (an unrequested item, more ids than `max`). */
  | 'UNSOLICITED'
  /** A `Data` response leaves a requested item unanswered (neither object, notFound nor deferred). */
  | 'INCOMPLETE';

/** Receives every violation a protocol handler detects. `peerId` is the libp2p peer id string. */
export type ProtocolViolationHandler = (peerId: string, kind: ViolationKind, detail: string) => void;

/** A violation detected while handling a peer's bytes; the handler reports it and closes the stream. */
export class ProtocolViolationError extends Error {
  override readonly name = 'ProtocolViolationError';

  constructor(
    readonly kind: ViolationKind,
    readonly detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}
