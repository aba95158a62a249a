/**
 * Arrival probe, preloaded into each trustmesh node process of the propagation benchmark:
 *
 *   node --import tsx --import ./scripts/bench/arrival-probe.ts src/node/main.ts ...
 *
 * It records, inside the node, the moment each transaction enters the mempool, so arrival times
 * carry no polling delay and no RPC cost (the baseline flood nodes record their arrivals the same
 * way, in-process, through the same EventSink). Nothing in src/ changes: the probe wraps methods of
 * the node's own classes (same module instances, since ESM caches modules by URL):
 *
 * - `Mempool.prototype.acceptTransaction` (local RPC sends and relayed transactions alike):
 *   `{"e":"acc","id":<txid hex>,"t":<ms>,"b":<encoded bytes>}` once it returned (validated, pooled).
 *
 * With BENCH_TRACE=1 it also records the relay's steps, for the per-hop analysis:
 * - `{"e":"inv",...,"p":<peer>,"pref":<bool>}`: the first Inv naming a tx we lack (and, if that one
 *   came from a non-preferred peer, the first from a preferred one): `InvRelay.handleInv`;
 * - `{"e":"get","ids":[..],"p"}` / `{"e":"got","ids":[..],"p"}`: a getdata sent / answered;
 * - `{"e":"pub","ids":[..]}`: an Inv published to our mesh;
 * - `{"e":"srv","id"}`: a tx is looked up in our mempool (`Mempool.get`), which the getdata
 *   server does to serve it;
 * - `{"e":"invs","id","n"}`: how many Invs named the tx within INV_COUNT_WINDOW_MS of the first.
 *
 * Experiments (BENCH_EXPERIMENTS, comma-separated; off by default, for what-if measurements of
 * proposed changes, never for the headline figures):
 * - `nogossip`: our gossipsub emits no IHAVE gossip (as with `mcacheGossip: 0` or `Dlazy: 0`);
 * - `noinbounddelay`: the RequestTracker treats every announcer as outbound (no inbound delay).
 *
 * The probe also stops the node (SIGTERM, the node's clean shutdown) when the driver's end of stdin
 * closes, so a killed driver never leaves nodes behind.
 */
import '../../src/polyfill.js';
import { GossipSub } from '@chainsafe/libp2p-gossipsub';
import { Mempool } from '../../src/chain/mempool/mempool.js';
import { InvRelay } from '../../src/p2p/relay/inv-relay.js';
import type { FetchedObjects, InvItem } from '../../src/p2p/relay/ports.js';
import { RequestTracker } from '../../src/p2p/relay/request-tracker.js';
import { InvType } from '../../src/p2p/wire/codec.js';
import { EventSink, exitWithParent, wallClockMs } from './events.js';

/** Txids whose first announcement we remember (trace mode); cleared when full. */
const MAX_TRACKED_IDS = 100_000;
/** Window (ms) over which the Invs naming one tx are counted (trace mode). */
const INV_COUNT_WINDOW_MS = 3_000;

const sink = new EventSink();
exitWithParent();

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const txIds = (items: readonly InvItem[]): string[] =>
  items.filter((item) => item.type === InvType.TX).map((item) => hex(item.hash));

type Accept = Mempool['acceptTransaction'];
const accept: Accept = Mempool.prototype.acceptTransaction;
if (typeof accept !== 'function') throw new Error('arrival probe: Mempool.acceptTransaction not found');
Mempool.prototype.acceptTransaction = function (this: Mempool, ...args: Parameters<Accept>) {
  const accepted = accept.apply(this, args);
  sink.emit({ e: 'acc', id: accepted.txidHex, t: wallClockMs(), b: args[0].length });
  return accepted;
};

if (process.env.BENCH_TRACE === '1') traceRelay();
applyExperiments((process.env.BENCH_EXPERIMENTS ?? '').split(',').filter((name) => name !== ''));

