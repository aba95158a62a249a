/**
 * An honest peer whose process stalls (SIGSTOP / SIGCONT: its event loop makes no progress at all,
 * as under a GC storm or CPU starvation) while requests to it are in flight must not be quarantined
 * for the timeouts that follow, however many stalls in a row.
 *
 * Topology (all real nodes over TCP on 127.0.0.1):
 *
 *   source O ─── honest H ─── victim V ═══ stalled S (a child process) ─── O
 *
 * O (its clock 60 s behind, so its payments are too old to be pushed on) pushes each payment to S
 * and H; both announce it to V by Inv. V dialed S (preferred) and H dialed V, so V asks S first.
 * On the first event-loop turn where V holds S's announcement of a payment, the test stops S (as a
 * GC pause right after announcing would), and keeps it stopped for STALL_MS (longer than the
 * getdata transport timeout, so S's late answers are lost) if V asked it; then S runs again. V gets
 * every payment from H after its request to S times out, and S never delivers anything new to V in
 * between. Before the fix each stall extended S's escalating streak (penalties 2, 4, ..., 14) and
 * the 7th stall quarantined S (measured: 7 stalls, quarantined, score -54.6). S is silent for the
 * whole wait, so its timeouts now cost the flat 2 each and never escalate (measured: 9 stalls,
 * nine timeouts of 2, healthy at -17.3).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCompiledTree, type CompiledTree } from '../../../src/devnet/compiled-build.js';
import { freePorts } from '../../../src/devnet/free-ports.js';
import type { TrustmeshNode } from '../../../src/node/trustmesh-node.js';
import type { PeerReport } from '../../../src/p2p/reputation/index.js';
import { offencesAgainst, sendPayment, sleep, TestNetwork, waitFor } from '../../helpers/index.js';

/** Stalls of S, each while V has a request in flight to it: more than the 7 that quarantined before. */
const STALLS = 9;
/** How long (ms) each stall lasts: beyond the 4 s getdata transport timeout, so late answers are lost. */
const STALL_MS = 5_000;
/** How long (ms) S runs after each stall before the next may start: it catches up on its backlog. */
const RUN_MS = 1_500;
/** How long (ms) the test waits for V to ask S for something after a payment, before another payment. */
const ASK_WAIT_MS = 3_000;
/** O's clock offset (ms): its payments are dated a minute back, past the 30 s push age. */
const SOURCE_SKEW_MS = -60_000;
/** How long (ms) the child may take to start on a loaded machine. */
const START_TIMEOUT_MS = 60_000;

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Resolves on the first event-loop turn where `condition` holds, or with false after `timeoutMs`. */
async function onTurnWhen(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

interface Child {
  readonly process: ChildProcess;
  readonly peerId: string;
  readonly address: string;
}

/** Starts a real node process dialing `peers`; resolves once it printed its `started` line. */
async function startChild(build: CompiledTree, dataDir: string, peers: string[]): Promise<Child> {
  const [port] = await freePorts(1);
  const configFile = join(dataDir, 'stalled-config.json');
  await writeFile(configFile, JSON.stringify({ name: 'stalled', devnetLoopback: true }));
  const args = [
    build.entry('src/node/main.ts'),
    '--config',
    configFile,
    '--data-dir',
    dataDir,
    '--network',
    'regtest',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--rpc-port',
    '-1',
    '--metrics-port',
    '-1',
    '--log-level',
    'warn',
    ...peers.flatMap((peer) => ['--peer', peer]),
  ];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const lines = createInterface({ input: child.stdout! });
  const peerId = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start within ${START_TIMEOUT_MS} ms: ${stderr}`)),
      START_TIMEOUT_MS,
    );
    lines.on('line', (line) => {
      if (!line.startsWith('{"event":"started"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { peerId: string }).peerId);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node exited (${code}) before starting: ${stderr}`));
    });
  });
  return { process: child, peerId, address: `/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}` };
}

function connected(node: TrustmeshNode, peerId: string): boolean {
  return node.p2p.libp2p
    .getConnections()
    .some((c) => c.remotePeer.toString() === peerId && c.status === 'open');
}

