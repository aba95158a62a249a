/**
 * Every block rule's failure path through Chain.processBlock: the right code and verdict, and
 * nothing changes (tip, UTXO set, mempool), except that ids whose failure is a property of the
 * block are remembered as invalid.
 */

import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeBlock, encodeBlock, type Transaction } from '../../../src/chain/encoding/codec.js';
import { ValidationError } from '../../../src/chain/errors.js';
import { txidOf } from '../../../src/chain/objects/transaction.js';
import { blockSubsidy } from '../../../src/chain/params.js';
import type { Chain } from '../../../src/chain/state/index.js';
import {
  ALICE,
  BOB,
  type BuildOptions,
  buildBlock,
  CAROL,
  entryOf,
  MINER,
  makeTx,
  mineBlocks,
  openTestChain,
  PARAMS,
  payFromGenesis,
  removeDir,
  stateSummary,
  type TestChain,
  txBytes,
  utxoSnapshot,
} from '../../unit/chain-state/helpers.js';

let t: TestChain;
let chain: Chain;

beforeEach(async () => {
  t = await openTestChain();
  chain = t.chain;
  await mineBlocks(chain, 4);
  // One pooled transaction, so "mempool unchanged" means something.
  chain.acceptTransaction(txBytes(payFromGenesis(CAROL, 0, BOB.address, 1_000n, t.clock.now())));
});

afterEach(async () => {
  await chain.close();
  await removeDir(t.dir);
});

async function expectRejected(
  options: BuildOptions,
  code: string,
  verdict: 'REJECT' | 'IGNORE',
  rememberedInvalid: boolean,
): Promise<string> {
  const before = stateSummary(chain);
  const utxos = utxoSnapshot(chain);
  const block = buildBlock(chain, options);
  const error = await chain.processBlock(block.bytes).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).code).toBe(code);
  expect((error as ValidationError).verdict).toBe(verdict);
  expect(stateSummary(chain)).toEqual(before);
  expect(utxoSnapshot(chain)).toEqual(utxos);
  expect(chain.isInvalid(block.idHex)).toBe(rememberedInvalid);
  expect(await chain.getBlockBytes(block.idHex)).toBeUndefined();
  return block.idHex;
}

function aliceSpend(i: number, amount = 5_000n): Transaction {
  return payFromGenesis(ALICE, i, BOB.address, amount, t.clock.now());
}

describe('header rules', () => {
  it('bad proof of work: REJECT, not remembered (forging it is free)', async () => {
    await expectRejected({ badPow: true }, 'BLOCK_BAD_POW', 'REJECT', false);
  });

  it('target easier than the network limit: BLOCK_BAD_POW', async () => {
    await expectRejected({ target: PARAMS.powLimit + 1n }, 'BLOCK_BAD_POW', 'REJECT', false);
  });

  it('bad miner signature: REJECT, remembered', async () => {
    await expectRejected({ badSignature: true }, 'BLOCK_BAD_SIGNATURE', 'REJECT', true);
  });

  it('bad height', async () => {
    await expectRejected({ height: chain.tip().height + 2 }, 'BLOCK_BAD_HEIGHT', 'REJECT', true);
  });

  it('bad target (harder than required)', async () => {
    await expectRejected({ target: PARAMS.initialTarget >> 1n }, 'BLOCK_BAD_TARGET', 'REJECT', true);
  });

  it('timestamp not above median time past', async () => {
    const mtp = chain.medianTimePast();
    await expectRejected({ timestamp: mtp }, 'BLOCK_TIME_TOO_OLD', 'REJECT', true);
  });

  it('timestamp too far in the future: IGNORE, accepted once the clock catches up', async () => {
    const timestamp = t.clock.now() + PARAMS.maxBlockFutureDriftMs + 1_000;
    const before = stateSummary(chain);
    const block = buildBlock(chain, { timestamp });
    await expect(chain.processBlock(block.bytes)).rejects.toMatchObject({
      code: 'BLOCK_TIME_TOO_NEW',
      verdict: 'IGNORE',
    });
    expect(stateSummary(chain)).toEqual(before);
    expect(chain.isInvalid(block.idHex)).toBe(false);
    expect(chain.hasBlock(block.idHex)).toBe(false);
    t.clock.advance(2_000);
    await expect(chain.processBlock(block.bytes)).resolves.toMatchObject({ status: 'connected' });
  });
});

