/**
 * Money, ledger and relay-policy vectors (PROTOCOL.md 9.2, 9.5, 10): the subsidy schedule, the
 * relay timestamp window with the offence each side of it costs, and transactions through the
 * whole mempool pipeline against a given set of unspent outputs and tip height.
 */
import { encodeTransaction, type Transaction } from '../../src/chain/encoding/codec.js';
import { ValidationError } from '../../src/chain/errors.js';
import { Mempool } from '../../src/chain/mempool/mempool.js';
import { MAX_PACKAGE_COUNT } from '../../src/chain/mempool/package-graph.js';
import { createTransaction, outpointKey, txidOf } from '../../src/chain/objects/transaction.js';
import { blockSubsidy, DEVNET, MAX_MONEY, UNITS_PER_COIN } from '../../src/chain/params.js';
import { checkRelayTimestamp } from '../../src/chain/rules/transaction.js';
import type { Utxo } from '../../src/chain/rules/utxo.js';
import { offenceFor } from '../../src/p2p/reputation/blame.js';
import { GENERATED_BY, hex } from '../../test/unit/vectors/format.js';
import { account, type Bytes, expectedFailure, pay, T0 } from './common.js';

const params = DEVNET;
const COIN = UNITS_PER_COIN;

function subsidies() {
  return [0, 1, 209_999, 210_000, 420_000, 630_000, 63 * 210_000, 64 * 210_000].map((height) => ({
    height,
    subsidy: blockSubsidy(params, height).toString(),
  }));
}

function relayWindow() {
  const now = T0;
  const offsets = [
    -120_000, -120_001, -180_000, -720_000, -720_001, 0, 120_000, 594_000, 600_000, 600_001, 606_000, 894_000,
    900_000, 900_001, 906_000, 1_500_000, 1_500_001,
  ];
  return offsets.map((ageMs) => {
    const tx = { timestamp: now - ageMs } as Transaction;
    try {
      checkRelayTimestamp(tx, params, now);
      return { now, timestamp: now - ageMs, ageMs, code: null, offence: null };
    } catch (err) {
      const error = err as ValidationError;
      return { now, timestamp: now - ageMs, ageMs, code: error.code, offence: offenceFor(error, params) };
    }
  });
}

interface UtxoJson {
  txid: string;
  outputIndex: number;
  amount: string;
  address: string;
  height: number;
  coinbase: boolean;
}

const COINBASE_A = Uint8Array.from({ length: 32 }, (_, i) => i + 1) as Bytes;
const PLAIN_B = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i) as Bytes;

function utxo(
  txid: Uint8Array,
  outputIndex: number,
  owner: number,
  amount: bigint,
  height: number,
  coinbase: boolean,
): UtxoJson {
  return {
    txid: hex(txid),
    outputIndex,
    amount: amount.toString(),
    address: hex(account(owner).address),
    height,
    coinbase,
  };
}

