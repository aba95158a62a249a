/**
 * Block rules, as pure functions, cheapest first:
 *
 * 1. `checkHeaderContextFree`: version, field lengths, proof of work, miner signature.
 * 2. `checkHeaderContext`: against the parent chain (height, target, median time past, clock).
 * 3. `checkBlockBody`: coinbase placement, transaction syntax, duplicate txids, merkle root,
 *    transaction timestamps and signatures.
 * 4. `connectBlockTransactions`: ledger rules against the UTXO set of the parent chain; returns the
 *    UTXO diff (and undo data) without mutating anything.
 */
import { bytesEqual, HASH_LENGTH, toHex } from '../../crypto/hash.js';
import { PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH, verifySignatureCached } from '../../crypto/index.js';
import type { BlockHeader } from '../encoding/codec.js';
import { type ErrorCode, ensure, ValidationError } from '../errors.js';
import {
  BLOCK_VERSION,
  bytesToBigInt,
  type FullBlock,
  headerSigningHash,
  meetsTarget,
  merkleRoot,
} from '../objects/block.js';
import { isCoinbase, outpointKey, txidOf } from '../objects/transaction.js';
import { blockSubsidy, type ChainParams } from '../params.js';
import {
  checkTransactionInputs,
  checkTransactionSignatures,
  checkTransactionSyntax,
  type SpentOutput,
} from './transaction.js';
import type { Utxo, UtxoView } from './utxo.js';

/** What a block's header is checked against: facts about its parent chain. */
export interface BlockContext {
  readonly parentHeight: number;
  /** Median timestamp of the last 11 blocks ending at the parent. */
  readonly medianTimePast: number;
  /** The target the block must carry (see expectedTarget). */
  readonly expectedTarget: bigint;
}

/**
 * Version, field lengths and proof of work against the claimed target: what a header alone proves
 * (headers-first sync checks this much of every header before it fetches any block).
 */
export function checkHeaderPow(header: BlockHeader, blockId: Uint8Array, params: ChainParams): void {
  ensure(header.version === BLOCK_VERSION, 'UNSUPPORTED_VERSION', `block version ${header.version}`);
  ensure(
    header.prevHash.length === HASH_LENGTH &&
      header.merkleRoot.length === HASH_LENGTH &&
      header.target.length === HASH_LENGTH &&
      header.minerPublicKey.length === PUBLIC_KEY_LENGTH &&
      header.minerSignature.length === SIGNATURE_LENGTH,
    'BLOCK_BAD_STRUCTURE',
    'header field of the wrong length',
  );
  const target = bytesToBigInt(header.target);
  ensure(target > 0n && target <= params.powLimit, 'BLOCK_BAD_POW', 'target outside (0, powLimit]');
  ensure(meetsTarget(blockId, target), 'BLOCK_BAD_POW', 'block id above its target');
}

/** `checkHeaderPow`, then the miner's signature. */
export function checkHeaderContextFree(header: BlockHeader, blockId: Uint8Array, params: ChainParams): void {
  checkHeaderPow(header, blockId, params);
  ensure(
    verifySignatureCached(
      header.minerSignature,
      headerSigningHash(header, params.network),
      header.minerPublicKey,
    ),
    'BLOCK_BAD_SIGNATURE',
    'miner signature does not verify',
  );
}

/** Height, target and timestamps against the parent chain and the local clock. */
export function checkHeaderContext(
  header: BlockHeader,
  context: BlockContext,
  params: ChainParams,
  now: number,
): void {
  ensure(
    header.height === context.parentHeight + 1,
    'BLOCK_BAD_HEIGHT',
    `height ${header.height}, parent at ${context.parentHeight}`,
  );
  ensure(
    bytesToBigInt(header.target) === context.expectedTarget,
    'BLOCK_BAD_TARGET',
    'wrong difficulty target',
  );
  ensure(
    header.timestamp > context.medianTimePast,
    'BLOCK_TIME_TOO_OLD',
    `timestamp ${header.timestamp} not above median time past ${context.medianTimePast}`,
  );
  if (header.timestamp > now + params.maxBlockFutureDriftMs) {
    const aheadMs = header.timestamp - now;
    throw new ValidationError('BLOCK_TIME_TOO_NEW', `dated ${aheadMs} ms in the future`, { aheadMs });
  }
}

/**
 * Context-free body checks; returns the txids in block order.
 *
 * The merkle root is checked first: once it matches, the body is exactly what the header (and so
 * the block id) commits to, and any later failure is a property of the block. Before it matches,
 * a failure only proves that whoever sent this body tampered with it: callers must not mark the
 * block id invalid for BLOCK_BAD_MERKLE_ROOT (see `isBodyTampering`), since an honest peer may
 * still serve the real body.
 */
