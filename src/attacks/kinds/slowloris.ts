/**
 * Catalogue 19: holds streams and connections open while sending nothing, or a length prefix and
 * then nothing: from its own identity on every stream protocol, and from up to 24 extra bare
 * identities (new connections from the same host, 4 more per round), each doing the same. Between
 * stalls it requests the largest objects it can name (the ten most recent blocks) on its getdata
 * stream, 8 requests per round: within the rate limits, so only the upload budget bounds its cost.
 * Contained when the victims' streams, connections and memory stay bounded and honest relay goes on.
 */
import { fromHex } from '../../crypto/hash.js';
import { encodeGetData, InvType } from '../../p2p/wire/codec.js';
import type { AttackContext, Misbehaviour, RawStream, RawWire } from '../attack.js';
import { frame, varint } from '../payloads.js';

/** Extra bare identities opened per round, and at most in all. */
const IDENTITIES_PER_ROUND = 4;
const MAX_IDENTITIES = 24;
/** Recent blocks named per request (the largest objects an honest node serves). */
const BLOCKS_PER_REQUEST = 10;
/** Requests per round per peer: 80 items/s, far within the 1,000/s getdata limit; fewer than 16 pending. */
const REQUESTS_PER_ROUND = 8;

interface LorisState {
  identities: number;
  nextRequestId: number;
  readonly fetchers: Map<string, RawStream>;
}
const states = new WeakMap<AttackContext, LorisState>();

/** On every protocol: one silent stream and one stalled after a length prefix of 1,000 bytes. */
async function stall(open: RawWire['open'], protocols: RawWire['protocols'], peer: string): Promise<number> {
  let opened = 0;
  for (const protocol of Object.values(protocols)) {
    for (const prefix of [undefined, varint(1_000)]) {
      try {
        const stream = await open(peer, protocol);
        if (prefix !== undefined) stream.write(prefix);
        opened++;
      } catch {
        // refused: the per-connection stream limit at work
      }
    }
  }
  return opened;
}

async function fetchLargest(ctx: AttackContext, state: LorisState, peer: string): Promise<void> {
  let stream = state.fetchers.get(peer);
  if (stream === undefined || stream.ended) {
    stream = await ctx.wire.open(peer, ctx.wire.protocols.getdata);
    state.fetchers.set(peer, stream);
  }
  const height = ctx.blocks.tip().height;
  const items = [];
  for (let h = height; h >= 0 && h > height - BLOCKS_PER_REQUEST; h--) {
    const entry = ctx.blocks.entryAt(h);
    if (entry !== undefined) items.push({ type: InvType.BLOCK, hash: fromHex(entry.idHex) });
  }
  for (let i = 0; i < REQUESTS_PER_ROUND; i++) {
    stream.write(frame(encodeGetData({ requestId: state.nextRequestId++, items })));
  }
}

export const misbehaviour: Misbehaviour = {
  kind: 'slowloris',
  catalogue: 19,
  class: 'contained',
  description:
    'holds many streams and connections open silent or stalled mid-frame, and requests the largest objects as fast as its limits allow',
  intervalMs: 1_000,
  async act(ctx) {
    let state = states.get(ctx);
    if (state === undefined) {
      state = { identities: 0, nextRequestId: 1, fetchers: new Map() };
      states.set(ctx, state);
      let opened = 0;
      for (const peer of ctx.peers()) opened += await stall(ctx.wire.open, ctx.wire.protocols, peer);
      ctx.logger.info({ opened }, 'stalled streams from the attacker identity');
    }
    await Promise.allSettled(ctx.peers().map((peer) => fetchLargest(ctx, state, peer)));
    if (state.identities >= MAX_IDENTITIES) return;
    let opened = 0;
    for (let i = 0; i < IDENTITIES_PER_ROUND; i++) {
      for (const target of ctx.identities.targets()) {
        const bare = await ctx.identities.spawnBarePeer(target);
        state.identities++;
        if (bare !== undefined) opened += await stall(bare.wire.open, ctx.wire.protocols, '');
      }
    }
    ctx.logger.info({ identities: state.identities, opened }, 'stalled streams from extra identities');
  },
};
