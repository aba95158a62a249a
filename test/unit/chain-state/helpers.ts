/**
 * Test helpers for chain state: a controllable clock, temporary chains on REGTEST (a block needs
 * ~2 hashes), block and transaction builders that mine valid (or deliberately broken) blocks in
 * process, and a from-scratch replay of the active chain to check the UTXO set against.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BlockHeader,
  decodeBlock,
  encodeBlock,
  encodeHeader,
  encodeTransaction,
  type Transaction,
  type TxOutput,
} from '../../../src/chain/encoding/codec.js';
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
  txidOf,
} from '../../../src/chain/objects/transaction.js';
import { blockSubsidy, type ChainParams, REGTEST } from '../../../src/chain/params.js';
import { connectBlockTransactions } from '../../../src/chain/rules/block.js';
import type { Utxo } from '../../../src/chain/rules/utxo.js';
import { Chain, type ChainEntry } from '../../../src/chain/state/index.js';
import { toHex } from '../../../src/crypto/hash.js';
import { publicKeyOf, sign } from '../../../src/crypto/index.js';

export const PARAMS: ChainParams = REGTEST;

/** Dev accounts: 0 mines, the others pay each other. All are funded at genesis. */
export const MINER = devAccount(0);
export const ALICE = devAccount(1);
export const BOB = devAccount(2);
export const CAROL = devAccount(3);

/** A clock tests move by hand; starts one hour after genesis. */
export class TestClock {
  t: number;
  constructor(start = PARAMS.genesisTimestamp + 3_600_000) {
    this.t = start;
  }
  readonly now = (): number => this.t;
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
}

export async function tempDir(prefix = 'trustmesh-chain-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface TestChain {
  chain: Chain;
  dir: string;
  clock: TestClock;
}

export async function openTestChain(dir?: string, clock = new TestClock()): Promise<TestChain> {
  const dataDir = dir ?? (await tempDir());
  try {
    const chain = await Chain.open({ dataDir, params: PARAMS, now: clock.now });
    return { chain, dir: dataDir, clock };
  } catch (err) {
    if (dir === undefined) await removeDir(dataDir);
    throw err;
  }
}

/** The genesis coinbase txid (its outputs fund the dev accounts, 100 each, in account order). */
export function genesisTxid(params: ChainParams = PARAMS): Uint8Array {
  return txidOf(genesisBlock(params).transactions[0]!);
}

/** Outpoint of genesis output `i` (0..99) of `account`. */
export function genesisOutpoint(account: DevAccount, i: number): { txid: Uint8Array; index: number } {
  return { txid: genesisTxid(), index: account.index * DEV_OUTPUTS_PER_ACCOUNT + i };
}

export interface Coin {
  txid: Uint8Array;
  index: number;
}

/** A signed transaction spending `coins` of `from` to `outputs`, dated `timestamp`. */
export function makeTx(
  from: DevAccount,
  coins: readonly Coin[],
  outputs: ReadonlyArray<{ to: Uint8Array; amount: bigint }>,
  timestamp: number,
  params: ChainParams = PARAMS,
): Transaction {
  return createTransaction(
    params.network,
    coins.map((c) => ({ prevTxid: c.txid, outputIndex: c.index, secretKey: from.secretKey })),
    outputs.map((o) => ({ amount: o.amount, address: o.to as Uint8Array<ArrayBuffer> })),
    timestamp,
  );
}

/** Pays `amount` from genesis output `i` of `from` to `to`, change back to `from`, paying `fee`. */
export function payFromGenesis(
  from: DevAccount,
  i: number,
  to: Uint8Array,
  amount: bigint,
  timestamp: number,
  fee = 10_000n,
): Transaction {
  const genesisAmount = genesisBlock(PARAMS).transactions[0]!.outputs[0]!.amount;
  return makeTx(
    from,
    [genesisOutpoint(from, i)],
    [
      { to, amount },
      { to: from.address, amount: genesisAmount - amount - fee },
    ],
    timestamp,
  );
}

export function txBytes(tx: Transaction): Uint8Array {
  return encodeTransaction(tx);
}

