/**
 * When an address book entry may be dialled again after a failed dial: a bootstrap seed never
 * reached is retried after 1 s, doubling up to the usual 10 s (nodes started together dial seeds
 * that are not listening yet); every other entry waits the usual 10 s.
 */
import { describe, expect, it } from 'vitest';
import { redialWaitMs } from '../../../src/p2p/membership/connection-manager.js';
import { REDIAL_AFTER_MS, SEED_SOURCE } from '../../../src/p2p/membership/constants.js';

describe('redial wait', () => {
  it('retries a seed never reached after 1, 2, 4, 8 s, then every 10 s', () => {
    const waits = [1, 2, 3, 4, 5, 9].map((attempts) =>
      redialWaitMs({ source: SEED_SOURCE, lastSuccess: undefined, attempts }),
    );
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, REDIAL_AFTER_MS, REDIAL_AFTER_MS]);
  });

  it('gives a seed reached before, and any other address, the usual wait', () => {
    expect(redialWaitMs({ source: SEED_SOURCE, lastSuccess: 5, attempts: 1 })).toBe(REDIAL_AFTER_MS);
    expect(redialWaitMs({ source: '127.1', lastSuccess: undefined, attempts: 1 })).toBe(REDIAL_AFTER_MS);
  });
});
