/**
 * Payload builders shared by the attack kinds: self-payments from the attacker's own funded
 * outputs, signed with the real encoder (so only the intended flaw differs from honest traffic),
 * and the announce-and-serve step of the announcement attacks.
 */
import type { Transaction } from '../chain/encoding/codec.js';
import { createTransaction } from '../chain/objects/transaction.js';
import { InvType } from '../p2p/wire/codec.js';
import { type AttackContext, selfPayment } from './attack.js';

/** Self-payments dated `timestamp`, one per output taken (fewer when the account runs dry). */
export function signedSelfPayments(
  ctx: AttackContext,
  count: number,
  timestamp: number,
  fee?: bigint,
): Transaction[] {
  return ctx
    .takeOutputs(count)
    .map((output) =>
      createTransaction(
        ctx.params.network,
        [{ prevTxid: output.txid, outputIndex: output.index, secretKey: ctx.account.secretKey }],
        selfPayment(ctx, output, fee),
        timestamp,
      ),
    );
}

/** Self-payments signed, then with one bit of the first signature flipped: they fail verification. */
export function badlySignedSelfPayments(ctx: AttackContext, count: number): Transaction[] {
  const txs = signedSelfPayments(ctx, count, ctx.now());
  for (const tx of txs) tx.inputs[0]!.signature[0]! ^= 0x01;
  return txs;
}

/** Registers each payload for getdata under its id and announces the ids as transactions. */
export async function announceServed(
  ctx: AttackContext,
  payloads: ReadonlyArray<{ txid: Uint8Array; bytes: Uint8Array }>,
): Promise<void> {
  for (const { txid, bytes } of payloads) ctx.serve('tx', txid, bytes);
  if (payloads.length > 0) await ctx.announce(payloads.map(({ txid }) => ({ type: InvType.TX, hash: txid })));
}

/** Registers a block for getdata under `id` and announces it. */
export async function announceBlock(ctx: AttackContext, id: Uint8Array, bytes: Uint8Array): Promise<void> {
  ctx.serve('block', id, bytes);
  await ctx.announce([{ type: InvType.BLOCK, hash: id }]);
}

/** Unsigned LEB128 varint of `value` (the wire's length prefix), minimal unless `padTo` is larger. */
export function varint(value: number, padTo = 0): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.push(v & 0x7f);
    v = Math.floor(v / 0x80);
  } while (v > 0);
  while (bytes.length < padTo) bytes.push(0);
  for (let i = 0; i < bytes.length - 1; i++) bytes[i]! |= 0x80;
  return Uint8Array.from(bytes);
}

/** A frame: the varint length of `body`, then `body`. */
export function frame(body: Uint8Array): Uint8Array {
  const prefix = varint(body.length);
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix);
  out.set(body, prefix.length);
  return out;
}

/**
 * Writes `bytes` on a `protocol` stream from a fresh bare identity to every target, and logs each
 * identity (`identity`): for a protocol on which the attacker's own identity already holds the one
 * stream a peer may have (txpush: its own subscription), so the form is judged at all.
 */
export async function fromFreshIdentities(
  ctx: AttackContext,
  form: string,
  protocol: string,
  bytes: Uint8Array,
): Promise<void> {
  for (const target of ctx.identities.targets()) {
    const bare = await ctx.identities.spawnBarePeer(target);
    if (bare === undefined) continue;
    ctx.logger.info({ form, identity: bare.peerId }, 'sent from a fresh identity');
    const stream = await bare.wire.open('', protocol);
    stream.write(bytes);
    stream.close();
  }
}
