/**
 * Catalogue 24: not an attacker. An honest node whose event loop stalls for 3 s every 6 s (a
 * garbage-collection storm, a swapping host), and whose links drop every second stall (all its
 * connections closed at once; its dialer reconnects). It relays valid transactions of its own
 * between stalls. Its peers must hold no offence against it that quarantines it.
 */
import { encodeTransaction } from '../../chain/encoding/codec.js';
import type { AttackContext, Misbehaviour } from '../attack.js';
import { signedSelfPayments } from '../payloads.js';

/** How long (ms) each stall blocks the event loop. */
const STALL_MS = 3_000;
/** Interval (ms) between the starts of two stalls. */
const INTERVAL_MS = 6_000;
/** Every how many stalls the links drop. */
const DROP_EVERY = 2;

const stalls = new WeakMap<AttackContext, number>();

export const misbehaviour: Misbehaviour = {
  kind: 'honest-under-stress',
  catalogue: 24,
  class: 'contained',
  description: `an honest node whose event loop stalls for ${STALL_MS / 1000} s every ${INTERVAL_MS / 1000} s and whose links drop now and then`,
  intervalMs: INTERVAL_MS,
  async act(ctx) {
    for (const tx of signedSelfPayments(ctx, 1, ctx.now())) ctx.submitHonestly(encodeTransaction(tx));
    const count = (stalls.get(ctx) ?? 0) + 1;
    stalls.set(ctx, count);
    const until = Date.now() + STALL_MS;
    while (Date.now() < until) {
      // a stalled event loop: nothing else runs
    }
    if (count % DROP_EVERY === 0) {
      ctx.logger.info('links dropped');
      await ctx.identities.dropConnections();
    }
  },
};
