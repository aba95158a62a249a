/**
 * Crash safety of a whole node under load: a node process (compiled JavaScript: twenty restarts
 * take 30-50 s on a moderately loaded machine, twice that through tsx; see
 * src/devnet/compiled-build.ts) follows a small network that keeps sending
 * payments and mining blocks, and is killed with SIGKILL twenty times at random moments while it
 * validates and stores what arrives, each time right after it acknowledged its tip over RPC. After
 * every kill, before the restart:
 *
 * - its chain reopens consistent: the active chain fully stored and connected, the UTXO set equal
 *   to a replay from genesis;
 * - the tip it acknowledged before the kill is still on its active chain (nothing it reported as
 *   connected was lost);
 * - the address book saved at its last clean stop still parses and lists its peers;
 *
 * after every restart it resyncs to at least the network's height at the kill, and its manual ban
 * (made before the first kill) is still in force. At the end it reaches the network's tip, and
 * every transaction the network had confirmed at any kill is confirmed on its active chain, and it
 * quarantined neither of its honest peers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeBlock } from '../../../src/chain/encoding/codec.js';
import { txidOf } from '../../../src/chain/objects/transaction.js';
import { REGTEST } from '../../../src/chain/params.js';
import { Chain } from '../../../src/chain/state/index.js';
import { RpcClient } from '../../../src/cli/rpc-client.js';
import { freePorts } from '../../../src/devnet/free-ports.js';
import { toHex } from '../../../src/crypto/hash.js';
import { cookiePathIn } from '../../../src/node/rpc/cookie.js';
import { ADDRBOOK_FILE } from '../../../src/p2p/membership/address-book-store.js';
import type { TrustmeshNode } from '../../../src/node/trustmesh-node.js';
import { buildCompiledTree, type CompiledTree } from '../../../src/devnet/compiled-build.js';
import { mineOn, sendPayment, sleep, TestNetwork, waitFor } from '../../helpers/index.js';
import { replayUtxoSnapshot, utxoSnapshot } from '../../unit/chain-state/helpers.js';

const KILLS = 20;
/** The kill lands this long (ms, uniformly random) after the node caught up with the network. */
const MIN_RUN_MS = 50;
const MAX_RUN_MS = 500;
/** Load: one payment every PAYMENT_EVERY_MS, one block every BLOCK_EVERY_MS (12x the devnet's rate). */
const PAYMENT_EVERY_MS = 25;
const BLOCK_EVERY_MS = 400;
/** How long (ms) a start, or a resync, may take on a loaded machine. */
const START_TIMEOUT_MS = 30_000;
/** A peer id the node bans by hand before the first kill (never connects: it only has to persist). */
const BANNED_PEER = '12D3KooWRp5DvKhbVPa4XwmVKsdzfiQvuq2GdsrXXXicSr7Wvg9t';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
let build: CompiledTree;
let net: TestNetwork;
let dataDir: string;

beforeAll(async () => {
  build = await buildCompiledTree(repoRoot);
  dataDir = await mkdtemp(join(tmpdir(), 'trustmesh-sigkill-'));
  net = await TestNetwork.start({ count: 2, nodeOptions: () => ({ logLevel: 'warn' }) });
}, 60_000);

afterAll(async () => {
  await net?.cleanup();
  await build?.remove();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

interface Victim {
  readonly child: ChildProcess;
  readonly rpc: RpcClient;
}

/** Starts the node under test on its data dir; resolves once it printed `started`. */
async function startVictim(configFile: string, port: number): Promise<Victim> {
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
    '--log-level',
    'warn',
    ...[0, 1].flatMap((i) => ['--peer', net.addressOf(i)]),
  ];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const lines = createInterface({ input: child.stdout! });
  const started = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start within ${START_TIMEOUT_MS} ms: ${stderr}`)),
      START_TIMEOUT_MS,
    );
    lines.on('line', (line) => {
      if (!line.startsWith('{"event":"started"')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as Record<string, unknown>);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node exited (${code}) before starting: ${stderr}`));
    });
  });
  const rpc = RpcClient.fromCookie(started.rpc as string, cookiePathIn(dataDir), { timeoutMs: 10_000 });
  return { child, rpc };
}

async function killVictim(victim: Victim): Promise<void> {
  victim.child.kill('SIGKILL');
  if (victim.child.exitCode === null && victim.child.signalCode === null) await once(victim.child, 'exit');
}

/** Every txid on `chain`'s active chain (coinbases included). */
async function activeTxids(
  chain: Pick<Chain, 'tip' | 'getBlockByHeight' | 'getBlockBytes'>,
): Promise<Set<string>> {
  const txids = new Set<string>();
  for (let height = 0; height <= chain.tip().height; height++) {
    const bytes = await chain.getBlockBytes(chain.getBlockByHeight(height)!.idHex);
    for (const tx of decodeBlock(bytes!).transactions) txids.add(toHex(txidOf(tx)));
  }
  return txids;
}

/**
 * The address book file the node saved at its last clean stop (it saves every minute and at stop;
 * a kill loses only what it learnt since) still parses and lists both network peers.
 */
