/**
 * Catalogue 16: bytes no honest encoder produces, cycling one form per round over every connected
 * peer: random bytes, an empty Inv and a non-canonical Inv on the inventory topic; random,
 * truncated, empty and short-prefixed frames and a non-minimal length prefix on the getdata
 * stream; random and empty requests on sync and addr; an undecodable pushed transaction; and a
 * random txpush subscription, from fresh identities (the attacker's own identity already holds the
 * one txpush stream a peer may open). Each send is logged with its form (`form`).
 */
import { randomBytes } from 'node:crypto';
import { encodeGetData, encodeInv, InvType } from '../../p2p/wire/codec.js';
import type { AttackContext, Misbehaviour } from '../attack.js';
import { frame, fromFreshIdentities } from '../payloads.js';

/** One malformed form, sent to `peer`. */
type Form = (ctx: AttackContext, peer: string) => Promise<void>;

/** Writes `bytes` on a new stream of `protocol` to `peer`, then closes our side. */
async function onStream(
  ctx: AttackContext,
  peer: string,
  protocol: string,
  bytes: Uint8Array,
): Promise<void> {
  const stream = await ctx.wire.open(peer, protocol);
  stream.write(bytes);
  stream.close();
}

function getData(): Uint8Array {
  return encodeGetData({ requestId: 1, items: [{ type: InvType.TX, hash: randomBytes(32) }] });
}

/** Every form, with its name (what the log's `form` field says). */
export const MALFORMED_FORMS: ReadonlyArray<readonly [string, Form]> = [
  ['inv: random bytes', (ctx) => ctx.wire.publish(randomBytes(64))],
  ['inv: empty message', (ctx) => ctx.wire.publish(new Uint8Array(0))],
  [
    'inv: unknown trailing field (non-canonical)',
    (ctx) => {
      const inv = encodeInv([{ type: InvType.TX, hash: randomBytes(32) }]);
      return ctx.wire.publish(Uint8Array.from([...inv, 0x78, 0x01]));
    },
  ],
  [
    'getdata: random frame',
    (ctx, peer) => onStream(ctx, peer, ctx.wire.protocols.getdata, frame(randomBytes(40))),
  ],
  [
    'getdata: truncated encoding',
    (ctx, peer) => onStream(ctx, peer, ctx.wire.protocols.getdata, frame(getData().subarray(0, 20))),
  ],
  [
    'getdata: empty frame',
    (ctx, peer) => onStream(ctx, peer, ctx.wire.protocols.getdata, frame(new Uint8Array(0))),
  ],
  [
    'getdata: non-minimal length prefix',
    (ctx, peer) =>
      onStream(ctx, peer, ctx.wire.protocols.getdata, Uint8Array.from([0x85, 0x00, ...randomBytes(5)])),
  ],
  [
    'getdata: length prefix shorter than the message',
    (ctx, peer) => {
      const body = getData();
      return onStream(ctx, peer, ctx.wire.protocols.getdata, Uint8Array.from([10, ...body]));
    },
  ],
  ['sync: random frame', (ctx, peer) => onStream(ctx, peer, ctx.wire.protocols.sync, frame(randomBytes(40)))],
  [
    'sync: empty request',
    (ctx, peer) => onStream(ctx, peer, ctx.wire.protocols.sync, frame(new Uint8Array(0))),
  ],
  ['addr: random frame', (ctx, peer) => onStream(ctx, peer, ctx.wire.protocols.addr, frame(randomBytes(40)))],
  [
    'txpush (new identity): random subscription',
    (ctx) =>
      fromFreshIdentities(
        ctx,
        'txpush (new identity): random subscription',
        ctx.wire.protocols.txpush,
        frame(randomBytes(4)),
      ),
  ],
  [
    'txpush: undecodable transaction pushed',
    async (ctx, peer) => {
      ctx.pushTo(peer, [randomBytes(120)]);
    },
  ],
];

const rounds = new WeakMap<AttackContext, number>();

export const misbehaviour: Misbehaviour = {
  kind: 'malformed',
  catalogue: 16,
  class: 'flagrant',
  description:
    'sends random, truncated, non-canonical, empty and wrongly length-prefixed messages on every topic and stream protocol',
  intervalMs: 1_000,
  async act(ctx) {
    const round = rounds.get(ctx) ?? 0;
    rounds.set(ctx, round + 1);
    await sendMalformed(ctx, round % MALFORMED_FORMS.length);
  },
};

/** Sends form `index` of MALFORMED_FORMS: on the topic once, or on a new stream to every connected peer. */
export async function sendMalformed(ctx: AttackContext, index: number): Promise<void> {
  const [form, send] = MALFORMED_FORMS[index]!;
  ctx.logger.info({ form }, 'malformed message sent');
  if (form.startsWith('inv:') || form.includes('(new identity)')) {
    await send(ctx, '');
    return;
  }
  await Promise.allSettled(ctx.peers().map((peer) => send(ctx, peer)));
}
