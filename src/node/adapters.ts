/**
 * Adapters from the node's real services to the narrow ports the relay and sync are written
 * against (src/p2p/relay/ports.ts, src/p2p/sync/block-sync.ts), and to the InventorySource the
 * getdata and sync servers serve from. Each takes the concrete services it adapts, never the node.
 * Only type conversions and lookups live here; no decisions.
 */

import { decodeHeader } from '../chain/encoding/codec.js';
import type { ChainParams } from '../chain/params.js';
import { checkHeaderPow } from '../chain/rules/block.js';
import type { Chain } from '../chain/state/index.js';
import { toHex } from '../crypto/hash.js';
import type { GetDataClient } from '../p2p/getdata/client.js';
import type { P2PNode } from '../p2p/node/create-node.js';
import type { TxPushServer } from '../p2p/push/server.js';
import type { CompactBlockSource } from '../p2p/compact/compact-source.js';
import type {
  AnnouncementChannel,
  CompactBlockPort,
  ObjectFetcher,
  RelayChain,
  TxPushChannel,
} from '../p2p/relay/ports.js';
import { REQUEST_TIMEOUT_MS } from '../p2p/relay/request-tracker.js';
import type { SyncChain, SyncTransport } from '../p2p/sync/block-sync.js';
import type { SyncClient } from '../p2p/sync/client.js';
import { encodeInv, InvType, invTypeName, PushMode } from '../p2p/wire/codec.js';
import type { InventorySource } from '../p2p/wire/inventory-source.js';
import type { AcceptRate } from './accept-rate.js';
import type { NodeMetrics } from './metrics.js';

/**
 * Margin (ms) kept from the relay window when serving our mempool to a new peer, or announcing
 * transactions a reorg returned: transactions older than (txMaxAgeMs - margin) are not offered, so
 * a peer never receives one that its own clock already finds stale (a stale one costs the sender).
 */
export const MEMPOOL_OFFER_MARGIN_MS = 30_000;
/**
 * How long (ms) the getdata client waits for an answer: twice the tracker's request timeout, so an
 * answer that arrives during or right after a stall of our own event loop is still read and used
 * (the tracker has already moved the request on; a late object is still validated).
 */
const FETCH_TIMEOUT_MS = 2 * REQUEST_TIMEOUT_MS;

export interface RelayChainModules {
  readonly chain: Chain;
  readonly acceptRate: AcceptRate;
  readonly metrics: NodeMetrics;
  readonly now: () => number;
}

export function relayChain({ chain, acceptRate, metrics, now }: RelayChainModules): RelayChain {
  return {
    hasObject: (type, idHex) =>
      type === 'tx'
        ? chain.mempool.has(idHex) || chain.findTransaction(idHex) !== undefined
        : chain.hasBlock(idHex) || chain.isInvalid(idHex),
    acceptTransaction: (bytes) => {
      const accepted = chain.acceptTransaction(bytes);
      acceptRate.note();
      const entry = chain.mempool.entry(accepted.txidHex);
      if (entry !== undefined) metrics.relayLatency.observe(Math.max(0, now() - entry.timestamp) / 1_000);
      return { txidHex: accepted.txidHex, timestamp: entry?.timestamp ?? now() };
    },
    checkCompactHeader: (headerBytes, blockId) => {
      const header = decodeHeader(headerBytes);
      checkHeaderPow(header, blockId, chain.params);
      return chain.placeOfHeader(header, toHex(blockId));
    },
    processBlock: (bytes) => chain.processBlock(bytes),
  };
}

export function objectFetcher(client: GetDataClient): ObjectFetcher {
  return {
    async fetch(peer, items) {
      const response = await client.requestObjects(peer, items, { timeoutMs: FETCH_TIMEOUT_MS });
      return {
        objects: response.objects.map((object) => ({
          type: object.type === InvType.COMPACT_BLOCK ? ('compact' as const) : invTypeName(object.type),
          payload: object.payload,
        })),
        notFound: response.notFound,
        deferred: response.deferred,
      };
    },
  };
}

export function announcementChannel(p2p: P2PNode): AnnouncementChannel {
  return {
    async publish(items) {
      return (await p2p.gossipsub.publish(p2p.invTopic, encodeInv(items))).recipients.length;
    },
  };
}

