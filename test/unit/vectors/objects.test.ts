/**
 * Recomputes the hash, key, transaction and merkle vectors (test/vectors/{hashes,transactions,
 * merkle}.json) from the reference code and compares them byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { decodeTransaction, encodeTransaction } from '../../../src/chain/encoding/codec.js';
import { merkleRoot } from '../../../src/chain/objects/block.js';
import { isCoinbase, sighashOf, txidOfBytes } from '../../../src/chain/objects/transaction.js';
import { NETWORKS } from '../../../src/chain/params.js';
import { checkTransactionSignatures, checkTransactionSyntax } from '../../../src/chain/rules/transaction.js';
import { addressOf, publicKeyOf, sha256, sign, taggedHash } from '../../../src/crypto/index.js';
import { type Failure, expectFailure, filled } from './expect.js';
import {
  hex,
  readVectors,
  type TransactionJson,
  txFromJson,
  txToJson,
  unhex,
  type VectorFile,
} from './format.js';

describe('hash vectors', () => {
  const file = readVectors<
    VectorFile & {
      tagged: Array<{ tag: string; tagSha256: string; parts: string[]; hash: string }>;
      keys: Array<{
        secretKey: string;
        publicKey: string;
        address: string;
        message: string;
        signature: string;
      }>;
    }
  >('hashes');

  it.each(file.tagged)('tagged hash $tag', (v) => {
    expect(hex(sha256(new TextEncoder().encode(v.tag)))).toBe(v.tagSha256);
    expect(hex(taggedHash(v.tag, ...v.parts.map(unhex)))).toBe(v.hash);
  });

  it.each(file.keys)('dev account key $publicKey', (v) => {
    expect(hex(publicKeyOf(unhex(v.secretKey)))).toBe(v.publicKey);
    expect(hex(addressOf(unhex(v.publicKey)))).toBe(v.address);
    expect(hex(sign(unhex(v.message), unhex(v.secretKey)))).toBe(v.signature);
  });
});

describe('transaction vectors', () => {
  const file = readVectors<
    VectorFile & {
      valid: Array<{
        name: string;
        network: string;
        tx: TransactionJson;
        secretKeys: string[];
        encoding: string;
        size: number;
        sighash: string;
        txid: string;
      }>;
      invalid: Array<{ name: string; network: string; encoding: string; expected: Failure }>;
      sized: Array<{ name: string; network: string; fill: string; length: number; expected: Failure }>;
    }
  >('transactions');

  it.each(file.valid)('$name', (v) => {
    const params = NETWORKS[v.network]!;
    const tx = txFromJson(v.tx);
    const encoding = encodeTransaction(tx);
    expect(hex(encoding)).toBe(v.encoding);
    expect(encoding.length).toBe(v.size);
    expect(txToJson(decodeTransaction(unhex(v.encoding)))).toEqual(v.tx);
    const sighash = sighashOf(tx, v.network);
    expect(hex(sighash)).toBe(v.sighash);
    expect(hex(txidOfBytes(encoding))).toBe(v.txid);
    expect(v.secretKeys).toHaveLength(tx.inputs.length);
    tx.inputs.forEach((input, i) => {
      expect(hex(publicKeyOf(unhex(v.secretKeys[i]!)))).toBe(hex(input.publicKey));
      expect(hex(sign(sighash, unhex(v.secretKeys[i]!)))).toBe(hex(input.signature));
    });
    checkTransactionSyntax(tx, isCoinbase(tx));
    checkTransactionSignatures(tx, params);
  });

  /** The context-free part of the relay pipeline: decode, syntax, signatures. */
  const receive = (bytes: Uint8Array, network: string) => () => {
    const tx = decodeTransaction(bytes);
    checkTransactionSyntax(tx, false);
    checkTransactionSignatures(tx, NETWORKS[network]!);
  };

  it.each(file.invalid)('invalid: $name', (v) => {
    expectFailure(receive(unhex(v.encoding), v.network), v.expected, v.network);
  });

  it.each(file.sized)('invalid: $name', (v) => {
    expectFailure(receive(filled(v.fill, v.length), v.network), v.expected, v.network);
  });
});

describe('merkle vectors', () => {
  const file = readVectors<
    VectorFile & { vectors: Array<{ count: number; txids: string[]; levels: string[][]; root: string }> }
  >('merkle');

  it.each(file.vectors)('$count txids', (v) => {
    const txids = v.txids.map(unhex);
    expect(txids).toHaveLength(v.count);
    expect(hex(merkleRoot(txids))).toBe(v.root);
    if (v.count === 0) {
      expect(v.root).toBe('00'.repeat(32));
      return;
    }
    expect(v.levels[0]).toEqual(txids.map((id) => hex(taggedHash('trustmesh/merkle-leaf', id))));
    for (let i = 1; i < v.levels.length; i++) {
      const below = v.levels[i - 1]!.map(unhex);
      const expected = [];
      for (let j = 0; j < below.length; j += 2) {
        const right = below[j + 1];
        expected.push(
          hex(right === undefined ? below[j]! : taggedHash('trustmesh/merkle-node', below[j]!, right)),
        );
      }
      expect(v.levels[i]).toEqual(expected);
    }
    expect(v.levels.at(-1)).toEqual([v.root]);
  });
});
