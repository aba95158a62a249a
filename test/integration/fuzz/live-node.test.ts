/**
 * Short fuzz run against a live node through real libp2p streams and gossipsub (the long one is
 * `npm run fuzz`): mutated getdata, sync and txpush frames to its servers, mutated pushes and sync
 * answers to its clients, mutated Invs on the inventory topic (test/fuzz/live.ts). The node must
 * stay up and correct: no crash, no unhandled rejection, and afterwards it answers a clean status
 * request and accepts a valid payment. FUZZ_SEED replays another run.
 */
import { expect, it } from 'vitest';
import { runLiveFuzz } from '../../fuzz/live.js';

/** Inputs sent to the node: about ten seconds of streams and reconnections. */
const RUNS = 200;
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);

it('a live node survives mutated frames and gossip on every protocol', async () => {
  const report = await runLiveFuzz({ runs: RUNS, seed: SEED });
  expect(report.crashes, `seed ${SEED}: ${JSON.stringify(report.crashes, null, 2)}`).toEqual([]);
  expect(report.unhandledRejections).toEqual([]);
  expect(report.nodeAlive).toBe(true);
  expect(report.totalRuns).toBeGreaterThanOrEqual(RUNS);
  expect(report.byChannel.client).toBeGreaterThan(0);
  expect(report.byChannel.gossip).toBeGreaterThan(0);
}, 90_000);
