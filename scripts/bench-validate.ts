/**
 * Benchmark of the chain's validation pipeline against its dominant cost, raw signature
 * verification, measured side by side in one process.
 *
 *   npx tsx scripts/bench-validate.ts [--json] [--seconds 1.5] [--rounds 6]
 *
 * Workload: distinct, valid 1-input 2-output DEVNET transactions, each spending a genesis dev
 * output, checked against an in-memory UTXO view holding the genesis outputs.
 *
 * - txValidatePerSec: the relay pipeline per transaction, from bytes: decodeTransaction (bounded,
 *   canonical) -> txidOfBytes -> checkTransactionSyntax -> checkRelayTimestamp ->
 *   checkTransactionSignatures -> checkTransactionInputs, with the process-wide signature cache
 *   cleared before every transaction (so every signature is really verified).
 * - txValidateCachedPerSec: the same with every signature already cached.
 * - baselineVerifyPerSec: verifySignature alone on the same (signature, sighash, key) triples;
 *   pipelineVsVerify = txValidatePerSec / baselineVerifyPerSec is the share of the pipeline's
 *   time that is not the verification itself. These two are split into `--rounds` alternating
 *   slices and each reports its median slice, so background load hits both alike.
 * - txDecodePerSec: decodeTransaction alone.
 * - blockValidatePerSec: transactions per second through checkHeaderContextFree (block id
 *   included) + checkBlockBody + connectBlockTransactions on a block of BLOCK_TXS such
 *   transactions (the coinbase not counted), cache cleared before every block; and
 *   blockValidateCachedPerSec with the transactions' signatures cached, as after relay.
 *
 * Public keys stay imported in the verifier's KeyObject cache throughout (10 dev accounts), as
 * for any key seen recently. With --json, stdout holds exactly one JSON object.
 */
import '../src/polyfill.js';
import {
  decodeTransaction,
  encodeHeader,
  encodeTransaction,
  type Transaction,
} from '../src/chain/encoding/codec.js';
import {
  DEV_ACCOUNT_COUNT,
  DEV_OUTPUTS_PER_ACCOUNT,
  devAccount,
  devAccounts,
  genesisBlock,
} from '../src/chain/genesis.js';
import { searchNonce } from '../src/chain/mining/nonce-search.js';
import {
  BLOCK_VERSION,
  blockIdOf,
  blockIdOfBytes,
  type FullBlock,
  headerSigningHash,
  merkleRoot,
  targetToBytes,
} from '../src/chain/objects/block.js';
import {
  createCoinbase,
  createTransaction,
  outpointKey,
  sighashOf,
  txidOf,
  txidOfBytes,
} from '../src/chain/objects/transaction.js';
import { blockSubsidy, DEVNET } from '../src/chain/params.js';
import {
  checkBlockBody,
  checkHeaderContextFree,
  connectBlockTransactions,
} from '../src/chain/rules/block.js';
import {
  checkRelayTimestamp,
  checkTransactionInputs,
  checkTransactionSignatures,
  checkTransactionSyntax,
} from '../src/chain/rules/transaction.js';
import type { Utxo, UtxoView } from '../src/chain/rules/utxo.js';
import { sign, signatureCache, verifySignature } from '../src/crypto/index.js';
import { median, parseThroughputFlags, rate } from './bench/throughput.js';

const PARAMS = DEVNET;
/** Distinct transactions cycled through: one per genesis dev output. */
const POOL_SIZE = DEV_ACCOUNT_COUNT * DEV_OUTPUTS_PER_ACCOUNT;
/** Non-coinbase transactions in the benchmarked block. */
const BLOCK_TXS = 200;
/** Fee of every transaction, in base units. */
const FEE = 1_000n;
/** Operations between clock reads; keeps timer overhead out of the figures. */
const BATCH = 8;

interface PoolEntry {
  bytes: Uint8Array;
  tx: Transaction;
  sighash: Uint8Array;
}

