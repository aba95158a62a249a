/**
 * What the getdata and sync servers serve: the application's view of its mempool and chain. The
 * node's composition layer implements it over the mempool and block store; tests use an in-memory map.
 */
import type { InvType } from './messages.pb.js';

export interface InventorySource {
  /** Canonical bytes of a tx (mempool) or block (stored), or undefined. */
  getObject(type: InvType, hash: Uint8Array): Promise<Uint8Array | undefined>;
  status(): { genesis: Uint8Array; tip: Uint8Array; height: number; cumulativeWork: bigint };
  /** Ids on the active chain after the fork point with `locator`, oldest first, at most `max`. */
  blocksAfter(locator: Uint8Array[], max: number): Uint8Array[];
  /** Header bytes of the same blocks as `blocksAfter`, oldest first, at most `max`. */
  headersAfter(locator: Uint8Array[], max: number): Promise<Uint8Array[]>;
  /**
   * Canonical bytes of the transactions at `indexes` (ascending) of stored block `blockId`; empty
   * when the block is not stored or an index is beyond its transactions.
   */
  blockTransactions(blockId: Uint8Array, indexes: readonly number[]): Promise<Uint8Array[]>;
  /**
   * Txids in the mempool, at most `max`; with `maxAgeMs`, only those of transactions dated at most
   * that long ago (the periodic anti-entropy exchange asks for recent ones only).
   */
  mempoolTxids(max: number, maxAgeMs?: number): Uint8Array[];
}
