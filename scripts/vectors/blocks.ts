/**
 * Block vectors on the devnet: blocks 1 and 2 built on the devnet genesis block (header encoding,
 * signing hash, miner signature, nonce, block id, merkle root, block encoding, fees), and invalid
 * blocks, each with the context it is judged in (parent height, median time past, required target,
 * the local clock, the unspent outputs it spends) and the first rule it breaks.
 */
import {
  type BlockHeader,
  decodeBlock,
  encodeBlock,
  encodeHeader,
  type Transaction,
} from '../../src/chain/encoding/codec.js';
import { genesisBlock } from '../../src/chain/genesis.js';
import {
  BLOCK_VERSION,
  blockIdOf,
  type FullBlock,
  headerSigningHash,
  merkleRoot,
  targetToBytes,
} from '../../src/chain/objects/block.js';
import {
  createCoinbase,
  createTransaction,
  outpointKey,
  txidOf,
} from '../../src/chain/objects/transaction.js';
import { blockSubsidy, DEVNET, UNITS_PER_COIN } from '../../src/chain/params.js';
import {
  type BlockContext,
  checkBlockBody,
  checkHeaderContext,
  checkHeaderContextFree,
  connectBlockTransactions,
} from '../../src/chain/rules/block.js';
import { medianTimestamp } from '../../src/chain/rules/difficulty.js';
import type { Utxo } from '../../src/chain/rules/utxo.js';
import { sign } from '../../src/crypto/index.js';
import { GENERATED_BY, headerToJson, hex, hex256, txToJson } from '../../test/unit/vectors/format.js';
import {
  account,
  type Bytes,
  concat,
  expectedFailure,
  failureOf,
  lenField,
  mine,
  pay,
  T0,
  withFailingNonce,
  withNonce,
} from './common.js';
import { genesisOutpoint, samplePayment } from './transactions.js';

const params = DEVNET;
const COIN = UNITS_PER_COIN;
const GENESIS = genesisBlock(params);
const GENESIS_ID = blockIdOf(GENESIS.header);

interface SpentUtxo extends Utxo {
  readonly txid: Uint8Array;
  readonly outputIndex: number;
}

interface BlockCase {
  name: string;
  block: FullBlock;
  context: BlockContext;
  now: number;
  spends: SpentUtxo[];
}

const genesisUtxo = (index: number, j = 0): SpentUtxo => {
  const { prevTxid, outputIndex } = genesisOutpoint(params, index, j);
  const output = GENESIS.transactions[0]!.outputs[outputIndex]!;
  return {
    txid: prevTxid,
    outputIndex,
    amount: output.amount,
    address: output.address,
    height: 0,
    coinbase: true,
  };
};

const spendGenesis = (index: number, j = 0) => ({
  ...genesisOutpoint(params, index, j),
  secretKey: account(index).secretKey,
});

interface Draft {
  height: number;
  prevHash: Uint8Array;
  timestamp: number;
  target?: bigint;
  transactions: Transaction[];
  merkleOf?: Transaction[];
  minerIndex?: number;
  version?: number;
}

function build(draft: Draft): FullBlock {
  const header: BlockHeader = {
    version: draft.version ?? BLOCK_VERSION,
    height: draft.height,
    prevHash: draft.prevHash as Bytes,
    merkleRoot: merkleRoot((draft.merkleOf ?? draft.transactions).map((tx) => txidOf(tx))) as Bytes,
    timestamp: draft.timestamp,
    target: targetToBytes(draft.target ?? params.initialTarget),
    minerPublicKey: new Uint8Array(0),
    minerSignature: new Uint8Array(0),
    nonce: 0n,
  };
  return { header: mine(header, params, draft.minerIndex ?? 2), transactions: draft.transactions };
}

const coinbase = (height: number, amount: bigint, timestamp: number): Transaction =>
  createCoinbase(height, [pay(2, amount)], timestamp);

