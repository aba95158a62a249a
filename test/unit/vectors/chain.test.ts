/**
 * Recomputes the block, genesis, difficulty and ledger vectors (test/vectors/{blocks,genesis,
 * difficulty,ledger}.json) from the reference code: encodings and ids byte for byte, and every
 * verdict by running the rules in the order the reference node runs them.
 */
import { describe, expect, it } from 'vitest';
import {
  type BlockHeader,
  decodeBlock,
  encodeBlock,
  encodeHeader,
  type Transaction,
} from '../../../src/chain/encoding/codec.js';
import { ValidationError } from '../../../src/chain/errors.js';
import { devAccount, genesisBlock } from '../../../src/chain/genesis.js';
import { Mempool } from '../../../src/chain/mempool/mempool.js';
import {
  blockIdOf,
  blockIdOfBytes,
  bytesToBigInt,
  type FullBlock,
  headerSigningHash,
  meetsTarget,
  merkleRoot,
} from '../../../src/chain/objects/block.js';
import { createCoinbase, outpointKey, txidOf } from '../../../src/chain/objects/transaction.js';
import { blockSubsidy, MAX_MONEY, NETWORKS, UNITS_PER_COIN } from '../../../src/chain/params.js';
import {
  checkBlockBody,
  checkHeaderContext,
  checkHeaderContextFree,
  connectBlockTransactions,
} from '../../../src/chain/rules/block.js';
import { expectedTarget, medianTimestamp } from '../../../src/chain/rules/difficulty.js';
import { checkRelayTimestamp } from '../../../src/chain/rules/transaction.js';
import type { Utxo } from '../../../src/chain/rules/utxo.js';
import { sign } from '../../../src/crypto/index.js';
import { offenceForValidation } from '../../../src/p2p/reputation/blame.js';
import { expectFailure, type Failure, filled } from './expect.js';
import {
  type HeaderJson,
  headerFromJson,
  headerToJson,
  hex,
  hex256,
  readVectors,
  type TransactionJson,
  txFromJson,
  unhex,
  type VectorFile,
} from './format.js';

interface UtxoJson {
  txid: string;
  outputIndex: number;
  amount: string;
  address: string;
  height: number;
  coinbase: boolean;
}

function utxoView(utxos: UtxoJson[]) {
  const map = new Map<string, Utxo>(
    utxos.map((u) => [
      outpointKey(unhex(u.txid), u.outputIndex),
      { amount: BigInt(u.amount), address: unhex(u.address), height: u.height, coinbase: u.coinbase },
    ]),
  );
  return { getUtxo: (key: string) => map.get(key) };
}

interface BlockVector {
  name: string;
  network: string;
  header: HeaderJson;
  headerEncoding: string;
  blockId: string;
  signingHash: string;
  transactions: TransactionJson[];
  txids: string[];
  encoding: string;
  context: { parentHeight: number; medianTimePast: number; expectedTarget: string };
  now: number;
  spends: UtxoJson[];
}

