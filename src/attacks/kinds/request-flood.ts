/**
 * Catalogue 18: requests far above any honest rate, all well-formed: on one getdata stream per
 * peer, 8 requests of 1,000 random hashes every 50 ms (160,000 items/s against a limit of 1,000/s;
 * never more than the 16 unanswered requests the protocol allows), and a mempool sync request every
 * round (20/s against 20/s, on top of the getdata flood). The rate limits refuse the excess, and each
 * refusal is an offence: the flooder is throttled, then quarantined.
 */
import { randomBytes } from 'node:crypto';
import { encodeGetData, encodeSyncRequest, InvType } from '../../p2p/wire/codec.js';
import { MAX_GETDATA_ITEMS } from '../../p2p/wire/constants.js';
import type { AttackContext, Misbehaviour, RawStream } from '../attack.js';
import { frame } from '../payloads.js';

/** Requests written per round per peer (half of MAX_PENDING_GETDATA: the server drains between rounds). */
const REQUESTS_PER_ROUND = 8;

interface FloodState {
  nextRequestId: number;
  readonly streams: Map<string, RawStream>;
}

const states = new WeakMap<AttackContext, FloodState>();

async function getdataStream(ctx: AttackContext, state: FloodState, peer: string): Promise<RawStream> {
  const open = state.streams.get(peer);
  if (open !== undefined && !open.ended) return open;
  const stream = await ctx.wire.open(peer, ctx.wire.protocols.getdata);
  state.streams.set(peer, stream);
  return stream;
}

async function flood(ctx: AttackContext, state: FloodState, peer: string): Promise<void> {
  const stream = await getdataStream(ctx, state, peer);
  for (let i = 0; i < REQUESTS_PER_ROUND; i++) {
    const items = Array.from({ length: MAX_GETDATA_ITEMS }, () => ({
      type: InvType.TX,
      hash: randomBytes(32),
    }));
    stream.write(frame(encodeGetData({ requestId: state.nextRequestId++, items })));
  }
  const sync = await ctx.wire.open(peer, ctx.wire.protocols.sync);
  sync.write(frame(encodeSyncRequest({ kind: 'getMempool' })));
  sync.close();
}

export const misbehaviour: Misbehaviour = {
  kind: 'request-flood',
  catalogue: 18,
  class: 'graduated',
  description:
    'floods getdata requests for random hashes and mempool sync requests far above any honest rate',
  intervalMs: 50,
  async act(ctx) {
    let state = states.get(ctx);
    if (state === undefined) {
      state = { nextRequestId: 1, streams: new Map() };
      states.set(ctx, state);
    }
    await Promise.allSettled(ctx.peers().map((peer) => flood(ctx, state, peer)));
  },
};
