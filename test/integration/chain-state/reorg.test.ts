/**
 * Reorganisations: the branch with the most work wins (ties: first seen stays), the UTXO set equals
 * a replay of the winning chain, the mempool follows (transactions of the abandoned branch come
 * back, confirmed and conflicting ones go), and a branch with an invalid block leaves everything
 * as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Transaction } from '../../../src/chain/encoding/codec.js';
import { txidOf } from '../../../src/chain/objects/transaction.js';
import { blockSubsidy } from '../../../src/chain/params.js';
import type { Chain, ChainEntry, ReorgInfo } from '../../../src/chain/state/index.js';
import { toHex } from '../../../src/crypto/hash.js';
import {
  ALICE,
  BOB,
  type BuiltBlock,
  buildBlock,
  buildBranch,
  CAROL,
  entryOf,
  makeTx,
  mineBlocks,
  openTestChain,
  PARAMS,
  payFromGenesis,
  removeDir,
  replayUtxoSnapshot,
  stateSummary,
  type TestChain,
  txBytes,
  utxoSnapshot,
} from '../../unit/chain-state/helpers.js';

let t: TestChain;
let chain: Chain;
let fork: ChainEntry;

const hex = (tx: Transaction): string => toHex(txidOf(tx));

beforeEach(async () => {
  t = await openTestChain();
  chain = t.chain;
  await mineBlocks(chain, 2);
  fork = chain.tip();
});

afterEach(async () => {
  await chain.close();
  await removeDir(t.dir);
});

/** Processes the blocks in order; returns the results. */
async function processAll(blocks: readonly BuiltBlock[]) {
  const results = [];
  for (const b of blocks) results.push(await chain.processBlock(b.bytes));
  return results;
}

describe('switching branches', () => {
  it('the heavier branch wins; UTXO set and mempool follow it', async () => {
    const now = t.clock.now();
    const onlyMain = payFromGenesis(ALICE, 0, BOB.address, 1_000n, now);
    const shared = payFromGenesis(ALICE, 1, CAROL.address, 2_000n, now);
    const conflicted = payFromGenesis(ALICE, 2, BOB.address, 500_000n, now);
    const rival = payFromGenesis(ALICE, 2, CAROL.address, 600_000n, now); // spends the same output

    const main = buildBranch(chain, fork, 3, 1, (i) => [[onlyMain, shared], [conflicted], []][i]!);
    expect((await processAll(main)).map((r) => r.status)).toEqual(['connected', 'connected', 'connected']);
    // In the mempool: one spend of a main-branch output (valid now, not after the reorg), one unrelated.
    const spendsMainOutput = makeTx(
      BOB,
      [{ txid: txidOf(conflicted), index: 0 }],
      [{ to: CAROL.address, amount: 400_000n }],
      now,
    );
    const unrelated = payFromGenesis(ALICE, 10, BOB.address, 3_000n, now);
    chain.acceptTransaction(txBytes(spendsMainOutput));
    chain.acceptTransaction(txBytes(unrelated));

    const side = buildBranch(chain, fork, 4, 2, (i) => [[shared], [rival], [], []][i]!);
    const events: string[] = [];
    let reorgEvent: ReorgInfo | undefined;
    chain.on('reorg', (info) => {
      reorgEvent = info;
      events.push('reorg');
    });
    chain.on('block', ({ entry }) => events.push(`block ${entry.height}`));
    chain.on('tip', (tip) => events.push(`tip ${tip.height}`));

    const results = await processAll(side.slice(0, 3));
    // The third side block ties the main tip: first seen stays.
    expect(results.map((r) => r.status)).toEqual(['side-chain', 'side-chain', 'side-chain']);
    expect(chain.tip().idHex).toBe(main[2]!.idHex);
    expect(events).toEqual([]);

    // Old transactions still come back: the relay window does not apply to them.
    t.clock.advance(PARAMS.txMaxAgeMs + 60_000);
    const last = await chain.processBlock(side[3]!.bytes);
    expect(last.status).toBe('connected');
    expect(last.reorg).toEqual({
      disconnected: main.map((b) => b.idHex).reverse(),
      connected: side.map((b) => b.idHex),
    });
    expect(reorgEvent).toEqual(last.reorg);
    expect(events).toEqual(['reorg', 'block 3', 'block 4', 'block 5', 'block 6', 'tip 6']);
    expect(chain.tip().idHex).toBe(side[3]!.idHex);
    expect(
      main.every((b) => !chain.isActive(b.idHex) && chain.getEntry(b.idHex)?.status === 'connected-ok'),
    ).toBe(true);

    expect(utxoSnapshot(chain)).toEqual(await replayUtxoSnapshot(chain));
    expect(chain.mempool.txids().sort()).toEqual([hex(onlyMain), hex(unrelated)].sort());
    expect(chain.findTransaction(hex(shared))?.blockIdHex).toBe(side[0]!.idHex);
    expect(chain.findTransaction(hex(onlyMain))).toBeUndefined();

    // And back: the main branch grows heavier again.
    const more = buildBranch(chain, chain.getEntry(main[2]!.idHex)!, 2, 3);
    const back = await processAll(more);
    expect(back.map((r) => r.status)).toEqual(['side-chain', 'connected']);
    expect(back[1]!.reorg?.disconnected).toEqual(side.map((b) => b.idHex).reverse());
    expect(back[1]!.reorg?.connected).toEqual([...main, ...more].map((b) => b.idHex));
    expect(utxoSnapshot(chain)).toEqual(await replayUtxoSnapshot(chain));
    // onlyMain is confirmed again; rival conflicts with `conflicted`; spendsMainOutput was dropped.
    expect(chain.mempool.txids()).toEqual([hex(unrelated)]);
  });

  it('a branch arriving backwards (orphans) wins once its first block arrives', async () => {
    await processAll(buildBranch(chain, fork, 2, 1));
    const side = buildBranch(chain, fork, 3, 2);
    const results = await processAll([...side].reverse());
    expect(results.map((r) => r.status)).toEqual(['orphan', 'orphan', 'side-chain']);
    expect(chain.tip().idHex).toBe(side[2]!.idHex);
    expect(utxoSnapshot(chain)).toEqual(await replayUtxoSnapshot(chain));
  });

  it('equal work: the first seen branch stays, whatever arrives later', async () => {
    const a = buildBranch(chain, fork, 2, 1);
    const b = buildBranch(chain, fork, 2, 2);
    await processAll(a);
    expect((await processAll(b)).map((r) => r.status)).toEqual(['side-chain', 'side-chain']);
    expect(chain.tip().idHex).toBe(a[1]!.idHex);
  });
});

