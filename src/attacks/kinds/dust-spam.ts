/**
 * Catalogue 15: valid transactions paying exactly the minimum relay fee, as fast as the attacker
 * can sign them, relayed the honest way (its own mempool, pushes to subscribers, announcements).
 * Transactions cannot chain in the mempool, so its first round also splits a few of its outputs
 * into many small ones; once a block confirms them they feed the spam too. Honest transactions
 * paying more per byte outbid it for block space and mempool room; the per-peer rate limits
 * throttle it (and quarantine it if it keeps exceeding them).
 */
import { encodeTransaction, type TxOutput } from '../../chain/encoding/codec.js';
import { createTransaction } from '../../chain/objects/transaction.js';
import type { AttackContext, Misbehaviour, OwnOutput } from '../attack.js';

/** Transactions signed per round (every 100 ms: up to 2,000/s, twice the per-peer push limit). */
const PER_ROUND = 200;
/** Outputs split in the first round, and the small outputs each is split into. */
const SPLIT_OUTPUTS = 4;
const SPLIT_INTO = 1_000;
/** Bytes added to the measured size when pricing the fee (amount varints may grow by a few). */
const SIZE_MARGIN = 8;

const split = new WeakSet<AttackContext>();

/** A transaction spending `output` to `outputs` (with the change), paying the minimum fee. */
function minimumFee(
  ctx: AttackContext,
  output: OwnOutput,
  outputs: (change: bigint) => TxOutput[],
): Uint8Array {
  const build = (fee: bigint) =>
    createTransaction(
      ctx.params.network,
      [{ prevTxid: output.txid, outputIndex: output.index, secretKey: ctx.account.secretKey }],
      outputs(output.amount - fee),
      ctx.now(),
    );
  const size = encodeTransaction(build(0n)).length + SIZE_MARGIN;
  return encodeTransaction(build(BigInt(size) * ctx.params.minRelayFeePerByte));
}

function submit(ctx: AttackContext, bytes: Uint8Array): boolean {
  try {
    ctx.submitHonestly(bytes);
    return true;
  } catch {
    return false; // e.g. our own mempool is full of better-paying transactions
  }
}

export const misbehaviour: Misbehaviour = {
  kind: 'dust-spam',
  catalogue: 15,
  class: 'contained',
  description: 'relays valid transactions paying the minimum fee, as fast as it can sign them',
  intervalMs: 100,
  async act(ctx) {
    const address = ctx.account.address as Uint8Array<ArrayBuffer>;
    if (!split.has(ctx)) {
      split.add(ctx);
      for (const output of ctx.takeOutputs(SPLIT_OUTPUTS)) {
        submit(
          ctx,
          minimumFee(ctx, output, (change) => {
            const each = change / BigInt(SPLIT_INTO);
            return Array.from({ length: SPLIT_INTO }, () => ({ amount: each, address }));
          }),
        );
      }
    }
    let sent = 0;
    for (const output of ctx.takeOutputs(PER_ROUND)) {
      if (
        submit(
          ctx,
          minimumFee(ctx, output, (change) => [{ amount: change, address }]),
        )
      )
        sent++;
    }
    if (sent > 0) ctx.logger.debug({ sent }, 'dust sent');
  },
};
