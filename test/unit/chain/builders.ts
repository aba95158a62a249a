/**
 * Shared builders for the chain unit tests: keys, UTXO views, signed transactions and mined
 * blocks on REGTEST (trivial proof of work: a block needs ~2 hashes).
 */

import { expect } from 'vitest';
import type { BlockHeader, Transaction, TxOutput } from '../../../src/chain/encoding/codec.js';
import { encodeHeader } from '../../../src/chain/encoding/codec.js';
import { type ErrorCode, ValidationError, type Verdict } from '../../../src/chain/errors.js';
import {
  DEV_OUTPUTS_PER_ACCOUNT,
  type DevAccount,
  devAccount,
  genesisBlock,
} from '../../../src/chain/genesis.js';
import { searchNonce } from '../../../src/chain/mining/nonce-search.js';
import {
  BLOCK_VERSION,
  blockIdOf,
  bytesToBigInt,
  type FullBlock,
  headerSigningHash,
  meetsTarget,
  merkleRoot,
  targetToBytes,
} from '../../../src/chain/objects/block.js';
import {
  createCoinbase,
  createTransaction,
  outpointKey,
  type SpendInput,
  txidOf,
} from '../../../src/chain/objects/transaction.js';
import { blockSubsidy, type ChainParams, REGTEST } from '../../../src/chain/params.js';
import type { Utxo, UtxoView } from '../../../src/chain/rules/utxo.js';
import { sign } from '../../../src/crypto/index.js';

export type Bytes = Uint8Array<ArrayBuffer>;

/** The generated protobuf types want `Uint8Array<ArrayBuffer>`; every array built here is one. */
export function bytes(value: Uint8Array): Bytes {
  return value as Bytes;
}

/** Anything that can sign and be paid (a DevAccount is one). */
export interface Key {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly address: Uint8Array;
}

export function pay(to: Key | Uint8Array, amount: bigint): TxOutput {
  const address = to instanceof Uint8Array ? to : to.address;
  return { amount, address: bytes(address) };
}

/** An in-memory UtxoView (a plain map keyed by outpointKey). */
export class MemoryUtxoView implements UtxoView {
  readonly utxos = new Map<string, Utxo>();

  getUtxo(key: string): Utxo | undefined {
    return this.utxos.get(key);
  }

  set(txid: Uint8Array, index: number, utxo: Utxo): this {
    this.utxos.set(outpointKey(txid, index), utxo);
    return this;
  }

  /** Adds every output of `tx`, created at `height`. */
  addTransaction(tx: Transaction, height: number): this {
    const txid = txidOf(tx);
    tx.outputs.forEach((output, index) => {
      this.set(txid, index, {
        amount: output.amount,
        address: output.address,
        height,
        coinbase: tx.inputs.length === 0,
      });
    });
    return this;
  }
}

export const PARAMS = REGTEST;
export const GENESIS = genesisBlock(PARAMS);
export const GENESIS_COINBASE = GENESIS.transactions[0]!;
export const GENESIS_TXID = txidOf(GENESIS_COINBASE);
export const GENESIS_ID = blockIdOf(GENESIS.header);

/** A view holding the REGTEST genesis outputs (coinbase outputs at height 0, exempt from maturity). */
export function genesisView(): MemoryUtxoView {
  return new MemoryUtxoView().addTransaction(GENESIS_COINBASE, 0);
}

/** Input spending dev account `account`'s genesis output number `n` (0..DEV_OUTPUTS_PER_ACCOUNT-1). */
export function genesisInput(account: DevAccount, n: number): SpendInput {
  return {
    prevTxid: GENESIS_TXID,
    outputIndex: account.index * DEV_OUTPUTS_PER_ACCOUNT + n,
    secretKey: account.secretKey,
  };
}

export const ALICE = devAccount(1);
export const BOB = devAccount(2);
export const MINER = devAccount(3);

