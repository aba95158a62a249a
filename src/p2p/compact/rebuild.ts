/**
 * Receiving a compact block: match its short ids against our mempool, ask the sender for the
 * transactions still missing (`getBlockTxn`, one sync request), and rebuild the block's bytes.
 * The caller (the relay) validates the rebuilt block like a fetched one, or, on a fallback,
 * fetches the whole block; it alone decides blame.
 *
 * Outcomes, each with its reason:
 * - `block`: every transaction found; the block pipeline checks its merkle root (a mismatch there
 *   is a `collision` fallback, decided by the relay).
 * - `fallback`: no fault shown: the compact block repeats a short id, or too many are missing for
 *   one `getBlockTxn`, or the sender does not hold the block (an empty `BlockTxn`) or did not answer.
 * - `lied`: the sender's `BlockTxn` transactions are not the ones its short ids name (the wire
 *   decoder already refused a wrong count): a protocol violation by the sender.
 */
import { txidOfBytes } from '../../chain/objects/transaction.js';
import { MAX_BLOCK_TXN_INDEXES } from '../wire/constants.js';
import type { CompactBlock } from './compact-block.js';
import { fillMissing, type HeldTransaction, matchShortIds, rebuildBlock } from './reconstruct.js';

export type FallbackReason = 'ambiguous' | 'collision' | 'too-many-missing' | 'not-served' | 'failed';

export type RebuildOutcome =
  | { readonly kind: 'block'; readonly bytes: Uint8Array; readonly missing: number }
  | { readonly kind: 'fallback'; readonly reason: FallbackReason }
  | { readonly kind: 'lied'; readonly evidence: string };

export interface RebuildDeps {
  /** The transactions we hold (our mempool), matched by short id. */
  held(): Iterable<HeldTransaction>;
  /** The sender's transactions at `indexes` of block `blockId`; empty when it does not hold it. */
  fetchTransactions(peer: string, blockId: Uint8Array, indexes: number[]): Promise<Uint8Array[]>;
}

export async function rebuildFromCompact(
  peer: string,
  compact: CompactBlock,
  deps: RebuildDeps,
): Promise<RebuildOutcome> {
  const match = matchShortIds(compact, deps.held());
  if (match.kind === 'ambiguous') return { kind: 'fallback', reason: 'ambiguous' };
  const { txs, missing } = match;
  if (missing.length > MAX_BLOCK_TXN_INDEXES) return { kind: 'fallback', reason: 'too-many-missing' };
  if (missing.length > 0) {
    let served: Uint8Array[];
    try {
      served = await deps.fetchTransactions(peer, compact.blockId, missing);
    } catch {
      return { kind: 'fallback', reason: 'failed' };
    }
    if (served.length === 0) return { kind: 'fallback', reason: 'not-served' };
    if (!fillMissing(compact, txs, missing, served)) {
      const wrong = served.find((tx, i) => !fillMissing(compact, [...txs], [missing[i]!], [tx]));
      const what =
        wrong === undefined
          ? 'transactions'
          : `transaction ${Buffer.from(txidOfBytes(wrong)).toString('hex')}`;
      return { kind: 'lied', evidence: `BlockTxn ${what} not named by its compact block's short ids` };
    }
  }
  const bytes = rebuildBlock(compact, txs);
  if (bytes === undefined) return { kind: 'fallback', reason: 'failed' };
  return { kind: 'block', bytes, missing: missing.length };
}