export function txPushChannel(server: TxPushServer): TxPushChannel {
  return {
    *subscribers() {
      for (const { peer, mode, compactBlocks } of server.subscribers())
        yield { peer, all: mode === PushMode.ALL, compactBlocks };
    },
    push: (peer, payload) => server.push(peer, payload),
    pushCompactBlock: (peer, compactBlock) => server.pushCompactBlock(peer, compactBlock),
  };
}

/** Compact block relay over our block store, mempool and the sync protocol's `getBlockTxn`. */
export function compactBlockPort(
  source: CompactBlockSource,
  chain: Chain,
  client: SyncClient,
): CompactBlockPort {
  return {
    compactOf: (idHex) => source.compactBlock(idHex),
    remember: (idHex, encoded) => source.remember(idHex, encoded),
    forget: (idHex) => source.forget(idHex),
    held: () => chain.mempool.entries(),
    fetchTransactions: (peer, blockId, indexes) => client.requestBlockTransactions(peer, blockId, indexes),
  };
}

/** What the node serves: its mempool and block store, the chain status, and fresh mempool txids. */
export function inventorySource(
  chain: Chain,
  params: ChainParams,
  now: () => number,
  compact: CompactBlockSource,
): InventorySource {
  return {
    async getObject(type, hash) {
      const idHex = toHex(hash);
      if (type === InvType.COMPACT_BLOCK) return compact.compactBlock(idHex);
      return invTypeName(type) === 'tx' ? chain.mempool.get(idHex) : chain.getBlockBytes(idHex);
    },
    blockTransactions: (blockId, indexes) => compact.transactions(toHex(blockId), indexes),
    status() {
      const tip = chain.tip();
      return {
        genesis: chain.genesis().id,
        tip: tip.id,
        height: tip.height,
        cumulativeWork: tip.cumulativeWork,
      };
    },
    blocksAfter(locator, max) {
      return chain.blocksAfter(chain.findForkPoint(locator).idHex, max);
    },
    headersAfter(locator, max) {
      return chain.headersAfter(chain.findForkPoint(locator).idHex, max);
    },
    mempoolTxids(max, maxAgeMs) {
      const freshAfter = Math.max(
        now() - params.txMaxAgeMs + MEMPOOL_OFFER_MARGIN_MS,
        maxAgeMs === undefined ? Number.NEGATIVE_INFINITY : now() - maxAgeMs,
      );
      const fresh: Uint8Array[] = [];
      for (const entry of chain.mempool.entries()) {
        if (entry.timestamp >= freshAfter) fresh.push(entry.txid);
      }
      return sample(fresh, max);
    },
  };
}

/**
 * At most `max` of `items`, drawn uniformly at random when there are more (a partial Fisher-Yates
 * shuffle of their indices), in their original order: a mempool larger than one answer is offered
 * a different part each time, so repeated exchanges cover all of it (offering the oldest `max`
 * every time would never offer the rest), and pooled parents still come before their children.
 */
export function sample<T>(items: readonly T[], max: number, random: () => number = Math.random): T[] {
  if (items.length <= max) return [...items];
  const indices = Array.from(items, (_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(random() * (indices.length - i));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices
    .slice(0, max)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}

export function syncChain(chain: Chain): SyncChain {
  return {
    genesisHex: () => chain.genesis().idHex,
    tipWork: () => chain.tip().cumulativeWork,
    locator: () => chain.locator(),
    hasBlock: (idHex) => chain.hasBlock(idHex),
    workOf: (idHex) => chain.getEntry(idHex)?.cumulativeWork,
    processBlock: (bytes) => chain.processBlock(bytes),
    headerChainFrom: (idHex) => chain.headerChainFrom(idHex),
    expectHeaders: (headers) => chain.expectHeaders(headers),
  };
}

export function syncTransport(client: SyncClient): SyncTransport {
  return {
    status: (peer) => client.requestStatus(peer),
    headersAfter: (peer, locator, max) => client.requestHeadersAfter(peer, locator, max),
    mempool: (peer, maxAgeSeconds) =>
      client.requestMempool(peer, maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
  };
}
