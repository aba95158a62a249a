/**
 * Propagation benchmark: how fast and at what bandwidth a transaction reaches every node of a
 * trustmesh network (pushes to subscribed peers, announcements over gossipsub, getdata for what was
 * not pushed), against plain gossipsub flooding of a payload of the same size over the same
 * topology, measured in the same run.
 *
 *   npm run bench:propagation -- [--nodes 20] [--rate 20] [--count 200] [--seed 1] [--json]
 *     [--dials 4] [--rounds 2] [--warmup 100] [--settle-ms 1000] [--drain-ms 15000] [--trace]
 *     [--quiet-busy 0.3] [--quiet-wait-ms 60000] [--verbose] [--log-level info] [--keep]
 *     [--no-baseline] [--experiment <names>]
 *     [--hosts N [--latency 40ms] [--jitter 10ms] [--loss 0.5%] [--link-rate 10mbit]] [--proceed-unready]
 *
 * Both networks are `--nodes` separate processes on 127.0.0.1, each node dialing `--dials` others
 * as chosen by `--seed` (scripts/bench/topology.ts), the same graph and directions for both.
 * Trustmesh nodes are `src/node/main.ts` on regtest (no mining) with funded dev accounts 1..9 on
 * nodes 0..8, the senders; transactions go in through their RPC `send`, in turn, at `--rate` per
 * second. Baseline nodes (scripts/bench/flood-node.ts) are libp2p + gossipsub configured like ours
 * but accepting and forwarding every message, with gossipsub's default mesh degrees (D = 6; the
 * trustmesh inventory topic runs D = 3, see INV_MESH); the same sender nodes publish payloads of
 * the average encoded size of the trustmesh transactions (measured during the warm-up).
 *
 * Each network first carries `--warmup` messages that are not measured: the first hundred
 * messages through a fresh node process run through code that V8 has not optimised yet, and
 * measured with a warm-up of 10 the first slice of either network was up to 7x slower than the
 * second one (baseline p50 112 ms, then 18 ms), which made the ratio depend on the slice order.
 *
 * Both networks stay up; the `--count` messages are sent in `--rounds` slices per network,
 * alternating (trustmesh, baseline, baseline, trustmesh, ...), so that load from other work on this
 * machine hits both sides alike. Before each slice the driver waits (up to `--quiet-wait-ms`) until
 * other processes use at most `--quiet-busy` of the CPU. Each slice waits until every node has every
 * message (or `--drain-ms`), then `--settle-ms` for trailing announcements.
 *
 * Latency of a message: the time the LAST node has it (trustmesh: accepted into its mempool;
 * baseline: delivered by gossipsub) minus the time its sender had it (trustmesh: the sender's own
 * mempool acceptance of the transaction it just built; baseline: just before publish). All times
 * are taken inside the node processes (arrival-probe.ts, flood-node.ts, one clock per machine), so
 * neither side pays polling delay. `detail.*.fromRequestMs` adds the driver's RPC/IPC request time.
 *
 * Bytes: TCP payload bytes received by all node processes on their P2P connections during the load
 * slices (kernel tcp_info via `ss`), divided by nodes and by messages. Background traffic (gossipsub
 * heartbeats, pings) is included on both sides; `detail.*.idle` shows its rate. CPU: the nodes'
 * CPU time per node per message, and how busy the whole machine was (`machineBusy`, `load1`).
 *
 * `--hosts N` runs the N nodes of each network on N network namespace hosts instead of 127.0.0.1
 * (src/testnet/host-network.ts; needs root): node i of trustmesh and node i of the baseline share
 * host i and its link, shaped by `--latency`, `--jitter`, `--loss` and `--link-rate` (see
 * src/testnet/link-shaping.ts: the delay applies to every write to another host, loss to every
 * packet received from one). Bytes are then read from the hosts' sockets (`ss -N <host>`).
 *
 * `--experiment nogossip,noinbounddelay` applies what-if changes to the trustmesh nodes (see
 * scripts/bench/arrival-probe.ts); the JSON then names them. Not for headline figures.
 *
 * `--trace` records the relay's steps in the trustmesh nodes and adds `detail.relayTrace`, a per-hop
 * breakdown (scripts/bench/relay-trace.ts). BENCH_NODE_FLAGS passes Node flags to every node
 * process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 *
 * With --json, stdout holds exactly one JSON object; progress goes to stderr.
 */
