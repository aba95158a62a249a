/**
 * Catalogue 3: validly signed transactions dated one hour ahead. No honest clock is that far off, so
 * the first one is IMPLAUSIBLE_TIMESTAMP, a flagrant offence (more than 12 minutes ahead: the
 * 2-minute drift plus 10 minutes of clock error, src/p2p/reputation/timestamps.ts).
 */
import { encodeTransaction } from '../../chain/encoding/codec.js';
import { txidOf } from '../../chain/objects/transaction.js';
import type { Misbehaviour } from '../attack.js';
import { announceServed, signedSelfPayments } from '../payloads.js';

/** How far ahead (ms) the transactions are dated: an hour, far beyond any honest clock skew. */
const AHEAD_MS = 60 * 60_000;

export const misbehaviour: Misbehaviour = {
  kind: 'future-timestamp',
  catalogue: 3,
  class: 'flagrant',
  description: 'serves validly signed transactions dated one hour in the future',
  intervalMs: 1_000,
  async act(ctx) {
    const txs = signedSelfPayments(ctx, 1, ctx.now() + AHEAD_MS);
    await announceServed(
      ctx,
      txs.map((tx) => ({ txid: txidOf(tx), bytes: encodeTransaction(tx) })),
    );
  },
};
