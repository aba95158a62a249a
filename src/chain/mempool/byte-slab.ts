/**
 * `ByteSlab`: copies small, long-lived byte strings (pooled transactions) into shared chunks and
 * hands back views into them, instead of one `slice()` per transaction.
 *
 * A `slice()` of a few hundred bytes costs a separate ArrayBuffer object (~90 bytes of JS heap)
 * and its own malloc'd backing store. Ten thousand of those, allocated one by one between the
 * transient buffers of relaying them, end up scattered over the process's malloc heap, so each one
 * keeps a page resident long after the buffers around it were freed (the devnet's memory bench,
 * docs/performance.md). Copied into SLAB_CHUNK_BYTES chunks, the same bytes sit together in a few
 * allocations, and the views share one ArrayBuffer per chunk.
 *
 * Views are plain `Uint8Array`s, valid as long as they are referenced (the chunk lives as long as
 * any view into it does). Writing through a view changes only that view's bytes. A chunk is not
 * reused once full: a chunk lives as long as one view into it, so one long-lived view can keep a
 * whole chunk. Typically nothing is wasted (a mined block frees its transactions together); the
 * mempool bounds the worst case by copying what it holds into a fresh slab (mempool.ts,
 * SLAB_COMPACT_FACTOR).
 */

/** Size (unit: bytes) of one chunk: ~250 payments, small beside the 20 MB a full pool may hold. */
export const SLAB_CHUNK_BYTES = 64 * 1024;

/**
 * Largest byte string (unit: bytes) copied into a chunk; a larger one gets its own buffer, so a
 * chunk never wastes more than this at its end.
 */
export const SLAB_MAX_ITEM_BYTES = 4 * 1024;

export class ByteSlab {
  #chunk: Uint8Array = new Uint8Array(0);
  #used = 0;

  constructor(
    private readonly chunkBytes = SLAB_CHUNK_BYTES,
    private readonly maxItemBytes = SLAB_MAX_ITEM_BYTES,
  ) {
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
      throw new RangeError(`chunkBytes must be a positive integer, got ${chunkBytes}`);
    }
    if (!Number.isSafeInteger(maxItemBytes) || maxItemBytes < 0 || maxItemBytes > chunkBytes) {
      throw new RangeError(`maxItemBytes must be an integer in [0, chunkBytes], got ${maxItemBytes}`);
    }
  }

  /** A copy of the concatenation of `parts`, as a view into a shared chunk (or its own buffer). */
  store(...parts: readonly Uint8Array[]): Uint8Array {
    let length = 0;
    for (const part of parts) length += part.length;
    let target: Uint8Array;
    if (length > this.maxItemBytes) {
      target = new Uint8Array(length);
    } else {
      if (this.#used + length > this.#chunk.length) {
        this.#chunk = new Uint8Array(this.chunkBytes);
        this.#used = 0;
      }
      target = this.#chunk.subarray(this.#used, this.#used + length);
      this.#used += length;
    }
    let offset = 0;
    for (const part of parts) {
      target.set(part, offset);
      offset += part.length;
    }
    return target;
  }
}