describe('block vectors', () => {
  const file = readVectors<
    VectorFile & {
      valid: Array<BlockVector & { minerSecretKey: string; merkleRoot: string; fees: string }>;
      invalid: Array<BlockVector & { expected: Failure }>;
      decodeOnly: Array<{ name: string; network: string; encoding: string; expected: Failure }>;
      sized: Array<{ name: string; network: string; fill: string; length: number; expected: Failure }>;
    }
  >('blocks');

  /** Encodings and ids of the vector's header and block. */
  function checkEncodings(v: BlockVector): FullBlock {
    const header = headerFromJson(v.header);
    const block: FullBlock = { header, transactions: v.transactions.map(txFromJson) };
    expect(hex(encodeHeader(header))).toBe(v.headerEncoding);
    expect(hex(blockIdOfBytes(unhex(v.headerEncoding)))).toBe(v.blockId);
    expect(hex(headerSigningHash(header, v.network))).toBe(v.signingHash);
    expect(block.transactions.map((tx) => hex(txidOf(tx)))).toEqual(v.txids);
    expect(hex(encodeBlock(block))).toBe(v.encoding);
    return block;
  }

  /** The reference pipeline: decode, header (context free), header in context, body, ledger. */
  const judge = (v: BlockVector) => () => {
    const params = NETWORKS[v.network]!;
    const block = decodeBlock(unhex(v.encoding)) as FullBlock;
    checkHeaderContextFree(block.header, blockIdOf(block.header), params);
    const context = { ...v.context, expectedTarget: BigInt(`0x${v.context.expectedTarget}`) };
    checkHeaderContext(block.header, context, params, v.now);
    const txids = checkBlockBody(block, params);
    return connectBlockTransactions(block, txids, utxoView(v.spends), params);
  };

  it.each(file.valid)('$name', (v) => {
    const block = checkEncodings(v);
    expect(headerToJson(decodeBlock(unhex(v.encoding)).header)).toEqual(v.header);
    expect(hex(merkleRoot(v.txids.map(unhex)))).toBe(v.merkleRoot);
    expect(hex(sign(unhex(v.signingHash), unhex(v.minerSecretKey)))).toBe(v.header.minerSignature);
    expect(meetsTarget(unhex(v.blockId), bytesToBigInt(block.header.target))).toBe(true);
    expect(judge(v)().fees.toString()).toBe(v.fees);
  });

  it.each(file.invalid)('invalid: $name', (v) => {
    checkEncodings(v);
    expectFailure(judge(v), v.expected, v.network);
  });

  it.each([
    ...file.decodeOnly.map((v) => ({ ...v, bytes: () => unhex(v.encoding) })),
    ...file.sized.map((v) => ({ ...v, bytes: () => filled(v.fill, v.length) })),
  ])('invalid: $name', (v) => {
    expectFailure(() => decodeBlock(v.bytes()), v.expected, v.network);
  });
});

describe('genesis vectors', () => {
  const file = readVectors<
    VectorFile & {
      outputsPerAccount: number;
      outputAmount: string;
      devAccounts: Array<{ index: number; secretKey: string; publicKey: string; address: string }>;
      networks: Array<{
        network: string;
        header: HeaderJson;
        headerEncoding: string;
        signingHash: string;
        blockId: string;
        idMeetsTarget: boolean;
        coinbase: { timestamp: number; coinbaseHeight: number; outputs: number; txid: string };
        encoding: string;
        size: number;
      }>;
    }
  >('genesis');

  it.each(file.devAccounts)('dev account $index', (v) => {
    const account = devAccount(v.index);
    expect([hex(account.secretKey), hex(account.publicKey), hex(account.address)]).toEqual([
      v.secretKey,
      v.publicKey,
      v.address,
    ]);
  });

  it.each(file.networks)('genesis of $network: the reference block', (v) => {
    const params = NETWORKS[v.network]!;
    const block = genesisBlock(params);
    expect(headerToJson(block.header)).toEqual(v.header);
    expect(hex(encodeHeader(block.header))).toBe(v.headerEncoding);
    expect(hex(blockIdOf(block.header))).toBe(v.blockId);
    expect(hex(encodeBlock(block))).toBe(v.encoding);
    expect(unhex(v.encoding)).toHaveLength(v.size);
    expect(hex(txidOf(block.transactions[0]!))).toBe(v.coinbase.txid);
    expect(meetsTarget(blockIdOf(block.header), bytesToBigInt(block.header.target))).toBe(v.idMeetsTarget);
  });

  it.each(file.networks)('genesis of $network: rebuilt from its description alone', (v) => {
    // PROTOCOL.md 9.3: a coinbase paying each dev account's outputs in account order, a header of
    // height 0 with a zero prevHash, signed by dev account 0 with nonce 0.
    const outputs = file.devAccounts.flatMap((account) =>
      Array.from({ length: file.outputsPerAccount }, () => ({
        amount: BigInt(file.outputAmount),
        address: unhex(account.address),
      })),
    );
    const coinbase: Transaction = createCoinbase(0, outputs, v.coinbase.timestamp);
    expect(coinbase.outputs).toHaveLength(v.coinbase.outputs);
    const header: BlockHeader = {
      version: 1,
      height: 0,
      prevHash: new Uint8Array(32),
      merkleRoot: merkleRoot([txidOf(coinbase)]) as Uint8Array<ArrayBuffer>,
      timestamp: v.header.timestamp,
      target: unhex(v.header.target),
      minerPublicKey: unhex(file.devAccounts[0]!.publicKey),
      minerSignature: new Uint8Array(0),
      nonce: 0n,
    };
    expect(hex(headerSigningHash(header, v.network))).toBe(v.signingHash);
    header.minerSignature = sign(headerSigningHash(header, v.network), unhex(file.devAccounts[0]!.secretKey));
    expect(hex(encodeBlock({ header, transactions: [coinbase] }))).toBe(v.encoding);
  });
});