// Block 1: coinbase + dev account 1's payment (fee 1 coin).
const payment1 = samplePayment(params);
const fee1 = 1n * COIN;
const context1: BlockContext = {
  parentHeight: 0,
  medianTimePast: medianTimestamp([GENESIS.header.timestamp]),
  expectedTarget: params.initialTarget,
};
const block1 = build({
  height: 1,
  prevHash: GENESIS_ID,
  timestamp: T0,
  transactions: [coinbase(1, blockSubsidy(params, 1) + fee1, T0), payment1],
});
const spends1 = [genesisUtxo(1)];

// Block 2: coinbase + two payments (3 transactions: the merkle tree carries its odd node up).
const payment2a = createTransaction('devnet', [spendGenesis(3)], [pay(4, 9_999n * COIN)], T0 + 4_000);
const payment2b = createTransaction(
  'devnet',
  [spendGenesis(5), spendGenesis(5, 1)],
  [pay(6, 19_998n * COIN)],
  T0 + 4_500,
);
const block1Id = blockIdOf(block1.header);
const context2: BlockContext = {
  parentHeight: 1,
  medianTimePast: medianTimestamp([GENESIS.header.timestamp, T0]),
  expectedTarget: params.initialTarget,
};
const block2 = build({
  height: 2,
  prevHash: block1Id,
  timestamp: T0 + 5_000,
  transactions: [coinbase(2, blockSubsidy(params, 2) + 3n * COIN, T0 + 5_000), payment2a, payment2b],
});
const spends2 = [genesisUtxo(3), genesisUtxo(5), genesisUtxo(5, 1)];

/** A variant of block 1: its draft edited, then mined again. */
function variant1(edit: (draft: Draft) => void): FullBlock {
  const draft: Draft = {
    height: 1,
    prevHash: GENESIS_ID,
    timestamp: T0,
    transactions: [coinbase(1, blockSubsidy(params, 1) + fee1, T0), payment1],
  };
  edit(draft);
  return build(draft);
}

function resignedWith(block: FullBlock, minerIndex: number, signerIndex: number): FullBlock {
  const miner = account(minerIndex);
  const header: BlockHeader = { ...block.header, minerPublicKey: miner.publicKey as Bytes, nonce: 0n };
  const signer = account(signerIndex);
  header.minerSignature = sign(headerSigningHash(header, params.network), signer.secretKey);
  return { header: withNonce(header, params.initialTarget), transactions: block.transactions };
}

