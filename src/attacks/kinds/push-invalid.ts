/** Catalogue 5: pushes badly signed transactions to its subscribers, unannounced. */
import { encodeTransaction } from '../../chain/encoding/codec.js';
import type { Misbehaviour } from '../attack.js';
import { badlySignedSelfPayments } from '../payloads.js';

export const misbehaviour: Misbehaviour = {
  kind: 'push-invalid',
  catalogue: 5,
  class: 'flagrant',
  description: 'pushes transactions whose Ed25519 signature does not verify to its subscribers',
  intervalMs: 2_000,
  async act(ctx) {
    ctx.push(badlySignedSelfPayments(ctx, 1).map((tx) => encodeTransaction(tx)));
  },
};
