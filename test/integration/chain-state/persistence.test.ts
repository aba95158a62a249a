/**
 * Persistence (close and reopen resumes at the same tip, UTXO set and block tree) and the chain's
 * queries: entries, bytes, heights, locators, fork points, sync ranges, balances.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeHeader, encodeHeader } from '../../../src/chain/encoding/codec.js';
import { DEV_OUTPUT_AMOUNT, DEV_OUTPUTS_PER_ACCOUNT, genesisBlock } from '../../../src/chain/genesis.js';
import { blockIdOf, workOf } from '../../../src/chain/objects/block.js';
import { txidOf } from '../../../src/chain/objects/transaction.js';
import { blockSubsidy, DEVNET } from '../../../src/chain/params.js';
import { Chain } from '../../../src/chain/state/index.js';
import { toHex } from '../../../src/crypto/hash.js';
import {
  ALICE,
  BOB,
  buildBlock,
  buildBranch,
  entryOf,
  MINER,
  mineBlocks,
  openTestChain,
  PARAMS,
  payFromGenesis,
  removeDir,
  replayUtxoSnapshot,
  type TestChain,
  TestClock,
  txBytes,
  utxoSnapshot,
} from '../../unit/chain-state/helpers.js';

const opened: TestChain[] = [];

async function open(dir?: string, clock?: TestClock): Promise<TestChain> {
  const t = await openTestChain(dir, clock);
  opened.push(t);
  return t;
}

afterEach(async () => {
  for (const t of opened.splice(0)) {
    await t.chain.close();
    await removeDir(t.dir);
  }
});

describe('genesis', () => {
  it('is written on first open and funds the dev accounts', async () => {
    const { chain, dir } = await open();
    const genesis = genesisBlock(PARAMS);
    const tip = chain.tip();
    expect(tip.height).toBe(0);
    expect(tip.idHex).toBe(toHex(blockIdOf(genesis.header)));
    expect(tip.cumulativeWork).toBe(workOf(PARAMS.initialTarget));
    expect(chain.utxoCount).toBe(10 * DEV_OUTPUTS_PER_ACCOUNT);
    expect(chain.balanceOf(ALICE.address)).toBe(BigInt(DEV_OUTPUTS_PER_ACCOUNT) * DEV_OUTPUT_AMOUNT);
    expect(chain.utxosOf(ALICE.address)).toHaveLength(DEV_OUTPUTS_PER_ACCOUNT);
    expect((await stat(join(dir, 'chain'))).isDirectory()).toBe(true);
  });

  it('refuses a data dir of another network', async () => {
    const t = await open();
    await t.chain.close();
    await expect(Chain.open({ dataDir: t.dir, params: DEVNET })).rejects.toThrow(/network regtest/);
    t.chain = (await Chain.open({ dataDir: t.dir, params: PARAMS })) as Chain;
  });
});

describe('close and reopen', () => {
  it('resumes at the same tip with the same UTXO set, block tree and invalid marks', async () => {
    const t = await open();
    const { chain } = t;
    await mineBlocks(chain, 3);
    const paid = payFromGenesis(ALICE, 0, BOB.address, 12_345n, t.clock.now());
    const [paidIn] = await mineBlocks(chain, 1, { txs: [paid] });
    const side = buildBranch(chain, chain.getBlockByHeight(2)!, 1, 7);
    await chain.processBlock(side[0]!.bytes);
    const bad = buildBlock(chain, { coinbaseAmount: blockSubsidy(PARAMS, chain.tip().height + 1) + 1n });
    await expect(chain.processBlock(bad.bytes)).rejects.toMatchObject({ code: 'BLOCK_COINBASE_TOO_LARGE' });
    const tip = chain.tip();
    const utxos = utxoSnapshot(chain);
    const locator = chain.locator();
    await chain.close();

    const reopened = await Chain.open({ dataDir: t.dir, params: PARAMS, now: t.clock.now });
    t.chain = reopened;
    expect(reopened.tip()).toEqual(tip);
    expect(utxoSnapshot(reopened)).toEqual(utxos);
    expect(utxoSnapshot(reopened)).toEqual(await replayUtxoSnapshot(reopened));
    expect(reopened.locator()).toEqual(locator);
    expect(reopened.getEntry(side[0]!.idHex)?.status).toBe('valid-header');
    expect(reopened.isInvalid(bad.idHex)).toBe(true);
    await expect(reopened.processBlock(bad.bytes)).rejects.toMatchObject({
      code: 'BLOCK_COINBASE_TOO_LARGE',
    });
    // Recent transactions are known again (duplicates are detected after a restart).
    expect(reopened.findTransaction(toHex(txidOf(paid)))).toEqual({ blockIdHex: paidIn!.idHex, height: 4 });
    expect(() => reopened.acceptTransaction(txBytes(paid))).toThrow(/TX_DUPLICATE/);
    // And it extends normally.
    await mineBlocks(reopened, 1);
    expect(reopened.tip().height).toBe(tip.height + 1);
  });

  it('the mempool is not persisted (peers and wallets re-announce)', async () => {
    const t = await open();
    t.chain.acceptTransaction(txBytes(payFromGenesis(ALICE, 0, BOB.address, 1n, t.clock.now())));
    await t.chain.close();
    t.chain = await Chain.open({ dataDir: t.dir, params: PARAMS, now: t.clock.now });
    expect(t.chain.mempool.size).toBe(0);
  });

  it('rejects work after close', async () => {
    const t = await open();
    await t.chain.close();
    await expect(t.chain.processBlock(new Uint8Array(1))).rejects.toThrow(/closed/);
    expect(() => t.chain.acceptTransaction(new Uint8Array(1))).toThrow(/closed/);
  });
});

describe('queries', () => {
  it('entries, bytes, heights and headers', async () => {
    const { chain } = await open();
    const blocks = await mineBlocks(chain, 3);
    const b = blocks[1]!;
    const entry = chain.getEntry(b.idHex)!;
    expect(entry).toMatchObject({ height: 2, parentHex: blocks[0]!.idHex, status: 'connected-ok' });
    expect(chain.getBlockByHeight(2)?.idHex).toBe(b.idHex);
    expect(chain.getBlockByHeight(4)).toBeUndefined();
    expect(await chain.getBlockBytes(b.idHex)).toEqual(b.bytes);
    const header = (await chain.getHeaderBytes(b.idHex))!;
    expect(header).toEqual(encodeHeader(b.block.header));
    expect(toHex(blockIdOf(decodeHeader(header)))).toBe(b.idHex);
    expect(chain.hasBlock(b.idHex)).toBe(true);
    expect(chain.hasBlock('00'.repeat(32))).toBe(false);
    expect(await chain.getBlockBytes('00'.repeat(32))).toBeUndefined();
    expect(chain.tip().cumulativeWork).toBe(4n * workOf(PARAMS.initialTarget));
    expect(chain.balanceOf(MINER.address)).toBe(
      BigInt(DEV_OUTPUTS_PER_ACCOUNT) * DEV_OUTPUT_AMOUNT + 3n * blockSubsidy(PARAMS, 1),
    );
  });

  it('locator, fork point and blocks after it', async () => {
    const { chain } = await open();
    await mineBlocks(chain, 30);
    const locator = chain.locator().map(toHex);
    const heightOf = (idHex: string) => chain.getEntry(idHex)!.height;
    expect(locator.map(heightOf)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 19, 15, 7, 0]);

    // A peer on a fork from height 20 sends its locator: the fork point is our block 20.
    const side = buildBranch(chain, chain.getBlockByHeight(20)!, 1, 5);
    const sideEntry = entryOf(side[0]!, chain.getBlockByHeight(20)!);
    const peerLocator = [sideEntry.id, chain.getBlockByHeight(20)!.id, chain.getBlockByHeight(0)!.id];
    const forkPoint = chain.findForkPoint(peerLocator);
    expect(forkPoint.height).toBe(20);
    expect(chain.blocksAfter(forkPoint.idHex, 3).map((id) => heightOf(toHex(id)))).toEqual([21, 22, 23]);
    expect(chain.blocksAfter(chain.tip().idHex, 10)).toEqual([]);
    // Unknown locator: genesis.
    expect(chain.findForkPoint([new Uint8Array(32)]).height).toBe(0);
    // A side-chain block as fork point: we continue from its last active ancestor.
    await chain.processBlock(side[0]!.bytes);
    expect(chain.blocksAfter(side[0]!.idHex, 2).map((id) => heightOf(toHex(id)))).toEqual([21, 22]);
  });

  it('median time past and next target for block builders', async () => {
    const clock = new TestClock();
    const { chain } = await open(undefined, clock);
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      clock.advance(1_000);
      const [b] = await mineBlocks(chain, 1);
      times.push(b!.block.header.timestamp);
    }
    expect(chain.medianTimePast()).toBe([...times.slice(-11)].sort((a, b) => a - b)[5]);
    expect(chain.nextTarget()).toBe(PARAMS.initialTarget);
  });
});