const now1 = T0 + 1_000;
const invalidCases: BlockCase[] = [
  {
    name: 'proof of work: block id above the target (block 1 with another nonce)',
    block: { header: withFailingNonce(block1.header), transactions: block1.transactions },
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'target above the devnet powLimit (2^248 - 1)',
    block: variant1((d) => (d.target = params.powLimit + 1n)),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'proof of work and miner signature both bad: proof of work is checked first',
    block: {
      header: withFailingNonce({
        ...block1.header,
        minerSignature: block1.header.minerSignature.map((b) => b ^ 1) as Bytes,
      }),
      transactions: block1.transactions,
    },
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'miner signature by another key than minerPublicKey (mined again)',
    block: resignedWith(block1, 2, 3),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'header version 2',
    block: variant1((d) => (d.version = 2)),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'height 2 on a parent at height 0',
    block: variant1((d) => ((d.height = 2), (d.transactions = [coinbase(2, 51n * COIN, T0), payment1]))),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'target half the required one (valid proof of work at that target)',
    block: variant1((d) => (d.target = params.initialTarget / 2n)),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'timestamp equal to the median time past (must be strictly above it)',
    block: variant1((d) => (d.timestamp = context1.medianTimePast)),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'timestamp 120,001 ms ahead of the local clock (IGNORE: may be valid later)',
    block: variant1((d) => (d.timestamp = now1 + 120_001)),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'body does not match the merkle root (the payment removed after mining)',
    block: { header: block1.header, transactions: [block1.transactions[0]!] },
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'no transactions (merkle root of nothing = 32 zero bytes)',
    block: variant1((d) => (d.transactions = [])),
    context: context1,
    now: now1,
    spends: [],
  },
  {
    name: 'first transaction is not a coinbase',
    block: variant1((d) => (d.transactions = [payment1])),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'coinbase height 2 in the block at height 1',
    block: variant1((d) => (d.transactions = [coinbase(2, 51n * COIN, T0), payment1])),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'a second coinbase',
    block: variant1((d) => (d.transactions = [coinbase(1, 51n * COIN, T0), coinbase(1, COIN, T0 + 1)])),
    context: context1,
    now: now1,
    spends: [],
  },
  {
    name: 'the same transaction twice',
    block: variant1((d) => (d.transactions = [coinbase(1, 52n * COIN, T0), payment1, payment1])),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'a transaction dated 120,001 ms after the block',
    block: variant1(
      (d) =>
        (d.transactions = [
          coinbase(1, 51n * COIN, T0),
          createTransaction('devnet', [spendGenesis(1)], [pay(2, 9_999n * COIN)], T0 + 120_001),
        ]),
    ),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'coinbase pays subsidy + fees + 1 base unit',
    block: variant1(
      (d) => (d.transactions = [coinbase(1, blockSubsidy(params, 1) + fee1 + 1n, T0), payment1]),
    ),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'two transactions spend the same output',
    block: variant1(
      (d) =>
        (d.transactions = [
          coinbase(1, 50n * COIN, T0),
          payment1,
          createTransaction('devnet', [spendGenesis(1)], [pay(3, 10_000n * COIN)], T0 + 1),
        ]),
    ),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'spends an output that is not unspent (absent from the parent chain)',
    block: block1,
    context: context1,
    now: now1,
    spends: [],
  },
  {
    name: 'spends a coinbase output of height 1 at height 2 (maturity 10 on the devnet)',
    block: (() => {
      const immature = createTransaction(
        'devnet',
        [{ prevTxid: txidOf(block1.transactions[0]!), outputIndex: 0, secretKey: account(2).secretKey }],
        [pay(3, 50n * COIN)],
        T0 + 4_000,
      );
      return build({
        height: 2,
        prevHash: block1Id,
        timestamp: T0 + 5_000,
        transactions: [coinbase(2, 51n * COIN, T0 + 5_000), immature],
      });
    })(),
    context: context2,
    now: T0 + 6_000,
    spends: [
      {
        txid: txidOf(block1.transactions[0]!),
        outputIndex: 0,
        amount: 51n * COIN,
        address: account(2).address,
        height: 1,
        coinbase: true,
      },
    ],
  },
  {
    name: 'an input signed by a key that does not own the output',
    block: variant1(
      (d) =>
        (d.transactions = [
          coinbase(1, 50n * COIN, T0),
          createTransaction(
            'devnet',
            [{ ...genesisOutpoint(params, 1), secretKey: account(4).secretKey }],
            [pay(2, 10_000n * COIN)],
            T0,
          ),
        ]),
    ),
    context: context1,
    now: now1,
    spends: spends1,
  },
  {
    name: 'outputs worth more than the inputs',
    block: variant1(
      (d) =>
        (d.transactions = [
          coinbase(1, 50n * COIN, T0),
          createTransaction('devnet', [spendGenesis(1)], [pay(2, 10_000n * COIN + 1n)], T0),
        ]),
    ),
    context: context1,
    now: now1,
    spends: spends1,
  },
];

/** The block pipeline in the order the reference runs it (PROTOCOL.md 11). */
function judge(c: BlockCase): { fees: bigint } {
  const block = decodeBlock(encodeBlock(c.block)) as FullBlock;
  checkHeaderContextFree(block.header, blockIdOf(block.header), params);
  checkHeaderContext(block.header, c.context, params, c.now);
  const txids = checkBlockBody(block, params);
  const utxos = new Map(c.spends.map((s) => [outpointKey(s.txid, s.outputIndex), s as Utxo]));
  return connectBlockTransactions(block, txids, { getUtxo: (k) => utxos.get(k) }, params);
}

