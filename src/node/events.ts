/**
 * The node's event wiring: what each service does when a peer connects or disconnects, when the
 * chain connects a block, changes its tip or reorganises, and when the miner finds a block.
 *
 * Blocks are announced here and only here, when they join the active chain, whatever brought them
 * (our miner, the relay, a sync session, the orphan pool when their parent came): a block that
 * connected as a side effect of another is announced like any other, so no neighbour waits for the
 * next status poll to learn it.
 * Listeners are added on start; the services they feed are stopped after this one, in reverse order.
 */
import { decodeBlock } from '../chain/encoding/codec.js';
import { txidOf } from '../chain/objects/transaction.js';
import { toHex } from '../crypto/hash.js';
import { MEMPOOL_OFFER_MARGIN_MS } from './adapters.js';
import type { NodeServices } from './services.js';
import type { Startable } from './lifecycle.js';

/** Delay (ms) after a connection opens before we open protocol streams on it (lets identify finish). */
const CONNECT_SETTLE_MS = 250;
/**
 * Most blocks announced for one tip change, as Bitcoin Core's MAX_BLOCKS_TO_ANNOUNCE: beyond it
 * (a long sync, a deep reorg) only the new tip is announced, and a peer that lacks its parent syncs.
 */
export const MAX_BLOCKS_TO_ANNOUNCE = 8;

export function wireEvents(services: NodeServices): Startable {
  const {
    peers,
    membership,
    reputation,
    relay,
    sync,
    getdataClient,
    pushSubscriptions,
    limiter,
    chain,
    miner,
    metrics,
    logger,
    params,
    now,
  } = services;
  /**
   * Whether a pending transaction may be announced again (after a reorg): only while every peer's
   * clock still finds it inside the relay window: an older one would cost us an offence at each
   * peer that fetched it. It stays in our own pool, for our miner.
   */
  const announceable = (timestamp: number) =>
    timestamp >= now() - params.txMaxAgeMs + MEMPOOL_OFFER_MARGIN_MS;
  let running = false;
  const settling = new Set<NodeJS.Timeout>();

  /**
   * After a reorg, the transactions of the disconnected blocks that went back into our mempool are
   * announced again, with the pooled payments that spend from them: peers that saw them confirmed on
   * the losing branch (or never saw them) would otherwise never learn that they are pending again,
   * and they would be lost to everyone else. Parents go first, so a peer can accept each child.
   */
  async function announceReturned(disconnected: readonly string[]): Promise<void> {
    try {
      const returned = new Set<string>();
      for (const idHex of disconnected) {
        const bytes = await chain.getBlockBytes(idHex);
        if (bytes === undefined) continue;
        for (const tx of decodeBlock(bytes).transactions.slice(1)) {
          const txidHex = toHex(txidOf(tx));
          if (!chain.mempool.has(txidHex)) continue;
          returned.add(txidHex);
          for (const descendant of chain.mempool.descendantsOf(txidHex)) returned.add(descendant);
        }
      }
      // The pool's own order puts parents first.
      for (const txidHex of chain.mempool.txids()) {
        if (!returned.has(txidHex)) continue;
        const entry = chain.mempool.entry(txidHex)!;
        if (announceable(entry.timestamp)) relay.relayReturnedTransaction(entry.txid, entry.bytes);
      }
    } catch (err) {
      logger.debug({ err: (err as Error).message }, 'returned transactions not announced');
    }
  }

  function onConnected(peer: string): void {
    if (!running) return;
    if (reputation.isQuarantined(peer)) {
      void peers.hangUp(peer).catch(() => undefined);
      return;
    }
    const timer = setTimeout(() => {
      settling.delete(timer);
      if (!running || !peers.has(peer)) return;
      // A block-relay-only connection carries no transactions: no mempool exchange (BlockSync
      // knows), no pushes.
      sync.peerConnected(peer);
      if (!membership.isBlockRelayOnly(peer)) pushSubscriptions.peerConnected(peer, peers.isOutbound(peer));
    }, CONNECT_SETTLE_MS);
    timer.unref();
    settling.add(timer);
  }
  peers.onPeerConnected(onConnected);
  peers.onPeerDisconnected((peer) => {
    relay.peerDisconnected(peer);
    getdataClient.forget(peer);
    pushSubscriptions.peerDisconnected(peer);
    limiter.forget(peer);
  });
  /** Blocks joined to the active chain since the last tip event, oldest first. */
  let joined: Uint8Array[] = [];
  const onBlock = ({
    entry,
    txids,
  }: {
    entry: { id: Uint8Array; idHex: string };
    txids: readonly string[];
  }) => {
    joined.push(entry.id);
    relay.objectsArrived([`block:${entry.idHex}`, ...txids.map((txid) => `tx:${txid}`)]);
  };
  const onTip = (tip: { id: Uint8Array; height: number }) => {
    relay.tipChanged();
    metrics.chainHeight.set(tip.height);
    const announced = joined.length > MAX_BLOCKS_TO_ANNOUNCE ? [tip.id] : joined;
    joined = [];
    for (const id of announced) relay.relayBlock(id);
  };
  /** Orphans that entered the mempool once their parent came: announced as if just fetched. */
  const onAdopted = (txids: readonly string[]) => {
    for (const txidHex of txids) {
      const entry = chain.mempool.entry(txidHex);
      if (entry !== undefined) relay.announce('tx', entry.txid);
    }
  };
  const onReorg = (reorg: { disconnected: readonly string[] }) => {
    metrics.reorgs.inc();
    void announceReturned(reorg.disconnected);
  };
  const onMined = (result: { height: number; idHex: string }) => {
    logger.info({ height: result.height, id: result.idHex }, 'mined block');
  };
  const onMiningFailure = (err: Error) => logger.warn({ err: err.message }, 'mining attempt failed');

  return {
    async start() {
      running = true;
      chain.on('block', onBlock);
      chain.on('tip', onTip);
      chain.on('reorg', onReorg);
      chain.on('adopted', onAdopted);
      miner.on('block', onMined);
      miner.on('failure', onMiningFailure);
      // Peers that connected while the services were starting.
      for (const peer of peers.list()) onConnected(peer);
    },
    async stop() {
      running = false;
      for (const timer of settling) clearTimeout(timer);
      chain.off('block', onBlock);
      chain.off('tip', onTip);
      chain.off('reorg', onReorg);
      chain.off('adopted', onAdopted);
      miner.off('block', onMined);
      miner.off('failure', onMiningFailure);
    },
  };
}
