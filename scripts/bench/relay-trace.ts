/**
 * Per-hop analysis of a trustmesh run recorded with `--trace` (see arrival-probe.ts): where the time
 * between one node accepting a transaction and the next node accepting it goes.
 *
 * For each (tx, node v) other than the sender, v fetched the tx from some neighbour u. The hop's
 * time (v accepts - u accepts) splits into:
 * - announce: u's accept -> u publishes its Inv (the relay's setImmediate batching, then publish);
 * - inv: the Inv that reached v first: its announcer's publish -> v's handleInv (gossipsub transport);
 * - wait: v's first Inv -> v sends getdata (RequestTracker: 0 for a preferred announcer, the inbound
 *   delay for others; plus any wait for the relay to wake up);
 * - rtt: getdata sent -> response received, split into request (v sends getdata -> u's server looks
 *   the tx up) and response (lookup -> v has the response); validate: response -> v accepts.
 * The first Inv may come from another neighbour than the one v fetched from, so the parts need not
 * add up exactly to the hop. Transactions pushed to v (most of them) have no such steps:
 * `fetchedShare` says which share of all deliveries came by getdata, and `lastNodeDepth` counts
 * fetched hops only.
 */
import type { Injected } from './phase.js';
import { summary } from './stats.js';
import type { TrustmeshNetwork } from './trustmesh-network.js';

/** A getdata sent this long (ms) after the first Inv counts as delayed by the tracker. */
const DELAYED_FETCH_MS = 100;

export function analyseRelay(network: TrustmeshNetwork, injected: readonly Injected[]) {
  const announce: number[] = [];
  const inv: number[] = [];
  const wait: number[] = [];
  const rtt: number[] = [];
  const request: number[] = [];
  const response: number[] = [];
  const validate: number[] = [];
  const hop: number[] = [];
  const lastDepth: number[] = [];
  const invsPerTx: number[] = [];
  let fetches = 0;
  let deliveries = 0;
  let delayedFetches = 0;
  let firstInvNotPreferred = 0;
  let fetchedFromNotPreferred = 0;
  const waitWhenNotPreferred: number[] = [];
  const { traces, nodeOfPeer, arrivals } = network;
  for (const message of injected) {
    const accepted = arrivals.at(message.key);
    const parentOf = new Map<number, number>();
    for (const [v] of accepted) {
      if (v === message.sender) continue;
      deliveries++;
      const trace = traces[v]!;
      const invs = trace.invCount.get(message.key);
      if (invs !== undefined) invsPerTx.push(invs);
      const get = trace.get.get(message.key);
      const got = trace.got.get(message.key);
      const first = trace.inv.get(message.key);
      const acceptedAt = accepted.get(v)!;
      if (get === undefined) continue;
      const u = nodeOfPeer.get(get.peer);
      if (u === undefined) continue;
      parentOf.set(v, u);
      fetches++;
      const parentAccepted = accepted.get(u);
      if (parentAccepted !== undefined) hop.push(acceptedAt - parentAccepted);
      const parentPub = traces[u]!.pub.get(message.key);
      if (parentAccepted !== undefined && parentPub !== undefined) announce.push(parentPub - parentAccepted);
      if (first !== undefined) {
        const announcer = nodeOfPeer.get(first.peer);
        const announcerPub = announcer === undefined ? undefined : traces[announcer]!.pub.get(message.key);
        if (announcerPub !== undefined) inv.push(first.t - announcerPub);
        const waited = get.t - first.t;
        wait.push(waited);
        if (waited > DELAYED_FETCH_MS) delayedFetches++;
        if (!first.preferred) {
          firstInvNotPreferred++;
          waitWhenNotPreferred.push(waited);
        }
        // The peer we fetched from was preferred if it sent the first Inv as a preferred peer, or
        // the first Inv from a preferred peer.
        const fromPreferred =
          (first.peer === get.peer && first.preferred) ||
          trace.invPreferred.get(message.key)?.peer === get.peer;
        if (!fromPreferred) fetchedFromNotPreferred++;
      }
      if (got !== undefined) {
        rtt.push(got.t - get.t);
        validate.push(acceptedAt - got.t);
        // u's first lookup of the tx after v asked (others may have asked u for it too).
        const served = traces[u]!.srv.get(message.key)?.filter((t) => t >= get.t && t <= got.t);
        if (served !== undefined && served.length > 0) {
          const at = Math.min(...served);
          request.push(at - get.t);
          response.push(got.t - at);
        }
      }
    }
    // Depth of the node that had the tx last, along the fetched-from tree.
    let last = message.sender;
    for (const [v, t] of accepted) if (t > (accepted.get(last) ?? 0)) last = v;
    let d = 0;
    for (let v = last; v !== message.sender && d <= accepted.size; v = parentOf.get(v) ?? message.sender) d++;
    lastDepth.push(d);
  }
  return {
    deliveries,
    fetches,
    fetchedShare: deliveries === 0 ? null : Math.round((fetches / deliveries) * 1000) / 1000,
    hopMs: summary(hop),
    announceMs: summary(announce),
    invTransportMs: summary(inv),
    requestWaitMs: summary(wait),
    getdataRttMs: summary(rtt),
    getdataRequestMs: summary(request),
    getdataResponseMs: summary(response),
    validateMs: summary(validate),
    delayedFetchShare: fetches === 0 ? null : Math.round((delayedFetches / fetches) * 1000) / 1000,
    firstInvFromNonPreferredShare:
      fetches === 0 ? null : Math.round((firstInvNotPreferred / fetches) * 1000) / 1000,
    requestWaitWhenFirstInvNonPreferredMs: summary(waitWhenNotPreferred),
    fetchedFromNonPreferredShare:
      fetches === 0 ? null : Math.round((fetchedFromNotPreferred / fetches) * 1000) / 1000,
    lastNodeDepth: summary(lastDepth, 2),
    invsReceivedPerTxPerNode: summary(invsPerTx, 2),
  };
}