function mempoolCases() {
  const utxos = mempoolUtxos();
  const spendB = (outputs: Transaction['outputs'], timestamp = T0) =>
    createTransaction(
      'devnet',
      [{ prevTxid: PLAIN_B, outputIndex: 0, secretKey: account(1).secretKey }],
      outputs,
      timestamp,
    );
  const size = (tx: Transaction) => BigInt(encodeTransaction(tx).length);
  const exact = (() => {
    // Fee exactly 1 base unit per byte: the size does not depend on the amount's value (fixed64).
    const probe = spendB([pay(2, 1n)]);
    return spendB([pay(2, 10n * COIN - size(probe))]);
  })();
  const short = (() => {
    const probe = spendB([pay(2, 1n)]);
    return spendB([pay(2, 10n * COIN - size(probe) + 1n)]);
  })();
  // Chains of unconfirmed transactions: account 1 spends PLAIN_B:0 to itself, then each spends the
  // last one's output 0, a fee of 1,000 each.
  const chained: Transaction[] = [];
  for (let i = 0; i <= MAX_PACKAGE_COUNT; i++) {
    const parent = chained.at(-1);
    chained.push(
      createTransaction(
        'devnet',
        [
          {
            prevTxid: parent === undefined ? PLAIN_B : txidOf(parent),
            outputIndex: 0,
            secretKey: account(1).secretKey,
          },
        ],
        [{ amount: 10n * COIN - 1_000n * BigInt(i + 1), address: account(1).address as Bytes }],
        T0,
      ),
    );
  }
  const cases: Array<{ name: string; tipHeight: number; tx: Transaction; pooled?: Transaction[] }> = [
    {
      name: 'spends the output of a pooled transaction (a chain of 2): accepted',
      tipHeight: 20,
      pooled: chained.slice(0, 1),
      tx: chained[1]!,
    },
    {
      name: 'spends a pooled output another pooled transaction already spends: conflict',
      tipHeight: 20,
      pooled: chained.slice(0, 2),
      tx: createTransaction(
        'devnet',
        [{ prevTxid: txidOf(chained[0]!), outputIndex: 0, secretKey: account(1).secretKey }],
        [pay(2, COIN)],
        T0,
      ),
    },
    {
      name: `the ${MAX_PACKAGE_COUNT}th of a chain of unconfirmed transactions: accepted`,
      tipHeight: 20,
      pooled: chained.slice(0, MAX_PACKAGE_COUNT - 1),
      tx: chained[MAX_PACKAGE_COUNT - 1]!,
    },
    {
      name: `the ${MAX_PACKAGE_COUNT + 1}th of a chain of unconfirmed transactions: too long`,
      tipHeight: 20,
      pooled: chained.slice(0, MAX_PACKAGE_COUNT),
      tx: chained[MAX_PACKAGE_COUNT]!,
    },
    { name: 'fee exactly 1 base unit per byte: accepted', tipHeight: 20, tx: exact },
    { name: 'fee 1 base unit short of 1 per byte', tipHeight: 20, tx: short },
    {
      name: 'coinbase output of height 5 spent at height 15 (tip 14): 10 confirmations, accepted',
      tipHeight: 14,
      tx: createTransaction(
        'devnet',
        [{ prevTxid: COINBASE_A, outputIndex: 0, secretKey: account(1).secretKey }],
        [pay(2, 49n * COIN)],
        T0,
      ),
    },
    {
      name: 'coinbase output of height 5 spent at height 14 (tip 13): immature',
      tipHeight: 13,
      tx: createTransaction(
        'devnet',
        [{ prevTxid: COINBASE_A, outputIndex: 0, secretKey: account(1).secretKey }],
        [pay(2, 49n * COIN)],
        T0,
      ),
    },
    {
      name: 'genesis (height 0) coinbase outputs are exempt from maturity',
      tipHeight: 0,
      tx: createTransaction(
        'devnet',
        [{ prevTxid: new Uint8Array(32), outputIndex: 7, secretKey: account(1).secretKey }],
        [pay(2, 9n * COIN)],
        T0,
      ),
    },
    {
      name: 'input not in the unspent outputs',
      tipHeight: 20,
      tx: createTransaction(
        'devnet',
        [{ prevTxid: PLAIN_B, outputIndex: 9, secretKey: account(1).secretKey }],
        [pay(2, 1n)],
        T0,
      ),
    },
    {
      name: 'input signed by a key that does not own the output',
      tipHeight: 20,
      tx: createTransaction(
        'devnet',
        [{ prevTxid: PLAIN_B, outputIndex: 0, secretKey: account(3).secretKey }],
        [pay(2, COIN)],
        T0,
      ),
    },
    { name: 'outputs worth more than the inputs', tipHeight: 20, tx: spendB([pay(2, 10n * COIN + 1n)]) },
    { name: 'outputs equal to the inputs (fee 0)', tipHeight: 20, tx: spendB([pay(2, 10n * COIN)]) },
    {
      name: 'dated 10 min + 1 ms ago: stale before anything else is looked at',
      tipHeight: 20,
      tx: spendB([pay(2, COIN)], T0 - 600_001),
    },
    {
      name: 'dated 2 min + 1 ms ahead, with a bad signature: the timestamp is checked first',
      tipHeight: 20,
      tx: (() => {
        const tx = spendB([pay(2, COIN)], T0 + 120_001);
        tx.inputs[0]!.signature = tx.inputs[0]!.signature.map((b, i) => (i === 0 ? b ^ 1 : b)) as Bytes;
        return tx;
      })(),
    },
    {
      name: 'amount above MAX_MONEY',
      tipHeight: 20,
      tx: spendB([pay(2, MAX_MONEY + 1n)]),
    },
  ];
  return cases.map(({ name, tipHeight, tx, pooled = [] }) => {
    const result = acceptInPool(utxos, tipHeight, encodeTransaction(tx), T0, pooled.map(encodeTransaction));
    return {
      name,
      network: params.network,
      now: T0,
      tipHeight,
      pooled: pooled.map((p) => hex(encodeTransaction(p))),
      encoding: hex(encodeTransaction(tx)),
      txid: hex(txidOf(tx)),
      ...result,
    };
  });
}