async function checkAddressBook(): Promise<void> {
  const stored = JSON.parse(await readFile(join(dataDir, ADDRBOOK_FILE), 'utf8')) as {
    entries: Array<{ peerId: string }>;
  };
  const peers = stored.entries.map((e) => e.peerId);
  expect(peers).toContain(net.node(0).peerIdString);
  expect(peers).toContain(net.node(1).peerIdString);
  await expect(access(join(dataDir, `${ADDRBOOK_FILE}.corrupt`))).rejects.toThrow();
}

/** Opens the killed node's chain and checks it; returns nothing, throws on inconsistency. */
async function checkOffline(ackTip: string): Promise<void> {
  await checkAddressBook();
  const chain = await Chain.open({ dataDir, params: REGTEST });
  try {
    const tip = chain.tip();
    let parent: string | undefined;
    for (let height = 0; height <= tip.height; height++) {
      const entry = chain.getBlockByHeight(height);
      expect(entry?.status, `active block at height ${height}`).toBe('connected-ok');
      if (parent !== undefined) expect(entry!.parentHex).toBe(parent);
      parent = entry!.idHex;
    }
    expect(utxoSnapshot(chain)).toEqual(await replayUtxoSnapshot(chain));
    expect(chain.isActive(ackTip), `acknowledged tip ${ackTip} still active`).toBe(true);
  } finally {
    await chain.close();
  }
}

/** Payments from node 0 and blocks from node 1 until `stop()`; counts what failed (no coins, races). */
function startLoad(nodes: readonly TrustmeshNode[]): { stop: () => Promise<void> } {
  let running = true;
  const pay = (async () => {
    while (running) {
      try {
        sendPayment(nodes[0]!, nodes[1]!, 1_000n);
      } catch {
        // out of spendable coins until the next block: keep going
      }
      await sleep(PAYMENT_EVERY_MS);
    }
  })();
  const mine = (async () => {
    while (running) {
      await mineOn(nodes[1]!).catch(() => undefined);
      await sleep(BLOCK_EVERY_MS);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await Promise.all([pay, mine]);
    },
  };
}

it('survives SIGKILL twenty times under transaction and block load', async () => {
  // Inside the data dir, so afterAll removes it whatever happens.
  const configFile = join(dataDir, 'victim-config.json');
  // The network peers are bootstrap addresses too, so they are in the address book from the start.
  const bootstrap = [0, 1].map((i) => net.addressOf(i));
  await writeFile(configFile, JSON.stringify({ name: 'victim', devnetLoopback: true, bootstrap }));
  const [n0, n1] = [net.node(0), net.node(1)];
  const [port] = (await freePorts(1)) as [number];
  const confirmedAtKills = new Set<string>();
  let victim = await startVictim(configFile, port);
  await victim.rpc.call('ban', [BANNED_PEER, 3_600_000, 'crash test']);
  // One clean restart first: the node saves its address book (both peers in it) when it stops.
  await waitFor(async () => (await victim.rpc.call('status')).peers >= 2, START_TIMEOUT_MS, 'both peers');
  victim.child.kill('SIGTERM');
  await once(victim.child, 'exit');
  await checkAddressBook();
  victim = await startVictim(configFile, port);
  const load = startLoad([n0, n1]);
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      // The node is following the load (it just resynced): kill it a moment later.
      await sleep(MIN_RUN_MS + Math.random() * (MAX_RUN_MS - MIN_RUN_MS));
      const ack = await victim.rpc.call('tip');
      const networkHeight = n0.chain.tip().height;
      for (const txid of await activeTxids(n0.chain)) confirmedAtKills.add(txid);
      await killVictim(victim);

      await checkOffline(ack.id);
      victim = await startVictim(configFile, port);
      const quarantined = await victim.rpc.call('quarantined');
      expect(quarantined.map((q) => q.peerId)).toContain(BANNED_PEER);
      await waitFor(
        async () => (await victim.rpc.call('tip')).height >= networkHeight,
        START_TIMEOUT_MS,
        `resync to height ${networkHeight} after kill ${kill + 1}`,
      );
    }
  } finally {
    await load.stop();
  }
  // Quiet network: the node reaches the network's tip and holds every confirmed transaction.
  const tip = n0.chain.tip().idHex;
  await waitFor(async () => (await victim.rpc.call('tip')).id === tip, START_TIMEOUT_MS, 'the final tip');
  // The restarts never made it quarantine the honest network (a restarted node behind the tip gets
  // notfound for transactions confirmed in blocks it has not synced yet: never an offence).
  const banned = (await victim.rpc.call('quarantined')).map((q) => q.peerId);
  expect(banned).not.toContain(n0.peerIdString);
  expect(banned).not.toContain(n1.peerIdString);
  victim.child.kill('SIGTERM');
  await once(victim.child, 'exit');
  await checkOffline(tip);
  const chain = await Chain.open({ dataDir, params: REGTEST });
  try {
    const held = await activeTxids(chain);
    const lost = [...confirmedAtKills].filter((txid) => !held.has(txid));
    expect(lost).toEqual([]);
    expect(confirmedAtKills.size).toBeGreaterThan(KILLS);
  } finally {
    await chain.close();
  }
}, 150_000);
