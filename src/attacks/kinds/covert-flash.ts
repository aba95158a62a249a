/**
 * Catalogue 22: behaves for a while, then turns. For the first 10 s it relays valid transactions
 * of its own (one per round, delivered first, so it earns credit); then it announces transactions
 * it never serves, and withholds everything it is asked for, including its own earlier objects.
 * Honest nodes request from their preferred (outbound) peers first, so delivery only waits on it
 * when it was the sole announcer; its timeouts quarantine it under the withholding rules.
 */
import { randomBytes } from 'node:crypto';
import { encodeTransaction } from '../../chain/encoding/codec.js';
import { InvType } from '../../p2p/wire/codec.js';
import type { AttackContext, Misbehaviour } from '../attack.js';
import { signedSelfPayments } from '../payloads.js';

/** How long (ms) it behaves before it turns. */
export const BEHAVE_MS = 10_000;
/** Random hashes announced per round once it turned. */
const WITHHELD_PER_ROUND = 5;

const startedAt = new WeakMap<AttackContext, number>();

export const misbehaviour: Misbehaviour = {
  kind: 'covert-flash',
  catalogue: 22,
  class: 'graduated',
  description: `relays valid transactions for ${BEHAVE_MS / 1000} s to earn credit, then withholds everything it announces`,
  scenarioSeconds: BEHAVE_MS / 1000 + 35,
  intervalMs: 500,
  async act(ctx) {
    const started = startedAt.get(ctx) ?? ctx.now();
    startedAt.set(ctx, started);
    if (ctx.now() - started < BEHAVE_MS) {
      for (const tx of signedSelfPayments(ctx, 1, ctx.now())) ctx.submitHonestly(encodeTransaction(tx));
      return;
    }
    if (ctx.now() - started - BEHAVE_MS < this.intervalMs) {
      ctx.logger.warn('turning: withholding everything from now on');
      ctx.withhold(true);
    }
    await ctx.announce(
      Array.from({ length: WITHHELD_PER_ROUND }, () => ({ type: InvType.TX, hash: randomBytes(32) })),
    );
  },
};