/** The genesis outputs as a read-only UTXO view (a Map lookup, like a warm UTXO cache). */
function genesisView(): UtxoView {
  const coinbase = genesisBlock(PARAMS).transactions[0]!;
  const txid = txidOf(coinbase);
  const utxos = new Map<string, Utxo>();
  coinbase.outputs.forEach((output, index) => {
    utxos.set(outpointKey(txid, index), {
      amount: output.amount,
      address: output.address,
      height: 0,
      coinbase: true,
    });
  });
  return { getUtxo: (key) => utxos.get(key) };
}

/** Transaction `i`: spends genesis output `i`, pays a distinct amount to the next account, change back. */
function buildPool(timestamp: number): PoolEntry[] {
  const genesis = genesisBlock(PARAMS).transactions[0]!;
  const genesisTxid = txidOf(genesis);
  const accounts = devAccounts();
  return Array.from({ length: POOL_SIZE }, (_, i) => {
    const owner = accounts[Math.floor(i / DEV_OUTPUTS_PER_ACCOUNT)]!;
    const recipient = accounts[(owner.index + 1) % DEV_ACCOUNT_COUNT]!;
    const input = genesis.outputs[i]!;
    const amount = 1_000_000n + BigInt(i);
    const tx = createTransaction(
      PARAMS.network,
      [{ prevTxid: genesisTxid, outputIndex: i, secretKey: owner.secretKey }],
      [
        { amount, address: recipient.address as Uint8Array<ArrayBuffer> },
        { amount: input.amount - amount - FEE, address: owner.address as Uint8Array<ArrayBuffer> },
      ],
      timestamp,
    );
    return { bytes: encodeTransaction(tx), tx, sighash: sighashOf(tx, PARAMS.network) };
  });
}

/** A signed, mined block at height 1 holding a coinbase and `txs`. */
function buildBlock(txs: Transaction[], timestamp: number): FullBlock {
  const miner = devAccount(0);
  const fees = FEE * BigInt(txs.length);
  const coinbase = createCoinbase(
    1,
    [{ amount: blockSubsidy(PARAMS, 1) + fees, address: miner.address as Uint8Array<ArrayBuffer> }],
    timestamp,
  );
  const transactions = [coinbase, ...txs];
  const header = {
    version: BLOCK_VERSION,
    height: 1,
    prevHash: blockIdOf(genesisBlock(PARAMS).header) as Uint8Array<ArrayBuffer>,
    merkleRoot: merkleRoot(transactions.map(txidOf)) as Uint8Array<ArrayBuffer>,
    timestamp,
    target: targetToBytes(PARAMS.initialTarget),
    minerPublicKey: miner.publicKey as Uint8Array<ArrayBuffer>,
    minerSignature: new Uint8Array(0) as Uint8Array<ArrayBuffer>,
    nonce: 1n,
  };
  header.minerSignature = sign(
    headerSigningHash(header, PARAMS.network),
    miner.secretKey,
  ) as Uint8Array<ArrayBuffer>;
  const nonce = searchNonce(encodeHeader(header), PARAMS.initialTarget, 1n, 100_000_000);
  if (nonce === undefined) throw new Error('no nonce found for the benchmark block');
  header.nonce = nonce;
  return { header, transactions };
}

const timed = (seconds: number, op: (i: number) => unknown): number => rate(seconds, op, BATCH);