describe('difficulty vectors', () => {
  type Sample = { timestamp: number; target: string };
  const file = readVectors<
    VectorFile & {
      params: Array<{
        network: string;
        retarget: boolean;
        retargetWindow: number;
        blockIntervalMs: number;
        initialTarget: string;
        powLimit: string;
      }>;
      retargets: Array<{ name: string; network: string; window: Sample[]; expectedTarget: string }>;
      sequences: Array<{ name: string; network: string; blocks: Array<Sample & { height: number }> }>;
      medians: Array<{ timestamps: number[]; median: number }>;
    }
  >('difficulty');
  const samples = (window: Sample[]) =>
    window.map((s) => ({ timestamp: s.timestamp, target: BigInt(`0x${s.target}`) }));

  it.each(file.params)('parameters of $network', (v) => {
    const params = NETWORKS[v.network]!;
    expect(v).toEqual({
      network: params.network,
      retarget: params.retarget,
      retargetWindow: params.retargetWindow,
      blockIntervalMs: params.blockIntervalMs,
      initialTarget: hex256(params.initialTarget),
      powLimit: hex256(params.powLimit),
    });
  });

  it.each(file.retargets)('$network: $name', (v) => {
    expect(hex256(expectedTarget(NETWORKS[v.network]!, samples(v.window)))).toBe(v.expectedTarget);
  });

  it.each(file.sequences)('$name', (v) => {
    const params = NETWORKS[v.network]!;
    const genesis = genesisBlock(params).header;
    expect(v.blocks[0]).toEqual({ height: 0, timestamp: genesis.timestamp, target: hex(genesis.target) });
    const chain = samples(v.blocks);
    for (let height = 1; height < chain.length; height++) {
      const window = chain.slice(Math.max(0, height - params.retargetWindow - 1), height);
      expect(hex256(expectedTarget(params, window)), `height ${height}`).toBe(v.blocks[height]!.target);
    }
  });

  it.each(file.medians)('median of $timestamps', (v) => {
    expect(medianTimestamp(v.timestamps)).toBe(v.median);
  });
});

describe('ledger vectors', () => {
  const file = readVectors<
    VectorFile & {
      unitsPerCoin: string;
      maxMoney: string;
      subsidies: Array<{ height: number; subsidy: string }>;
      relayWindow: Array<{ now: number; timestamp: number; code: string | null; offence: string | null }>;
      mempool: {
        utxos: UtxoJson[];
        cases: Array<{
          name: string;
          network: string;
          now: number;
          tipHeight: number;
          pooled: string[];
          encoding: string;
          fee: string | null;
          expected: Failure | null;
        }>;
      };
    }
  >('ledger');
  const devnet = NETWORKS.devnet!;

  it('units and the money supply bound', () => {
    expect([UNITS_PER_COIN.toString(), MAX_MONEY.toString()]).toEqual([file.unitsPerCoin, file.maxMoney]);
  });

  it.each(file.subsidies)('subsidy at height $height', (v) => {
    expect(blockSubsidy(devnet, v.height).toString()).toBe(v.subsidy);
  });

  it.each(file.relayWindow)('relay window: dated $timestamp at $now', (v) => {
    let error: ValidationError | undefined;
    try {
      checkRelayTimestamp({ timestamp: v.timestamp } as Transaction, devnet, v.now);
    } catch (err) {
      error = err as ValidationError;
    }
    expect(error?.code ?? null).toBe(v.code);
    expect(error === undefined ? null : offenceForValidation(error, devnet)).toBe(v.offence);
  });

  it.each(file.mempool.cases)('mempool: $name', (v) => {
    const view = utxoView(file.mempool.utxos);
    const pool = new Mempool(NETWORKS[v.network]!, {
      ...view,
      tipHeight: () => v.tipHeight,
      isConfirmed: () => false,
    });
    for (const earlier of v.pooled) pool.acceptTransaction(unhex(earlier), v.now);
    const accept = () => pool.acceptTransaction(unhex(v.encoding), v.now);
    if (v.expected === null) expect(accept().fee.toString()).toBe(v.fee);
    else expectFailure(accept, v.expected, v.network);
  });
});
