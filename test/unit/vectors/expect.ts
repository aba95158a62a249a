/**
 * Assertions shared by the vector tests: an expected validation failure (code, verdict, offence).
 */
import { expect } from 'vitest';
import { ERROR_VERDICTS, ValidationError } from '../../../src/chain/errors.js';
import { NETWORKS } from '../../../src/chain/params.js';
import { offenceForValidation } from '../../../src/p2p/reputation/blame.js';

export interface Failure {
  code: string;
  verdict: string;
  offence: string | null;
}

/** Throws unless `fn` fails with exactly `expected` (code, verdict, offence charged). */
export function expectFailure(fn: () => unknown, expected: Failure, network: string): void {
  let error: unknown;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ValidationError);
  const failure = error as ValidationError;
  expect(failure.code).toBe(expected.code);
  expect(ERROR_VERDICTS[failure.code]).toBe(expected.verdict);
  expect(offenceForValidation(failure, NETWORKS[network]!)).toBe(expected.offence);
}

/** `length` bytes of the byte `fill` (hex). */
export const filled = (fill: string, length: number): Uint8Array =>
  new Uint8Array(length).fill(parseInt(fill, 16));
