/**
 * Transaction rules: every error code with its verdict, and the boundaries of each limit.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Transaction } from '../../../src/chain/encoding/codec.js';
import { MAX_TX_INPUTS, MAX_TX_OUTPUTS } from '../../../src/chain/encoding/limits.js';
import type { ErrorCode } from '../../../src/chain/errors.js';
import { DEV_OUTPUT_AMOUNT, DEV_OUTPUTS_PER_ACCOUNT } from '../../../src/chain/genesis.js';
import {
  createCoinbase,
  createTransaction,
  outpointKey,
  sighashOf,
  txidOf,
} from '../../../src/chain/objects/transaction.js';
import { DEVNET, MAX_MONEY } from '../../../src/chain/params.js';
import {
  checkRelayTimestamp,
  checkTransactionInputs,
  checkTransactionSignatures,
  checkTransactionSyntax,
} from '../../../src/chain/rules/transaction.js';
import { sign, signatureCache } from '../../../src/crypto/index.js';
import {
  ALICE,
  BOB,
  bytes,
  expectValidationError,
  flipBit,
  GENESIS_TXID,
  genesisInput,
  genesisView,
  MemoryUtxoView,
  PARAMS,
  pay,
  spendGenesis,
} from './builders.js';

const tx = spendGenesis(ALICE, 0);

function withOutputs(base: Transaction, outputs: Transaction['outputs']): Transaction {
  return { ...base, outputs };
}

function withInput(
  base: Transaction,
  change: Partial<Transaction['inputs'][number]>,
  index = 0,
): Transaction {
  return { ...base, inputs: base.inputs.map((input, i) => (i === index ? { ...input, ...change } : input)) };
}

describe('checkTransactionSyntax', () => {
  it('accepts a valid transaction, and a coinbase only where allowed', () => {
    expect(() => checkTransactionSyntax(tx, false)).not.toThrow();
    expect(() => checkTransactionSyntax(tx, true)).not.toThrow();
    expect(() => checkTransactionSyntax(createCoinbase(1, [pay(ALICE, 1n)], 0), true)).not.toThrow();
  });

  it('accepts amounts at MAX_MONEY, alone or as a sum', () => {
    expect(() => checkTransactionSyntax(withOutputs(tx, [pay(BOB, MAX_MONEY)]), false)).not.toThrow();
    const halves = [pay(BOB, MAX_MONEY / 2n), pay(ALICE, MAX_MONEY - MAX_MONEY / 2n)];
    expect(() => checkTransactionSyntax(withOutputs(tx, halves), false)).not.toThrow();
  });

  const address = (length: number) => bytes(new Uint8Array(length).fill(1));
  const field = (length: number) => bytes(new Uint8Array(length).fill(2));
  const cases: [name: string, invalid: Transaction, allowCoinbase: boolean, code: ErrorCode][] = [
    ['version 2', { ...tx, version: 2 }, false, 'UNSUPPORTED_VERSION'],
    ['version 0', { ...tx, version: 0 }, false, 'UNSUPPORTED_VERSION'],
    ['no outputs', withOutputs(tx, []), false, 'TX_NO_OUTPUTS'],
    ['coinbase without allowCoinbase', createCoinbase(1, [pay(ALICE, 1n)], 0), false, 'TX_BAD_COINBASE'],
    ['coinbaseHeight on a spend', { ...tx, coinbaseHeight: 5 }, false, 'TX_BAD_COINBASE'],
    ['coinbaseHeight on a spend in a block', { ...tx, coinbaseHeight: 5 }, true, 'TX_BAD_COINBASE'],
    [
      '19-byte address',
      withOutputs(tx, [{ amount: 1n, address: address(19) }]),
      false,
      'TX_BAD_FIELD_LENGTH',
    ],
    [
      '21-byte address',
      withOutputs(tx, [{ amount: 1n, address: address(21) }]),
      false,
      'TX_BAD_FIELD_LENGTH',
    ],
    ['empty address', withOutputs(tx, [{ amount: 1n, address: address(0) }]), false, 'TX_BAD_FIELD_LENGTH'],
    ['zero amount', withOutputs(tx, [pay(BOB, 0n)]), false, 'TX_BAD_AMOUNT'],
    ['amount MAX_MONEY + 1', withOutputs(tx, [pay(BOB, MAX_MONEY + 1n)]), false, 'TX_BAD_AMOUNT'],
    ['sum MAX_MONEY + 1', withOutputs(tx, [pay(BOB, MAX_MONEY), pay(ALICE, 1n)]), false, 'TX_BAD_AMOUNT'],
    ['31-byte prevTxid', withInput(tx, { prevTxid: field(31) }), false, 'TX_BAD_FIELD_LENGTH'],
    ['33-byte prevTxid', withInput(tx, { prevTxid: field(33) }), false, 'TX_BAD_FIELD_LENGTH'],
    ['31-byte public key', withInput(tx, { publicKey: field(31) }), false, 'TX_BAD_FIELD_LENGTH'],
    ['33-byte public key', withInput(tx, { publicKey: field(33) }), false, 'TX_BAD_FIELD_LENGTH'],
    ['63-byte signature', withInput(tx, { signature: field(63) }), false, 'TX_BAD_FIELD_LENGTH'],
    ['empty signature', withInput(tx, { signature: field(0) }), false, 'TX_BAD_FIELD_LENGTH'],
    ['outpoint spent twice', { ...tx, inputs: [tx.inputs[0]!, tx.inputs[0]!] }, false, 'TX_DUPLICATE_INPUT'],
  ];

  it.each(cases)('rejects %s', (_name, invalid, allowCoinbase, code) => {
    expectValidationError(() => checkTransactionSyntax(invalid, allowCoinbase), code, 'REJECT');
  });

  it('accepts the same txid at different output indexes (not a duplicate input)', () => {
    const second = { ...tx.inputs[0]!, outputIndex: tx.inputs[0]!.outputIndex + 1 };
    expect(() => checkTransactionSyntax({ ...tx, inputs: [tx.inputs[0]!, second] }, false)).not.toThrow();
  });

  // GAP: ERROR_VERDICTS declares TX_TOO_MANY_INPUTS / TX_TOO_MANY_OUTPUTS as context-free transaction
  // codes and the module says checkTransactionSyntax checks "sizes", but nothing throws them: only the
  // decoder caps the counts (as MALFORMED_ENCODING). A locally built transaction (wallet, RPC) with
  // more inputs passes every rule, enters our mempool, and every peer REJECTs it when relayed.
  it('rejects more than MAX_TX_INPUTS inputs', () => {
    const inputs = Array.from({ length: MAX_TX_INPUTS + 1 }, (_, i) => ({
      ...tx.inputs[0]!,
      outputIndex: i,
    }));
    expectValidationError(
      () => checkTransactionSyntax({ ...tx, inputs }, false),
      'TX_TOO_MANY_INPUTS',
      'REJECT',
    );
  });

  it('rejects more than MAX_TX_OUTPUTS outputs', () => {
    const outputs = Array.from({ length: MAX_TX_OUTPUTS + 1 }, () => pay(BOB, 1n));
    expectValidationError(
      () => checkTransactionSyntax({ ...tx, outputs }, false),
      'TX_TOO_MANY_OUTPUTS',
      'REJECT',
    );
  });
});

describe('checkRelayTimestamp', () => {
  const now = PARAMS.genesisTimestamp + 3_600_000;
  const at = (timestamp: number) => ({ ...tx, timestamp });

  it('accepts timestamps within [now - txMaxAgeMs, now + txMaxFutureDriftMs], limits included', () => {
    for (const t of [now, now + PARAMS.txMaxFutureDriftMs, now - PARAMS.txMaxAgeMs]) {
      expect(() => checkRelayTimestamp(at(t), PARAMS, now)).not.toThrow();
    }
  });

  it('ignores a transaction 1 ms beyond the future drift', () => {
    const future = at(now + PARAMS.txMaxFutureDriftMs + 1);
    expectValidationError(() => checkRelayTimestamp(future, PARAMS, now), 'TX_TIME_TOO_NEW', 'IGNORE');
  });

  it('ignores a transaction 1 ms older than the relay window', () => {
    const old = at(now - PARAMS.txMaxAgeMs - 1);
    expectValidationError(() => checkRelayTimestamp(old, PARAMS, now), 'TX_TOO_OLD', 'IGNORE');
  });
});

describe('checkTransactionSignatures', () => {
  beforeEach(() => signatureCache.clear());

  it('accepts a correctly signed transaction (cold and warm cache)', () => {
    expect(() => checkTransactionSignatures(tx, PARAMS)).not.toThrow();
    expect(() => checkTransactionSignatures(tx, PARAMS)).not.toThrow();
  });

  it('accepts a coinbase (nothing to verify)', () => {
    expect(() => checkTransactionSignatures(createCoinbase(1, [pay(ALICE, 1n)], 0), PARAMS)).not.toThrow();
  });

  it('rejects a corrupted signature', () => {
    const bad = withInput(tx, { signature: flipBit(tx.inputs[0]!.signature, 5) });
    expectValidationError(() => checkTransactionSignatures(bad, PARAMS), 'TX_BAD_SIGNATURE', 'REJECT');
  });

  it('rejects a signature made by another key than the input names', () => {
    const byBob = sign(sighashOf(tx, PARAMS.network), BOB.secretKey);
    const bad = withInput(tx, { signature: bytes(byBob) });
    expectValidationError(() => checkTransactionSignatures(bad, PARAMS), 'TX_BAD_SIGNATURE', 'REJECT');
  });

  it("rejects a signature whose public key is swapped for another's", () => {
    const bad = withInput(tx, { publicKey: bytes(BOB.publicKey) });
    expectValidationError(() => checkTransactionSignatures(bad, PARAMS), 'TX_BAD_SIGNATURE', 'REJECT');
  });

  it('rejects a transaction signed for another network', () => {
    const devnetTx = spendGenesis(ALICE, 0, { params: DEVNET });
    expect(() => checkTransactionSignatures(devnetTx, DEVNET)).not.toThrow();
    expectValidationError(() => checkTransactionSignatures(devnetTx, PARAMS), 'TX_BAD_SIGNATURE', 'REJECT');
  });

  it('rejects an output changed after signing, even when the original is cached', () => {
    checkTransactionSignatures(tx, PARAMS);
    const changed = withOutputs(tx, [pay(ALICE, tx.outputs[0]!.amount), tx.outputs[1]!]);
    expectValidationError(() => checkTransactionSignatures(changed, PARAMS), 'TX_BAD_SIGNATURE', 'REJECT');
  });

  it('checks every input, not only the first', () => {
    const two = createTransaction(
      PARAMS.network,
      [genesisInput(ALICE, 1), genesisInput(BOB, 1)],
      [pay(ALICE, 2n * DEV_OUTPUT_AMOUNT - 1_000n)],
      PARAMS.genesisTimestamp,
    );
    expect(() => checkTransactionSignatures(two, PARAMS)).not.toThrow();
    const bad = withInput(two, { signature: flipBit(two.inputs[1]!.signature) }, 1);
    const err = expectValidationError(
      () => checkTransactionSignatures(bad, PARAMS),
      'TX_BAD_SIGNATURE',
      'REJECT',
    );
    expect(err.message).toContain('input 1');
  });
});

describe('checkTransactionInputs', () => {
  const view = genesisView();
  const aliceOutput = ALICE.index * DEV_OUTPUTS_PER_ACCOUNT;

  it('returns the fee and the outputs spent', () => {
    const result = checkTransactionInputs(tx, view, 1, PARAMS, 'mempool');
    expect(result.fee).toBe(500n);
    expect(result.spent).toEqual([
      {
        key: outpointKey(GENESIS_TXID, aliceOutput),
        utxo: view.getUtxo(outpointKey(GENESIS_TXID, aliceOutput)),
      },
    ]);
  });

  it('sums the fee over several inputs', () => {
    const two = createTransaction(
      PARAMS.network,
      [genesisInput(ALICE, 1), genesisInput(ALICE, 2)],
      [pay(BOB, DEV_OUTPUT_AMOUNT), pay(ALICE, DEV_OUTPUT_AMOUNT - 777n)],
      PARAMS.genesisTimestamp,
    );
    expect(checkTransactionInputs(two, view, 1, PARAMS, 'block').fee).toBe(777n);
  });

  it('accepts a zero fee (inputs exactly equal to outputs)', () => {
    const exact = spendGenesis(ALICE, 3, { fee: 0n });
    expect(checkTransactionInputs(exact, view, 1, PARAMS, 'mempool').fee).toBe(0n);
  });

  it('rejects outputs above the inputs by one unit', () => {
    const over = spendGenesis(ALICE, 3, { fee: -1n });
    for (const context of ['mempool', 'block'] as const) {
      expectValidationError(
        () => checkTransactionInputs(over, view, 1, PARAMS, context),
        'TX_INSUFFICIENT_FUNDS',
        'REJECT',
      );
    }
  });

  it('ignores a missing input in the mempool but rejects it in a block', () => {
    const missing = withInput(tx, { outputIndex: 5_000 });
    expectValidationError(
      () => checkTransactionInputs(missing, view, 1, PARAMS, 'mempool'),
      'TX_MISSING_INPUTS',
      'IGNORE',
    );
    expectValidationError(
      () => checkTransactionInputs(missing, view, 1, PARAMS, 'block'),
      'BLOCK_MISSING_INPUTS',
      'REJECT',
    );
  });

  it("rejects a spend of someone else's output, validly signed by the wrong key", () => {
    const theft = createTransaction(
      PARAMS.network,
      [{ prevTxid: GENESIS_TXID, outputIndex: aliceOutput, secretKey: BOB.secretKey }],
      [pay(BOB, 1_000n)],
      PARAMS.genesisTimestamp,
    );
    expect(() => checkTransactionSignatures(theft, PARAMS)).not.toThrow();
    for (const context of ['mempool', 'block'] as const) {
      expectValidationError(
        () => checkTransactionInputs(theft, view, 1, PARAMS, context),
        'TX_WRONG_SPENDER',
        'REJECT',
      );
    }
  });

  describe('coinbase maturity', () => {
    const coinbaseHeight = 10;
    const coinbase = createCoinbase(coinbaseHeight, [pay(ALICE, 5_000n)], 0);
    const coinbaseView = new MemoryUtxoView().addTransaction(coinbase, coinbaseHeight);
    const spend = createTransaction(
      PARAMS.network,
      [{ prevTxid: txidOf(coinbase), outputIndex: 0, secretKey: ALICE.secretKey }],
      [pay(BOB, 4_000n)],
      0,
    );
    const mature = coinbaseHeight + PARAMS.coinbaseMaturity;

    it('accepts a spend exactly coinbaseMaturity blocks later', () => {
      expect(checkTransactionInputs(spend, coinbaseView, mature, PARAMS, 'mempool').fee).toBe(1_000n);
      expect(checkTransactionInputs(spend, coinbaseView, mature, PARAMS, 'block').fee).toBe(1_000n);
    });

    it('ignores a spend one block early in the mempool and rejects it in a block', () => {
      expectValidationError(
        () => checkTransactionInputs(spend, coinbaseView, mature - 1, PARAMS, 'mempool'),
        'TX_IMMATURE_SPEND',
        'IGNORE',
      );
      expectValidationError(
        () => checkTransactionInputs(spend, coinbaseView, mature - 1, PARAMS, 'block'),
        'BLOCK_IMMATURE_SPEND',
        'REJECT',
      );
    });

    it('exempts genesis outputs (coinbase at height 0) from maturity', () => {
      expect(view.getUtxo(outpointKey(GENESIS_TXID, aliceOutput))).toMatchObject({
        coinbase: true,
        height: 0,
      });
      expect(() => checkTransactionInputs(tx, view, 1, PARAMS, 'block')).not.toThrow();
    });

    it('applies no maturity to ordinary outputs', () => {
      const ordinary = new MemoryUtxoView();
      for (const [key, utxo] of coinbaseView.utxos) ordinary.utxos.set(key, { ...utxo, coinbase: false });
      expect(() => checkTransactionInputs(spend, ordinary, coinbaseHeight, PARAMS, 'block')).not.toThrow();
    });
  });
});
