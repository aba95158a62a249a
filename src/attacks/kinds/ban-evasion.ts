/**
 * Catalogue 23: gets itself banned with one badly signed transaction, then tries to come back
 * during its ban: every round it redials each victim with the same identity (the gater must refuse
 * it), and once it starts an honest node with a fresh identity on the same host (it must be judged
 * afresh: connected, and holding none of the old identity's history). Each attempt is logged
 * (`redial`, `accepted`; `freshIdentity`).
 */
import { encodeTransaction } from '../../chain/encoding/codec.js';
import { txidOf } from '../../chain/objects/transaction.js';
import type { AttackContext, Misbehaviour } from '../attack.js';
import { announceServed, badlySignedSelfPayments } from '../payloads.js';

interface EvasionState {
  offended: boolean;
  fresh: boolean;
}
const states = new WeakMap<AttackContext, EvasionState>();

export const misbehaviour: Misbehaviour = {
  kind: 'ban-evasion',
  catalogue: 23,
  class: 'flagrant',
  description:
    'gets banned, then reconnects during its ban with the same identity and with a new identity from the same address',
  intervalMs: 2_000,
  async act(ctx) {
    let state = states.get(ctx);
    if (state === undefined) {
      state = { offended: false, fresh: false };
      states.set(ctx, state);
    }
    if (!state.offended) {
      if (ctx.peers().length === 0) return;
      const txs = badlySignedSelfPayments(ctx, 1);
      await announceServed(
        ctx,
        txs.map((tx) => ({ txid: txidOf(tx), bytes: encodeTransaction(tx) })),
      );
      state.offended = true;
      return;
    }
    for (const target of ctx.identities.targets()) {
      const accepted = await ctx.identities.redial(target);
      ctx.logger.info({ redial: target, accepted }, 'reconnect attempt during the ban');
    }
    if (!state.fresh) {
      state.fresh = true;
      const fresh = await ctx.identities.spawnHonestNode();
      ctx.logger.info({ freshIdentity: fresh.peerId }, 'a new identity from the same address');
    }
  },
};
