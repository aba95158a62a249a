/** Polling waits for integration tests: real networks settle in their own time. */

/** Interval (ms) between two evaluations of a `waitFor` predicate. */
export const POLL_INTERVAL_MS = 25;

/** Thrown by `waitFor` when the predicate is still false at the deadline. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/**
 * Resolves once `predicate` returns true (it may be async), polling every POLL_INTERVAL_MS; rejects
 * with WaitTimeoutError naming `what` after `timeoutMs`. A predicate that throws is treated as false
 * (e.g. a node that is restarting), and the last error is reported on timeout.
 */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await predicate()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? '' : ` (last error: ${(lastError as Error).message})`;
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
