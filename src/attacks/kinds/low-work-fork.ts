/**
 * Catalogue 13: a long side chain of valid blocks far below the main chain's work, fed at full
 * speed. The attacker mines, in memory, a branch from genesis whose timestamps are spaced four
 * block intervals apart, so the retarget eases its difficulty to the proof-of-work limit (on the
 * devnet a block then costs about 256 hashes, against tens of thousands on the main chain); it
 * stops while the branch's total work is below half the main tip's, so it never is a real reorg.
 *
 * Two ways in, each round:
 * - relay: its own identity announces the new side blocks and serves them on getdata (valid blocks:
 *   an honest node keeps none below its anti-DoS work, and judges none);
 * - sync: a spawned identity claims twice the main chain's work in its status and answers
 *   getHeaders, getBlocks and getdata from the side chain. Headers-first sync checks the headers,
 *   finds they end below the claimed work, and blames BAD_HEADERS (PROTOCOL_VIOLATION).
 *
 * Contained when the honest nodes store at most a handful of side blocks (those mined at the main
 * chain's difficulty, before the branch's retarget eased it) and their memory stays flat. Logs the
 * branch as it grows (`sideHeight`, `sideWork`) and the lying identity (`identity`, role `liar`).
 */
import { encodeBlock, encodeHeader } from '../../chain/encoding/codec.js';
import { BLOCK_VERSION, blockIdOf, targetToBytes, workOf } from '../../chain/objects/block.js';
import { createCoinbase } from '../../chain/objects/transaction.js';
import { blockSubsidy, MEDIAN_TIME_SPAN } from '../../chain/params.js';
import { expectedTarget } from '../../chain/rules/difficulty.js';
import { toHex } from '../../crypto/hash.js';
import type { InventorySource } from '../../p2p/wire/inventory-source.js';
import { InvType } from '../../p2p/wire/codec.js';
import type { AttackContext, Misbehaviour, SpawnedPeer } from '../attack.js';

/** Side blocks mined and announced per round (one round every 500 ms: 100 blocks a second). */
const BLOCKS_PER_ROUND = 50;
/** Longest side chain kept in the attacker's memory. */
const MAX_SIDE_BLOCKS = 3_000;
/** Timestamp spacing in block intervals: the retarget's clamp, so the difficulty eases at full speed. */
const SPACING_INTERVALS = 4;
/** Host of the lying identity (its own netgroup). */
const LIAR_HOST = '127.213.0.1';

interface SideBlock {
  readonly id: Uint8Array;
  readonly idHex: string;
  readonly height: number;
  readonly timestamp: number;
  readonly target: bigint;
  readonly work: bigint;
  readonly header: Uint8Array;
  readonly bytes: Uint8Array;
}

interface SideState {
  readonly blocks: SideBlock[];
  readonly byId: Map<string, SideBlock>;
  liar?: SpawnedPeer;
  full: boolean;
}
const states = new WeakMap<AttackContext, SideState>();

/** The side chain's tip (genesis before the first block) as the next block's parent. */
function parentOf(ctx: AttackContext, state: SideState) {
  const last = state.blocks.at(-1);
  if (last !== undefined) return last;
  const genesis = ctx.blocks.entryAt(0)!;
  return { ...genesis, work: genesis.cumulativeWork };
}

