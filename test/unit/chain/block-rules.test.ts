/**
 * Block rules on REGTEST: header checks (context free and against the parent chain), body checks,
 * and connecting the transactions to a UTXO view.
 */
import { describe, expect, it } from 'vitest';
import type { BlockHeader, Transaction } from '../../../src/chain/encoding/codec.js';
import { encodeHeader } from '../../../src/chain/encoding/codec.js';
import { DEV_OUTPUTS_PER_ACCOUNT } from '../../../src/chain/genesis.js';
import { searchNonce } from '../../../src/chain/mining/nonce-search.js';
import {
  blockIdOf,
  bytesToBigInt,
  type FullBlock,
  headerSigningHash,
  merkleRoot,
  targetToBytes,
} from '../../../src/chain/objects/block.js';
import {
  createCoinbase,
  createTransaction,
  outpointKey,
  txidOf,
} from '../../../src/chain/objects/transaction.js';
import { blockSubsidy } from '../../../src/chain/params.js';
import {
  type BlockContext,
  checkBlockBody,
  checkHeaderContext,
  checkHeaderContextFree,
  connectBlockTransactions,
  isBodyTampering,
} from '../../../src/chain/rules/block.js';
import { sign } from '../../../src/crypto/index.js';
import {
  ALICE,
  BOB,
  buildBlock,
  bytes,
  expectValidationError,
  flipBit,
  GENESIS,
  GENESIS_ID,
  GENESIS_TXID,
  genesisView,
  MemoryUtxoView,
  MINER,
  mine,
  mineFailing,
  PARAMS,
  pay,
  signAndMine,
  spendGenesis,
} from './builders.js';

const tx1 = spendGenesis(ALICE, 0, { fee: 500n });
const tx2 = spendGenesis(BOB, 0, { to: ALICE.address, fee: 300n });
const block = buildBlock([tx1, tx2], { fees: 800n });
const subsidy = blockSubsidy(PARAMS, 1);

function copyHeader(change: Partial<BlockHeader> = {}): BlockHeader {
  return { ...block.header, ...change };
}

function checkFree(header: BlockHeader): void {
  checkHeaderContextFree(header, blockIdOf(header), PARAMS);
}

describe('checkHeaderContextFree', () => {
  it('accepts a signed, mined header', () => {
    expect(() => checkFree(block.header)).not.toThrow();
  });

  it('rejects an unknown version', () => {
    expectValidationError(() => checkFree(copyHeader({ version: 2 })), 'UNSUPPORTED_VERSION', 'REJECT');
  });

  it.each([
    ['prevHash', 31],
    ['merkleRoot', 33],
    ['target', 31],
    ['minerPublicKey', 31],
    ['minerSignature', 63],
    ['minerSignature', 0],
  ] as const)('rejects a %s of %i bytes', (field, length) => {
    const header = copyHeader({ [field]: bytes(new Uint8Array(length).fill(1)) });
    expectValidationError(() => checkFree(header), 'BLOCK_BAD_STRUCTURE', 'REJECT');
  });

  it('accepts a target of exactly powLimit and rejects powLimit + 1 even when the id meets it', () => {
    expect(() =>
      checkFree(signAndMine(copyHeader({ target: targetToBytes(PARAMS.powLimit) }))),
    ).not.toThrow();
    const easy = signAndMine(copyHeader({ target: targetToBytes(PARAMS.powLimit + 1n) }));
    expectValidationError(() => checkFree(easy), 'BLOCK_BAD_POW', 'REJECT');
  });

  it('rejects a zero target', () => {
    expectValidationError(
      () => checkFree(copyHeader({ target: targetToBytes(0n) })),
      'BLOCK_BAD_POW',
      'REJECT',
    );
  });

  it('rejects a block id above its target', () => {
    const header = mineFailing(copyHeader());
    expectValidationError(() => checkFree(header), 'BLOCK_BAD_POW', 'REJECT');
  });

  it('checks the id it is given against the target', () => {
    const failing = mineFailing(copyHeader());
    expectValidationError(
      () => checkHeaderContextFree(block.header, blockIdOf(failing), PARAMS),
      'BLOCK_BAD_POW',
      'REJECT',
    );
  });

  it('rejects a corrupted miner signature (with valid proof of work)', () => {
    const header = mine(copyHeader({ minerSignature: flipBit(block.header.minerSignature, 3) }));
    expectValidationError(() => checkFree(header), 'BLOCK_BAD_SIGNATURE', 'REJECT');
  });

  it('rejects a header whose miner key is swapped for another', () => {
    const header = mine(copyHeader({ minerPublicKey: bytes(ALICE.publicKey) }));
    expectValidationError(() => checkFree(header), 'BLOCK_BAD_SIGNATURE', 'REJECT');
  });

  it('rejects a header signed for another network', () => {
    const header = copyHeader();
    header.minerSignature = bytes(sign(headerSigningHash(header, 'devnet'), MINER.secretKey));
    expectValidationError(() => checkFree(mine(header)), 'BLOCK_BAD_SIGNATURE', 'REJECT');
  });

  it('keeps the signature valid when only the nonce changes', () => {
    const header = copyHeader();
    const next = searchNonce(encodeHeader(header), bytesToBigInt(header.target), header.nonce + 1n, 10_000)!;
    expect(next).toBeGreaterThan(block.header.nonce);
    expect(() => checkFree({ ...header, nonce: next })).not.toThrow();
  });
});

