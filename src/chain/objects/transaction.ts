/**
 * Transactions (UTXO model, like Bitcoin): ids, the signature hash, outpoint keys, and building
 * and signing new transactions.
 *
 * Every input carries the spender's Ed25519 public key and a signature over the sighash: a tagged
 * hash of the transaction encoded with all signatures empty, so one signature commits to every
 * input, every output and the timestamp. The network name is in the tag, so a transaction signed
 * for one network is invalid on every other.
 */
import { taggedHash, toHex } from '../../crypto/hash.js';
import { publicKeyOf, sign } from '../../crypto/index.js';
import { encodeTransaction, type Transaction, type TxOutput } from '../encoding/codec.js';

/** The only transaction version this node knows. */
export const TX_VERSION = 1;

const EMPTY = new Uint8Array(0);

/** A transaction id: tagged hash of the canonical encoding. */
export function txidOf(tx: Transaction): Uint8Array {
  return txidOfBytes(encodeTransaction(tx));
}

/** The id of an already-encoded (canonical) transaction. */
export function txidOfBytes(bytes: Uint8Array): Uint8Array {
  return taggedHash('trustmesh/txid', bytes);
}

/** The message every input of `tx` signs. */
export function sighashOf(tx: Transaction, network: string): Uint8Array {
  const unsigned: Transaction = { ...tx, inputs: tx.inputs.map((input) => ({ ...input, signature: EMPTY })) };
  return taggedHash(`trustmesh/${network}/sighash`, encodeTransaction(unsigned));
}

/** A coinbase has no inputs; its coinbaseHeight makes its txid unique per block. */
export function isCoinbase(tx: Transaction): boolean {
  return tx.inputs.length === 0;
}

/** Map key of an outpoint: `<txid hex>:<output index>`. */
export function outpointKey(txid: Uint8Array, index: number): string {
  return `${toHex(txid)}:${index}`;
}

export interface SpendInput {
  prevTxid: Uint8Array;
  outputIndex: number;
  secretKey: Uint8Array;
}

/** Builds and signs a transaction spending `inputs` to `outputs`. */
export function createTransaction(
  network: string,
  inputs: SpendInput[],
  outputs: TxOutput[],
  timestamp: number,
): Transaction {
  const tx: Transaction = {
    version: TX_VERSION,
    inputs: inputs.map((input) => ({
      prevTxid: input.prevTxid as Uint8Array<ArrayBuffer>,
      outputIndex: input.outputIndex,
      publicKey: publicKeyOf(input.secretKey) as Uint8Array<ArrayBuffer>,
      signature: EMPTY as Uint8Array<ArrayBuffer>,
    })),
    outputs,
    timestamp,
    coinbaseHeight: 0,
  };
  const message = sighashOf(tx, network);
  inputs.forEach((input, i) => {
    tx.inputs[i]!.signature = sign(message, input.secretKey) as Uint8Array<ArrayBuffer>;
  });
  return tx;
}

/** The coinbase of the block at `height`. */
export function createCoinbase(height: number, outputs: TxOutput[], timestamp: number): Transaction {
  return { version: TX_VERSION, inputs: [], outputs, timestamp, coinbaseHeight: height };
}
