/** Catalogue 9: a block on the tip, correct in every field, whose id misses its target. */
import { encodeBlock } from '../../chain/encoding/codec.js';
import { blockIdOf } from '../../chain/objects/block.js';
import type { Misbehaviour } from '../attack.js';
import { announceBlock } from '../payloads.js';

export const misbehaviour: Misbehaviour = {
  kind: 'invalid-pow-block',
  catalogue: 9,
  class: 'flagrant',
  description: 'announces and serves a block on the tip whose header hash misses its target',
  intervalMs: 2_000,
  async act(ctx) {
    const template = ctx.blocks.template();
    const block = await ctx.blocks.seal(template.header, template.transactions, 'misses');
    if (block !== undefined) await announceBlock(ctx, blockIdOf(block.header), encodeBlock(block));
  },
};
