/** Catalogue 8: floods announcements of random hashes, far above any honest rate. */
import { randomBytes } from 'node:crypto';
import { InvType } from '../../p2p/wire/codec.js';
import type { Misbehaviour } from '../attack.js';

export const misbehaviour: Misbehaviour = {
  kind: 'inv-flood',
  catalogue: 8,
  class: 'graduated',
  description: 'floods announcements of random hashes, far above any honest rate',
  scenarioSeconds: 45,
  intervalMs: 50,
  withholdAll: true,
  async act(ctx) {
    await ctx.announce(Array.from({ length: 1_000 }, () => ({ type: InvType.TX, hash: randomBytes(32) })));
  },
};
