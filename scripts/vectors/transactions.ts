/**
 * Transaction vectors: canonical encodings, sighashes, signatures and txids of valid transactions,
 * and invalid encodings or contents with the code, verdict and offence of the first rule they
 * break in the context-free part of the relay pipeline (decode, syntax, signatures).
 */
import { decodeTransaction, encodeTransaction, type Transaction } from '../../src/chain/encoding/codec.js';
import { DEV_OUTPUTS_PER_ACCOUNT, genesisBlock } from '../../src/chain/genesis.js';
import {
  createCoinbase,
  createTransaction,
  sighashOf,
  txidOf,
  type SpendInput,
} from '../../src/chain/objects/transaction.js';
import { type ChainParams, DEVNET, MAX_MONEY, REGTEST, UNITS_PER_COIN } from '../../src/chain/params.js';
import { checkTransactionSignatures, checkTransactionSyntax } from '../../src/chain/rules/transaction.js';
import { sign } from '../../src/crypto/index.js';
import { GENERATED_BY, hex, txToJson } from '../../test/unit/vectors/format.js';
import {
  account,
  type Bytes,
  concat,
  expectedFailure,
  failureOf,
  key,
  lenField,
  pay,
  T0,
  varintField,
} from './common.js';

const COIN = UNITS_PER_COIN;

/** Outpoint of dev account `index`'s `j`-th genesis output on `params`'s network. */
export function genesisOutpoint(params: ChainParams, index: number, j = 0) {
  const txid = txidOf(genesisBlock(params).transactions[0]!);
  return { prevTxid: txid, outputIndex: index * DEV_OUTPUTS_PER_ACCOUNT + j };
}

function spend(params: ChainParams, index: number, j = 0): SpendInput {
  return { ...genesisOutpoint(params, index, j), secretKey: account(index).secretKey };
}

/** Runs the context-free relay checks the way the mempool does: decode, syntax, signatures. */
function contextFreeFailure(bytes: Uint8Array, params: ChainParams) {
  return failureOf(() => {
    const tx = decodeTransaction(bytes);
    checkTransactionSyntax(tx, false);
    checkTransactionSignatures(tx, params);
  });
}

/** The payment of dev account 1 to dev account 2 used across the vector files. */
export function samplePayment(params: ChainParams = DEVNET): Transaction {
  return createTransaction(
    params.network,
    [spend(params, 1)],
    [pay(2, 2_500n * COIN), pay(1, 7_499n * COIN)],
    T0,
  );
}

function validVectors() {
  const cases: Array<{ name: string; params: ChainParams; tx: Transaction; secretKeys: Uint8Array[] }> = [
    {
      name: 'payment: 1 input, 2 outputs (dev account 1 pays 2,500 coins to dev account 2; fee 1 coin)',
      params: DEVNET,
      tx: samplePayment(DEVNET),
      secretKeys: [account(1).secretKey],
    },
    {
      name: 'the same payment signed for regtest: other sighash, signature and txid',
      params: REGTEST,
      tx: samplePayment(REGTEST),
      secretKeys: [account(1).secretKey],
    },
    {
      name: 'payment: 3 inputs of dev account 3, 1 output',
      params: DEVNET,
      tx: createTransaction(
        'devnet',
        [spend(DEVNET, 3, 0), spend(DEVNET, 3, 1), spend(DEVNET, 3, 2)],
        [pay(4, 29_999n * COIN)],
        T0 + 1_234,
      ),
      secretKeys: [3, 3, 3].map((i) => account(i).secretKey),
    },
    {
      name: 'payment: inputs of two keys (dev accounts 5 and 6), an output of 1 base unit',
      params: DEVNET,
      tx: createTransaction(
        'devnet',
        [spend(DEVNET, 5, 99), spend(DEVNET, 6, 0)],
        [pay(7, 1n), pay(8, 19_999n * COIN - 100_001n)],
        T0 + 60_000,
      ),
      secretKeys: [5, 6].map((i) => account(i).secretKey),
    },
    {
      name: 'defaults omitted: outputIndex 0 and timestamp 0 are not encoded',
      params: DEVNET,
      tx: createTransaction('devnet', [{ ...spend(DEVNET, 0), outputIndex: 0 }], [pay(0, 1n)], 0),
      secretKeys: [account(0).secretKey],
    },
    {
      name: 'coinbase of height 1: no inputs, coinbaseHeight 1, pays the 50-coin subsidy',
      params: DEVNET,
      tx: createCoinbase(1, [pay(1, 50n * COIN)], T0),
      secretKeys: [],
    },
  ];
  return cases.map(({ name, params, tx, secretKeys }) => {
    const encoding = encodeTransaction(tx);
    return {
      name,
      network: params.network,
      tx: txToJson(tx),
      secretKeys: secretKeys.map(hex),
      encoding: hex(encoding),
      size: encoding.length,
      sighash: hex(sighashOf(tx, params.network)),
      txid: hex(txidOf(tx)),
    };
  });
}

