/**
 * Catalogue 4: replays confirmed transactions, or signed copies dated an hour back. A copy an hour old
 * is IMPLAUSIBLE_TIMESTAMP, a flagrant offence (more than 25 minutes old: the 10-minute window, the
 * 5-minute replay grace and 10 minutes of clock error); a confirmed transaction is a duplicate
 * (TX_DUPLICATE), which costs its sender nothing and the receiver one lookup.
 */
import { encodeTransaction } from '../../chain/encoding/codec.js';
import { txidOf } from '../../chain/objects/transaction.js';
import type { Misbehaviour } from '../attack.js';
import { announceServed, signedSelfPayments } from '../payloads.js';

/** How far back (ms) a fresh copy is dated when the chain holds nothing old enough to replay. */
const BEHIND_MS = 60 * 60_000;

export const misbehaviour: Misbehaviour = {
  kind: 'replay',
  catalogue: 4,
  class: 'flagrant',
  description: 'replays old objects: confirmed transactions, or signed copies dated an hour back',
  intervalMs: 1_000,
  async act(ctx) {
    const cutoff = ctx.now() - ctx.params.txMaxAgeMs;
    const old = (await ctx.confirmedTransactions(500)).filter(
      (tx) => tx.inputs.length > 0 && tx.timestamp < cutoff,
    );
    const txs = old.length > 0 ? old.slice(-1) : signedSelfPayments(ctx, 1, ctx.now() - BEHIND_MS);
    await announceServed(
      ctx,
      txs.map((tx) => ({ txid: txidOf(tx), bytes: encodeTransaction(tx) })),
    );
  },
};