export interface BuildOptions {
  /** Parent entry (default: the chain's tip). */
  parent?: ChainEntry;
  /** Non-coinbase transactions. */
  txs?: Transaction[];
  /** Default: max(clock now, median time past + 1). */
  timestamp?: number;
  /** Coinbase payout (default: the subsidy; fees are left unclaimed, which is allowed). */
  coinbaseAmount?: bigint;
  coinbaseTo?: Uint8Array;
  /** Extra coinbase outputs (to make sibling blocks differ). */
  coinbaseTag?: number;
  height?: number;
  target?: bigint;
  miner?: DevAccount;
  /** Edits the header before it is signed (so the signature still verifies). */
  editHeader?: (header: BlockHeader) => void;
  /** Replaces the transactions after the merkle root was computed (a tampered body). */
  editTransactions?: (txs: Transaction[]) => Transaction[];
  /** Corrupts the miner signature. */
  badSignature?: boolean;
  /** Picks a nonce whose id does NOT meet the target. */
  badPow?: boolean;
}

export interface BuiltBlock {
  block: FullBlock;
  bytes: Uint8Array;
  idHex: string;
  height: number;
}

/** Builds and mines a block on `parent` (default: tip) that passes every rule unless told otherwise. */
export function buildBlock(chain: Chain, options: BuildOptions = {}): BuiltBlock {
  const params = chain.params;
  const parent = options.parent ?? chain.tip();
  // A parent not yet processed (building a branch ahead) has no context: regtest's fixed target
  // and a timestamp after the parent's are then valid.
  const context = chain.blockContext(parent.idHex);
  const height = options.height ?? parent.height + 1;
  const timestamp =
    options.timestamp ??
    Math.max(chain.now(), (context?.medianTimePast ?? parent.timestamp) + 1, parent.timestamp + 1);
  const miner = options.miner ?? MINER;
  const outputs: TxOutput[] = [
    {
      amount: options.coinbaseAmount ?? blockSubsidy(params, height),
      address: (options.coinbaseTo ?? miner.address) as Uint8Array<ArrayBuffer>,
    },
  ];
  if (options.coinbaseTag !== undefined) {
    outputs.push({
      amount: BigInt(options.coinbaseTag + 1),
      address: miner.address as Uint8Array<ArrayBuffer>,
    });
    outputs[0]!.amount -= BigInt(options.coinbaseTag + 1);
  }
  const coinbase = createCoinbase(height, outputs, timestamp);
  let transactions = [coinbase, ...(options.txs ?? [])];
  const target = options.target ?? context?.expectedTarget ?? params.initialTarget;
  const header: BlockHeader = {
    version: BLOCK_VERSION,
    height,
    prevHash: parent.id as Uint8Array<ArrayBuffer>,
    merkleRoot: merkleRoot(transactions.map((tx) => txidOf(tx))) as Uint8Array<ArrayBuffer>,
    timestamp,
    target: targetToBytes(target),
    minerPublicKey: publicKeyOf(miner.secretKey),
    minerSignature: new Uint8Array(0),
    nonce: 0n,
  };
  options.editHeader?.(header);
  header.minerSignature = sign(
    headerSigningHash(header, params.network),
    miner.secretKey,
  ) as Uint8Array<ArrayBuffer>;
  if (options.badSignature === true) {
    header.minerSignature = header.minerSignature.slice();
    header.minerSignature[0]! ^= 0xff;
  }
  const headerTarget = BigInt(`0x${toHex(header.target)}`);
  if (options.badPow === true) {
    let nonce = 1n;
    for (; ; nonce++) {
      header.nonce = nonce;
      if (!meetsTarget(blockIdOf(header), headerTarget)) break;
    }
  } else {
    header.nonce = 1n;
    const nonce = searchNonce(encodeHeader(header), headerTarget, 1n, 10_000_000);
    if (nonce === undefined) throw new Error('no nonce found');
    header.nonce = nonce;
  }
  if (options.editTransactions !== undefined) transactions = options.editTransactions(transactions);
  const block: FullBlock = { header, transactions };
  const bytes = encodeBlock(block);
  return { block, bytes, idHex: toHex(blockIdOf(header)), height };
}