describe('body rules', () => {
  it('bad merkle root: REJECT, not remembered', async () => {
    await expectRejected(
      {
        editHeader: (h) => {
          h.merkleRoot = randomBytes(32);
        },
      },
      'BLOCK_BAD_MERKLE_ROOT',
      'REJECT',
      false,
    );
  });

  it('a tampered body does not poison the real block', async () => {
    const real = buildBlock(chain, { txs: [aliceSpend(0)] });
    // The real header with a different body.
    const forged = encodeBlock({
      header: real.block.header,
      transactions: real.block.transactions.slice(0, 1),
    });
    await expect(chain.processBlock(forged)).rejects.toMatchObject({ code: 'BLOCK_BAD_MERKLE_ROOT' });
    expect(chain.isInvalid(real.idHex)).toBe(false);
    await expect(chain.processBlock(real.bytes)).resolves.toMatchObject({
      status: 'connected',
      idHex: real.idHex,
    });
  });

  it('a second coinbase: BLOCK_BAD_COINBASE, remembered (the merkle root commits to it)', async () => {
    const height = chain.tip().height + 1;
    const extra: Transaction = {
      version: 1,
      inputs: [],
      outputs: [{ amount: 1n, address: BOB.address as Uint8Array<ArrayBuffer> }],
      timestamp: t.clock.now(),
      coinbaseHeight: height,
    };
    await expectRejected({ txs: [extra] }, 'BLOCK_BAD_COINBASE', 'REJECT', true);
  });

  it('a transaction with a bad signature: TX_BAD_SIGNATURE', async () => {
    const tx = aliceSpend(1);
    tx.inputs[0]!.signature = tx.inputs[0]!.signature.slice();
    tx.inputs[0]!.signature[5]! ^= 1;
    await expectRejected({ txs: [tx] }, 'TX_BAD_SIGNATURE', 'REJECT', true);
  });
});

describe('ledger rules (checked when connecting)', () => {
  it('double spend within the block', async () => {
    const a = aliceSpend(2, 5_000n);
    const b = aliceSpend(2, 6_000n);
    await expectRejected({ txs: [a, b] }, 'BLOCK_DOUBLE_SPEND', 'REJECT', true);
  });

  it('spend of a missing input', async () => {
    const tx = makeTx(
      ALICE,
      [{ txid: randomBytes(32), index: 0 }],
      [{ to: BOB.address, amount: 1n }],
      t.clock.now(),
    );
    await expectRejected({ txs: [tx] }, 'BLOCK_MISSING_INPUTS', 'REJECT', true);
  });

  it('spend of an output already spent on the chain', async () => {
    const tx = aliceSpend(3);
    await mineBlocks(chain, 1, { txs: [tx] });
    const again = payFromGenesis(ALICE, 3, CAROL.address, 7_000n, t.clock.now());
    await expectRejected({ txs: [again] }, 'BLOCK_MISSING_INPUTS', 'REJECT', true);
  });

  it('coinbase paying more than subsidy plus fees', async () => {
    const height = chain.tip().height + 1;
    const fee = 10_000n;
    // Fees may be claimed ...
    const ok = buildBlock(chain, {
      txs: [aliceSpend(4)],
      coinbaseAmount: blockSubsidy(PARAMS, height) + fee,
    });
    // ... but not one unit more.
    const before = stateSummary(chain);
    const bad = buildBlock(chain, {
      txs: [aliceSpend(5)],
      coinbaseAmount: blockSubsidy(PARAMS, height) + fee + 1n,
    });
    await expect(chain.processBlock(bad.bytes)).rejects.toMatchObject({ code: 'BLOCK_COINBASE_TOO_LARGE' });
    expect(stateSummary(chain)).toEqual(before);
    expect(chain.isInvalid(bad.idHex)).toBe(true);
    await expect(chain.processBlock(ok.bytes)).resolves.toMatchObject({ status: 'connected' });
  });

  it('spend of an immature coinbase', async () => {
    // The tip's coinbase pays MINER; at the next height it is 1 block old (maturity is 3).
    const tipBlock = decodeBlock((await chain.getBlockBytes(chain.tip().idHex))!);
    const coinbaseTxid = txidOf(tipBlock.transactions[0]!);
    const tx = makeTx(
      MINER,
      [{ txid: coinbaseTxid, index: 0 }],
      [{ to: BOB.address, amount: 1_000n }],
      t.clock.now(),
    );
    await expectRejected({ txs: [tx] }, 'BLOCK_IMMATURE_SPEND', 'REJECT', true);
  });

  it('a block known invalid is rejected again with its code, without re-validation', async () => {
    const id = await expectRejected(
      { coinbaseAmount: 10n ** 15n },
      'BLOCK_COINBASE_TOO_LARGE',
      'REJECT',
      true,
    );
    expect(chain.getEntry(id)?.status).toBe('invalid');
  });
});

