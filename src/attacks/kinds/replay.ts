/** Catalogue 4: replays confirmed transactions, or signed copies dated an hour back. */
import { encodeTransaction } from '../../chain/encoding/codec.js';
import { txidOf } from '../../chain/objects/transaction.js';
import type { Misbehaviour } from '../attack.js';
import { announceServed, signedSelfPayments } from '../payloads.js';

/** How far back (ms) a fresh copy is dated when the chain holds nothing old enough to replay. */
const BEHIND_MS = 60 * 60_000;

export const misbehaviour: Misbehaviour = {
  kind: 'replay',
  catalogue: 4,
  class: 'graduated',
  description: 'replays old objects: confirmed transactions, or signed copies dated an hour back',
  scenarioSeconds: 45,
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
