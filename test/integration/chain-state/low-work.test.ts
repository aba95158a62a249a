/**
 * Anti-DoS work and headers-first (Bitcoin Core's rule): a branch whose cumulative work is below the
 * tip's minus ANTI_DOS_WORK_BLOCKS blocks is not stored, however many valid blocks a peer feeds; a
 * branch whose headers prove more work than the tip is stored and wins, although its first blocks
 * alone are below that work. Real LevelDB, regtest blocks (fixed target: every block the same work).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { headerBytesOfBlock } from '../../../src/chain/encoding/codec.js';
import { ValidationError } from '../../../src/chain/errors.js';
import { MAX_TARGET, REGTEST } from '../../../src/chain/params.js';
import { ANTI_DOS_BLOCK_WORK_DIVISOR, ANTI_DOS_WORK_BLOCKS, Chain } from '../../../src/chain/state/chain.js';
import {
  buildBlock,
  buildBranch,
  mineBlocks,
  openTestChain,
  removeDir,
  tempDir,
  TestClock,
  type TestChain,
} from '../../unit/chain-state/helpers.js';

const MAIN_LENGTH = Number(ANTI_DOS_WORK_BLOCKS) + 16;

let t: TestChain | undefined;
afterEach(async () => {
  await t?.chain.close();
  if (t !== undefined) await removeDir(t.dir);
  t = undefined;
});

const headersOf = (blocks: readonly { bytes: Uint8Array }[]): Uint8Array[] =>
  blocks.map((b) => headerBytesOfBlock(b.bytes)!.slice());

describe('anti-DoS work', () => {
  it('stores nothing of a valid side chain far below the tip, and the index does not grow', async () => {
    t = await openTestChain();
    const { chain } = t;
    await mineBlocks(chain, MAIN_LENGTH);
    const sizeBefore = chain.blockCount;
    // 40 valid blocks forking at genesis: all far below the tip's work minus 144 blocks.
    const side = buildBranch(chain, chain.genesis(), 40, 7);
    const statuses = new Set<string>();
    for (const block of side) statuses.add((await chain.processBlock(block.bytes)).status);
    expect([...statuses].sort()).toEqual(['low-work', 'orphan']);
    expect(chain.blockCount).toBe(sizeBefore);
    expect(chain.getEntry(side[0]!.idHex)).toBeUndefined();
    expect(chain.tip().height).toBe(MAIN_LENGTH);
  });

  it('stores a fork within the anti-DoS depth as a side chain (honest forks are unaffected)', async () => {
    t = await openTestChain();
    const { chain } = t;
    await mineBlocks(chain, MAIN_LENGTH);
    const forkAt = chain.getBlockByHeight(MAIN_LENGTH - 100)!;
    const [first] = buildBranch(chain, forkAt, 1, 3);
    expect((await chain.processBlock(first!.bytes)).status).toBe('side-chain');
  });

  it('headers-first: a heavier branch proven by its headers is stored from its first block and wins', async () => {
    t = await openTestChain();
    const { chain } = t;
    await mineBlocks(chain, MAIN_LENGTH);
    const side = buildBranch(chain, chain.genesis(), MAIN_LENGTH + 2, 9);
    // Without its headers, the branch's first block is low-work.
    expect((await chain.processBlock(side[0]!.bytes)).status).toBe('low-work');

    const headers = chain.headerChainFrom(chain.genesis().idHex)!;
    headers.extend(headersOf(side));
    expect(headers.work).toBeGreaterThan(chain.tip().cumulativeWork);
    expect(chain.expectHeaders(headers)).toBe(true);
    let last;
    for (const block of side) last = await chain.processBlock(block.bytes);
    expect(last?.status).toBe('connected');
    expect(chain.tip().idHex).toBe(side.at(-1)!.idHex);
  });

  it('headers that lack the work are not enough to store the branch', async () => {
    t = await openTestChain();
    const { chain } = t;
    await mineBlocks(chain, MAIN_LENGTH);
    const side = buildBranch(chain, chain.genesis(), 10, 11);
    const headers = chain.headerChainFrom(chain.genesis().idHex)!;
    headers.extend(headersOf(side));
    expect(chain.expectHeaders(headers)).toBe(false);
    expect((await chain.processBlock(side[0]!.bytes)).status).toBe('low-work');
  });

  it('a header chain refuses a header with bad proof of work, a broken link or a wrong height', async () => {
    t = await openTestChain();
    const { chain } = t;
    await mineBlocks(chain, 3);
    const tip = chain.tip();
    const cases = [
      buildBlock(chain, { parent: tip, badPow: true }),
      buildBlock(chain, { parent: chain.genesis(), height: tip.height + 1 }),
      buildBlock(chain, { parent: tip, height: tip.height + 2 }),
    ];
    const codes: string[] = [];
    for (const block of cases) {
      const headers = chain.headerChainFrom(tip.idHex)!;
      try {
        headers.extend(headersOf([block]));
        codes.push('accepted');
      } catch (err) {
        codes.push((err as ValidationError).code);
      }
      expect(headers.ids).toEqual([]);
      expect(headers.work).toBe(tip.cumulativeWork);
    }
    expect(codes).toEqual(['BLOCK_BAD_POW', 'BLOCK_UNKNOWN_PARENT', 'BLOCK_BAD_HEIGHT']);
  });

  it('refuses an unproven side block far easier than the tip, within the anti-DoS depth', async () => {
    // Retargeting every block over the last 2: blocks 1 ms apart make each target 4x harder.
    const params = { ...REGTEST, retarget: true, retargetWindow: 2, initialTarget: MAX_TARGET >> 4n };
    const clock = new TestClock(params.genesisTimestamp + 3_600_000);
    const dir = await tempDir();
    t = { chain: await Chain.open({ dataDir: dir, params, now: clock.now }), dir, clock };
    const { chain } = t;
    for (let i = 0; i < 8; i++) {
      const tip = chain.tip();
      const b = buildBlock(chain, { timestamp: tip.timestamp + 1 });
      expect((await chain.processBlock(b.bytes)).status).toBe('connected');
    }
    const tipTarget = chain.tip().target;
    expect(tipTarget * ANTI_DOS_BLOCK_WORK_DIVISOR).toBeLessThan(params.initialTarget);
    // A valid block on genesis at the initial target: far easier than the tip's, and well within
    // 144 blocks' work of it.
    const side = buildBlock(chain, { parent: chain.genesis(), coinbaseTag: 5 });
    expect((await chain.processBlock(side.bytes)).status).toBe('low-work');
    expect(chain.getEntry(side.idHex)).toBeUndefined();
  });
});
