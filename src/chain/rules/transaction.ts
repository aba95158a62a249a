/**
 * Transaction rules, as pure functions, cheapest first:
 *
 * 1. `checkTransactionSyntax`: context free (sizes, lengths, amounts, duplicate inputs).
 * 2. `checkRelayTimestamp`: relay policy only (a block's transactions are judged by consensus).
 * 3. `checkTransactionSignatures`: every input's Ed25519 signature over the sighash.
 * 4. `checkTransactionInputs`: against a UTXO view (inputs exist, belong to the signer, mature, funds).
 *
 * Steps 1 and 3 need no chain state, so a forged or malformed transaction gets the same REJECT
 * verdict on every node whatever its state.
 */

import { bytesEqual, HASH_LENGTH } from '../../crypto/hash.js';
import {
  ADDRESS_LENGTH,
  addressOf,
  PUBLIC_KEY_LENGTH,
  SIGNATURE_LENGTH,
  verifySignatureCached,
} from '../../crypto/index.js';
import type { Transaction } from '../encoding/codec.js';
import { MAX_TX_INPUTS, MAX_TX_OUTPUTS } from '../encoding/limits.js';
import { ensure, ValidationError } from '../errors.js';
import { isCoinbase, outpointKey, sighashOf, TX_VERSION } from '../objects/transaction.js';
import { type ChainParams, MAX_MONEY } from '../params.js';
import type { Utxo, UtxoView } from './utxo.js';

/** Context-free checks. `allowCoinbase`: only inside a block, as its first transaction. */
export function checkTransactionSyntax(tx: Transaction, allowCoinbase: boolean): void {
  ensure(tx.version === TX_VERSION, 'UNSUPPORTED_VERSION', `transaction version ${tx.version}`);
  ensure(tx.outputs.length > 0, 'TX_NO_OUTPUTS', 'transaction has no outputs');
  // The decoder caps these too; checking here keeps locally built transactions to the same rules.
  ensure(tx.inputs.length <= MAX_TX_INPUTS, 'TX_TOO_MANY_INPUTS', `${tx.inputs.length} inputs`);
  ensure(tx.outputs.length <= MAX_TX_OUTPUTS, 'TX_TOO_MANY_OUTPUTS', `${tx.outputs.length} outputs`);
  if (isCoinbase(tx)) {
    ensure(allowCoinbase, 'TX_BAD_COINBASE', 'a coinbase is only valid as the first transaction of a block');
  } else {
    ensure(tx.coinbaseHeight === 0, 'TX_BAD_COINBASE', 'coinbaseHeight set on a transaction with inputs');
  }
  let total = 0n;
  for (const output of tx.outputs) {
    ensure(output.address.length === ADDRESS_LENGTH, 'TX_BAD_FIELD_LENGTH', 'output address length');
    ensure(
      output.amount > 0n && output.amount <= MAX_MONEY,
      'TX_BAD_AMOUNT',
      `output amount ${output.amount}`,
    );
    total += output.amount;
    ensure(total <= MAX_MONEY, 'TX_BAD_AMOUNT', 'outputs sum above MAX_MONEY');
  }
  const spent = new Set<string>();
  for (const input of tx.inputs) {
    ensure(input.prevTxid.length === HASH_LENGTH, 'TX_BAD_FIELD_LENGTH', 'input prevTxid length');
    ensure(input.publicKey.length === PUBLIC_KEY_LENGTH, 'TX_BAD_FIELD_LENGTH', 'input public key length');
    ensure(input.signature.length === SIGNATURE_LENGTH, 'TX_BAD_FIELD_LENGTH', 'input signature length');
    const key = outpointKey(input.prevTxid, input.outputIndex);
    ensure(!spent.has(key), 'TX_DUPLICATE_INPUT', `outpoint ${key} spent twice`);
    spent.add(key);
  }
}

/** Relay policy: the timestamp must lie in [now - txMaxAgeMs, now + txMaxFutureDriftMs]. */
export function checkRelayTimestamp(tx: Transaction, params: ChainParams, now: number): void {
  if (tx.timestamp > now + params.txMaxFutureDriftMs) {
    const aheadMs = tx.timestamp - now;
    throw new ValidationError('TX_TIME_TOO_NEW', `dated ${aheadMs} ms in the future`, { aheadMs });
  }
  if (tx.timestamp < now - params.txMaxAgeMs) {
    const ageMs = now - tx.timestamp;
    throw new ValidationError('TX_TOO_OLD', `dated ${ageMs} ms ago, older than the relay window`, { ageMs });
  }
}

/** Verifies every input's signature (successes are cached process-wide, see SignatureCache). */
export function checkTransactionSignatures(tx: Transaction, params: ChainParams): void {
  if (tx.inputs.length === 0) return;
  const message = sighashOf(tx, params.network);
  tx.inputs.forEach((input, i) => {
    ensure(
      verifySignatureCached(input.signature, message, input.publicKey),
      'TX_BAD_SIGNATURE',
      `input ${i} signature does not verify`,
    );
  });
}

/** Where the inputs are being checked: the codes differ (a block's missing input is provable). */
export type InputContext = 'mempool' | 'block';

export interface SpentOutput {
  readonly key: string;
  readonly utxo: Utxo;
}

/**
 * Checks a non-coinbase transaction's inputs against `view` for inclusion at `spendHeight` and
 * returns the fee and the outputs it spends.
 */
export function checkTransactionInputs(
  tx: Transaction,
  view: UtxoView,
  spendHeight: number,
  params: ChainParams,
  context: InputContext,
): { fee: bigint; spent: SpentOutput[] } {
  let totalIn = 0n;
  const spent: SpentOutput[] = [];
  for (const input of tx.inputs) {
    const key = outpointKey(input.prevTxid, input.outputIndex);
    const utxo = view.getUtxo(key);
    ensure(
      utxo !== undefined,
      context === 'block' ? 'BLOCK_MISSING_INPUTS' : 'TX_MISSING_INPUTS',
      `input ${key} is not unspent`,
    );
    ensure(
      bytesEqual(addressOf(input.publicKey), utxo.address),
      'TX_WRONG_SPENDER',
      `input ${key} is signed by a key that does not own it`,
    );
    if (utxo.coinbase && utxo.height > 0) {
      ensure(
        spendHeight - utxo.height >= params.coinbaseMaturity,
        context === 'block' ? 'BLOCK_IMMATURE_SPEND' : 'TX_IMMATURE_SPEND',
        `coinbase output ${key} matures at height ${utxo.height + params.coinbaseMaturity}`,
      );
    }
    totalIn += utxo.amount;
    spent.push({ key, utxo });
  }
  const totalOut = tx.outputs.reduce((sum, output) => sum + output.amount, 0n);
  ensure(totalIn >= totalOut, 'TX_INSUFFICIENT_FUNDS', `inputs ${totalIn} < outputs ${totalOut}`);
  return { fee: totalIn - totalOut, spent };
}