describe('an honest peer whose process stalls again and again', { timeout: 300_000 }, () => {
  let build: CompiledTree | undefined;
  let net: TestNetwork | undefined;
  let child: Child | undefined;
  let childDir: string | undefined;
  let stopped = false;
  const payments: string[] = [];
  let stalls = 0;
  let report: PeerReport;
  let honestReport: PeerReport;

  beforeAll(async () => {
    build = await buildCompiledTree(repoRoot);
    // O (0) and H (1); H dials O.
    net = await TestNetwork.start({
      count: 2,
      edges: [[0, 1]],
      nodeOptions: (i) => (i === 0 ? { name: 'source', clockSkewMs: SOURCE_SKEW_MS } : { name: 'honest' }),
    });
    childDir = await mkdtemp(join(tmpdir(), 'trustmesh-stalled-'));
    child = await startChild(build, childDir, [net.addressOf(0)]);
    const victim = await net.addNode({ name: 'victim', connectTo: [], waitForConnections: false });
    await net.dial(1, 2); // H dials V: an inbound, not preferred, announcer for V
    await victim.p2p.libp2p.dial(multiaddr(child.address)); // V dials S: preferred
    const [source, honest] = [net.node(0), net.node(1)];
    await waitFor(
      () =>
        connected(victim, child!.peerId) &&
        connected(victim, honest.peerIdString) &&
        connected(source, child!.peerId),
      30_000,
      'V - S, V - H and S - O connected',
    );
    // Warm-up: a payment reaches V (meshes and push subscriptions are up).
    payments.push(sendPayment(source, honest, 1_000_000n));
    await waitFor(() => victim.chain.mempool.has(payments[0]!), 30_000, 'the first payment at V');

    const stalledId = child.peerId;
    for (let round = 0; round < 60 && stalls < STALLS; round++) {
      if (victim.reputation.isQuarantined(stalledId)) break;
      const txid = sendPayment(source, honest, 1_000_000n + BigInt(round));
      payments.push(txid);
      // Stop S on the first turn V holds its announcement (before V's request can even leave), as a
      // GC pause right after announcing would; count the stall only if V then asks S.
      const tracker = victim.relay.tracker;
      const announced = await onTurnWhen(
        () => tracker.announcers(`tx:${txid}`).includes(stalledId) || tracker.inFlightCount(stalledId) > 0,
        ASK_WAIT_MS,
      );
      if (!announced) continue;
      child.process.kill('SIGSTOP');
      stopped = true;
      if (!(await onTurnWhen(() => tracker.inFlightCount(stalledId) > 0, ASK_WAIT_MS))) {
        child.process.kill('SIGCONT');
        stopped = false;
        await sleep(RUN_MS);
        continue;
      }
      stalls++;
      await sleep(STALL_MS);
      child.process.kill('SIGCONT');
      stopped = false;
      await sleep(RUN_MS);
    }
    // Let the last timeouts be charged and every payment arrive (from H) before judging.
    await waitFor(
      () => payments.every((txid) => victim.chain.mempool.has(txid)),
      30_000,
      'every payment at V',
    ).catch(() => undefined);
    await sleep(3_000);
    report = victim.reputation.report(stalledId);
    honestReport = victim.reputation.report(honest.peerIdString);
    console.log(
      `[stalled-peer] ${stalls} stalls of ${STALL_MS} ms, ${payments.length} payments: S at V ${report.state}, ` +
        `score ${report.score}, penalties ${JSON.stringify(report.offences.map((o) => o.penalty))}`,
    );
  }, 280_000);

  afterAll(async () => {
    if (child !== undefined) {
      if (stopped) child.process.kill('SIGCONT');
      child.process.kill('SIGKILL');
      if (child.process.exitCode === null && child.process.signalCode === null) {
        await once(child.process, 'exit');
      }
    }
    await net?.cleanup();
    await build?.remove();
    if (childDir !== undefined) await rm(childDir, { recursive: true, force: true });
  });

  it('stalled S while V had requests in flight to it, again and again', () => {
    expect(stalls).toBeGreaterThanOrEqual(7);
    // Each stall cost S at least one timeout: the situation that escalated to a quarantine.
    expect(report.offenceCounts.REQUEST_TIMEOUT ?? 0).toBeGreaterThanOrEqual(7);
  });

  it('does not quarantine the stalled honest peer', () => {
    expect(report.state).not.toBe('quarantined');
    expect(report.ban).toBeNull();
    // Only timeouts: a stall is no other offence.
    expect(Object.keys(report.offenceCounts)).toEqual(['REQUEST_TIMEOUT']);
  });

  it('still got every payment, from the other announcer, and holds nothing against it', () => {
    const victim = net!.node(2);
    expect(payments.filter((txid) => !victim.chain.mempool.has(txid))).toEqual([]);
    expect(honestReport.totalOffences).toBe(0);
    expect(offencesAgainst(victim, net!.node(1).peerIdString, 'REQUEST_TIMEOUT')).toBe(0);
  });
});