describe('checkHeaderContext', () => {
  const context: BlockContext = {
    parentHeight: 0,
    medianTimePast: GENESIS.header.timestamp,
    expectedTarget: PARAMS.initialTarget,
  };
  const now = block.header.timestamp;

  it('accepts a header that extends its parent', () => {
    expect(() => checkHeaderContext(block.header, context, PARAMS, now)).not.toThrow();
  });

  it('rejects a height other than parent + 1', () => {
    for (const height of [0, 2]) {
      expectValidationError(
        () => checkHeaderContext(copyHeader({ height }), context, PARAMS, now),
        'BLOCK_BAD_HEIGHT',
        'REJECT',
      );
    }
  });

  it('rejects a target other than the expected one', () => {
    const wrong = { ...context, expectedTarget: PARAMS.initialTarget >> 1n };
    expectValidationError(
      () => checkHeaderContext(block.header, wrong, PARAMS, now),
      'BLOCK_BAD_TARGET',
      'REJECT',
    );
  });

  it('requires a timestamp strictly above the median time past', () => {
    const mtp = context.medianTimePast;
    expect(() => checkHeaderContext(copyHeader({ timestamp: mtp + 1 }), context, PARAMS, now)).not.toThrow();
    for (const timestamp of [mtp, mtp - 1]) {
      expectValidationError(
        () => checkHeaderContext(copyHeader({ timestamp }), context, PARAMS, now),
        'BLOCK_TIME_TOO_OLD',
        'REJECT',
      );
    }
  });

  it('ignores (does not reject) a header 1 ms beyond the future drift', () => {
    const limit = now + PARAMS.maxBlockFutureDriftMs;
    expect(() => checkHeaderContext(copyHeader({ timestamp: limit }), context, PARAMS, now)).not.toThrow();
    expectValidationError(
      () => checkHeaderContext(copyHeader({ timestamp: limit + 1 }), context, PARAMS, now),
      'BLOCK_TIME_TOO_NEW',
      'IGNORE',
    );
  });
});

/** `block` with its transactions replaced, re-merkled, re-signed and re-mined. */
function withTransactions(transactions: Transaction[], height = 1): FullBlock {
  return buildBlock([], { transactions, height });
}