function invalidVectors() {
  const base = samplePayment(DEVNET);
  const baseBytes = encodeTransaction(base);
  const input = base.inputs[0]!;
  const encInput = (i: typeof input): Bytes =>
    concat(
      lenField(1, i.prevTxid),
      i.outputIndex === 0 ? new Uint8Array(0) : varintField(2, i.outputIndex),
      lenField(3, i.publicKey),
      lenField(4, i.signature),
    );
  const fixed64 = (value: bigint): Bytes => {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, value, true);
    return out;
  };
  const encOutput = (amount: bigint, address: Uint8Array): Bytes =>
    concat(key(1, 1), fixed64(amount), lenField(2, address));
  const signed = (outputs: Transaction['outputs'], mutate?: (tx: Transaction) => void): Uint8Array => {
    const tx = createTransaction('devnet', [spend(DEVNET, 1)], outputs, T0);
    mutate?.(tx);
    return encodeTransaction(tx);
  };
  const resigned = (edit: (tx: Transaction) => void): Uint8Array => {
    const tx: Transaction = structuredClone(base);
    edit(tx);
    const message = sighashOf(tx, 'devnet');
    tx.inputs = tx.inputs.map((i) => ({ ...i, signature: sign(message, account(1).secretKey) }));
    return encodeTransaction(tx);
  };
  const flipped = structuredClone(base);
  flipped.inputs[0]!.signature = flipped.inputs[0]!.signature.slice() as Bytes;
  flipped.inputs[0]!.signature[0]! ^= 0x01;
  // S + L: the same signature with a non-canonical S (strict verification rejects S >= L).
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const sig = base.inputs[0]!.signature;
  let s = 0n;
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]!);
  const malleated = structuredClone(base);
  const sPlusL = s + L;
  const sBytes = new Uint8Array(32);
  for (let i = 0, v = sPlusL; i < 32; i++, v >>= 8n) sBytes[i] = Number(v & 0xffn);
  malleated.inputs[0]!.signature = concat(sig.subarray(0, 32), sBytes);

  const cases: Array<{ name: string; bytes: Uint8Array }> = [
    { name: 'truncated (last byte missing)', bytes: baseBytes.subarray(0, baseBytes.length - 1) },
    {
      name: 'fields out of order (outputs written before inputs)',
      bytes: concat(
        varintField(1, 1),
        ...base.outputs.map((o) => lenField(3, encOutput(o.amount, o.address))),
        lenField(2, encInput(input)),
        varintField(4, base.timestamp),
      ),
    },
    {
      name: 'default value written (coinbaseHeight = 0 explicitly)',
      bytes: concat(baseBytes, varintField(5, 0)),
    },
    { name: 'unknown field 6', bytes: concat(baseBytes, varintField(6, 1)) },
    {
      name: 'non-minimal varint (version 1 as 81 00)',
      bytes: concat(key(1, 0), Uint8Array.of(0x81, 0x00), baseBytes.subarray(2)),
    },
    {
      name: 'amount as a varint instead of fixed64 (wrong wire type)',
      bytes: concat(
        varintField(1, 1),
        lenField(2, encInput(input)),
        lenField(3, concat(varintField(1, 5), lenField(2, base.outputs[0]!.address))),
        varintField(4, base.timestamp),
      ),
    },
    {
      name: '501 inputs (each an empty TxInput): a repeated field over its limit',
      bytes: concat(varintField(1, 1), ...Array.from({ length: 501 }, () => lenField(2, new Uint8Array(0)))),
    },
    {
      name: '2,001 outputs (each an empty TxOutput): a repeated field over its limit',
      bytes: concat(
        varintField(1, 1),
        ...Array.from({ length: 2_001 }, () => lenField(3, new Uint8Array(0))),
      ),
    },
    { name: 'version 2', bytes: resigned((tx) => (tx.version = 2)) },
    {
      name: 'version 2 and no outputs: the version is checked first',
      bytes: resigned((tx) => ((tx.version = 2), (tx.outputs = []))),
    },
    { name: 'no outputs', bytes: resigned((tx) => (tx.outputs = [])) },
    { name: 'output amount 0', bytes: signed([pay(2, 0n)]) },
    {
      name: 'output amount MAX_MONEY + 1 (21,000,000 coins + 1 base unit)',
      bytes: signed([pay(2, MAX_MONEY + 1n)]),
    },
    { name: 'output amount 2^64 - 1', bytes: signed([pay(2, (1n << 64n) - 1n)]) },
    {
      name: 'outputs summing above MAX_MONEY (each at MAX_MONEY)',
      bytes: signed([pay(2, MAX_MONEY), pay(3, MAX_MONEY)]),
    },
    {
      name: 'output amount exactly MAX_MONEY is syntactically valid (its signature is then wrong)',
      bytes: corruptSignature(signed([pay(2, MAX_MONEY)])),
    },
    {
      name: 'address of 19 bytes',
      bytes: signed(
        [pay(2, COIN)],
        (tx) => (tx.outputs[0]!.address = tx.outputs[0]!.address.subarray(0, 19) as Bytes),
      ),
    },
    {
      name: 'prevTxid of 31 bytes',
      bytes: resigned((tx) => (tx.inputs[0]!.prevTxid = tx.inputs[0]!.prevTxid.subarray(0, 31) as Bytes)),
    },
    {
      name: 'signature of 63 bytes',
      bytes: encodeTransaction({
        ...base,
        inputs: [{ ...input, signature: input.signature.subarray(0, 63) as Bytes }],
      }),
    },
    {
      name: 'the same outpoint spent twice',
      bytes: encodeTransaction(
        createTransaction('devnet', [spend(DEVNET, 1), spend(DEVNET, 1)], [pay(2, COIN)], T0),
      ),
    },
    {
      name: 'a coinbase relayed on its own',
      bytes: encodeTransaction(createCoinbase(5, [pay(1, COIN)], T0)),
    },
    {
      name: 'coinbaseHeight set on a transaction with inputs',
      bytes: resigned((tx) => (tx.coinbaseHeight = 7)),
    },
    { name: 'signature bit flipped', bytes: encodeTransaction(flipped) },
    { name: 'signed for regtest, checked on devnet', bytes: encodeTransaction(samplePayment(REGTEST)) },
    { name: 'non-canonical S (S + L): strict Ed25519 rejects it', bytes: encodeTransaction(malleated) },
  ];
  return cases.map(({ name, bytes }) => {
    const error = contextFreeFailure(bytes, DEVNET);
    return {
      name,
      network: 'devnet',
      encoding: hex(bytes),
      expected: expectedFailure(error.code, DEVNET),
    };
  });
}

