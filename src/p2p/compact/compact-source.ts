/**
 * Where this node's compact blocks come from: one encoding per recent block, served to every peer
 * that asks and pushed to every high-bandwidth subscriber. It is the compact block a block was
 * rebuilt from (relayed as it came), or else built once from the stored block with a random nonce.
 * Also the transactions of a stored block by position (`BlockTxn`).
 */
import { LruMap } from '../../collections/lru-map.js';
import { blockParts, compactBlockOf, encodeCompactBlock } from './compact-block.js';

/**
 * Compact encodings kept (one per block): the blocks peers ask for are the newest few; a miss
 * costs one block read and one hash per transaction.
 */
export const COMPACT_CACHE_BLOCKS = 16;

/** Reads a stored valid block's canonical bytes. */
export type BlockReader = (idHex: string) => Promise<Uint8Array | undefined>;

export class CompactBlockSource {
  private readonly cache = new LruMap<string, Uint8Array>(COMPACT_CACHE_BLOCKS);

  /** `isStored`: whether `idHex` is a stored valid block (only those are ever served). */
  constructor(
    private readonly readBlock: BlockReader,
    private readonly isStored: (idHex: string) => boolean,
  ) {}

  /**
   * Keeps the compact block a block was rebuilt from, to relay as it came (its sender's nonce): no
   * block read and no hashing on the way on. Served only once the block is stored (valid); `forget`
   * it when the rebuilt block turned out not to match its header.
   */
  remember(idHex: string, encoded: Uint8Array): void {
    this.cache.set(idHex, encoded);
  }

  forget(idHex: string): void {
    this.cache.delete(idHex);
  }

  /** The encoded compact form of stored block `idHex`, or undefined when it is not stored. */
  async compactBlock(idHex: string): Promise<Uint8Array | undefined> {
    if (!this.isStored(idHex)) return undefined;
    const cached = this.cache.get(idHex);
    if (cached !== undefined) return cached;
    const bytes = await this.readBlock(idHex);
    if (bytes === undefined) return undefined;
    const encoded = encodeCompactBlock(compactBlockOf(bytes));
    this.cache.set(idHex, encoded);
    return encoded;
  }

  /** The transactions at `indexes` of stored block `idHex`; empty when not stored or out of range. */
  async transactions(idHex: string, indexes: readonly number[]): Promise<Uint8Array[]> {
    const bytes = await this.readBlock(idHex);
    if (bytes === undefined) return [];
    const { txs } = blockParts(bytes);
    if (indexes.some((index) => index >= txs.length)) return [];
    return indexes.map((index) => txs[index]!);
  }
}
