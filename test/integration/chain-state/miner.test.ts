/**
 * Miner: templates on the tip, proof of work searched in the worker thread, blocks accepted by
 * processBlock with the mempool's transactions and the fees claimed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeBlock } from '../../../src/chain/encoding/codec.js';
import { buildBlockTemplate, Miner } from '../../../src/chain/mining/miner.js';
import { blockSubsidy } from '../../../src/chain/params.js';
import { toHex } from '../../../src/crypto/hash.js';
import {
  ALICE,
  BOB,
  MINER,
  mineBlocks,
  openTestChain,
  PARAMS,
  payFromGenesis,
  removeDir,
  type TestChain,
  txBytes,
} from '../../unit/chain-state/helpers.js';

let t: TestChain;
let miner: Miner;

beforeEach(async () => {
  t = await openTestChain();
  miner = new Miner({ chain: t.chain, secretKey: MINER.secretKey });
});

afterEach(async () => {
  await miner.close();
  await t.chain.close();
  await removeDir(t.dir);
});

describe('Miner', () => {
  it('mineOne (worker thread) mines a block with the mempool transactions and their fees', async () => {
    const fees = [10_000n, 20_000n];
    for (const [i, fee] of fees.entries()) {
      t.chain.acceptTransaction(txBytes(payFromGenesis(ALICE, i, BOB.address, 1_000n, t.clock.now(), fee)));
    }
    const pooled = t.chain.mempool.txids();
    const id = await miner.mineOne();
    expect(miner.attempts).toBeGreaterThan(0);
    const tip = t.chain.tip();
    expect(tip.idHex).toBe(toHex(id));
    expect(tip.height).toBe(1);
    const block = decodeBlock((await t.chain.getBlockBytes(tip.idHex))!);
    expect(block.transactions).toHaveLength(3);
    expect(block.transactions[0]!.outputs[0]!.amount).toBe(blockSubsidy(PARAMS, 1) + 30_000n);
    expect(toHex(block.transactions[0]!.outputs[0]!.address)).toBe(toHex(MINER.address));
    expect(t.chain.mempool.size).toBe(0);
    expect(pooled.every((txid) => t.chain.findTransaction(txid)?.blockIdHex === tip.idHex)).toBe(true);
    // Several in a row, each on the new tip, dated after the median time past.
    await miner.mineOne();
    await miner.mineOne();
    expect(t.chain.tip().height).toBe(3);
  });

  it('the in-process search gives the same kind of block', async () => {
    const inline = new Miner({ chain: t.chain, secretKey: MINER.secretKey, useWorker: false });
    await inline.mineOne();
    await inline.close();
    expect(t.chain.tip().height).toBe(1);
  });

  it('templates: next height, target, timestamp after median time past, signed header', async () => {
    await mineBlocks(t.chain, 3);
    const template = buildBlockTemplate(t.chain, MINER.secretKey, MINER.address);
    expect(template.height).toBe(4);
    expect(template.parentHex).toBe(t.chain.tip().idHex);
    expect(template.target).toBe(t.chain.nextTarget());
    expect(template.header.timestamp).toBeGreaterThan(t.chain.medianTimePast());
    expect(template.header.nonce).toBe(1n);
    expect(template.transactions).toHaveLength(1);
  });

  it('start and stop: mines in the background, emitting blocks', async () => {
    const mined: number[] = [];
    miner.on('block', (result) => mined.push(result.height));
    miner.start();
    expect(miner.running).toBe(true);
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (mined.length >= 3) resolve();
        else setTimeout(check, 10);
      };
      check();
    });
    await miner.stop();
    expect(miner.running).toBe(false);
    const height = t.chain.tip().height;
    expect(height).toBeGreaterThanOrEqual(3);
    expect(mined.slice(0, 3)).toEqual([1, 2, 3]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(t.chain.tip().height).toBe(height);
  });
});
