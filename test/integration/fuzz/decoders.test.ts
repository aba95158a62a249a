/**
 * Short in-process fuzz run (the long one is `npm run fuzz`): mutated and random inputs into every
 * decode-and-validate entry point (test/fuzz/targets.ts) must be accepted or refused with a typed
 * error: no other exception, no hang, no unhandled rejection. FUZZ_SEED replays another run.
 */
import { expect, it } from 'vitest';
import { runInProcessFuzz } from '../../fuzz/run.js';

/** Inputs per target: a few seconds for all twenty targets. */
const RUNS_PER_TARGET = 1_500;
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);

it('every entry point refuses mutated input with a typed error only', async () => {
  const report = await runInProcessFuzz({ runsPerTarget: RUNS_PER_TARGET, seed: SEED });
  const describe = report.crashes
    .map((c) => `${c.target} x${c.count}: ${c.error}\n${c.stack}\ninput ${c.inputHex}`)
    .join('\n\n');
  expect(report.crashes, `seed ${SEED}:\n${describe}`).toEqual([]);
  expect(report.unhandledRejections).toEqual([]);
  // Each target's own seeds pass, and the mutants reached past the first decoder (some accepted).
  for (const target of report.targets) {
    expect(target.seedsAccepted, target.target).toBe(target.seeds);
    expect(target.accepted + target.rejected, target.target).toBe(target.runs);
  }
  expect(report.targets.map((t) => t.target)).toEqual(
    expect.arrayContaining([
      'gossip:inv',
      'frames:getdata-request',
      'frames:txpush-push',
      'frames:sync-request',
      'chain:process-block',
    ]),
  );
}, 60_000);