describe('parents', () => {
  it('child of an invalid block: BLOCK_INVALID_PARENT, remembered', async () => {
    const tip = chain.tip();
    const bad = buildBlock(chain, { coinbaseAmount: blockSubsidy(PARAMS, tip.height + 1) + 1n });
    await expect(chain.processBlock(bad.bytes)).rejects.toMatchObject({ code: 'BLOCK_COINBASE_TOO_LARGE' });
    const before = stateSummary(chain);
    const child = buildBlock(chain, { parent: entryOf(bad, tip) });
    await expect(chain.processBlock(child.bytes)).rejects.toMatchObject({
      code: 'BLOCK_INVALID_PARENT',
      verdict: 'REJECT',
    });
    expect(stateSummary(chain)).toEqual(before);
    expect(chain.isInvalid(child.idHex)).toBe(true);
    // Compact block relay asks where a header would go before rebuilding: to the pipeline (which
    // rejects it, as above), never "orphan", so a compact block is judged like the whole block.
    expect(chain.placeOfHeader(decodeBlock(child.bytes).header, child.idHex)).toBe('store');
    // And its child in turn (parent known invalid only in memory).
    const grandchild = buildBlock(chain, { parent: entryOf(child, entryOf(bad, tip)) });
    await expect(chain.processBlock(grandchild.bytes)).rejects.toMatchObject({
      code: 'BLOCK_INVALID_PARENT',
    });
  });

  it('unknown parent: held as an orphan, connected when the parent arrives', async () => {
    const tip = chain.tip();
    const a = buildBlock(chain, { txs: [aliceSpend(6)] });
    const b = buildBlock(chain, { parent: entryOf(a, tip) });
    const c = buildBlock(chain, { parent: entryOf(b, entryOf(a, tip)) });
    expect(chain.placeOfHeader(decodeBlock(b.bytes).header, b.idHex)).toBe('orphan');
    const before = stateSummary(chain);
    await expect(chain.processBlock(c.bytes)).resolves.toMatchObject({ status: 'orphan', idHex: c.idHex });
    await expect(chain.processBlock(b.bytes)).resolves.toMatchObject({ status: 'orphan' });
    await expect(chain.processBlock(b.bytes)).resolves.toMatchObject({ status: 'duplicate' });
    expect(stateSummary(chain)).toEqual(before);
    expect(chain.hasBlock(c.idHex)).toBe(true);
    expect(chain.isOrphan(c.idHex)).toBe(true);
    expect(chain.missingAncestorOf(c.idHex)).toBe(a.idHex);
    await expect(chain.processBlock(a.bytes)).resolves.toMatchObject({ status: 'connected', idHex: a.idHex });
    expect(chain.tip().idHex).toBe(c.idHex);
    expect(chain.orphanCount).toBe(0);
  });

  it('orphans descending from an invalid block are dropped when it arrives', async () => {
    const tip = chain.tip();
    const bad = buildBlock(chain, { coinbaseAmount: blockSubsidy(PARAMS, tip.height + 1) + 1n });
    const child = buildBlock(chain, { parent: entryOf(bad, tip) });
    await expect(chain.processBlock(child.bytes)).resolves.toMatchObject({ status: 'orphan' });
    await expect(chain.processBlock(bad.bytes)).rejects.toMatchObject({ code: 'BLOCK_COINBASE_TOO_LARGE' });
    expect(chain.orphanCount).toBe(0);
    expect(chain.tip().idHex).toBe(tip.idHex);
  });

  it('duplicate: a known block is reported, not re-processed', async () => {
    const [block] = await mineBlocks(chain, 1);
    await expect(chain.processBlock(block!.bytes)).resolves.toMatchObject({
      status: 'duplicate',
      idHex: block!.idHex,
    });
  });

  it('malformed bytes: MALFORMED_ENCODING, nothing changes', async () => {
    const before = stateSummary(chain);
    await expect(chain.processBlock(new Uint8Array([0x0a, 0xff, 0xff]))).rejects.toMatchObject({
      code: 'MALFORMED_ENCODING',
      verdict: 'REJECT',
    });
    expect(stateSummary(chain)).toEqual(before);
  });
});
