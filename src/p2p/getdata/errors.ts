/**
 * Errors `GetDataClient.requestObjects` rejects with. Callers branch on the class: a timeout or a
 * closed stream may deserve a retry from another peer; a protocol violation has already been
 * reported through `onProtocolViolation` (the error's `cause` is the ProtocolViolationError).
 */

export class GetDataError extends Error {
  override name = 'GetDataError';
}

/** No response within `timeoutMs` (counted from the call, including time queued behind other requests). */
export class GetDataTimeoutError extends GetDataError {
  override name = 'GetDataTimeoutError';
  constructor(
    readonly peerId: string,
    readonly timeoutMs: number,
  ) {
    super(`getdata to ${peerId} timed out after ${timeoutMs} ms`);
  }
}

/** The caller's AbortSignal fired. */
export class GetDataAbortedError extends GetDataError {
  override name = 'GetDataAbortedError';
}

/**
 * The stream ended before the response: reset or closed by the peer, the peer disconnected, the
 * client stopped, the stream stalled (its oldest request timed out) or the peer violated the protocol.
 * The next request to the peer opens a new stream.
 */
export class GetDataStreamClosedError extends GetDataError {
  override name = 'GetDataStreamClosedError';
}
