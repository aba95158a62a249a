/** Catalogue 7: announces transactions it never serves, so every getdata to it times out. */
import { randomBytes } from 'node:crypto';
import { InvType } from '../../p2p/wire/codec.js';
import type { Misbehaviour } from '../attack.js';

export const misbehaviour: Misbehaviour = {
  kind: 'announce-no-serve',
  catalogue: 7,
  class: 'graduated',
  description: 'announces transactions it never serves: every getdata to it times out',
  scenarioSeconds: 45,
  intervalMs: 500,
  withholdAll: true,
  async act(ctx) {
    await ctx.announce(Array.from({ length: 5 }, () => ({ type: InvType.TX, hash: randomBytes(32) })));
  },
};