import '../src/polyfill.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostNetwork } from '../src/testnet/host-network.js';
import { type LinkShape, NO_SHAPING } from '../src/testnet/link-shaping.js';
import { parseDuration, parsePercent, parseRate } from '../src/testnet/options.js';
import { startFloodNetwork } from './bench/flood-network.js';
import { LOOPBACK, onHosts, type Placement } from './bench/placement.js';
import { type PhaseOptions, type PhaseResult, PhaseRunner, type Window } from './bench/phase.js';
import { onInterrupt, stopAll } from './bench/processes.js';
import { analyseRelay } from './bench/relay-trace.js';
import { mean, percentile, round, summary } from './bench/stats.js';
import { buildTopology, eccentricity } from './bench/topology.js';
import { PAYMENTS_PER_SENDER, SENDER_ACCOUNTS, startTrustmeshNetwork } from './bench/trustmesh-network.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Baseline payload when no transaction size could be measured (no warm-up): a typical payment. */
const DEFAULT_PAYLOAD_BYTES = 209;

/** Goals of the relay against the baseline. */
const GOALS = { p50Ratio: 1.5, bytesRatio: 0.5 } as const;

interface Args {
  nodes: number;
  rate: number;
  count: number;
  seed: number;
  dials: number;
  warmup: number;
  rounds: number;
  settleMs: number;
  quietBusy: number;
  quietWaitMs: number;
  drainMs: number;
  readyTimeoutMs: number;
  proceedUnready: boolean;
  logLevel: string;
  experiments: string[];
  json: boolean;
  trace: boolean;
  verbose: boolean;
  keep: boolean;
  baseline: boolean;
  /** Namespace hosts (one per node) instead of 127.0.0.1, and their links. */
  hosts: boolean;
  link: LinkShape;
}

function parseArgs(argv: readonly string[]): Args {
  const known = new Set([
    '--nodes',
    '--rate',
    '--count',
    '--seed',
    '--dials',
    '--warmup',
    '--rounds',
    '--settle-ms',
    '--quiet-busy',
    '--quiet-wait-ms',
    '--drain-ms',
    '--ready-timeout-ms',
    '--log-level',
    '--experiment',
    '--hosts',
    '--latency',
    '--jitter',
    '--loss',
    '--link-rate',
  ]);
  const flags = new Set(['--json', '--trace', '--verbose', '--keep', '--no-baseline', '--proceed-unready']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (known.has(arg)) i++;
    else if (!flags.has(arg)) throw new Error(`unknown argument ${arg}`);
  }
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index === -1 ? undefined : argv[index + 1];
  };
  const number = (flag: string, fallback: number, min: number, integer = true): number => {
    const text = value(flag);
    if (text === undefined) return fallback;
    const parsed = Number(text);
    if (!Number.isFinite(parsed) || parsed < min || (integer && !Number.isInteger(parsed))) {
      throw new Error(`${flag} needs ${integer ? 'an integer' : 'a number'} >= ${min} (got ${text})`);
    }
    return parsed;
  };
  const hosts = value('--hosts');
  if (hosts !== undefined && value('--nodes') !== undefined)
    throw new Error('give --hosts or --nodes, not both');
  const shaped = ['--latency', '--jitter', '--loss', '--link-rate'].filter(
    (flag) => value(flag) !== undefined,
  );
  if (hosts === undefined && shaped.length > 0) throw new Error(`${shaped.join(', ')} need --hosts`);
  const link: LinkShape = {
    latencyMs: value('--latency') === undefined ? 0 : parseDuration('--latency', value('--latency')!),
    jitterMs: value('--jitter') === undefined ? 0 : parseDuration('--jitter', value('--jitter')!),
    lossPercent: value('--loss') === undefined ? 0 : parsePercent('--loss', value('--loss')!),
    rateKbit: value('--link-rate') === undefined ? null : parseRate('--link-rate', value('--link-rate')!),
  };
  return {
    hosts: hosts !== undefined,
    link: hosts === undefined ? NO_SHAPING : link,
    nodes: hosts === undefined ? number('--nodes', 20, 2) : number('--hosts', 20, 2),
    rate: number('--rate', 20, 0.1, false),
    count: number('--count', 200, 1),
    seed: number('--seed', 1, 0),
    dials: number('--dials', 4, 1),
    warmup: number('--warmup', 100, 0),
    rounds: number('--rounds', 2, 1),
    settleMs: number('--settle-ms', 1_000, 0),
    quietBusy: number('--quiet-busy', 0.3, 0, false),
    quietWaitMs: number('--quiet-wait-ms', 60_000, 0),
    drainMs: number('--drain-ms', 15_000, 100),
    readyTimeoutMs: number('--ready-timeout-ms', 120_000, 1_000),
    proceedUnready: argv.includes('--proceed-unready'),
    logLevel: value('--log-level') ?? 'info',
    experiments: (value('--experiment') ?? '').split(',').filter((name) => name !== ''),
    json: argv.includes('--json'),
    trace: argv.includes('--trace'),
    verbose: argv.includes('--verbose'),
    keep: argv.includes('--keep'),
    baseline: !argv.includes('--no-baseline'),
  };
}

