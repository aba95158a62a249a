/** Catalogue 11: a block with valid proof of work whose miner signature does not verify. */
import { encodeBlock } from '../../chain/encoding/codec.js';
import { blockIdOf } from '../../chain/objects/block.js';
import type { Misbehaviour } from '../attack.js';
import { announceBlock } from '../payloads.js';

export const misbehaviour: Misbehaviour = {
  kind: 'bad-block-signature',
  catalogue: 11,
  class: 'flagrant',
  description: 'announces and serves a block with valid proof of work whose miner signature does not verify',
  scenarioSeconds: 45,
  intervalMs: 2_000,
  async act(ctx) {
    const template = ctx.blocks.template();
    const signature = Uint8Array.from(template.header.minerSignature);
    signature[0]! ^= 0x01;
    const header = { ...template.header, minerSignature: signature };
    // Sealed after the flip: the proof of work covers the bad signature, only the signature fails.
    const block = await ctx.blocks.seal(header, template.transactions, 'meets');
    if (block !== undefined) await announceBlock(ctx, blockIdOf(block.header), encodeBlock(block));
  },
};
