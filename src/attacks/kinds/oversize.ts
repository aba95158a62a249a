/**
 * Catalogue 17: messages just over and far over (10 MB) each documented limit, cycling one form per
 * round over every connected peer: an Inv one byte over its limit on the inventory topic; frames
 * one byte over, and a 10 MB frame, on getdata and sync; one byte over on addr; and a txpush
 * subscription one byte over, from fresh identities (see malformed.ts). The far
 * frames are streamed in 64 KiB chunks of the same buffer: the attacker never holds 10 MB either,
 * and the length prefix alone tells the receiver to stop reading.
 */
import { randomBytes } from 'node:crypto';
import { MAX_ADDR_FRAME_BYTES } from '../../p2p/membership/constants.js';
import {
  MAX_GETDATA_BYTES,
  MAX_INV_BYTES,
  MAX_PUSH_SUBSCRIBE_BYTES,
  MAX_SYNC_REQUEST_BYTES,
} from '../../p2p/wire/constants.js';
import type { AttackContext, Misbehaviour } from '../attack.js';
import { fromFreshIdentities, varint } from '../payloads.js';

/** The "far over" size (bytes): 10 MB. */
const FAR_OVER_BYTES = 10 * 1024 * 1024;
/** Chunk (bytes) the far-over body is streamed in. */
const CHUNK_BYTES = 64 * 1024;

const CHUNK = randomBytes(CHUNK_BYTES);

/** A frame of `length` bytes on a new stream to `peer`: the prefix, then the body chunk by chunk. */
async function oversizeFrame(
  ctx: AttackContext,
  peer: string,
  protocol: string,
  length: number,
): Promise<void> {
  const stream = await ctx.wire.open(peer, protocol);
  stream.write(varint(length));
  for (let sent = 0; sent < length && !stream.ended; sent += CHUNK_BYTES) {
    stream.write(CHUNK.subarray(0, Math.min(CHUNK_BYTES, length - sent)));
    await new Promise((resolve) => setImmediate(resolve));
  }
  stream.close();
}

type Form = readonly [string, (ctx: AttackContext, peer: string) => Promise<void>];

/** Every form, with its name (what the log's `form` field says). */
export const OVERSIZE_FORMS: readonly Form[] = [
  ['inv: one byte over', (ctx) => ctx.wire.publish(randomBytes(MAX_INV_BYTES + 1))],
  [
    'getdata: one byte over',
    (ctx, p) => oversizeFrame(ctx, p, ctx.wire.protocols.getdata, MAX_GETDATA_BYTES + 1),
  ],
  ['getdata: 10 MB', (ctx, p) => oversizeFrame(ctx, p, ctx.wire.protocols.getdata, FAR_OVER_BYTES)],
  [
    'sync: one byte over',
    (ctx, p) => oversizeFrame(ctx, p, ctx.wire.protocols.sync, MAX_SYNC_REQUEST_BYTES + 1),
  ],
  ['sync: 10 MB', (ctx, p) => oversizeFrame(ctx, p, ctx.wire.protocols.sync, FAR_OVER_BYTES)],
  [
    'addr: one byte over',
    (ctx, p) => oversizeFrame(ctx, p, ctx.wire.protocols.addr, MAX_ADDR_FRAME_BYTES + 1),
  ],
  [
    'txpush (new identity): one byte over',
    (ctx) => {
      const bytes = new Uint8Array(MAX_PUSH_SUBSCRIBE_BYTES + 2);
      bytes.set(varint(MAX_PUSH_SUBSCRIBE_BYTES + 1));
      return fromFreshIdentities(
        ctx,
        'txpush (new identity): one byte over',
        ctx.wire.protocols.txpush,
        bytes,
      );
    },
  ],
];

const rounds = new WeakMap<AttackContext, number>();

export const misbehaviour: Misbehaviour = {
  kind: 'oversize',
  catalogue: 17,
  class: 'flagrant',
  description: 'sends messages just over and far over (10 MB) every documented size limit',
  intervalMs: 1_000,
  async act(ctx) {
    const round = rounds.get(ctx) ?? 0;
    rounds.set(ctx, round + 1);
    await sendOversize(ctx, round % OVERSIZE_FORMS.length);
  },
};

/** Sends form `index` of OVERSIZE_FORMS: on the topic once, or on a new stream to every connected peer. */
export async function sendOversize(ctx: AttackContext, index: number): Promise<void> {
  const [form, send] = OVERSIZE_FORMS[index]!;
  ctx.logger.info({ form }, 'oversize message sent');
  if (form.startsWith('inv:') || form.includes('(new identity)')) {
    await send(ctx, '');
    return;
  }
  await Promise.allSettled(ctx.peers().map((peer) => send(ctx, peer)));
}