/** Builds, mines and processes `count` blocks on the tip; returns them. */
export async function mineBlocks(
  chain: Chain,
  count: number,
  options: BuildOptions = {},
): Promise<BuiltBlock[]> {
  const built: BuiltBlock[] = [];
  for (let i = 0; i < count; i++) {
    const b = buildBlock(chain, options);
    const result = await chain.processBlock(b.bytes);
    if (result.status !== 'connected') throw new Error(`block not connected: ${result.status}`);
    built.push(b);
  }
  return built;
}

/** Builds a branch of `count` blocks on `parent` (not processed); `tag` makes it differ from others. */
export function buildBranch(
  chain: Chain,
  parent: ChainEntry,
  count: number,
  tag: number,
  txsAt: (i: number) => Transaction[] = () => [],
): BuiltBlock[] {
  const blocks: BuiltBlock[] = [];
  let prev = parent;
  for (let i = 0; i < count; i++) {
    const b = buildBlock(chain, { parent: prev, coinbaseTag: tag, txs: txsAt(i) });
    blocks.push(b);
    prev = entryOf(b, prev);
  }
  return blocks;
}

/** A ChainEntry-shaped description of a built (possibly unprocessed) block, for building on it. */
export function entryOf(b: BuiltBlock, parent: ChainEntry): ChainEntry {
  const target = BigInt(`0x${toHex(b.block.header.target)}`);
  return {
    id: blockIdOf(b.block.header),
    idHex: b.idHex,
    height: b.height,
    parentHex: parent.idHex,
    timestamp: b.block.header.timestamp,
    target,
    cumulativeWork: parent.cumulativeWork,
    status: 'valid-header',
  };
}

/** Serialises a UTXO for comparison. */
function utxoString(utxo: Utxo): string {
  return `${utxo.amount}|${toHex(utxo.address)}|${utxo.height}|${utxo.coinbase}`;
}

/** The chain's UTXO set as sorted strings. */
export function utxoSnapshot(chain: Chain): string[] {
  return [...chain.utxoEntries()].map(([key, utxo]) => `${key}=${utxoString(utxo)}`).sort();
}

/**
 * The UTXO set obtained by replaying the active chain from genesis with the consensus rules (not
 * the chain's own undo or UTXO code), as sorted strings.
 */
export async function replayUtxoSnapshot(chain: Chain): Promise<string[]> {
  const utxos = new Map<string, Utxo>();
  for (let height = 0; height <= chain.tip().height; height++) {
    const entry = chain.getBlockByHeight(height);
    if (entry === undefined) throw new Error(`no active block at ${height}`);
    const bytes = await chain.getBlockBytes(entry.idHex);
    if (bytes === undefined) throw new Error(`active block ${entry.idHex} not stored`);
    const block = decodeBlock(bytes) as FullBlock;
    const txids = block.transactions.map((tx) => txidOf(tx));
    if (height === 0) {
      block.transactions[0]!.outputs.forEach((output, index) => {
        utxos.set(outpointKey(txids[0]!, index), {
          amount: output.amount,
          address: output.address,
          height: 0,
          coinbase: true,
        });
      });
      continue;
    }
    const diff = connectBlockTransactions(block, txids, { getUtxo: (key) => utxos.get(key) }, chain.params);
    for (const s of diff.spent) utxos.delete(s.key);
    for (const c of diff.created) utxos.set(c.key, c.utxo);
  }
  return [...utxos.entries()].map(([key, utxo]) => `${key}=${utxoString(utxo)}`).sort();
}

/** Tip, UTXO count and mempool size: what a rejected block must leave unchanged. */
export function stateSummary(chain: Chain): { tip: string; height: number; utxos: number; mempool: number } {
  return {
    tip: chain.tip().idHex,
    height: chain.tip().height,
    utxos: chain.utxoCount,
    mempool: chain.mempool.size,
  };
}
