/**
 * Catalogue 23: gets itself banned with badly signed transactions (a round at a time, until every
 * peer hung up on it or 5 rounds passed), then tries to come back
 * during its ban: every round it redials each victim with the same identity (the gater must refuse
 * it), and once it starts an honest node with a fresh identity on the same host (it must be judged
 * afresh: connected, and holding none of the old identity's history). Each attempt is logged
 * (`redial`, `accepted`; `freshIdentity`).
 */
import { encodeTransaction } from '../../chain/encoding/codec.js';
import { txidOf } from '../../chain/objects/transaction.js';
import type { AttackContext, Misbehaviour } from '../attack.js';
import { announceServed, badlySignedSelfPayments } from '../payloads.js';

/** Rounds it offends (until every peer hung up on it) before it tries to come back. */
const MAX_OFFENDING_ROUNDS = 5;

interface EvasionState {
  offendingRounds: number;
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
      state = { offendingRounds: 0, fresh: false };
      states.set(ctx, state);
    }
    const connected = ctx.peers().length;
    if (state.offendingRounds === 0 || (connected > 0 && state.offendingRounds < MAX_OFFENDING_ROUNDS)) {
      if (connected === 0) return;
      const txs = badlySignedSelfPayments(ctx, 1);
      await announceServed(
        ctx,
        txs.map((tx) => ({ txid: txidOf(tx), bytes: encodeTransaction(tx) })),
      );
      state.offendingRounds++;
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
