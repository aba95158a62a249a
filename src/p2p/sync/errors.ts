/** Errors the sync client rejects with. Violations were already reported through `onProtocolViolation`. */

export class SyncError extends Error {
  override name = 'SyncError';
}

/** No response within SYNC_TIMEOUT_MS (or the caller's signal fired). */
export class SyncTimeoutError extends SyncError {
  override name = 'SyncTimeoutError';
}

/** The peer closed or reset the stream without answering, or answered with invalid bytes (see `cause`). */
export class SyncFailedError extends SyncError {
  override name = 'SyncFailedError';
}
