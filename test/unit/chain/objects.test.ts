/**
 * Object hashing: txids, sighashes, header signing hashes, merkle roots, targets, work, and the
 * nonce search agreeing with the consensus block id.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlockHeader, Transaction } from '../../../src/chain/encoding/codec.js';
import { encodeHeader } from '../../../src/chain/encoding/codec.js';
import { searchNonce } from '../../../src/chain/mining/nonce-search.js';
import {
  blockIdOf,
  blockIdOfBytes,
  bytesToBigInt,
  headerSigningHash,
  meetsTarget,
  merkleRoot,
  targetToBytes,
  workOf,
} from '../../../src/chain/objects/block.js';
import {
  createCoinbase,
  createTransaction,
  isCoinbase,
  outpointKey,
  sighashOf,
  TX_VERSION,
  txidOf,
} from '../../../src/chain/objects/transaction.js';
import { MAX_TARGET } from '../../../src/chain/params.js';
import { publicKeyOf, taggedHash, toHex, verifySignature } from '../../../src/crypto/index.js';
import { headerArb, spendTxArb, transactionArb } from './arbitraries.js';
import { ALICE, BOB, bytes, flipBit, GENESIS, PARAMS, pay } from './builders.js';

type Mutation<T> = readonly [name: string, mutate: (value: T) => T];

/** One mutation per field of a transaction (signatures last: the sighash must ignore those). */
function txMutations(tx: Transaction): Mutation<Transaction>[] {
  const mutations: Mutation<Transaction>[] = [
    ['version', (t) => ({ ...t, version: t.version + 1 })],
    ['timestamp', (t) => ({ ...t, timestamp: t.timestamp === 0 ? 1 : t.timestamp - 1 })],
    ['coinbaseHeight', (t) => ({ ...t, coinbaseHeight: t.coinbaseHeight + 1 })],
    ['add output', (t) => ({ ...t, outputs: [...t.outputs, t.outputs[0]!] })],
    ['drop input', (t) => ({ ...t, inputs: t.inputs.slice(1) })],
  ];
  tx.outputs.forEach((_, i) => {
    const withOutput = (t: Transaction, change: object): Transaction => ({
      ...t,
      outputs: t.outputs.map((o, j) => (i === j ? { ...o, ...change } : o)),
    });
    mutations.push([`outputs[${i}].amount`, (t) => withOutput(t, { amount: t.outputs[i]!.amount + 1n })]);
    mutations.push([
      `outputs[${i}].address`,
      (t) => withOutput(t, { address: flipBit(t.outputs[i]!.address, 0) }),
    ]);
  });
  tx.inputs.forEach((_, i) => {
    const withInput = (t: Transaction, change: object): Transaction => ({
      ...t,
      inputs: t.inputs.map((input, j) => (i === j ? { ...input, ...change } : input)),
    });
    const input = (t: Transaction) => t.inputs[i]!;
    mutations.push([`inputs[${i}].prevTxid`, (t) => withInput(t, { prevTxid: flipBit(input(t).prevTxid) })]);
    mutations.push([
      `inputs[${i}].outputIndex`,
      (t) => withInput(t, { outputIndex: (input(t).outputIndex + 1) % 2 ** 32 }),
    ]);
    mutations.push([
      `inputs[${i}].publicKey`,
      (t) => withInput(t, { publicKey: flipBit(input(t).publicKey) }),
    ]);
    mutations.push([
      `inputs[${i}].signature`,
      (t) => withInput(t, { signature: flipBit(input(t).signature) }),
    ]);
  });
  return mutations;
}