describe('checkBlockBody', () => {
  const coinbase = block.transactions[0]!;

  it('accepts a valid block and returns its txids in order', () => {
    expect(checkBlockBody(block, PARAMS)).toEqual(block.transactions.map(txidOf));
  });

  it('rejects a block without transactions (whose header commits to the empty root)', () => {
    const header = copyHeader({ merkleRoot: bytes(merkleRoot([])) });
    expectValidationError(
      () => checkBlockBody({ header, transactions: [] }, PARAMS),
      'BLOCK_BAD_STRUCTURE',
      'REJECT',
    );
  });

  it('checks the merkle root first: a body that does not match its header is tampering', () => {
    const bodies: Transaction[][] = [[], [tx1], [coinbase, tx1, tx1]];
    for (const transactions of bodies) {
      const err = expectValidationError(
        () => checkBlockBody({ header: block.header, transactions }, PARAMS),
        'BLOCK_BAD_MERKLE_ROOT',
        'REJECT',
      );
      expect(isBodyTampering(err.code)).toBe(true);
    }
  });

  it('rejects a block whose first transaction is not a coinbase', () => {
    expectValidationError(
      () => checkBlockBody(withTransactions([tx1, tx2]), PARAMS),
      'BLOCK_BAD_COINBASE',
      'REJECT',
    );
  });

  it('rejects a second coinbase', () => {
    const second = createCoinbase(1, [pay(ALICE, 1n)], coinbase.timestamp + 1);
    expectValidationError(
      () => checkBlockBody(withTransactions([coinbase, second]), PARAMS),
      'BLOCK_BAD_COINBASE',
      'REJECT',
    );
  });

  it("rejects a coinbase whose height is not the block's", () => {
    const wrong = createCoinbase(2, coinbase.outputs, coinbase.timestamp);
    expectValidationError(
      () => checkBlockBody(withTransactions([wrong, tx1]), PARAMS),
      'BLOCK_BAD_COINBASE',
      'REJECT',
    );
  });

  it('rejects the same transaction twice', () => {
    expectValidationError(
      () => checkBlockBody(withTransactions([coinbase, tx1, tx2, tx1]), PARAMS),
      'BLOCK_DUPLICATE_TX',
      'REJECT',
    );
  });

  it('rejects a merkle root that does not match (changed root, or reordered transactions)', () => {
    const badRoot = { ...block, header: copyHeader({ merkleRoot: flipBit(block.header.merkleRoot) }) };
    expectValidationError(() => checkBlockBody(badRoot, PARAMS), 'BLOCK_BAD_MERKLE_ROOT', 'REJECT');
    const reordered = { ...block, transactions: [coinbase, tx2, tx1] };
    expectValidationError(() => checkBlockBody(reordered, PARAMS), 'BLOCK_BAD_MERKLE_ROOT', 'REJECT');
  });

  it('allows a transaction dated up to maxTxAfterBlockMs after the block, not 1 ms more', () => {
    const timestamp = block.header.timestamp;
    const onLimit = spendGenesis(ALICE, 1, { timestamp: timestamp + PARAMS.maxTxAfterBlockMs });
    const beyond = spendGenesis(ALICE, 2, { timestamp: timestamp + PARAMS.maxTxAfterBlockMs + 1 });
    const build = (tx: Transaction) => buildBlock([tx], { timestamp });
    expect(() => checkBlockBody(build(onLimit), PARAMS)).not.toThrow();
    expectValidationError(() => checkBlockBody(build(beyond), PARAMS), 'BLOCK_TX_TIME_TOO_NEW', 'REJECT');
  });

  it('rejects a transaction with a bad signature', () => {
    const forged = { ...tx1, inputs: [{ ...tx1.inputs[0]!, signature: flipBit(tx1.inputs[0]!.signature) }] };
    expectValidationError(() => checkBlockBody(buildBlock([forged]), PARAMS), 'TX_BAD_SIGNATURE', 'REJECT');
  });

  it("rejects a transaction that fails the syntax rules, the coinbase's included", () => {
    const zero = { ...tx1, outputs: [pay(BOB, 0n)] };
    expectValidationError(() => checkBlockBody(buildBlock([zero]), PARAMS), 'TX_BAD_AMOUNT', 'REJECT');
    const emptyCoinbase = buildBlock([], { coinbaseOutputs: [] });
    expectValidationError(() => checkBlockBody(emptyCoinbase, PARAMS), 'TX_NO_OUTPUTS', 'REJECT');
  });
});

/** Runs the body checks (which must pass) and connects the block to `view`. */
function connect(candidate: FullBlock, view = genesisView()) {
  return connectBlockTransactions(candidate, checkBlockBody(candidate, PARAMS), view, PARAMS);
}