function corruptSignature(bytes: Uint8Array): Uint8Array {
  const tx = decodeTransaction(bytes);
  tx.inputs[0]!.signature = tx.inputs[0]!.signature.slice() as Bytes;
  tx.inputs[0]!.signature[5]! ^= 0x40;
  return encodeTransaction(tx);
}

export function oversizeVector() {
  const length = 100_001;
  const error = contextFreeFailure(new Uint8Array(length).fill(0x0a), DEVNET);
  return {
    name: 'transaction of 100,001 bytes (0x0a repeated): OVERSIZE before any decoding',
    network: 'devnet',
    fill: '0a',
    length,
    expected: expectedFailure(error.code, DEVNET),
  };
}

export function transactionVectors() {
  return {
    description:
      'Transactions (PROTOCOL.md 8, 8.1, 8.3, 9.5, 11). valid: the transaction as JSON, the secret key of each ' +
      'input (Ed25519 signatures are deterministic), its canonical encoding, sighash and txid. invalid: bytes ' +
      'and the first rule they break when received (decode, then syntax, then signatures), with its verdict ' +
      'and the offence charged to the peer that sent them. sized: an invalid vector given as `length` bytes ' +
      'of `fill` instead of hex.',
    generatedBy: GENERATED_BY,
    valid: validVectors(),
    invalid: invalidVectors(),
    sized: [oversizeVector()],
  };
}
