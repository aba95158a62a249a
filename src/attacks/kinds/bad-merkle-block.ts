/**
 * Catalogue 10: blocks whose transactions do not match the header's merkle root, alternating two
 * forms: a real block (valid in every way) served with one transaction too many under its real
 * id; and a valid, signed, mined header committing to a random root. The real block is withheld
 * and its bytes logged (`realBlock`, hex), so a test can later deliver it from an honest peer: a
 * body that does not match its header proves only that the sender tampered, never that the id is
 * invalid.
 */
import { randomBytes } from 'node:crypto';
import { encodeBlock } from '../../chain/encoding/codec.js';
import { blockIdOf } from '../../chain/objects/block.js';
import { toHex } from '../../crypto/hash.js';
import type { AttackContext, Misbehaviour } from '../attack.js';
import { announceBlock } from '../payloads.js';

/** Rounds played per attacker: even rounds send a mutated real block, odd ones a random root. */
const rounds = new WeakMap<AttackContext, number>();

export const misbehaviour: Misbehaviour = {
  kind: 'bad-merkle-block',
  catalogue: 10,
  class: 'flagrant',
  description:
    'serves blocks whose transactions do not match the merkle root: a mined header over a random root, or a real block with its transaction list mutated',
  scenarioSeconds: 45,
  intervalMs: 2_000,
  async act(ctx) {
    const round = rounds.get(ctx) ?? 0;
    rounds.set(ctx, round + 1);
    const template = ctx.blocks.template();
    if (round % 2 === 1) {
      const header = ctx.blocks.sign({ ...template.header, merkleRoot: randomBytes(32) });
      const block = await ctx.blocks.seal(header, template.transactions, 'meets');
      if (block !== undefined) await announceBlock(ctx, blockIdOf(block.header), encodeBlock(block));
      return;
    }
    const real = await ctx.blocks.seal(template.header, template.transactions, 'meets', true);
    if (real === undefined) return;
    const id = blockIdOf(real.header);
    const realBytes = encodeBlock(real);
    ctx.logger.info(
      { block: toHex(id), height: real.header.height, realBlock: toHex(realBytes) },
      'withholding a real block, serving it with a mutated transaction list',
    );
    // The coinbase twice: the header's merkle root no longer commits to the list.
    const mutated = { header: real.header, transactions: [...real.transactions, real.transactions[0]!] };
    await announceBlock(ctx, id, encodeBlock(mutated));
  },
};
