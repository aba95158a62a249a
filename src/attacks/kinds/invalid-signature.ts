/** Catalogue 1: transactions whose Ed25519 signature does not verify, announced and served. */
import { encodeTransaction } from '../../chain/encoding/codec.js';
import { txidOf } from '../../chain/objects/transaction.js';
import type { Misbehaviour } from '../attack.js';
import { announceServed, badlySignedSelfPayments } from '../payloads.js';

export const misbehaviour: Misbehaviour = {
  kind: 'invalid-signature',
  catalogue: 1,
  class: 'flagrant',
  description: 'announces and serves transactions whose Ed25519 signature does not verify',
  intervalMs: 2_000,
  async act(ctx) {
    const txs = badlySignedSelfPayments(ctx, 1);
    await announceServed(
      ctx,
      txs.map((tx) => ({ txid: txidOf(tx), bytes: encodeTransaction(tx) })),
    );
  },
};
