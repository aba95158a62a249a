import '../src/polyfill.js';
/**
 * `npx tsx scripts/devnet-discovery.ts --nodes 12 [--watch-seconds 150]`: measures how a generated
 * devnet finds its peers. It runs the real launcher (`scripts/devnet.ts --nodes N --no-ui --no-web`)
 * on a temporary template (its own data root and ports 27101/28101/29101 + i, so it never touches
 * `.devnet/`), then, over each node's RPC:
 * - the time until every node holds its outbound targets (full-relay and block-relay-only
 *   connections, `devnetOutboundTargets`), from the launcher's start and from its `all N nodes up`;
 * - for `--watch-seconds` after that, every offence or quarantine an honest node records against
 *   another honest node (there should be none), whether any node suspected a partition, and whether
 *   the targets stay met;
 * - per node, connections to peers it was not given (found by discovery) and distinct netgroups.
 * Prints one line per finding and a JSON summary last; exits 1 if a target was never met or an
 * honest node quarantined another.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, InvalidArgumentError } from 'commander';
import { RpcClient } from '../src/cli/rpc-client.js';
import {
  discoveredPeers,
  type HonestOffence,
  honestOffences,
  meetsTargets,
  type NodeConnections,
  nodeConnections,
  type WatchedNode,
} from '../src/devnet/discovery-watch.js';
import { GENERATED_FILE_NAME } from '../src/devnet/prepare.js';
import {
  cookiePathOf,
  devnetOutboundTargets,
  loadDevnet,
  REPO_ROOT,
  rpcUrlOf,
} from '../src/node/devnet-definitions.js';

/** First ports of the measured devnet: away from the default devnet's 7101/8101/9101 (unit: port). */
const PORTS = { p2p: 27_101, rpc: 28_101, metrics: 29_101 };
/** Longest wait for the launcher's `all N nodes up` (unit: ms): N tsx processes on shared cores. */
const START_TIMEOUT_MS = 300_000;
/** Longest wait, after all nodes are up, for every node to meet its targets (unit: ms). */
const TARGET_TIMEOUT_MS = 180_000;
/** Interval of the target polls (unit: ms). */
const TARGET_POLL_MS = 500;
/** Interval of the honest-offence polls while watching (unit: ms). */
const WATCH_POLL_MS = 5_000;
/** RPC timeout (unit: ms): generous, 20 nodes load two cores. */
const RPC_TIMEOUT_MS = 10_000;

function integer(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return Number(value);
  };
}

const program = new Command('devnet-discovery')
  .description('Measure how fast a generated devnet finds its peers, and watch for honest quarantines')
  .option('--nodes <n>', 'devnet size', integer(2, 100), 12)
  .option(
    '--watch-seconds <s>',
    'how long to watch for honest offences once targets are met',
    integer(0, 3_600),
    150,
  )
  .parse();
const { nodes: count, watchSeconds } = program.opts<{ nodes: number; watchSeconds: number }>();

const say = (text: string) => process.stdout.write(`${text}\n`);
const dir = await mkdtemp(join(tmpdir(), 'trustmesh-discovery-'));
const template = join(dir, 'template.json');
await writeFile(
  template,
  JSON.stringify({
    network: 'devnet',
    dataRoot: join(dir, 'data'),
    nodes: [
      {
        name: 'alice',
        roles: ['miner'],
        p2pPort: PORTS.p2p,
        rpcPort: PORTS.rpc,
        metricsPort: PORTS.metrics,
        devAccount: 1,
      },
    ],
  }),
);

let launcherOut = '';
const t0 = Date.now();
const launcher: ChildProcess = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--import',
    './src/devnet/orphan-guard.ts',
    'scripts/devnet.ts',
    '--devnet',
    template,
    '--nodes',
    String(count),
    '--no-ui',
    '--no-web',
  ],
  { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } },
);
launcher.stdout!.on('data', (chunk: Buffer) => {
  launcherOut += chunk.toString();
});
const exited = new Promise<number | null>((resolve) => launcher.once('close', (code) => resolve(code)));