/**
 * Runs a transaction through a fresh mempool over `utxos`, after `pooled` (each must be accepted);
 * the fee, or the failure.
 */
export function acceptInPool(
  utxos: UtxoJson[],
  tipHeight: number,
  bytes: Uint8Array,
  now: number,
  pooled: readonly Uint8Array[] = [],
) {
  const map = new Map<string, Utxo>(
    utxos.map((u) => [
      outpointKey(Buffer.from(u.txid, 'hex'), u.outputIndex),
      {
        amount: BigInt(u.amount),
        address: Buffer.from(u.address, 'hex'),
        height: u.height,
        coinbase: u.coinbase,
      },
    ]),
  );
  const pool = new Mempool(params, {
    getUtxo: (k) => map.get(k),
    tipHeight: () => tipHeight,
    isConfirmed: () => false,
  });
  for (const earlier of pooled) pool.acceptTransaction(earlier, now);
  try {
    const accepted = pool.acceptTransaction(bytes, now);
    return { fee: accepted.fee.toString(), expected: null };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { fee: null, expected: expectedFailure(err.code, params, err.detail as Record<string, number>) };
  }
}

export function ledgerVectors() {
  const cases = mempoolCases();
  return {
    description:
      'Money and relay policy (PROTOCOL.md 9.2, 9.5, 10), devnet parameters. subsidies: the block ' +
      'subsidy by height (base units). relayWindow: a transaction timestamp against the local clock `now`, ' +
      'the relay code (null = inside the window) and the offence charged to the sender. mempool: a ' +
      'transaction through the whole relay pipeline against `utxos` with the active tip at `tipHeight` (so ' +
      'it is judged for inclusion at tipHeight + 1), after the `pooled` transactions were accepted in ' +
      'order (chains of unconfirmed transactions, PROTOCOL.md 10.1): the fee when accepted, else the ' +
      'expected failure.',
    generatedBy: GENERATED_BY,
    unitsPerCoin: UNITS_PER_COIN.toString(),
    maxMoney: MAX_MONEY.toString(),
    subsidies: subsidies(),
    relayWindow: relayWindow(),
    mempool: {
      utxos: mempoolUtxos(),
      cases,
    },
  };
}

function mempoolUtxos(): UtxoJson[] {
  return [
    utxo(COINBASE_A, 0, 1, 50n * COIN, 5, true),
    utxo(PLAIN_B, 0, 1, 10n * COIN, 3, false),
    utxo(PLAIN_B, 1, 1, 1_000n, 3, false),
    utxo(new Uint8Array(32), 7, 1, 10n * COIN, 0, true),
  ];
}
