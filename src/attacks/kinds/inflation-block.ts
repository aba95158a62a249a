/**
 * Catalogue 12: blocks with valid proof of work and signature that break the ledger, rotating
 * three forms: a coinbase paying one coin more than subsidy + fees; a transaction spending an
 * output that never existed; and one of the attacker's outputs spent twice in the block (an output
 * the chain already spent is the missing-output case).
 */
import { randomBytes } from 'node:crypto';
import { encodeBlock, type Transaction } from '../../chain/encoding/codec.js';
import { blockIdOf } from '../../chain/objects/block.js';
import { createTransaction } from '../../chain/objects/transaction.js';
import { UNITS_PER_COIN } from '../../chain/params.js';
import { type AttackContext, type Misbehaviour, selfPayment } from '../attack.js';
import { announceBlock } from '../payloads.js';

/** Rounds played per attacker, to rotate the three forms. */
const rounds = new WeakMap<AttackContext, number>();

/** A transaction signed by the attacker spending an outpoint nobody ever created. */
function spendMissing(ctx: AttackContext): Transaction {
  return createTransaction(
    ctx.params.network,
    [{ prevTxid: randomBytes(32), outputIndex: 0, secretKey: ctx.account.secretKey }],
    [{ amount: 1_000n * UNITS_PER_COIN, address: ctx.account.address as Uint8Array<ArrayBuffer> }],
    ctx.now(),
  );
}

/** Two different transactions spending the same output of the attacker's. */
function doubleSpend(ctx: AttackContext): Transaction[] {
  const [output] = ctx.takeOutputs(1);
  if (output === undefined) return [spendMissing(ctx)];
  const spend = (fee: bigint) =>
    createTransaction(
      ctx.params.network,
      [{ prevTxid: output.txid, outputIndex: output.index, secretKey: ctx.account.secretKey }],
      selfPayment(ctx, output, fee),
      ctx.now(),
    );
  return [spend(1_000n), spend(2_000n)];
}

export const misbehaviour: Misbehaviour = {
  kind: 'inflation-block',
  catalogue: 12,
  class: 'flagrant',
  description:
    'announces and serves mined blocks that inflate the supply: a coinbase above subsidy + fees, or spends of missing or already spent outputs',
  intervalMs: 2_000,
  scenarioSeconds: 60,
  async act(ctx) {
    const round = rounds.get(ctx) ?? 0;
    rounds.set(ctx, round + 1);
    const template =
      round % 3 === 0
        ? ctx.blocks.templateWith([], UNITS_PER_COIN)
        : ctx.blocks.templateWith(round % 3 === 1 ? [spendMissing(ctx)] : doubleSpend(ctx));
    // On the tip only: on a side chain its ledger would only be checked if it ever won.
    const block = await ctx.blocks.seal(template.header, template.transactions, 'meets', true);
    if (block === undefined) {
      ctx.logger.info({ sealed: false }, 'the tip moved while sealing: block abandoned');
      return;
    }
    ctx.logger.info({ sealed: true, height: block.header.height }, 'inflating block sent');
    await announceBlock(ctx, blockIdOf(block.header), encodeBlock(block));
  },
};