/** Mines the next side block (valid on its branch: coinbase only, retargeted, spaced timestamps). */
async function mineSideBlock(ctx: AttackContext, state: SideState): Promise<SideBlock | undefined> {
  const { params } = ctx;
  const parent = parentOf(ctx, state);
  const timestamp = parent.timestamp + SPACING_INTERVALS * params.blockIntervalMs;
  if (timestamp > ctx.now()) return undefined; // caught up with the clock: the branch is done
  const samples = [ctx.blocks.entryAt(0)!, ...state.blocks].slice(
    -Math.max(MEDIAN_TIME_SPAN, params.retargetWindow + 1),
  );
  const target = expectedTarget(params, samples.slice(-(params.retargetWindow + 1)));
  const height = parent.height + 1;
  const coinbase = createCoinbase(
    height,
    [{ amount: blockSubsidy(params, height), address: ctx.account.address as Uint8Array<ArrayBuffer> }],
    timestamp,
  );
  const header = ctx.blocks.sign({
    version: BLOCK_VERSION,
    height,
    prevHash: parent.id as Uint8Array<ArrayBuffer>,
    merkleRoot: ctx.blocks.merkleRootOf([coinbase]),
    timestamp,
    target: targetToBytes(target),
    minerPublicKey: new Uint8Array(0),
    minerSignature: new Uint8Array(0),
    nonce: 0n,
  });
  const block = await ctx.blocks.seal(header, [coinbase], 'meets');
  if (block === undefined) return undefined;
  const id = blockIdOf(block.header);
  return {
    id,
    idHex: toHex(id),
    height,
    timestamp,
    target,
    work: parent.work + workOf(target),
    header: encodeHeader(block.header),
    bytes: encodeBlock(block),
  };
}

/** The side chain as a sync and getdata source, claiming twice the main chain's work. */
function lyingSource(ctx: AttackContext, state: SideState): InventorySource {
  const after = (locator: Uint8Array[], max: number): SideBlock[] => {
    let start = 0;
    for (const hash of locator) {
      const known = state.byId.get(toHex(hash));
      if (known !== undefined) {
        start = known.height;
        break;
      }
    }
    return state.blocks.slice(start, start + max);
  };
  return {
    getObject: async (type, hash) =>
      type === InvType.BLOCK ? state.byId.get(toHex(hash))?.bytes : undefined,
    status: () => {
      const tip = state.blocks.at(-1)!;
      return {
        genesis: ctx.blocks.entryAt(0)!.id,
        tip: tip.id,
        height: tip.height,
        cumulativeWork: 2n * ctx.blocks.tip().cumulativeWork,
      };
    },
    blocksAfter: (locator, max) => after(locator, max).map((b) => b.id),
    headersAfter: async (locator, max) => after(locator, max).map((b) => b.header),
    mempoolTxids: () => [],
    blockTransactions: async () => [],
  };
}

export const misbehaviour: Misbehaviour = {
  kind: 'low-work-fork',
  catalogue: 13,
  class: 'contained',
  description:
    "feeds a long valid side chain from genesis, far below the main chain's work, by relay and by sync",
  intervalMs: 500,
  scenarioSeconds: 30,
  async act(ctx) {
    let state = states.get(ctx);
    if (state === undefined) {
      state = { blocks: [], byId: new Map(), full: false };
      states.set(ctx, state);
    }
    const mainWork = ctx.blocks.tip().cumulativeWork;
    const fresh: SideBlock[] = [];
    while (!state.full && fresh.length < BLOCKS_PER_ROUND && state.blocks.length < MAX_SIDE_BLOCKS) {
      const block = await mineSideBlock(ctx, state);
      // Never a real reorg: the branch stays below half the main chain's work.
      if (block === undefined || 2n * block.work >= mainWork) {
        state.full = true;
        break;
      }
      state.blocks.push(block);
      state.byId.set(block.idHex, block);
      fresh.push(block);
    }
    if (state.blocks.length === 0) return;
    for (const block of fresh) ctx.serve('block', block.id, block.bytes);
    if (fresh.length > 0) {
      await ctx.announce(fresh.map((block) => ({ type: InvType.BLOCK, hash: block.id })));
      const tip = state.blocks.at(-1)!;
      ctx.logger.info({ sideHeight: tip.height, sideWork: tip.work.toString() }, 'low-work side chain');
    }
    if (state.liar === undefined) {
      state.liar = await ctx.identities.spawnPeer(LIAR_HOST, { source: lyingSource(ctx, state) });
      // `identity`: the scenario counts it as an attacker (src/scenario/verdicts.ts).
      ctx.logger.info({ identity: state.liar.peerId, role: 'liar' }, 'lying sync identity');
      for (const target of ctx.identities.targets()) await state.liar.dial(target);
    }
  },
};