function applyExperiments(names: readonly string[]): void {
  for (const name of names) {
    if (name === 'nogossip') {
      const proto = GossipSub.prototype as unknown as Record<string, unknown>;
      if (typeof proto.emitGossip !== 'function') throw new Error('arrival probe: emitGossip not found');
      proto.emitGossip = () => {};
    } else if (name === 'noinbounddelay') {
      const receivedInv = RequestTracker.prototype.receivedInv;
      RequestTracker.prototype.receivedInv = function (this: RequestTracker, peer, key, opts) {
        return receivedInv.call(this, peer, key, { ...opts, outbound: true });
      };
    } else {
      throw new Error(`arrival probe: unknown experiment ${name}`);
    }
  }
}

/** The relay internals the trace reads; checked at run time so a refactor fails loudly here. */
interface RelayInternals {
  deps: {
    isPreferred(peer: string): boolean;
    channel: { publish(items: InvItem[]): Promise<void> };
    fetcher: { fetch(peer: string, items: InvItem[]): Promise<FetchedObjects> };
  };
}

function traceRelay(): void {
  /** Per txid: 1 = an Inv from a non-preferred peer seen, 2 = one from a preferred peer seen. */
  const seen = new Map<string, number>();
  /** Invs naming each txid, counted for INV_COUNT_WINDOW_MS after the first. */
  const invCounts = new Map<string, number>();
  const proto = InvRelay.prototype as unknown as Record<string, unknown>;
  const handleInv = proto.handleInv as InvRelay['handleInv'];
  const start = proto.start as InvRelay['start'];
  if (typeof handleInv !== 'function' || typeof start !== 'function') {
    throw new Error('arrival probe: InvRelay.handleInv/start not found');
  }
  InvRelay.prototype.handleInv = function (this: InvRelay, peer, items, msgId) {
    const t = wallClockMs();
    const { deps } = this as unknown as RelayInternals;
    let preferred: boolean | undefined;
    for (const id of txIds(items)) {
      const count = invCounts.get(id);
      if (count === undefined) {
        invCounts.set(id, 1);
        setTimeout(() => {
          sink.emit({ e: 'invs', id, n: invCounts.get(id) });
          invCounts.delete(id);
        }, INV_COUNT_WINDOW_MS).unref();
      } else {
        invCounts.set(id, count + 1);
      }
      const state = seen.get(id) ?? 0;
      if (state === 2) continue;
      preferred ??= deps.isPreferred(peer);
      if (state === 1 && !preferred) continue;
      if (seen.size >= MAX_TRACKED_IDS) seen.clear();
      seen.set(id, preferred ? 2 : 1);
      sink.emit({ e: 'inv', id, t, p: peer, pref: preferred });
    }
    return handleInv.call(this, peer, items, msgId);
  };
  const mempoolGet = Mempool.prototype.get;
  if (typeof mempoolGet !== 'function') throw new Error('arrival probe: Mempool.get not found');
  Mempool.prototype.get = function (this: Mempool, txidHex: string) {
    sink.emit({ e: 'srv', id: txidHex, t: wallClockMs() });
    return mempoolGet.call(this, txidHex);
  };
  InvRelay.prototype.start = function (this: InvRelay) {
    const { deps } = this as unknown as RelayInternals;
    const { channel, fetcher } = deps;
    const publish = channel.publish.bind(channel);
    const fetch = fetcher.fetch.bind(fetcher);
    channel.publish = (items) => {
      const ids = txIds(items);
      if (ids.length > 0) sink.emit({ e: 'pub', ids, t: wallClockMs() });
      return publish(items);
    };
    fetcher.fetch = async (peer, items) => {
      const ids = txIds(items);
      if (ids.length > 0) sink.emit({ e: 'get', ids, t: wallClockMs(), p: peer });
      const response = await fetch(peer, items);
      if (ids.length > 0) sink.emit({ e: 'got', ids, t: wallClockMs(), p: peer });
      return response;
    };
    return start.call(this);
  };
}
