/**
 * Wallet errors: one class per failure, with `name` set, so callers (RPC, CLI) branch on the
 * class and show the message as is.
 */

/** The spendable coins do not cover amount plus fee. */
export class InsufficientFundsError extends Error {
  override readonly name = 'InsufficientFundsError';
  constructor(
    /** Amount plus fee, in base units. */
    readonly required: bigint,
    /** Confirmed, mature coins not already spent by a pooled transaction, in base units. */
    readonly available: bigint,
  ) {
    super(`insufficient funds: need ${required}, spendable ${available}`);
  }
}

/** Covering the amount would take more inputs than one transaction may have. */
export class TooManyInputsError extends Error {
  override readonly name = 'TooManyInputsError';
  constructor(readonly maxInputs: number) {
    super(
      `the payment needs more than ${maxInputs} inputs; send a smaller amount or consolidate coins first`,
    );
  }
}

/** The key file can be read by other users. */
export class KeyFilePermissionsError extends Error {
  override readonly name = 'KeyFilePermissionsError';
  constructor(
    readonly path: string,
    readonly mode: number,
  ) {
    super(`wallet key file ${path} has mode ${(mode & 0o777).toString(8)}; run: chmod 600 ${path}`);
  }
}

/** The key file does not hold a hex-encoded 32-byte secret key. */
export class InvalidKeyFileError extends Error {
  override readonly name = 'InvalidKeyFileError';
  constructor(readonly path: string) {
    super(`wallet key file ${path} does not hold a 64-character hex secret key`);
  }
}
