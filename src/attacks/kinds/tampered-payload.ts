/** Catalogue 2: announces a valid transaction, then serves different bytes under its txid. */
import { encodeTransaction } from '../../chain/encoding/codec.js';
import { txidOf } from '../../chain/objects/transaction.js';
import type { Misbehaviour } from '../attack.js';
import { announceServed, signedSelfPayments } from '../payloads.js';

export const misbehaviour: Misbehaviour = {
  kind: 'tampered-payload',
  catalogue: 2,
  class: 'flagrant',
  description: 'announces a valid transaction, then serves different bytes for its hash',
  intervalMs: 2_000,
  async act(ctx) {
    const txs = signedSelfPayments(ctx, 1, ctx.now());
    await announceServed(
      ctx,
      txs.map((tx) => {
        const txid = txidOf(tx);
        tx.outputs[0]!.amount -= 1n; // tampered after signing: neither the txid nor the signature match
        return { txid, bytes: encodeTransaction(tx) };
      }),
    );
  },
};
