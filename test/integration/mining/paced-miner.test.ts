/**
 * The miner's CPU pacing with the real worker thread: on a chain whose target no hash meets, the
 * background loop hashes batch after batch, pausing after each so the worker is busy at most the
 * given share of the time; the process's CPU time confirms it. Bands are generous: a loaded
 * machine only lowers the share (a descheduled batch lengthens its pause). The clock is set just
 * after genesis (a live tip) except where a stalled tip, which is never paced, is the point.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Miner } from '../../../src/chain/mining/miner.js';
import { MiningCpuError, STALLED_TIP_INTERVALS } from '../../../src/chain/mining/pacing.js';
import { type ChainParams, REGTEST } from '../../../src/chain/params.js';
import { Chain } from '../../../src/chain/state/index.js';
import { MINER, removeDir, TestClock, tempDir } from '../../unit/chain-state/helpers.js';

/** Regtest with a target of 1: the search never finds a block, so every batch runs in full. */
const UNMINEABLE: ChainParams = { ...REGTEST, initialTarget: 1n, powLimit: 1n };
/** Attempts per batch here: ~30 ms on a free core, so a few seconds hold many batch-pause cycles. */
const BATCH = 20_000;
/** Batches to wait for before measuring (each is followed by a pause). */
const MIN_BATCHES = 4;
/** Longest wait for them (ms): a busy 2-core machine can make each batch slow. */
const BATCHES_TIMEOUT_MS = 60_000;

/** A clock 1 s after genesis: the genesis tip is live, so pacing applies. */
const liveClock = (): TestClock => new TestClock(UNMINEABLE.genesisTimestamp + 1_000);

let dir: string | undefined;
let chain: Chain | undefined;
let miner: Miner | undefined;

afterEach(async () => {
  await miner?.close();
  await chain?.close();
  if (dir !== undefined) await removeDir(dir);
  miner = chain = dir = undefined;
});

async function openUnmineable(clock: TestClock = liveClock()): Promise<Chain> {
  dir = await tempDir('trustmesh-pacing-');
  chain = await Chain.open({ dataDir: dir, params: UNMINEABLE, now: clock.now });
  return chain;
}

async function waitForAttempts(m: Miner, attempts: number): Promise<void> {
  const deadline = performance.now() + BATCHES_TIMEOUT_MS;
  while (m.attempts < attempts) {
    if (performance.now() > deadline)
      throw new Error(`only ${m.attempts} attempts in ${BATCHES_TIMEOUT_MS} ms`);
    await sleep(20);
  }
}

describe('Miner CPU pacing (real worker)', () => {
  it('at 20% the worker waits four times its busy time after each batch, and the process uses well under a core', async () => {
    miner = new Miner({
      chain: await openUnmineable(),
      secretKey: MINER.secretKey,
      batchSize: BATCH,
      cpuPercent: 20,
      burstMs: 0,
    });
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    miner.start();
    await waitForAttempts(miner, MIN_BATCHES * BATCH);
    const stopAsked = performance.now();
    await miner.stop();
    const stopMs = performance.now() - stopAsked;
    const wallMs = performance.now() - wallBefore;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuShare = (cpu.user + cpu.system) / 1_000 / wallMs;

    expect(miner.hashingMs).toBeGreaterThan(0);
    // Every completed batch but the last was followed by a full pause of 4x its busy time.
    expect(miner.pausedMs).toBeGreaterThan(1.5 * miner.hashingMs);
    expect(miner.hashingMs / wallMs).toBeLessThan(0.4);
    // The whole test process (worker start-up, event loop, GC) over the short window: nominal 0.2
    // plus overhead (measured 0.61 with other test files running); unpaced, the worker alone would
    // keep a whole core busy, so 0.85 still tells the two apart.
    expect(
      cpuShare,
      `process CPU ${cpuShare.toFixed(2)} of a core over ${wallMs.toFixed(0)} ms`,
    ).toBeLessThan(0.85);
    // A stop cuts the pause short instead of waiting it out.
    expect(stopMs).toBeLessThan(miner.pausedMs + 5_000);
    // No more batches after the stop.
    const attempts = miner.attempts;
    await sleep(300);
    expect(miner.attempts).toBe(attempts);
  });

  it('a stop during a long pause returns at once', async () => {
    // 1%: each ~30 ms batch earns a ~3 s pause.
    miner = new Miner({
      chain: await openUnmineable(),
      secretKey: MINER.secretKey,
      batchSize: BATCH,
      cpuPercent: 1,
      burstMs: 0,
    });
    miner.start();
    await waitForAttempts(miner, BATCH);
    await sleep(50);
    const expectedPause = (miner.hashingMs * 99) / 1;
    const stopAsked = performance.now();
    await miner.stop();
    expect(performance.now() - stopAsked).toBeLessThan(expectedPause);
    expect(miner.running).toBe(false);
  });

  it('at 100% (the default) it never pauses, and mineOne is never paced', async () => {
    miner = new Miner({ chain: await openUnmineable(), secretKey: MINER.secretKey, batchSize: BATCH });
    expect(miner.cpuPercent).toBe(100);
    miner.start();
    await waitForAttempts(miner, 3 * BATCH);
    await miner.stop();
    expect(miner.pausedMs).toBe(0);

    await miner.close();
    await chain!.close();
    await removeDir(dir!);
    // Regtest (a block in ~2 hashes): a paced miner's mineOne still mines at once, three in a row.
    dir = await tempDir('trustmesh-pacing-');
    chain = await Chain.open({ dataDir: dir, params: REGTEST, now: liveClock().now });
    miner = new Miner({ chain, secretKey: MINER.secretKey, cpuPercent: 1 });
    for (let i = 0; i < 3; i++) await miner.mineOne();
    expect(chain.tip().height).toBe(3);
    expect(miner.pausedMs).toBe(0);
  });

  it('hashes back to back while the start-up burst lasts', async () => {
    // 1% with a burst far longer than this test: every batch runs back to back.
    miner = new Miner({
      chain: await openUnmineable(),
      secretKey: MINER.secretKey,
      batchSize: BATCH,
      cpuPercent: 1,
      burstMs: 600_000,
    });
    miner.start();
    await waitForAttempts(miner, 5 * BATCH);
    await miner.stop();
    expect(miner.pausedMs).toBe(0);
  });

  it('hashes back to back while the tip is stalled, and paces again once it is live', async () => {
    // The genesis tip dated an hour ago: stalled (older than STALLED_TIP_INTERVALS intervals).
    const clock = new TestClock(UNMINEABLE.genesisTimestamp + 3_600_000);
    expect(3_600_000).toBeGreaterThan(STALLED_TIP_INTERVALS * UNMINEABLE.blockIntervalMs);
    miner = new Miner({
      chain: await openUnmineable(clock),
      secretKey: MINER.secretKey,
      batchSize: BATCH,
      cpuPercent: 20,
      burstMs: 0,
    });
    miner.start();
    await waitForAttempts(miner, 5 * BATCH);
    expect(miner.pausedMs).toBe(0);
    // The same tip 1 s old: live, so the next batch earns a pause of 4x its busy time.
    clock.t = UNMINEABLE.genesisTimestamp + 1_000;
    const attempts = miner.attempts;
    await waitForAttempts(miner, attempts + 2 * BATCH);
    await miner.stop();
    expect(miner.pausedMs).toBeGreaterThan(0);
  });

  it('refuses a share outside 1-100%', () => {
    expect(() => new Miner({ chain: {} as Chain, secretKey: MINER.secretKey, cpuPercent: 0 })).toThrow(
      MiningCpuError,
    );
  });
});
