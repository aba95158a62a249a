/**
 * The node's event wiring: what each service does when a peer connects or disconnects, when the
 * chain connects a block, changes its tip or reorganises, and when the miner finds a block.
 * Listeners are added on start; the services they feed are stopped after this one, in reverse order.
 */
import { decodeBlock } from '../chain/encoding/codec.js';
import { txidOf } from '../chain/objects/transaction.js';
import { toHex } from '../crypto/hash.js';
import type { NodeServices } from './services.js';
import type { Startable } from './lifecycle.js';

/** Delay (ms) after a connection opens before we open protocol streams on it (lets identify finish). */
const CONNECT_SETTLE_MS = 250;

export function wireEvents(services: NodeServices): Startable {
  const {
    peers,
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
  } = services;
  let running = false;
  const settling = new Set<NodeJS.Timeout>();

  /**
   * After a reorg, the transactions of the disconnected blocks that went back into our mempool are
   * announced again: peers that saw them confirmed on the losing branch (or never saw them) would
   * otherwise never learn that they are pending again, and they would be lost to everyone else.
   */
  async function announceReturned(disconnected: readonly string[]): Promise<void> {
    try {
      for (const idHex of disconnected) {
        const bytes = await chain.getBlockBytes(idHex);
        if (bytes === undefined) continue;
        for (const tx of decodeBlock(bytes).transactions.slice(1)) {
          const txid = txidOf(tx);
          if (chain.mempool.has(toHex(txid))) relay.announce('tx', txid);
        }
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
      sync.peerConnected(peer);
      pushSubscriptions.peerConnected(peer, peers.isOutbound(peer));
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
  const onBlock = ({ entry, txids }: { entry: { idHex: string }; txids: readonly string[] }) =>
    relay.objectsArrived([`block:${entry.idHex}`, ...txids.map((txid) => `tx:${txid}`)]);
  const onTip = (tip: { height: number }) => {
    relay.tipChanged();
    metrics.chainHeight.set(tip.height);
  };
  const onReorg = (reorg: { disconnected: readonly string[] }) => {
    metrics.reorgs.inc();
    void announceReturned(reorg.disconnected);
  };
  const onMined = (result: { height: number; idHex: string; id: Uint8Array }) => {
    logger.info({ height: result.height, id: result.idHex }, 'mined block');
    relay.announce('block', result.id);
  };
  const onMiningFailure = (err: Error) => logger.warn({ err: err.message }, 'mining attempt failed');

  return {
    async start() {
      running = true;
      chain.on('block', onBlock);
      chain.on('tip', onTip);
      chain.on('reorg', onReorg);
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
      miner.off('block', onMined);
      miner.off('failure', onMiningFailure);
    },
  };
}