describe('a branch with an invalid block', () => {
  let main: BuiltBlock[];
  let before: ReturnType<typeof stateSummary>;
  let utxos: string[];
  let mempool: string[];

  beforeEach(async () => {
    main = buildBranch(chain, fork, 3, 1, (i) =>
      i === 0 ? [payFromGenesis(ALICE, 0, BOB.address, 1_000n, t.clock.now())] : [],
    );
    await processAll(main);
    chain.acceptTransaction(txBytes(payFromGenesis(ALICE, 1, BOB.address, 1_000n, t.clock.now())));
    before = stateSummary(chain);
    utxos = utxoSnapshot(chain);
    mempool = chain.mempool.txids();
  });

  function expectUnchanged(): void {
    expect(stateSummary(chain)).toEqual(before);
    expect(utxoSnapshot(chain)).toEqual(utxos);
    expect(chain.mempool.txids()).toEqual(mempool);
  }

  /** A branch of `count` blocks on the fork point whose block `bad` (0-based) overpays its coinbase. */
  function branchWithInvalid(count: number, bad: number): BuiltBlock[] {
    const blocks: BuiltBlock[] = [];
    let parent = fork;
    for (let i = 0; i < count; i++) {
      const height = parent.height + 1;
      const b = buildBlock(chain, {
        parent,
        coinbaseTag: 9,
        ...(i === bad ? { coinbaseAmount: blockSubsidy(PARAMS, height) + 1n } : {}),
        txs: i === 0 ? [payFromGenesis(ALICE, 0, CAROL.address, 5_000n, t.clock.now())] : [],
      });
      blocks.push(b);
      parent = entryOf(b, parent);
    }
    return blocks;
  }

  it('rolls back to the old chain and marks the block and its descendants invalid', async () => {
    const side = branchWithInvalid(4, 1);
    expect((await processAll(side.slice(0, 3))).map((r) => r.status)).toEqual([
      'side-chain',
      'side-chain',
      'side-chain',
    ]);
    let reorgs = 0;
    chain.on('reorg', () => reorgs++);
    await expect(chain.processBlock(side[3]!.bytes)).rejects.toMatchObject({
      code: 'BLOCK_INVALID_PARENT',
      verdict: 'REJECT',
    });
    expectUnchanged();
    expect(reorgs).toBe(0);
    expect(chain.getEntry(side[0]!.idHex)?.status).toBe('valid-header');
    for (const b of side.slice(1)) {
      expect(chain.isInvalid(b.idHex)).toBe(true);
      expect(await chain.getBlockBytes(b.idHex)).toBeUndefined();
    }
    expect(await chain.getBlockBytes(side[0]!.idHex)).toBeDefined();
    // Anything built on the invalid part is refused at once.
    const child = buildBlock(chain, { parent: entryOf(side[3]!, entryOf(side[2]!, fork)) });
    await expect(chain.processBlock(child.bytes)).rejects.toMatchObject({ code: 'BLOCK_INVALID_PARENT' });
    expectUnchanged();
    // The old chain keeps growing normally.
    await mineBlocks(chain, 1);
    expect(utxoSnapshot(chain)).toEqual(await replayUtxoSnapshot(chain));
  });

  it("reports the failing block's own error when it is the one that would win", async () => {
    const side = branchWithInvalid(4, 3);
    await processAll(side.slice(0, 3));
    await expect(chain.processBlock(side[3]!.bytes)).rejects.toMatchObject({
      code: 'BLOCK_COINBASE_TOO_LARGE',
    });
    expectUnchanged();
    expect(chain.getEntry(side[3]!.idHex)?.status).toBe('invalid');
    expect(chain.getEntry(side[2]!.idHex)?.status).toBe('valid-header');
  });
});

describe('deep reorganisation', () => {
  it('replaces 12 blocks with 13, across transactions spending earlier ones', async () => {
    const now = t.clock.now();
    const first = payFromGenesis(ALICE, 0, BOB.address, 1_000_000n, now);
    const second = makeTx(
      BOB,
      [{ txid: txidOf(first), index: 0 }],
      [{ to: CAROL.address, amount: 900_000n }],
      now,
    );
    const main = buildBranch(chain, fork, 12, 1, (i) => (i === 0 ? [first] : i === 5 ? [second] : []));
    await processAll(main);
    const side = buildBranch(chain, fork, 13, 2, (i) => (i === 3 ? [first] : []));
    const results = await processAll(side);
    expect(results.at(-1)?.reorg?.disconnected).toHaveLength(12);
    expect(utxoSnapshot(chain)).toEqual(await replayUtxoSnapshot(chain));
    expect(chain.mempool.txids()).toEqual([hex(second)]);
    expect(chain.locator()[0]).toEqual(chain.tip().id);
  });
});
