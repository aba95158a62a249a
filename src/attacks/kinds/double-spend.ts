/**
 * Catalogue 14: two valid transactions spending the same output, one pushed to half of the
 * attacker's subscribers and the other to the rest, both announced and served at once. Not an
 * offence: each honest node keeps the first spend it sees and ignores the other (no replace-by-
 * fee); a block confirms exactly one and the other then leaves every mempool. Each pair is logged
 * (`pair`, hex txids) so tests and the scenario can check the outcome.
 */
import { encodeTransaction } from '../../chain/encoding/codec.js';
import { createTransaction, txidOf } from '../../chain/objects/transaction.js';
import { toHex } from '../../crypto/hash.js';
import { type Misbehaviour, selfPayment } from '../attack.js';
import { announceServed } from '../payloads.js';

export const misbehaviour: Misbehaviour = {
  kind: 'double-spend',
  catalogue: 14,
  class: 'contained',
  description:
    'sends conflicting valid transactions (one output spent twice) to different honest nodes at once',
  intervalMs: 2_000,
  async act(ctx) {
    const [output] = ctx.takeOutputs(1);
    if (output === undefined) return;
    const [a, b] = [1_000n, 2_000n].map((fee) => {
      const tx = createTransaction(
        ctx.params.network,
        [{ prevTxid: output.txid, outputIndex: output.index, secretKey: ctx.account.secretKey }],
        selfPayment(ctx, output, fee),
        ctx.now(),
      );
      return { txid: txidOf(tx), bytes: encodeTransaction(tx) };
    }) as [{ txid: Uint8Array; bytes: Uint8Array }, { txid: Uint8Array; bytes: Uint8Array }];
    ctx.logger.info({ pair: [toHex(a.txid), toHex(b.txid)] }, 'double spend sent');
    ctx.subscribers().forEach((peer, i) => ctx.pushTo(peer, [(i % 2 === 0 ? a : b).bytes]));
    await announceServed(ctx, [a, b]);
  },
};
