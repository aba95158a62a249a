/**
 * Typed validation errors. Every rule failure is a `ValidationError` with a code and a verdict:
 *
 * - `REJECT`: the bytes are provably invalid, on every node, whatever its state or clock. Whoever
 *   sent them is at fault (the reputation layer punishes the sender).
 * - `IGNORE`: the object cannot be judged now or could come from an honest peer (unknown parent,
 *   duplicate, spent input after a reorg, clock skew, relay policy). The object is dropped; the
 *   sender is at most mildly penalised by policy, never for consensus.
 *
 * The table below is the single source of truth for each code's verdict; PROTOCOL.md documents it.
 */

export type Verdict = 'REJECT' | 'IGNORE';

export const ERROR_VERDICTS = {
  // --- encoding (REJECT) ---
  /** Larger than the protocol's size limit for this object. */
  OVERSIZE: 'REJECT',
  /** Not decodable as the expected protobuf message (or a repeated field over its limit). */
  MALFORMED_ENCODING: 'REJECT',
  /** Decodable, but re-encoding gives other bytes (unknown fields, default values sent, field order). */
  NON_CANONICAL_ENCODING: 'REJECT',
  /** Version field this node does not know. */
  UNSUPPORTED_VERSION: 'REJECT',
  /** Delivered object does not hash to the id it was requested by. */
  HASH_MISMATCH: 'REJECT',

  // --- transaction, context free (REJECT) ---
  TX_NO_OUTPUTS: 'REJECT',
  TX_TOO_MANY_INPUTS: 'REJECT',
  TX_TOO_MANY_OUTPUTS: 'REJECT',
  /** A hash, key, signature or address field has the wrong length. */
  TX_BAD_FIELD_LENGTH: 'REJECT',
  /** Output amount zero, or an amount or the sum above MAX_MONEY. */
  TX_BAD_AMOUNT: 'REJECT',
  /** The same outpoint spent twice within one transaction. */
  TX_DUPLICATE_INPUT: 'REJECT',
  /** Coinbase fields misused: a non-coinbase with coinbaseHeight, or a coinbase relayed loose. */
  TX_BAD_COINBASE: 'REJECT',
  /** An input's Ed25519 signature does not verify against the sighash. */
  TX_BAD_SIGNATURE: 'REJECT',

  // --- transaction, against the ledger ---
  /** The input's public key does not hash to the address of the output it spends. */
  TX_WRONG_SPENDER: 'REJECT',
  /** Inputs sum to less than the outputs. */
  TX_INSUFFICIENT_FUNDS: 'REJECT',
  /** An input is not in the UTXO set of our tip: unknown, or already spent (possibly after a reorg). */
  TX_MISSING_INPUTS: 'IGNORE',
  /** Spends a coinbase output that is not mature at our tip (a reorg can make this honest). */
  TX_IMMATURE_SPEND: 'IGNORE',

  // --- transaction, relay policy (IGNORE) ---
  /** Already in the mempool or recently confirmed. */
  TX_DUPLICATE: 'IGNORE',
  /** Spends an outpoint another mempool transaction spends. */
  TX_MEMPOOL_CONFLICT: 'IGNORE',
  /** Dated further in the future than the relay drift allows (clock skew or an attack). */
  TX_TIME_TOO_NEW: 'IGNORE',
  /** Older than the relay window: a stale copy or a replay. */
  TX_TOO_OLD: 'IGNORE',
  /** Fee per byte below the relay minimum, or the mempool is full of better-paying transactions. */
  TX_FEE_TOO_LOW: 'IGNORE',
  /** Would make a chain of unconfirmed transactions longer than the mempool's package limits. */
  TX_TOO_LONG_MEMPOOL_CHAIN: 'IGNORE',

  // --- block, context free (REJECT) ---
  /** Block id above its claimed target, or a target easier than the network's limit. */
  BLOCK_BAD_POW: 'REJECT',
  /** The miner's signature over the header does not verify. */
  BLOCK_BAD_SIGNATURE: 'REJECT',
  /** The header's merkle root is not the root of the block's txids. */
  BLOCK_BAD_MERKLE_ROOT: 'REJECT',
  /** No coinbase first, or a coinbase elsewhere, or a wrong coinbase height. */
  BLOCK_BAD_COINBASE: 'REJECT',
  /** Two transactions with the same txid. */
  BLOCK_DUPLICATE_TX: 'REJECT',
  /** A block with no transactions, too many, or a header field of the wrong length. */
  BLOCK_BAD_STRUCTURE: 'REJECT',

  // --- block, against its parent chain (REJECT: the parent is fixed by prevHash) ---
  /** Height is not parent height + 1. */
  BLOCK_BAD_HEIGHT: 'REJECT',
  /** Target differs from the retargeting rule's result. */
  BLOCK_BAD_TARGET: 'REJECT',
  /** Timestamp not above the median of the previous 11 blocks. */
  BLOCK_TIME_TOO_OLD: 'REJECT',
  /** A transaction is dated too far after the block. */
  BLOCK_TX_TIME_TOO_NEW: 'REJECT',
  /** Two transactions in the block spend the same outpoint (spending one the chain already spent is BLOCK_MISSING_INPUTS). */
  BLOCK_DOUBLE_SPEND: 'REJECT',
  /** An input spends an outpoint absent from the UTXO set of the parent chain. */
  BLOCK_MISSING_INPUTS: 'REJECT',
  /** An input spends an immature coinbase. */
  BLOCK_IMMATURE_SPEND: 'REJECT',
  /** The coinbase pays more than subsidy plus fees. */
  BLOCK_COINBASE_TOO_LARGE: 'REJECT',
  /** The block descends from a block known to be invalid. */
  BLOCK_INVALID_PARENT: 'REJECT',

  // --- block, cannot judge now (IGNORE) ---
  /** Parent unknown: kept as an orphan until the parent arrives. */
  BLOCK_UNKNOWN_PARENT: 'IGNORE',
  /** Dated too far in the future by our clock; may be valid later. */
  BLOCK_TIME_TOO_NEW: 'IGNORE',
  /** Already known. */
  BLOCK_DUPLICATE: 'IGNORE',
} as const satisfies Record<string, Verdict>;

export type ErrorCode = keyof typeof ERROR_VERDICTS;

/** A rule failure: `code` names the rule, `verdict` says whether the sender is provably at fault. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly verdict: Verdict;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Machine-readable facts about the failure (e.g. `ageMs` of a stale transaction). */
    readonly detail: Readonly<Record<string, number>> = {},
  ) {
    super(`${code}: ${message}`);
    this.verdict = ERROR_VERDICTS[code];
  }
}

/** Throws a ValidationError with `code` unless `condition` holds. */
export function ensure(condition: boolean, code: ErrorCode, message: string): asserts condition {
  if (!condition) throw new ValidationError(code, message);
}