describe('connectBlockTransactions', () => {
  it('returns the spent genesis outputs, the created outputs and the fees', () => {
    const view = genesisView();
    const before = view.utxos.size;
    const diff = connect(block, view);
    expect(view.utxos.size).toBe(before);
    expect(diff.fees).toBe(800n);
    expect(diff.spent.map((s) => s.key)).toEqual(
      [tx1, tx2].map((tx) => outpointKey(tx.inputs[0]!.prevTxid, tx.inputs[0]!.outputIndex)),
    );
    expect(diff.spent.every((s) => s.utxo.height === 0 && s.utxo.coinbase)).toBe(true);
    const [cbId, id1, id2] = block.transactions.map(txidOf) as [Uint8Array, Uint8Array, Uint8Array];
    expect(diff.created).toEqual([
      {
        key: outpointKey(cbId, 0),
        utxo: { amount: subsidy + 800n, address: MINER.address, height: 1, coinbase: true },
      },
      { key: outpointKey(id1, 0), utxo: { ...outputOf(tx1, 0), height: 1, coinbase: false } },
      { key: outpointKey(id1, 1), utxo: { ...outputOf(tx1, 1), height: 1, coinbase: false } },
      { key: outpointKey(id2, 0), utxo: { ...outputOf(tx2, 0), height: 1, coinbase: false } },
      { key: outpointKey(id2, 1), utxo: { ...outputOf(tx2, 1), height: 1, coinbase: false } },
    ]);
  });

  it('accepts a coinbase paying exactly subsidy + fees, or less, and rejects one unit more', () => {
    expect(() => connect(buildBlock([tx1], { fees: 500n }))).not.toThrow();
    expect(() => connect(buildBlock([tx1], { fees: 0n }))).not.toThrow();
    expectValidationError(
      () => connect(buildBlock([tx1], { fees: 501n })),
      'BLOCK_COINBASE_TOO_LARGE',
      'REJECT',
    );
    expectValidationError(() => connect(buildBlock([], { fees: 1n })), 'BLOCK_COINBASE_TOO_LARGE', 'REJECT');
  });

  it('rejects two transactions spending the same outpoint', () => {
    const conflict = spendGenesis(ALICE, 0, { fee: 900n });
    expect(txidOf(conflict)).not.toEqual(txidOf(tx1));
    expectValidationError(() => connect(buildBlock([tx1, conflict])), 'BLOCK_DOUBLE_SPEND', 'REJECT');
  });

  it('rejects an input absent from the UTXO set', () => {
    const missing = createTransaction(
      PARAMS.network,
      [{ prevTxid: GENESIS_ID, outputIndex: 0, secretKey: ALICE.secretKey }],
      [pay(BOB, 1n)],
      PARAMS.genesisTimestamp,
    );
    expectValidationError(() => connect(buildBlock([missing])), 'BLOCK_MISSING_INPUTS', 'REJECT');
  });

  describe('spending outputs created in the same block', () => {
    const parent = spendGenesis(ALICE, 5, { to: BOB.address, amount: 10_000n, fee: 100n });
    const child = createTransaction(
      PARAMS.network,
      [{ prevTxid: txidOf(parent), outputIndex: 0, secretKey: BOB.secretKey }],
      [pay(ALICE, 9_000n)],
      PARAMS.genesisTimestamp + 2_000,
    );

    it('allows it, and the diff neither spends nor creates the intermediate output', () => {
      const diff = connect(buildBlock([parent, child], { fees: 1_100n }));
      const intermediate = outpointKey(txidOf(parent), 0);
      expect(diff.fees).toBe(1_100n);
      expect(diff.spent.map((s) => s.key)).toEqual([
        outpointKey(GENESIS_TXID, ALICE.index * DEV_OUTPUTS_PER_ACCOUNT + 5),
      ]);
      expect(diff.created.map((c) => c.key)).not.toContain(intermediate);
      expect(diff.created.map((c) => c.key)).toContain(outpointKey(txidOf(parent), 1));
      expect(diff.created.map((c) => c.key)).toContain(outpointKey(txidOf(child), 0));
    });

    it('rejects the child placed before its parent as a missing input', () => {
      expectValidationError(
        () => connect(buildBlock([child, parent], { fees: 1_100n })),
        'BLOCK_MISSING_INPUTS',
        'REJECT',
      );
    });

    it("rejects a spend of the block's own coinbase as immature", () => {
      const candidate = buildBlock([]);
      const spendCoinbase = createTransaction(
        PARAMS.network,
        [{ prevTxid: txidOf(candidate.transactions[0]!), outputIndex: 0, secretKey: MINER.secretKey }],
        [pay(ALICE, 1n)],
        PARAMS.genesisTimestamp,
      );
      const withSpend = buildBlock([], { transactions: [candidate.transactions[0]!, spendCoinbase] });
      expectValidationError(() => connect(withSpend), 'BLOCK_IMMATURE_SPEND', 'REJECT');
    });
  });

  describe('coinbase maturity', () => {
    const coinbaseHeight = 2;
    const earlier = createCoinbase(coinbaseHeight, [pay(ALICE, 7_000n)], PARAMS.genesisTimestamp);
    const view = genesisView().addTransaction(earlier, coinbaseHeight);
    const spend = createTransaction(
      PARAMS.network,
      [{ prevTxid: txidOf(earlier), outputIndex: 0, secretKey: ALICE.secretKey }],
      [pay(BOB, 6_000n)],
      PARAMS.genesisTimestamp,
    );

    it('accepts the spend in the block at coinbaseHeight + maturity', () => {
      const height = coinbaseHeight + PARAMS.coinbaseMaturity;
      expect(connect(buildBlock([spend], { height, fees: 1_000n }), view).fees).toBe(1_000n);
    });

    it('rejects it one block earlier', () => {
      const height = coinbaseHeight + PARAMS.coinbaseMaturity - 1;
      expectValidationError(
        () => connect(buildBlock([spend], { height, fees: 1_000n }), view),
        'BLOCK_IMMATURE_SPEND',
        'REJECT',
      );
    });
  });

  it('rejects spends of outputs the view does not hold', () => {
    expectValidationError(() => connect(block, new MemoryUtxoView()), 'BLOCK_MISSING_INPUTS', 'REJECT');
  });

  it('rejects a block transaction with insufficient funds', () => {
    const over = spendGenesis(ALICE, 7, { fee: -1n });
    expectValidationError(() => connect(buildBlock([over])), 'TX_INSUFFICIENT_FUNDS', 'REJECT');
  });
});

/** The amount and address of output `index` of `tx`. */
function outputOf(tx: Transaction, index: number) {
  const output = tx.outputs[index]!;
  return { amount: output.amount, address: output.address };
}
