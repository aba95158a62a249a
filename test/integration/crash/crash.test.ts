/**
 * Crash consistency: a child process mines, reorganises and marks invalid blocks in a loop and is
 * killed with SIGKILL at random moments. After every kill the chain must reopen consistent: the
 * active chain fully stored and connected, the UTXO set equal to a replay of the active chain
 * from genesis, and the chain able to extend and to reorganise (so the undo data is intact).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { Chain } from '../../../src/chain/state/index.js';
import { fromHex } from '../../../src/crypto/hash.js';
import {
  ALICE,
  BOB,
  buildBlock,
  buildBranch,
  makeTx,
  PARAMS,
  removeDir,
  replayUtxoSnapshot,
  tempDir,
  utxoSnapshot,
} from '../../unit/chain-state/helpers.js';

const ROUNDS = 5;
/** The kill lands this long (ms, uniformly random) after the writer reports it is running. */
const MIN_RUN_MS = 150;
const MAX_RUN_MS = 1_000;

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await removeDir(dir);
});

/** Starts the writer; resolves once it printed `ready`. */
async function startWriter(dir: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/crash/writer.ts', dir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const output = (): string => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  await new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if (/^ready \d+/m.test(stdout)) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`writer exited early (${code})\n${output()}`)));
  });
  return { child, output };
}

async function checkConsistent(chain: Chain): Promise<void> {
  const tip = chain.tip();
  let parentHex: string | undefined;
  for (let height = 0; height <= tip.height; height++) {
    const entry = chain.getBlockByHeight(height);
    expect(entry, `active block at ${height}`).toBeDefined();
    expect(entry!.status).toBe('connected-ok');
    if (parentHex !== undefined) expect(entry!.parentHex).toBe(parentHex);
    expect(await chain.getBlockBytes(entry!.idHex), `bytes of ${height}`).toBeDefined();
    parentHex = entry!.idHex;
  }
  expect(parentHex).toBe(tip.idHex);
  expect(utxoSnapshot(chain)).toEqual(await replayUtxoSnapshot(chain));
}

it('reopens consistent after SIGKILL at random moments', async () => {
  const dir = await tempDir('trustmesh-crash-');
  dirs.push(dir);
  const heights: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const { child, output } = await startWriter(dir);
    await sleep(MIN_RUN_MS + Math.random() * (MAX_RUN_MS - MIN_RUN_MS));
    expect(child.exitCode, output()).toBeNull();
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');

    const chain = await Chain.open({ dataDir: dir, params: PARAMS });
    try {
      await checkConsistent(chain);
      heights.push(chain.tip().height);
      // The next block connects, with a transaction spending a coin of the recovered UTXO set.
      const coin = chain.utxosOf(ALICE.address)[0]!;
      const tx = makeTx(
        ALICE,
        [{ txid: fromHex(coin.txidHex), index: coin.outputIndex }],
        [{ to: BOB.address, amount: coin.utxo.amount - 10_000n }],
        Date.now(),
      );
      const next = buildBlock(chain, { txs: [tx] });
      await expect(chain.processBlock(next.bytes)).resolves.toMatchObject({ status: 'connected' });
      // A reorg over the recovered blocks uses the undo data the killed process wrote.
      const forkPoint = chain.getBlockByHeight(chain.tip().height - 2)!;
      const branch = buildBranch(chain, forkPoint, 3, 1_000 + round);
      for (const b of branch) await chain.processBlock(b.bytes);
      expect(chain.tip().idHex).toBe(branch[2]!.idHex);
      await checkConsistent(chain);
    } finally {
      await chain.close();
    }
  }
  // The writer made progress across the rounds.
  expect(heights.at(-1)!).toBeGreaterThan(heights[0]!);
}, 90_000);
