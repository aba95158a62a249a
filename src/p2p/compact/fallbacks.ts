/**
 * Blocks whose compact form did not rebuild, and which are fetched whole since, with the compact
 * blocks received for them. When the whole block arrives valid, each compact block is checked
 * against it: one that describes it truly failed by a short-id collision (no blame), one that does
 * not lied (BAD_COMPACT_BLOCK). Bounded: the oldest fallback is forgotten first, and a few compact
 * blocks are kept per block.
 */
import type { CompactBlock } from './compact-block.js';
import { compactMatchesBlock } from './reconstruct.js';

/** Blocks tracked at once (a fallback is rare: a collision or a lie; a new block comes every few s). */
export const MAX_FULL_BLOCK_FALLBACKS = 64;
/** Compact blocks kept per block to check (one per high-bandwidth peer and a getdata answer). */
export const MAX_CLAIMS_PER_BLOCK = 4;

export class CompactFallbacks {
  private readonly claims = new Map<string, Array<{ peer: string; compact: CompactBlock }>>();

  /** Whether block `key` is to be fetched whole. */
  wantsWhole(key: string): boolean {
    return this.claims.has(key);
  }

  /** Block `key` is to be fetched whole; `claim`: the compact block that failed, to check later. */
  fetchWhole(key: string, claim?: { peer: string; compact: CompactBlock }): void {
    if (!this.claims.has(key) && this.claims.size >= MAX_FULL_BLOCK_FALLBACKS) {
      this.claims.delete(this.claims.keys().next().value!);
    }
    const list = this.claims.get(key) ?? [];
    if (claim !== undefined && list.length < MAX_CLAIMS_PER_BLOCK) list.push(claim);
    this.claims.set(key, list);
  }

  /** The whole block `key` arrived valid: forgets it, and returns the peers whose compact block lied. */
  settle(key: string, blockBytes: Uint8Array): string[] {
    const list = this.claims.get(key);
    if (list === undefined) return [];
    this.claims.delete(key);
    return list.filter(({ compact }) => !compactMatchesBlock(compact, blockBytes)).map(({ peer }) => peer);
  }
}
