/**
 * Catalogue 13, low-work-fork, against two honest victims with a 300-block regtest chain: the
 * attacker feeds a valid side chain from genesis (below half the main chain's work) by relay and
 * through a lying sync identity. The victims store none of it (anti-DoS work), quarantine the liar
 * for headers that end below the work it claimed (BAD_HEADERS -> PROTOCOL_VIOLATION), keep trusting
 * each other and keep following the main chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ORPHANS } from '../../../src/chain/state/orphan-pool.js';
import { mineBlocks, mineOn, waitFor } from '../../helpers/index.js';
import { readLog } from '../reputation/observe.js';
import {
  addAttacker,
  decisiveOffence,
  type Stage,
  startStage,
  victimsTrustEachOther,
  waitForQuarantine,
} from './harness.js';

/** Main chain length: more than the 144 blocks of anti-DoS depth, so a branch from genesis is below it. */
const MAIN_BLOCKS = 300;
/** Side blocks the attacker must have fed before the victims are judged. */
const SIDE_BLOCKS_FED = 100;

let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
  await mineBlocks(stage.victims[0]!, MAIN_BLOCKS);
  await waitFor(
    () => stage.victims.every((v) => v.chain.tip().height === MAIN_BLOCKS),
    30_000,
    `height ${MAIN_BLOCKS} everywhere`,
  );
}, 120_000);
afterAll(async () => {
  await stage?.net.cleanup();
});

describe('low-work-fork', () => {
  it(
    'stores none of the side chain, quarantines the lying sync identity, keeps the main chain',
    { timeout: 120_000 },
    async () => {
      const stored = stage.victims.map((v) => v.chain.blockCount);
      const attacker = await addAttacker(stage, 'low-work-fork');
      let liar: string | undefined;
      let sideHeight = 0;
      await waitFor(
        async () => {
          for (const line of await readLog(attacker.node.config.dataDir)) {
            if (line.role === 'liar' && typeof line.identity === 'string') liar = line.identity;
            if (typeof line.sideHeight === 'number') sideHeight = Math.max(sideHeight, line.sideHeight);
          }
          return liar !== undefined && sideHeight >= SIDE_BLOCKS_FED;
        },
        60_000,
        `the attacker to feed ${SIDE_BLOCKS_FED} side blocks and spawn its liar`,
      );
      const verdicts = await waitForQuarantine(stage, liar!, 30_000);
      for (const { victim, report } of verdicts) {
        console.log(
          `low-work-fork liar on ${victim}: ${decisiveOffence(report)} (${report.offences[0]?.evidence})`,
        );
        expect(decisiveOffence(report)).toBe('PROTOCOL_VIOLATION');
      }
      const side = (await readLog(attacker.node.config.dataDir)).filter(
        (l) => typeof l.sideHeight === 'number',
      );
      console.log(
        `[low-work-fork] side chain fed to height ${side.at(-1)?.sideHeight}; victims' stored blocks ` +
          `${stored.join(', ')} -> ${stage.victims.map((v) => v.chain.blockCount).join(', ')}, orphans ` +
          stage.victims.map((v) => v.chain.orphanCount).join(', '),
      );
      for (const [i, victim] of stage.victims.entries()) {
        expect(victim.chain.blockCount).toBe(stored[i]);
        expect(victim.chain.orphanCount).toBeLessThanOrEqual(MAX_ORPHANS);
        expect(victim.chain.tip().height).toBe(MAIN_BLOCKS);
      }
      expect(victimsTrustEachOther(stage)).toBe(true);

      const next = await mineOn(stage.victims[0]!);
      await waitFor(
        () => stage.victims[1]!.chain.tip().idHex === next,
        10_000,
        'h1 to follow the main chain',
      );
    },
  );
});
