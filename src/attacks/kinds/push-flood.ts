/** Catalogue 6: pushes one valid transaction over and over, far above any honest rate. */
import { encodeTransaction } from '../../chain/encoding/codec.js';
import type { AttackContext, Misbehaviour } from '../attack.js';
import { signedSelfPayments } from '../payloads.js';

/** Copies pushed per round: every 20 ms, 12,800/s, 12.8x the honest-peer limit. */
const PUSH_FLOOD_COPIES = 256;

/** The transaction each push-flood attacker repeats (built on its first round). */
const flooded = new WeakMap<AttackContext, Uint8Array>();

export const misbehaviour: Misbehaviour = {
  kind: 'push-flood',
  catalogue: 6,
  class: 'graduated',
  description: 'pushes one valid transaction to its subscribers over and over, far above any honest rate',
  intervalMs: 20,
  async act(ctx) {
    if (!flooded.has(ctx)) {
      const [tx] = signedSelfPayments(ctx, 1, ctx.now());
      if (tx === undefined) return;
      flooded.set(ctx, encodeTransaction(tx));
    }
    const payload = flooded.get(ctx)!;
    ctx.push(Array.from({ length: PUSH_FLOOD_COPIES }, () => payload));
  },
};
