/**
 * Rebuilding a block from a compact block and the mempool (BIP152's reconstruction), as pure
 * functions: match short ids to mempool transactions, take the missing ones from a `BlockTxn`
 * answer, assemble the block, and tell a collision from a lie.
 *
 * - A short id that two mempool transactions share is left missing (asked for), never guessed.
 * - A compact block that repeats a short id cannot be rebuilt by matching: it is `ambiguous`, and
 *   the receiver fetches the whole block (an honest sender can produce one by accident).
 * - A rebuilt block whose merkle root differs from the header's means a mempool transaction
 *   shared a short id with a block transaction we did not hold. The block pipeline computes that
 *   root anyway (and says so with a body-tampering code, which never marks the block id invalid),
 *   so it is not computed twice here; the receiver then fetches the whole block. Whether the sender
 *   lied is decided then, by `compactMatchesBlock`.
 */
import { txidOfBytes } from '../../chain/objects/transaction.js';
import { bytesEqual } from '../../crypto/hash.js';
import { assembleBlock, blockParts, type CompactBlock } from './compact-block.js';
import { shortIdKey, shortIdOf } from './short-ids.js';

/** A transaction the receiver holds, by txid and canonical bytes. */
export interface HeldTransaction {
  readonly txid: Uint8Array;
  readonly bytes: Uint8Array;
}

export type Reconstruction =
  | { readonly kind: 'ambiguous' }
  | {
      readonly kind: 'partial';
      /** The block's transactions by position (0: the coinbase); undefined where still missing. */
      readonly txs: Array<Uint8Array | undefined>;
      /** Positions still missing, ascending. */
      readonly missing: number[];
    };

/** Matches the compact block's short ids against `held` (the mempool). */
export function matchShortIds(compact: CompactBlock, held: Iterable<HeldTransaction>): Reconstruction {
  const positions = new Map<number, number>();
  for (const [i, id] of compact.shortIds.entries()) {
    if (positions.has(id)) return { kind: 'ambiguous' };
    positions.set(id, i + 1);
  }
  const txs: Array<Uint8Array | undefined> = [compact.coinbase, ...compact.shortIds.map(() => undefined)];
  const collided = new Set<number>();
  if (positions.size > 0) {
    const key = shortIdKey(compact.header, compact.nonce);
    for (const tx of held) {
      const position = positions.get(shortIdOf(key, tx.txid));
      if (position === undefined) continue;
      if (txs[position] !== undefined) collided.add(position);
      txs[position] = tx.bytes;
    }
  }
  for (const position of collided) txs[position] = undefined;
  const missing: number[] = [];
  txs.forEach((tx, position) => {
    if (tx === undefined) missing.push(position);
  });
  return { kind: 'partial', txs, missing };
}

/**
 * Fills `missing` positions with the `BlockTxn` answer; false (and nothing filled) when the answer
 * does not fit: a wrong count, or a transaction whose short id is not the one at its position.
 */
export function fillMissing(
  compact: CompactBlock,
  txs: Array<Uint8Array | undefined>,
  missing: readonly number[],
  served: readonly Uint8Array[],
): boolean {
  if (served.length !== missing.length) return false;
  const key = shortIdKey(compact.header, compact.nonce);
  for (const [i, position] of missing.entries()) {
    if (shortIdOf(key, txidOfBytes(served[i]!)) !== compact.shortIds[position - 1]) return false;
  }
  for (const [i, position] of missing.entries()) txs[position] = served[i];
  return true;
}

/**
 * The canonical bytes of the block the compact block and `txs` describe, once every transaction is
 * present; undefined while one is missing. Its merkle root is checked by the block pipeline.
 */
export function rebuildBlock(
  compact: CompactBlock,
  txs: ReadonlyArray<Uint8Array | undefined>,
): Uint8Array | undefined {
  if (txs.some((tx) => tx === undefined)) return undefined;
  return assembleBlock(compact.header, txs as readonly Uint8Array[]);
}

/**
 * Whether `compact` describes `blockBytes` truthfully: the same header and coinbase, and the short
 * ids of the block's transactions under the compact block's own salt. False means its sender lied
 * (an offence); true after a failed rebuild means the failure was a collision (no blame).
 */
export function compactMatchesBlock(compact: CompactBlock, blockBytes: Uint8Array): boolean {
  let parts: ReturnType<typeof blockParts>;
  try {
    parts = blockParts(blockBytes);
  } catch {
    return false;
  }
  if (!bytesEqual(parts.header, compact.header) || !bytesEqual(parts.txs[0]!, compact.coinbase)) return false;
  if (parts.txs.length - 1 !== compact.shortIds.length) return false;
  const key = shortIdKey(compact.header, compact.nonce);
  return parts.txs.slice(1).every((tx, i) => shortIdOf(key, txidOfBytes(tx)) === compact.shortIds[i]);
}
