/**
 * The genesis block and the devnet's funded dev accounts (like anvil's): deterministic keys
 * derived from a public seed, each funded at genesis with many outputs, so scripts and the load
 * generator can send transactions at once and in parallel. These keys are public: never use them
 * outside a local network.
 */
import { taggedHash } from '../crypto/hash.js';
import { addressOf, publicKeyOf, sign } from '../crypto/index.js';
import type { TxOutput } from './encoding/codec.js';
import {
  BLOCK_VERSION,
  type FullBlock,
  headerSigningHash,
  merkleRoot,
  targetToBytes,
} from './objects/block.js';
import { createCoinbase, txidOf } from './objects/transaction.js';
import { type ChainParams, UNITS_PER_COIN } from './params.js';

/** Number of funded dev accounts. */
export const DEV_ACCOUNT_COUNT = 10;
/** Genesis outputs per dev account: many coins so many transactions can be in flight at once. */
export const DEV_OUTPUTS_PER_ACCOUNT = 100;
/** Amount of each genesis output: 10,000 coins (1,000,000 coins per account). */
export const DEV_OUTPUT_AMOUNT = 10_000n * UNITS_PER_COIN;

export interface DevAccount {
  readonly index: number;
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly address: Uint8Array;
}

/** Dev account `index`: secret key = taggedHash('trustmesh/dev-account', u32be(index)). */
export function devAccount(index: number): DevAccount {
  const seed = new Uint8Array(4);
  new DataView(seed.buffer).setUint32(0, index);
  const secretKey = taggedHash('trustmesh/dev-account', seed);
  const publicKey = publicKeyOf(secretKey);
  return { index, secretKey, publicKey, address: addressOf(publicKey) };
}

export function devAccounts(count = DEV_ACCOUNT_COUNT): DevAccount[] {
  return Array.from({ length: count }, (_, i) => devAccount(i));
}

const genesisCache = new Map<string, FullBlock>();

/** The network's genesis block. Built deterministically; accepted by definition, never validated. */
export function genesisBlock(params: ChainParams): FullBlock {
  const cached = genesisCache.get(params.network);
  if (cached !== undefined) return cached;
  const outputs: TxOutput[] = [];
  for (const account of devAccounts()) {
    for (let i = 0; i < DEV_OUTPUTS_PER_ACCOUNT; i++) {
      outputs.push({ amount: DEV_OUTPUT_AMOUNT, address: account.address as Uint8Array<ArrayBuffer> });
    }
  }
  const coinbase = createCoinbase(0, outputs, params.genesisTimestamp);
  const miner = devAccount(0);
  const header = {
    version: BLOCK_VERSION,
    height: 0,
    prevHash: new Uint8Array(32),
    merkleRoot: merkleRoot([txidOf(coinbase)]) as Uint8Array<ArrayBuffer>,
    timestamp: params.genesisTimestamp,
    target: targetToBytes(params.initialTarget),
    minerPublicKey: miner.publicKey as Uint8Array<ArrayBuffer>,
    minerSignature: new Uint8Array(0),
    nonce: 0n,
  };
  header.minerSignature = sign(
    headerSigningHash(header, params.network),
    miner.secretKey,
  ) as Uint8Array<ArrayBuffer>;
  const block: FullBlock = { header, transactions: [coinbase] };
  genesisCache.set(params.network, block);
  return block;
}