const started = performance.now();
const log = (line: string): void =>
  void process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

function windowFigures(window: Window, nodes: number) {
  return {
    windowMs: Math.round(window.windowMs),
    bytesReceived: window.bytes.bytesReceived,
    segmentsReceived: window.bytes.dataSegsIn,
    sockets: { kept: window.bytes.sockets, opened: window.bytes.opened, closed: window.bytes.closed },
    nodeCpuMsPerNodePerSec: round(window.cpu.processMs / nodes / (window.windowMs / 1000)),
    driverCpuMs: Math.round(window.driverCpuMs),
    machineBusy: window.cpu.machineBusy,
    otherBusy: window.cpu.otherBusy,
    load1: window.cpu.load1,
  };
}

function phaseFigures(result: PhaseResult, nodes: number) {
  const messages = result.injected.length;
  const bytesReceived = result.slices.reduce((sum, slice) => sum + slice.bytes.bytesReceived, 0);
  const bytesPerNodePerMsg = messages === 0 ? Number.NaN : bytesReceived / nodes / messages;
  const loadWindowMs = result.slices.reduce((sum, slice) => sum + slice.windowMs, 0);
  const cpuMs = result.slices.reduce((sum, slice) => sum + slice.cpu.processMs, 0);
  const idleBytesPerNodePerSec = result.idle.bytes.bytesReceived / nodes / (result.idle.windowMs / 1000);
  return {
    p50Ms: round(percentile(result.lastNodeMs, 50)),
    p95Ms: round(percentile(result.lastNodeMs, 95)),
    maxMs: round(result.lastNodeMs.length === 0 ? Number.NaN : Math.max(...result.lastNodeMs)),
    delivered: result.delivered,
    expected: result.expected,
    bytesPerNodePerMsg: round(bytesPerNodePerMsg),
    detail: {
      messages,
      incompleteMessages: result.incomplete,
      sendErrors: result.sendErrors.length,
      lastNodeMs: summary(result.lastNodeMs),
      perNodeArrivalMs: summary(result.perNodeMs),
      fromRequestMs: summary(result.fromRequestMs),
      loadWindowMs: Math.round(loadWindowMs),
      bytesReceived,
      segmentsPerNodePerMsg: round(
        result.slices.reduce((sum, slice) => sum + slice.bytes.dataSegsIn, 0) / nodes / Math.max(1, messages),
        2,
      ),
      cpuMsPerNodePerMsg: round(cpuMs / nodes / Math.max(1, messages), 2),
      // The same without the idle CPU rate (heartbeats, timers) over the load windows.
      cpuMsPerNodePerMsgOverIdle: round(
        (cpuMs - (result.idle.cpu.processMs / result.idle.windowMs) * loadWindowMs) /
          nodes /
          Math.max(1, messages),
        2,
      ),
      slices: result.slices.map((slice, i) => ({
        messages: slice.injected.length,
        lastNodeMs: summary(result.sliceLastNodeMs[i]!),
        ...windowFigures(slice, nodes),
      })),
      idle: {
        ...windowFigures(result.idle, nodes),
        bytesPerNodePerSec: round(idleBytesPerNodePerSec),
        // What the background rate alone would add to bytesPerNodePerMsg over the load windows.
        shareOfBytesPerNodePerMsg: round(
          (idleBytesPerNodePerSec * (loadWindowMs / 1000)) / Math.max(1, messages) / bytesPerNodePerMsg,
          3,
        ),
      },
      readyAfterMs: result.readyAfterMs,
      meshPeersAtStart: summary(
        result.ready.map((status) => status.mesh),
        2,
      ),
    },
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const topology = buildTopology(args.nodes, args.dials, args.seed);
  const senders = Array.from({ length: Math.min(args.nodes, SENDER_ACCOUNTS) }, (_, i) => i);
  const capacity = senders.length * PAYMENTS_PER_SENDER;
  if (args.count + args.warmup > capacity) {
    throw new Error(
      `--count + --warmup = ${args.count + args.warmup} exceeds the ${capacity} payments ${senders.length} senders can make without mining`,
    );
  }
  const degrees = topology.neighbours.map((list) => list.length);
  const phaseOptions: PhaseOptions = {
    nodes: args.nodes,
    senders,
    degrees,
    rate: args.rate,
    warmup: args.warmup,
    readyTimeoutMs: args.readyTimeoutMs,
    proceedUnready: args.proceedUnready,
    drainTimeoutMs: args.drainMs,
    settleMs: args.settleMs,
    quietBusy: args.quietBusy,
    quietWaitMs: args.quietWaitMs,
    log,
  };
  const root = await mkdtemp(join(tmpdir(), 'trustmesh-bench-'));
  if (!args.keep) onInterrupt(() => rm(root, { recursive: true, force: true }));
  let hosts: HostNetwork | undefined;
  let placement: Placement = LOOPBACK;
  if (args.hosts) {
    hosts = await HostNetwork.create(args.nodes, args.link);
    placement = onHosts(hosts);
    const created = hosts;
    onInterrupt(() => created.destroy());
    log(
      `hosts: ${args.nodes} network namespaces (${hosts.slot.network}), links ${JSON.stringify(args.link)}`,
    );
  }
  log(
    `propagation bench: ${args.nodes} nodes, ${args.dials} dials each (degree ${Math.min(...degrees)}-${Math.max(...degrees)}), seed ${args.seed}, ${args.count} messages at ${args.rate}/s, senders ${senders.join(',')}; data in ${root}`,
  );
  try {
    log('trustmesh: starting nodes');
    const network = await startTrustmeshNetwork({
      topology,
      seed: args.seed,
      root,
      repoRoot: REPO_ROOT,
      logLevel: args.logLevel,
      trace: args.trace,
      experiments: args.experiments,
      echoStderr: args.verbose,
      placement,
    });
    const ours = new PhaseRunner(network, phaseOptions);
    await ours.prepare();
    // The baseline payload: the average encoded size of the transactions seen so far (warm-up).
    const txBytes = Math.round(mean([...network.arrivals.sizes.values()]));
    let base: PhaseRunner | undefined;
    const payloadBytes = Number.isFinite(txBytes) && txBytes > 0 ? txBytes : DEFAULT_PAYLOAD_BYTES;
    if (args.baseline) {
      log(`baseline: starting flood nodes (payload ${payloadBytes} B)`);
      const flood = await startFloodNetwork({
        topology,
        seed: args.seed,
        repoRoot: REPO_ROOT,
        payloadBytes,
        echoStderr: args.verbose,
        placement,
      });
      base = new PhaseRunner(flood, phaseOptions);
      await base.prepare();
    }
    // Alternate: ours first in even rounds, the baseline first in odd rounds.
    for (let r = 0; r < args.rounds; r++) {
      const count =
        Math.floor((args.count * (r + 1)) / args.rounds) - Math.floor((args.count * r) / args.rounds);
      const order = r % 2 === 0 || base === undefined ? [ours, base] : [base, ours];
      for (const runner of order) if (runner !== undefined && count > 0) await runner.slice(count);
    }
    const oursResult = ours.result();
    const trace = args.trace ? analyseRelay(network, oursResult.injected) : undefined;
    const baseResult = base?.result();
    await stopAll();
    const sizes = oursResult.injected
      .map((m) => network.arrivals.sizes.get(m.key))
      .filter((size): size is number => size !== undefined);
    report(args, topology, senders, Math.round(mean(sizes)), payloadBytes, oursResult, baseResult, trace);
  } finally {
    await stopAll();
    await hosts?.destroy();
    if (!args.keep) await rm(root, { recursive: true, force: true });
  }
}

function report(
  args: Args,
  topology: ReturnType<typeof buildTopology>,
  senders: number[],
  txBytes: number,
  baselinePayload: number,
  ours: PhaseResult,
  base: PhaseResult | undefined,
  trace: ReturnType<typeof analyseRelay> | undefined,
): void {
  const o = phaseFigures(ours, args.nodes);
  const b = base === undefined ? undefined : phaseFigures(base, args.nodes);
  const ratio = (x: number | null, y: number | null | undefined): number | null =>
    x === null || y === null || y === undefined || y === 0 ? null : round(x / y, 3);
  const p50Ratio = ratio(o.p50Ms, b?.p50Ms);
  const bytesRatio = ratio(o.bytesPerNodePerMsg, b?.bytesPerNodePerMsg);
  const goals = {
    p50Ratio: { max: GOALS.p50Ratio, value: p50Ratio, pass: p50Ratio !== null && p50Ratio <= GOALS.p50Ratio },
    bytesRatio: {
      max: GOALS.bytesRatio,
      value: bytesRatio,
      pass: bytesRatio !== null && bytesRatio <= GOALS.bytesRatio,
    },
    delivered: { expected: o.expected, value: o.delivered, pass: o.delivered === o.expected },
  };
  const result = {
    nodes: args.nodes,
    ...(args.hosts ? { hosts: args.nodes, link: args.link } : {}),
    count: args.count,
    rate: args.rate,
    seed: args.seed,
    ...(args.experiments.length > 0 ? { experiments: args.experiments } : {}),
    txBytes,
    p50Ms: o.p50Ms,
    p95Ms: o.p95Ms,
    maxMs: o.maxMs,
    delivered: o.delivered,
    expected: o.expected,
    bytesPerNodePerTx: o.bytesPerNodePerMsg,
    baselineP50Ms: b?.p50Ms ?? null,
    baselineP95Ms: b?.p95Ms ?? null,
    baselineMaxMs: b?.maxMs ?? null,
    baselineDelivered: b?.delivered ?? null,
    baselineBytesPerNodePerTx: b?.bytesPerNodePerMsg ?? null,
    p50Ratio,
    bytesRatio,
    goals,
    pass: goals.p50Ratio.pass && goals.bytesRatio.pass && goals.delivered.pass,
    detail: {
      topology: {
        dials: args.dials,
        edges: topology.dials.reduce((sum, list) => sum + list.length, 0),
        degree: summary(
          topology.neighbours.map((list) => list.length),
          2,
        ),
        senderEccentricity: senders.map((s) => eccentricity(topology, s)),
      },
      warmup: args.warmup,
      rounds: args.rounds,
      baselinePayloadBytes: base === undefined ? null : baselinePayload,
      trustmesh: o.detail,
      baseline: b?.detail ?? null,
      ...(trace === undefined ? {} : { relayTrace: trace }),
      node: process.version,
    },
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const row = (label: string, ours: unknown, baseline: unknown, note = ''): void => {
    console.log(
      `  ${label.padEnd(24)} ${String(ours).padStart(12)} ${String(baseline).padStart(12)}  ${note}`,
    );
  };
  console.log(
    `propagation: ${args.nodes} nodes, ${args.count} tx at ${args.rate}/s, seed ${args.seed}, tx ${txBytes} B`,
  );
  row('', 'trustmesh', 'baseline');
  row('p50 last node (ms)', o.p50Ms, b?.p50Ms ?? '-');
  row('p95 last node (ms)', o.p95Ms, b?.p95Ms ?? '-');
  row('max last node (ms)', o.maxMs, b?.maxMs ?? '-');
  row('delivered', `${o.delivered}/${o.expected}`, b === undefined ? '-' : `${b.delivered}/${b.expected}`);
  row('bytes / node / tx', o.bytesPerNodePerMsg, b?.bytesPerNodePerMsg ?? '-');
  row('idle bytes / node / s', o.detail.idle.bytesPerNodePerSec, b?.detail.idle.bytesPerNodePerSec ?? '-');
  row('CPU ms / node / msg', o.detail.cpuMsPerNodePerMsg, b?.detail.cpuMsPerNodePerMsg ?? '-');
  const busy = (d: typeof o.detail): string => d.slices.map((slice) => slice.machineBusy).join(' ');
  row('machine busy (slices)', busy(o.detail), b === undefined ? '-' : busy(b.detail), 'share of all cores');
  const verdict = (pass: boolean): string => (pass ? 'pass' : 'FAIL');
  console.log(`  p50Ratio   = ${p50Ratio} (goal <= ${GOALS.p50Ratio}): ${verdict(goals.p50Ratio.pass)}`);
  console.log(
    `  bytesRatio = ${bytesRatio} (goal <= ${GOALS.bytesRatio}): ${verdict(goals.bytesRatio.pass)}`,
  );
  console.log(`  delivered == expected: ${verdict(goals.delivered.pass)}`);
  if (trace !== undefined) console.log(`  relay trace: ${JSON.stringify(trace)}`);
}

main().catch(async (err: Error) => {
  process.stderr.write(`bench-propagation: ${err.message}\n`);
  await stopAll();
  process.exit(1);
});