export function checkBlockBody(block: FullBlock, params: ChainParams): Uint8Array[] {
  const { header, transactions } = block;
  const txids = transactions.map((tx) => txidOf(tx));
  ensure(bytesEqual(merkleRoot(txids), header.merkleRoot), 'BLOCK_BAD_MERKLE_ROOT', 'merkle root mismatch');
  ensure(transactions.length > 0, 'BLOCK_BAD_STRUCTURE', 'block has no transactions');
  const coinbase = transactions[0]!;
  ensure(isCoinbase(coinbase), 'BLOCK_BAD_COINBASE', 'first transaction is not a coinbase');
  ensure(
    coinbase.coinbaseHeight === header.height,
    'BLOCK_BAD_COINBASE',
    'coinbase height differs from block',
  );
  const seen = new Set<string>();
  transactions.forEach((tx, i) => {
    if (i > 0) ensure(!isCoinbase(tx), 'BLOCK_BAD_COINBASE', `transaction ${i} is a second coinbase`);
    checkTransactionSyntax(tx, i === 0);
    ensure(
      tx.timestamp <= header.timestamp + params.maxTxAfterBlockMs,
      'BLOCK_TX_TIME_TOO_NEW',
      `transaction ${i} dated after its block`,
    );
    const key = toHex(txids[i]!);
    ensure(!seen.has(key), 'BLOCK_DUPLICATE_TX', `transaction ${i} appears twice`);
    seen.add(key);
  });
  for (const tx of transactions) checkTransactionSignatures(tx, params);
  return txids;
}

/**
 * True when a block failure proves only that the delivered bytes were tampered with (the body does
 * not match the header), not that the block id is invalid: encoding errors and a merkle mismatch.
 */
export function isBodyTampering(code: ErrorCode): boolean {
  return (
    code === 'BLOCK_BAD_MERKLE_ROOT' ||
    code === 'OVERSIZE' ||
    code === 'MALFORMED_ENCODING' ||
    code === 'NON_CANONICAL_ENCODING'
  );
}

export interface CreatedOutput {
  readonly key: string;
  readonly utxo: Utxo;
}

/** The effect of connecting a block: outputs it spends (its undo data) and outputs it creates. */
export interface UtxoDiff {
  readonly spent: SpentOutput[];
  readonly created: CreatedOutput[];
  readonly fees: bigint;
}

/**
 * Ledger rules for a block whose body passed checkBlockBody, against the UTXO set of its parent
 * chain. Outputs created earlier in the block may be spent later in it; nothing is spent twice.
 */
export function connectBlockTransactions(
  block: FullBlock,
  txids: readonly Uint8Array[],
  view: UtxoView,
  params: ChainParams,
): UtxoDiff {
  const height = block.header.height;
  const createdInBlock = new Map<string, Utxo>();
  const spentInBlock = new Set<string>();
  const overlay: UtxoView = {
    getUtxo: (key) => (spentInBlock.has(key) ? undefined : (createdInBlock.get(key) ?? view.getUtxo(key))),
  };
  const spent: SpentOutput[] = [];
  const created: CreatedOutput[] = [];
  let fees = 0n;
  block.transactions.forEach((tx, i) => {
    if (i > 0) {
      for (const input of tx.inputs) {
        const key = outpointKey(input.prevTxid, input.outputIndex);
        ensure(!spentInBlock.has(key), 'BLOCK_DOUBLE_SPEND', `outpoint ${key} spent twice in the block`);
      }
      const result = checkTransactionInputs(tx, overlay, height, params, 'block');
      for (const s of result.spent) {
        spentInBlock.add(s.key);
        spent.push(s);
      }
      fees += result.fee;
    }
    tx.outputs.forEach((output, index) => {
      const key = outpointKey(txids[i]!, index);
      const utxo: Utxo = { amount: output.amount, address: output.address, height, coinbase: i === 0 };
      createdInBlock.set(key, utxo);
      created.push({ key, utxo });
    });
  });
  const coinbaseOut = block.transactions[0]!.outputs.reduce((sum, output) => sum + output.amount, 0n);
  const allowed = blockSubsidy(params, height) + fees;
  ensure(
    coinbaseOut <= allowed,
    'BLOCK_COINBASE_TOO_LARGE',
    `coinbase pays ${coinbaseOut}, allowed ${allowed}`,
  );
  // Outputs created and spent within the block never reach the UTXO set.
  return {
    spent: spent.filter((s) => !createdInBlock.has(s.key)),
    created: created.filter((c) => !spentInBlock.has(c.key)),
    fees,
  };
}
