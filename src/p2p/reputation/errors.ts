/**
 * Typed errors of the reputation layer. Callers branch on the class (`instanceof`) or on `name`,
 * never on message text. Every error carries the offending input so a log line can explain itself.
 */

/** Base class of every error thrown by `src/p2p/reputation`. */
export class ReputationError extends Error {
  override name = 'ReputationError';
}

/** A peer id that is not a non-empty string of at most `MAX_PEER_ID_LENGTH` characters. */
export class InvalidPeerIdError extends ReputationError {
  override name = 'InvalidPeerIdError';
  constructor(readonly peerId: unknown) {
    super(`invalid peer id: ${JSON.stringify(String(peerId)).slice(0, 80)}`);
  }
}

/** A string that names no offence kind (e.g. typed by an operator or sent by an attack script). */
export class UnknownOffenceError extends ReputationError {
  override name = 'UnknownOffenceError';
  constructor(readonly kind: string) {
    super(`unknown offence kind: ${JSON.stringify(kind).slice(0, 80)}`);
  }
}

/** A ban whose expiry is not a finite time after now, or whose duration is not positive. */
export class InvalidBanError extends ReputationError {
  override name = 'InvalidBanError';
}

/** The ban list was used before `open()` resolved, or after `close()`. */
export class BanListNotOpenError extends ReputationError {
  override name = 'BanListNotOpenError';
  constructor() {
    super('ban list is not open: await banList.open() first (and do not use it after close())');
  }
}

/**
 * The ban-list file exists but cannot be parsed or fails validation. We refuse to start rather than
 * silently drop it: it may hold manual bans an operator set on purpose. Fix or delete the file.
 */
export class BanListCorruptError extends ReputationError {
  override name = 'BanListCorruptError';
  constructor(
    readonly path: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`ban list file ${path} is corrupt (${detail}); fix it or delete it to start with no bans`, options);
  }
}

/** Reading or writing the ban-list file failed (permissions, disk full...). */
export class BanListPersistError extends ReputationError {
  override name = 'BanListPersistError';
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`cannot persist ban list to ${path}${cause}`, options);
  }
}

/** A rate-limiter cost that is not a finite number > 0. */
export class InvalidCostError extends ReputationError {
  override name = 'InvalidCostError';
  constructor(readonly cost: number) {
    super(`rate-limiter cost must be a finite number > 0, got ${cost}`);
  }
}

/** A rate class (or its configured limit) that the rate limiter does not know or cannot use. */
export class InvalidRateLimitError extends ReputationError {
  override name = 'InvalidRateLimitError';
}