function caseJson(c: BlockCase) {
  const { header, transactions } = c.block;
  return {
    name: c.name,
    network: params.network,
    header: headerToJson(header),
    headerEncoding: hex(encodeHeader(header)),
    blockId: hex(blockIdOf(header)),
    signingHash: hex(headerSigningHash(header, params.network)),
    transactions: transactions.map(txToJson),
    txids: transactions.map((tx) => hex(txidOf(tx))),
    encoding: hex(encodeBlock(c.block)),
    context: {
      parentHeight: c.context.parentHeight,
      medianTimePast: c.context.medianTimePast,
      expectedTarget: hex256(c.context.expectedTarget),
    },
    now: c.now,
    spends: c.spends.map((s) => ({
      txid: hex(s.txid),
      outputIndex: s.outputIndex,
      amount: s.amount.toString(),
      address: hex(s.address),
      height: s.height,
      coinbase: s.coinbase,
    })),
  };
}

export function blockVectors() {
  const valid = [
    {
      name: 'devnet block 1: coinbase + 1 payment',
      block: block1,
      context: context1,
      now: now1,
      spends: spends1,
      minerIndex: 2,
    },
    {
      name: 'devnet block 2: coinbase + 2 payments (3 transactions)',
      block: block2,
      context: context2,
      now: T0 + 6_000,
      spends: spends2,
      minerIndex: 2,
    },
  ].map((c) => ({
    ...caseJson(c),
    minerSecretKey: hex(account(c.minerIndex).secretKey),
    merkleRoot: hex(c.block.header.merkleRoot),
    fees: judge(c).fees.toString(),
  }));
  const invalid = invalidCases.map((c) => ({
    ...caseJson(c),
    expected: expectedFailure(failureOf(() => judge(c)).code, params),
  }));
  const header = encodeHeader(block1.header);
  const tooMany = concat(
    lenField(1, header),
    ...Array.from({ length: 10_001 }, () => lenField(2, new Uint8Array(0))),
  );
  const decodeOnly = [
    {
      name: 'a block with no header field',
      encoding: encodeBlock({ transactions: block1.transactions } as never),
    },
    {
      name: '10,001 transactions (each an empty Transaction): a repeated field over its limit',
      encoding: tooMany,
    },
  ].map(({ name, encoding }) => ({
    name,
    network: params.network,
    encoding: hex(encoding),
    expected: expectedFailure(failureOf(() => decodeBlock(encoding)).code, params),
  }));
  const size = 1_000_001;
  return {
    description:
      'Blocks on the devnet (PROTOCOL.md 8, 8.2, 8.4, 9.4-9.6, 11). Every vector gives the header and transactions as ' +
      'JSON, their encodings, the block id, the hash the miner signs, and the context it is judged in: ' +
      'parentHeight, medianTimePast and expectedTarget of the parent chain, the local clock `now`, and the ' +
      'unspent outputs its inputs spend (`spends`). valid: blocks 1 and 2 on the devnet genesis, with the ' +
      'miner secret key and the fees. invalid: the first rule broken in the order header (context free), ' +
      'header against the parent chain, body, ledger. decodeOnly: failures of decoding alone. sized: `length` ' +
      'bytes of `fill`.',
    generatedBy: GENERATED_BY,
    valid,
    invalid,
    decodeOnly,
    sized: [
      {
        name: 'block of 1,000,001 bytes: OVERSIZE before any decoding',
        network: params.network,
        fill: '0a',
        length: size,
        expected: expectedFailure(failureOf(() => decodeBlock(new Uint8Array(size).fill(0x0a))).code, params),
      },
    ],
  };
}