describe('txid', () => {
  it('changes when any field changes', () => {
    fc.assert(
      fc.property(transactionArb, (tx) => {
        const id = toHex(txidOf(tx));
        for (const [name, mutate] of txMutations(tx)) {
          if (name === 'drop input' && tx.inputs.length === 0) continue;
          expect(toHex(txidOf(mutate(tx))), name).not.toBe(id);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('is 32 bytes and deterministic', () => {
    fc.assert(
      fc.property(transactionArb, (tx) => {
        expect(txidOf(tx)).toHaveLength(32);
        expect(txidOf(structuredClone(tx))).toEqual(txidOf(tx));
      }),
      { numRuns: 20 },
    );
  });

  it('makes coinbases of different heights distinct', () => {
    const outputs = [pay(ALICE, 50n)];
    expect(txidOf(createCoinbase(1, outputs, 0))).not.toEqual(txidOf(createCoinbase(2, outputs, 0)));
    expect(isCoinbase(createCoinbase(1, outputs, 0))).toBe(true);
  });

  it('outpoint keys name txid and index', () => {
    const txid = bytes(new Uint8Array(32).fill(0xab));
    expect(outpointKey(txid, 7)).toBe(`${'ab'.repeat(32)}:7`);
  });
});

describe('sighash', () => {
  it('ignores signatures but commits to every other field', () => {
    fc.assert(
      fc.property(spendTxArb, (tx) => {
        const sighash = toHex(sighashOf(tx, PARAMS.network));
        for (const [name, mutate] of txMutations(tx)) {
          const changed = toHex(sighashOf(mutate(tx), PARAMS.network));
          if (name.endsWith('.signature')) expect(changed, name).toBe(sighash);
          else if (name !== 'drop input' || tx.inputs.length > 0) expect(changed, name).not.toBe(sighash);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('commits to the network name', () => {
    fc.assert(
      fc.property(spendTxArb, (tx) => {
        expect(sighashOf(tx, 'regtest')).not.toEqual(sighashOf(tx, 'devnet'));
      }),
      { numRuns: 20 },
    );
  });

  it('is what createTransaction signs, for every input', () => {
    const tx = createTransaction(
      PARAMS.network,
      [
        { prevTxid: new Uint8Array(32).fill(1), outputIndex: 0, secretKey: ALICE.secretKey },
        { prevTxid: new Uint8Array(32).fill(2), outputIndex: 7, secretKey: BOB.secretKey },
      ],
      [pay(BOB, 10n)],
      PARAMS.genesisTimestamp,
    );
    expect(tx.version).toBe(TX_VERSION);
    expect(tx.coinbaseHeight).toBe(0);
    const message = sighashOf(tx, PARAMS.network);
    expect(tx.inputs.map((i) => i.publicKey)).toEqual([
      publicKeyOf(ALICE.secretKey),
      publicKeyOf(BOB.secretKey),
    ]);
    for (const input of tx.inputs)
      expect(verifySignature(input.signature, message, input.publicKey)).toBe(true);
    expect(verifySignature(tx.inputs[0]!.signature, sighashOf(tx, 'devnet'), tx.inputs[0]!.publicKey)).toBe(
      false,
    );
  });
});

describe('header signing hash and block id', () => {
  const headerMutations: Mutation<BlockHeader>[] = [
    ['version', (h) => ({ ...h, version: h.version + 1 })],
    ['height', (h) => ({ ...h, height: (h.height + 1) % 2 ** 32 })],
    ['prevHash', (h) => ({ ...h, prevHash: flipBit(h.prevHash) })],
    ['merkleRoot', (h) => ({ ...h, merkleRoot: flipBit(h.merkleRoot) })],
    ['timestamp', (h) => ({ ...h, timestamp: h.timestamp === 0 ? 1 : h.timestamp - 1 })],
    ['target', (h) => ({ ...h, target: flipBit(h.target) })],
    ['minerPublicKey', (h) => ({ ...h, minerPublicKey: flipBit(h.minerPublicKey) })],
  ];

  it('signing hash ignores signature and nonce, commits to every other field and the network', () => {
    fc.assert(
      fc.property(headerArb, (header) => {
        const hash = toHex(headerSigningHash(header, PARAMS.network));
        const resigned = {
          ...header,
          minerSignature: flipBit(header.minerSignature),
          nonce: header.nonce ^ 1n,
        };
        expect(toHex(headerSigningHash(resigned, PARAMS.network))).toBe(hash);
        for (const [name, mutate] of headerMutations) {
          expect(toHex(headerSigningHash(mutate(header), PARAMS.network)), name).not.toBe(hash);
        }
        expect(toHex(headerSigningHash(header, 'devnet'))).not.toBe(hash);
      }),
      { numRuns: 50 },
    );
  });

  it('block id commits to every field, nonce and signature included', () => {
    fc.assert(
      fc.property(headerArb, (header) => {
        const id = toHex(blockIdOf(header));
        expect(toHex(blockIdOfBytes(encodeHeader(header)))).toBe(id);
        const all: Mutation<BlockHeader>[] = [
          ...headerMutations,
          ['minerSignature', (h) => ({ ...h, minerSignature: flipBit(h.minerSignature) })],
          ['nonce', (h) => ({ ...h, nonce: h.nonce ^ 1n })],
        ];
        for (const [name, mutate] of all) expect(toHex(blockIdOf(mutate(header))), name).not.toBe(id);
      }),
      { numRuns: 50 },
    );
  });
});

/** The merkle root as specified, written independently: leaves tagged, odd node carried up. */
function referenceRoot(txids: Uint8Array[]): Uint8Array {
  if (txids.length === 0) return new Uint8Array(32);
  const build = (nodes: Uint8Array[]): Uint8Array => {
    if (nodes.length === 1) return nodes[0]!;
    const next: Uint8Array[] = [];
    for (let i = 0; i < nodes.length; i += 2) {
      next.push(
        i + 1 < nodes.length ? taggedHash('trustmesh/merkle-node', nodes[i]!, nodes[i + 1]!) : nodes[i]!,
      );
    }
    return build(next);
  };
  return build(txids.map((id) => taggedHash('trustmesh/merkle-leaf', id)));
}

describe('merkleRoot', () => {
  const ids = Array.from({ length: 9 }, (_, i) => taggedHash('test/txid', Uint8Array.of(i)));

  it('is all zeros for no leaves', () => {
    expect(merkleRoot([])).toEqual(new Uint8Array(32));
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9])('matches the reference for %i leaves', (n) => {
    const leaves = ids.slice(0, n);
    expect(toHex(merkleRoot(leaves))).toBe(toHex(referenceRoot(leaves)));
  });

  it('gives 1..9 leaves nine distinct roots, none equal to a txid', () => {
    const roots = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => toHex(merkleRoot(ids.slice(0, n)))));
    expect(roots.size).toBe(9);
    for (const id of ids) expect(roots.has(toHex(id))).toBe(false);
  });

  it('never lets two different lists share a root (the CVE-2012-2459 duplication)', () => {
    const [a, b, c] = ids as [Uint8Array, Uint8Array, Uint8Array];
    expect(merkleRoot([a, b, c])).not.toEqual(merkleRoot([a, b, c, c]));
    expect(merkleRoot([a, b])).not.toEqual(merkleRoot([a, b, b]));
    expect(merkleRoot([a, b])).not.toEqual(merkleRoot([b, a]));
    expect(merkleRoot([a])).not.toEqual(merkleRoot([a, a]));
    // An inner node cannot pose as a leaf: the root of [a, b] as a one-leaf list gives another root.
    expect(merkleRoot([merkleRoot([a, b])])).not.toEqual(merkleRoot([a, b]));
  });

  it('gives distinct roots to distinct lists (property)', () => {
    const list = fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(list, list, (x, y) => {
        fc.pre(x.join() !== y.join());
        const root = (l: number[]) => merkleRoot(l.map((i) => ids[i]!));
        expect(root(x)).not.toEqual(root(y));
      }),
    );
  });
});

describe('targets and work', () => {
  const target = fc.bigInt({ min: 0n, max: MAX_TARGET });

  it('targetToBytes and bytesToBigInt round trip over [0, 2^256)', () => {
    fc.assert(
      fc.property(target, (t) => {
        const encoded = targetToBytes(t);
        expect(encoded).toHaveLength(32);
        expect(bytesToBigInt(encoded)).toBe(t);
      }),
    );
    expect(targetToBytes(MAX_TARGET)).toEqual(new Uint8Array(32).fill(0xff));
    expect(targetToBytes(1n)[31]).toBe(1);
  });

  it('targetToBytes refuses targets outside [0, 2^256)', () => {
    expect(() => targetToBytes(-1n)).toThrow(RangeError);
    expect(() => targetToBytes(1n << 256n)).toThrow(RangeError);
  });

  it('workOf is monotonic: an easier target means less work', () => {
    fc.assert(
      fc.property(target, target, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(workOf(lo) >= workOf(hi)).toBe(true);
      }),
    );
    expect(workOf(MAX_TARGET)).toBe(1n);
    expect(workOf(MAX_TARGET >> 1n)).toBe(2n);
    expect(workOf(0n)).toBe(1n << 256n);
  });

  it('meetsTarget accepts an id equal to the target and rejects one above', () => {
    const id = targetToBytes(12_345n);
    expect(meetsTarget(id, 12_345n)).toBe(true);
    expect(meetsTarget(id, 12_344n)).toBe(false);
  });
});

describe('searchNonce', () => {
  it('finds a nonce whose consensus (@noble) block id meets the target', () => {
    fc.assert(
      fc.property(headerArb, fc.integer({ min: 1, max: 10 }), (header, difficultyBits) => {
        const target = MAX_TARGET >> BigInt(difficultyBits);
        const bytesWithNonce = encodeHeader({ ...header, nonce: 1n });
        const nonce = searchNonce(bytesWithNonce, target, 1n, 100_000);
        expect(nonce).toBeDefined();
        const mined = { ...header, nonce: nonce! };
        expect(meetsTarget(blockIdOf(mined), target)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('returns the first qualifying nonce from start, skipping nonce 0', () => {
    const header = { ...GENESIS.header, nonce: 1n };
    const target = MAX_TARGET >> 3n;
    const nonce = searchNonce(encodeHeader(header), target, 0n, 10_000)!;
    expect(nonce).toBeGreaterThan(0n);
    for (let n = 1n; n < nonce; n++)
      expect(meetsTarget(blockIdOf({ ...header, nonce: n }), target)).toBe(false);
  });

  it('gives up after `attempts`', () => {
    const header = { ...GENESIS.header, nonce: 1n };
    expect(searchNonce(encodeHeader(header), 0n, 1n, 500)).toBeUndefined();
  });
});