const seconds = (ms: number) => Number((ms / 1000).toFixed(1));
let exitCode = 0;
try {
  const upAt = await waitUntil(() => new RegExp(`all ${count} nodes up`).test(launcherOut), START_TIMEOUT_MS);
  const upLine = /all \d+ nodes up in ([\d.]+) s/.exec(launcherOut);
  say(`launcher: all ${count} nodes up after ${seconds(upAt - t0)} s (launcher says ${upLine?.[1]} s)`);

  const devnet = loadDevnet(join(dir, 'data', GENERATED_FILE_NAME), REPO_ROOT);
  const peerIds = new Map(
    [...launcherOut.matchAll(/^(\S+)\s+started: pid \d+, peer (\S+),/gm)].map((m) => [m[1]!, m[2]!]),
  );
  const nodes: WatchedNode[] = devnet.nodes.map((def) => ({
    def,
    peerId: peerIds.get(def.name) ?? '',
    rpc: RpcClient.fromCookie(rpcUrlOf(def), cookiePathOf(def), {
      name: def.name,
      timeoutMs: RPC_TIMEOUT_MS,
    }),
  }));
  const byName = new Map(nodes.map((n) => [n.def.name, n]));
  const targets = devnetOutboundTargets(count);
  say(
    `targets: ${targets.outboundFullRelay} full-relay + ${targets.blockRelayOnly} block-relay-only; ` +
      `hosts ${devnet.nodes[0]!.host} .. ${devnet.nodes.at(-1)!.host}`,
  );

  const offences = new Map<string, HonestOffence>();
  // Quarantines end (1 min on a devnet): every one ever seen is kept, not only the latest state.
  const quarantines = new Map<string, HonestOffence>();
  const checkOffences = async () => {
    for (const o of await honestOffences(nodes).catch(() => [])) {
      const key = `${o.judge}>${o.peer}`;
      if (!offences.has(key) || (o.state === 'quarantined' && !quarantines.has(key)))
        say(`HONEST OFFENCE ${o.judge} -> ${o.peer}: ${o.state} ${o.kind} (${o.evidence})`);
      offences.set(key, o);
      if (o.state === 'quarantined') quarantines.set(key, o);
    }
  };

  // Phase 1: until every node meets its targets at the same poll (offences checked every ~5 s).
  const firstMet = new Map<string, number>();
  let allMetAt: number | undefined;
  let last: NodeConnections[] = [];
  let polls = 0;
  while (Date.now() - upAt < TARGET_TIMEOUT_MS) {
    last = await Promise.all(nodes.map((n) => nodeConnections(n).catch(() => undefined))).then((all) =>
      all.filter((c): c is NodeConnections => c !== undefined),
    );
    const now = Date.now();
    for (const c of last) if (meetsTargets(c, count) && !firstMet.has(c.name)) firstMet.set(c.name, now);
    if (last.length === count && last.every((c) => meetsTargets(c, count))) {
      allMetAt = now;
      break;
    }
    if (++polls % (WATCH_POLL_MS / TARGET_POLL_MS) === 0) await checkOffences();
    await sleep(TARGET_POLL_MS);
  }
  if (allMetAt === undefined) {
    exitCode = 1;
    const short = last.filter((c) => !meetsTargets(c, count));
    say(
      `NOT every node met its targets within ${TARGET_TIMEOUT_MS / 1000} s: ` +
        short.map((c) => `${c.name} ${c.fullRelay}+${c.blockRelay}`).join(', '),
    );
  } else {
    say(
      `targets met by all ${count} nodes: ${seconds(allMetAt - upAt)} s after all were up, ` +
        `${seconds(allMetAt - t0)} s after the launcher started`,
    );
  }
  if (firstMet.size === count) {
    const lastFirst = Math.max(...firstMet.values());
    say(`every node had met its targets at least once ${seconds(lastFirst - upAt)} s after all were up`);
  }
  for (const c of last) {
    const node = byName.get(c.name)!;
    const found = discoveredPeers(node, c, byName).length;
    say(
      `  ${c.name.padEnd(7)} out ${c.fullRelay}+${c.blockRelay}  in ${c.inbound}  ` +
        `given ${node.def.bootstrap.length}  discovered ${found}  netgroups ${new Set(c.netgroups).size}` +
        (firstMet.has(c.name) ? `  met at +${seconds(firstMet.get(c.name)! - upAt)} s` : ''),
    );
  }

  // Phase 2: watch for honest offences, partitions and lost targets.
  const watchStart = Date.now();
  let partitionSamples = 0;
  const partitionReasons = new Set<string>();
  let belowTarget = 0;
  let samples = 0;
  while (Date.now() - watchStart < watchSeconds * 1000) {
    await sleep(WATCH_POLL_MS);
    await checkOffences();
    const conns = await Promise.all(nodes.map((n) => nodeConnections(n).catch(() => undefined)));
    samples++;
    for (const c of conns) {
      if (c === undefined) continue;
      if (c.partitionSuspected) {
        partitionSamples++;
        partitionReasons.add(`${c.name}: ${c.partitionReason}`);
      }
      if (!meetsTargets(c, count)) belowTarget++;
    }
  }
  if (quarantines.size > 0) exitCode = 1;
  say(
    `watched ${seconds(Date.now() - watchStart)} s: ${offences.size} honest offence pair(s), ` +
      `${quarantines.size} honest quarantine(s), ${partitionSamples} node-samples suspecting a partition, ` +
      `${belowTarget} node-samples below target (of ${samples * count})`,
  );
  say(
    JSON.stringify({
      nodes: count,
      targets,
      allUpS: seconds(upAt - t0),
      targetsMetAfterUpS: allMetAt === undefined ? null : seconds(allMetAt - upAt),
      targetsMetAfterLaunchS: allMetAt === undefined ? null : seconds(allMetAt - t0),
      eachMetOnceAfterUpS: firstMet.size === count ? seconds(Math.max(...firstMet.values()) - upAt) : null,
      watchedS: watchSeconds,
      honestQuarantines: [...quarantines.values()],
      honestOffences: [...offences.values()],
      partitionSamples,
      partitionReasons: [...partitionReasons],
      belowTargetSamples: belowTarget,
    }),
  );
} catch (err) {
  exitCode = 1;
  say(`failed: ${(err as Error).message}\n${launcherOut.split('\n').slice(-20).join('\n')}`);
} finally {
  launcher.kill('SIGINT');
  const timer = setTimeout(() => launcher.kill('SIGKILL'), 60_000);
  await exited;
  clearTimeout(timer);
  await rm(dir, { recursive: true, force: true });
}
process.exitCode = exitCode;

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (done()) return Date.now();
    if (launcher.exitCode !== null) throw new Error(`the launcher exited (${launcher.exitCode})`);
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms`);
}