/** A valid 1-input, 2-output transaction: `amount` to `to`, the rest minus `fee` back to the sender. */
export function spendGenesis(
  account: DevAccount,
  n: number,
  options: {
    to?: Key | Uint8Array;
    amount?: bigint;
    fee?: bigint;
    timestamp?: number;
    params?: ChainParams;
  } = {},
): Transaction {
  const params = options.params ?? PARAMS;
  const amount = options.amount ?? 1_000n;
  const fee = options.fee ?? 500n;
  const input = GENESIS_COINBASE.outputs[account.index * DEV_OUTPUTS_PER_ACCOUNT + n]!;
  return createTransaction(
    params.network,
    [genesisInput(account, n)],
    [pay(options.to ?? BOB.address, amount), pay(account.address, input.amount - amount - fee)],
    options.timestamp ?? params.genesisTimestamp + 1_000,
  );
}

/** Signs the header (over its signing hash) as `miner`, then searches a nonce meeting its target. */
export function signAndMine(
  header: BlockHeader,
  miner: Key = MINER,
  params: ChainParams = PARAMS,
): BlockHeader {
  header.minerPublicKey = bytes(miner.publicKey);
  header.minerSignature = bytes(sign(headerSigningHash(header, params.network), miner.secretKey));
  return mine(header);
}

/** Finds a nonce (keeping the signature) such that the block id meets the header's target. */
export function mine(header: BlockHeader): BlockHeader {
  header.nonce = 1n;
  const nonce = searchNonce(encodeHeader(header), bytesToBigInt(header.target), 1n, 1_000_000);
  if (nonce === undefined) throw new Error('no nonce found');
  header.nonce = nonce;
  return header;
}

/** Like mine, but finds a nonce whose block id is ABOVE the target (the header fails its PoW). */
export function mineFailing(header: BlockHeader): BlockHeader {
  const target = bytesToBigInt(header.target);
  for (let nonce = 1n; ; nonce++) {
    header.nonce = nonce;
    if (!meetsTarget(blockIdOf(header), target)) return header;
  }
}

export interface BlockOptions {
  height?: number;
  prevHash?: Uint8Array;
  timestamp?: number;
  /** Coinbase outputs; by default the subsidy plus `fees` to the miner. */
  coinbaseOutputs?: TxOutput[];
  fees?: bigint;
  /** Replace the whole transaction list (coinbase included); the merkle root still covers it. */
  transactions?: Transaction[];
  params?: ChainParams;
  miner?: Key;
}

/** A signed, mined block on top of genesis by default, holding a coinbase and then `txs`. */
export function buildBlock(txs: Transaction[] = [], options: BlockOptions = {}): FullBlock {
  const params = options.params ?? PARAMS;
  const height = options.height ?? 1;
  const timestamp = options.timestamp ?? params.genesisTimestamp + height * params.blockIntervalMs;
  const miner = options.miner ?? MINER;
  const coinbaseOutputs = options.coinbaseOutputs ?? [
    pay(miner.address, blockSubsidy(params, height) + (options.fees ?? 0n)),
  ];
  const transactions = options.transactions ?? [createCoinbase(height, coinbaseOutputs, timestamp), ...txs];
  const header: BlockHeader = {
    version: BLOCK_VERSION,
    height,
    prevHash: bytes(options.prevHash ?? GENESIS_ID),
    merkleRoot: bytes(merkleRoot(transactions.map(txidOf))),
    timestamp,
    target: targetToBytes(params.initialTarget),
    minerPublicKey: bytes(miner.publicKey),
    minerSignature: bytes(new Uint8Array(0)),
    nonce: 0n,
  };
  return { header: signAndMine(header, miner, params), transactions };
}

/** Runs `fn` and asserts it throws a ValidationError with `code` and that code's `verdict`. */
export function expectValidationError(fn: () => unknown, code: ErrorCode, verdict: Verdict): ValidationError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `expected ${code}`).toBeInstanceOf(ValidationError);
  const error = thrown as ValidationError;
  expect(error.code).toBe(code);
  expect(error.verdict).toBe(verdict);
  return error;
}

/** The error `fn` throws (undefined when it returns). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** A copy of `value` with one bit flipped at byte `index` (defaults to the last byte). */
export function flipBit(value: Uint8Array, index = value.length - 1): Bytes {
  const copy = new Uint8Array(value);
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}