function main(): void {
  const { json, seconds, rounds } = parseThroughputFlags(process.argv.slice(2));
  const now = Date.now();
  const pool = buildPool(now);
  const view = genesisView();
  const spendHeight = 1;
  const at = (i: number): PoolEntry => pool[i % POOL_SIZE]!;

  /** The relay pipeline, from bytes; returns the fee so nothing is optimised away. */
  const validate = (bytes: Uint8Array): bigint => {
    const tx = decodeTransaction(bytes);
    txidOfBytes(bytes);
    checkTransactionSyntax(tx, false);
    checkRelayTimestamp(tx, PARAMS, Date.now());
    checkTransactionSignatures(tx, PARAMS);
    return checkTransactionInputs(tx, view, spendHeight, PARAMS, 'mempool').fee;
  };
  const validateCold = (i: number): void => {
    signatureCache.clear();
    validate(at(i).bytes);
  };
  const validateWarm = (i: number): void => {
    validate(at(i).bytes);
  };
  const verifyBaseline = (i: number): void => {
    const { tx, sighash } = at(i);
    const input = tx.inputs[0]!;
    if (!verifySignature(input.signature, sighash, input.publicKey))
      throw new Error('baseline verify failed');
  };

  const block = buildBlock(
    pool.slice(0, BLOCK_TXS).map((entry) => entry.tx),
    now,
  );
  const headerBytes = encodeHeader(block.header);
  const validateBlock = (): void => {
    checkHeaderContextFree(block.header, blockIdOfBytes(headerBytes), PARAMS);
    const txids = checkBlockBody(block, PARAMS);
    connectBlockTransactions(block, txids, view, PARAMS);
  };

  // Check the workload once (every transaction and the block must be valid), and warm the JIT.
  for (const entry of pool) {
    if (validate(entry.bytes) !== FEE) throw new Error('pool transaction failed validation');
  }
  validateBlock();
  timed(0.2, validateCold);
  timed(0.2, verifyBaseline);

  const pipeline: number[] = [];
  const baseline: number[] = [];
  const slice = seconds / rounds;
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so neither always follows the other.
    if (round % 2 === 0) {
      baseline.push(timed(slice, verifyBaseline));
      pipeline.push(timed(slice, validateCold));
    } else {
      pipeline.push(timed(slice, validateCold));
      baseline.push(timed(slice, verifyBaseline));
    }
  }
  const txValidatePerSec = median(pipeline);
  const baselineVerifyPerSec = median(baseline);

  for (const entry of pool) validate(entry.bytes); // every signature now cached
  const txValidateCachedPerSec = timed(seconds, validateWarm);
  const txDecodePerSec = timed(seconds, (i) => {
    decodeTransaction(at(i).bytes);
  });
  const blockValidatePerSec =
    BLOCK_TXS *
    timed(seconds, () => {
      signatureCache.clear();
      validateBlock();
    });
  validateBlock(); // caches the block's signatures
  const blockValidateCachedPerSec = BLOCK_TXS * timed(seconds, validateBlock);

  const result = {
    txValidatePerSec: Math.round(txValidatePerSec),
    txValidateCachedPerSec: Math.round(txValidateCachedPerSec),
    txDecodePerSec: Math.round(txDecodePerSec),
    blockValidatePerSec: Math.round(blockValidatePerSec),
    blockValidateCachedPerSec: Math.round(blockValidateCachedPerSec),
    baselineVerifyPerSec: Math.round(baselineVerifyPerSec),
    pipelineVsVerify: Number((txValidatePerSec / baselineVerifyPerSec).toFixed(3)),
    config: {
      network: PARAMS.network,
      seconds,
      rounds,
      poolSize: POOL_SIZE,
      txBytes: pool[0]!.bytes.length,
      blockTxs: BLOCK_TXS,
      node: process.version,
      openssl: process.versions.openssl,
      txValidateRounds: pipeline.map(Math.round),
      baselineVerifyRounds: baseline.map(Math.round),
    },
  };

  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const rows: [string, number, string][] = [
    ['txValidate (relay pipeline)', result.txValidatePerSec, 'cache cleared per tx; median of rounds'],
    ['baselineVerify (verifySignature)', result.baselineVerifyPerSec, 'same signatures; median of rounds'],
    ['txValidate, cached signatures', result.txValidateCachedPerSec, ''],
    ['txDecode (bounded, canonical)', result.txDecodePerSec, `${result.config.txBytes} B each`],
    ['blockValidate (tx/s)', result.blockValidatePerSec, `${BLOCK_TXS}-tx block, cache cleared per block`],
    ['blockValidate, cached (tx/s)', result.blockValidateCachedPerSec, 'signatures cached by relay'],
  ];
  console.log(`validation benchmark: ${PARAMS.network}, ${process.version}, ${seconds} s each`);
  for (const [name, perSec, note] of rows) {
    console.log(`  ${name.padEnd(34)} ${perSec.toLocaleString('en-US').padStart(12)} /s  ${note}`);
  }
  console.log(`  pipelineVsVerify = ${result.pipelineVsVerify}`);
  console.log(`  rounds txValidate:     ${result.config.txValidateRounds.join(', ')}`);
  console.log(`  rounds baselineVerify: ${result.config.baselineVerifyRounds.join(', ')}`);
}

main();
