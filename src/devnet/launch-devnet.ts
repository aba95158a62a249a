/**
 * `npm run devnet`: starts a local devnet (every node its own process), shows it live, and stops
 * it on Ctrl-C, keeping its state for the next run.
 *
 * Order: pick the devnet (file or generated), `--reset` its data root, refuse if a node of it
 * already runs or a port is taken, bring the compiled build up to date (the node bundled into
 * `<data root>/.build`, compiled-build.ts; `--tsx` runs the TypeScript through tsx instead),
 * create the identities, spawn all nodes, wait for each `started` line, then start the trust map
 * page (unless `--no-web`), poll RPC once per second for the view and (with `--tx-rate`) send load.
 * Meanwhile the data root's manifest (manifest.ts) records the launch: `starting`, each node's pid
 * and peer id as it comes up, `running`, and `stopped` once every node is gone, so the CLI, the
 * REPL and the attacker reach every node by name.
 * On a terminal the view is redrawn in place; otherwise one plain line per node every few
 * seconds, with notable events as they happen.
 */
import { join } from 'node:path';
import { createStyle } from '../cli/format.js';
import { ConfigError, devnetOutboundTargets, displayPath, REPO_ROOT } from '../node/devnet-definitions.js';
import { type CompiledTree, ensureCachedBuild } from './compiled-build.js';
import { LoadGenerator } from './load-generator.js';
import { buildManifest, type LaunchState } from './manifest.js';
import { manifestPathOf, writeManifest } from './manifest-file.js';
import { EventFeed, formatFeedEvent, notableEvent } from './node-log.js';
import {
  checkPortsFree,
  DevnetSetupError,
  type ResolvedDevnet,
  refuseIfRunning,
  resetDataRoot,
  resolveDevnet,
  writeDevnetFile,
} from './prepare.js';
import { StatusPoller } from './status-poller.js';
import { type DashboardModel, renderDashboard, renderPlainStatus } from './status-view.js';
import { DEVNET_MINING_CPU, type SupervisedNode, Supervisor } from './supervisor.js';
import { TerminalScreen } from './terminal.js';

/** Plain output: how often the per-node status lines are printed (unit: ms). */
export const PLAIN_STATUS_INTERVAL_MS = 5_000;
/** Terminal view: how often the screen is redrawn (unit: ms); polls land once per second. */
const REDRAW_INTERVAL_MS = 500;
/** The compiled build's cache folder inside the devnet's data root (`--reset` deletes it too). */
export const BUILD_CACHE_DIR = '.build';
/** The attack suggested in the hints: the most readable one (a quarantine within seconds). */
const SUGGESTED_ATTACK = 'invalid-signature';

export interface DevnetOptions {
  /** `--devnet <file>`, relative to the working directory. */
  readonly devnet?: string;
  readonly nodes?: number;
  readonly miners?: number;
  /** Payments per second across the nodes; 0 for none. */
  readonly txRate: number;
  readonly reset: boolean;
  /** false with `--no-ui`: plain lines even on a terminal. */
  readonly ui: boolean;
  /** false with `--no-web`: no trust map page. Default true. */
  readonly web?: boolean;
  /** `--ui-port`: the trust map's port on 127.0.0.1; 0 or absent for any free port. */
  readonly uiPort?: number;
  /** `--mining-cpu`: the miners' share of one core, in percent. Default DEVNET_MINING_CPU (10). */
  readonly miningCpu?: number;
  /** `--tsx`: run the nodes' TypeScript through tsx instead of a compiled build. Default false. */
  readonly tsx?: boolean;
}

export interface LauncherIo {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

const PROCESS_IO: LauncherIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

/** The commands that reach this devnet, with `--devnet` when it is not the default file. */
export function devnetHints(resolved: ResolvedDevnet): Array<[string, string]> {
  const first = resolved.devnet.nodes[0]?.name ?? 'alice';
  const flag = resolved.isDefault ? '' : `--devnet ${displayPath(resolved.cliFile)} `;
  return [
    ['REPL', `npm run repl -- ${flag}${first}`],
    ['CLI', `npm run cli -- ${flag}${first} status`],
    ['attack', `npm run attacker -- ${flag}${SUGGESTED_ATTACK}`],
  ];
}

/** Runs the devnet until SIGINT/SIGTERM (or q on the terminal view); resolves to the exit code. */
export async function runDevnet(options: DevnetOptions, io: LauncherIo = PROCESS_IO): Promise<number> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const fail = (text: string) => io.stderr.write(`devnet: ${text}\n`);
  let resolved: ResolvedDevnet;
  try {
    resolved = resolveDevnet({ file: options.devnet, nodes: options.nodes, miners: options.miners });
    if (options.reset) {
      await resetDataRoot(resolved.devnet);
      say(`reset: deleted ${displayPath(resolved.devnet.dataRoot)}`);
    }
    await refuseIfRunning(resolved.devnet, 'start the devnet');
    await checkPortsFree(resolved.devnet);
    if (resolved.generated) await writeDevnetFile(resolved);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DevnetSetupError) {
      fail(err.message);
      return err instanceof ConfigError ? 2 : 1;
    }
    throw err;
  }
  const { devnet } = resolved;
  const hints = devnetHints(resolved);
  // The trust map (it waits for nodes that are not up yet) starts once every node is up, so its
  // web server's loading (~0.5 s of CPU through tsx) stays off the nodes' start; its address is
  // printed and added to the hints then. Loaded only when wanted.
  let trustMap: { readonly url: string; close(): Promise<void> } | undefined;
  let trustMapStarting: Promise<void> | undefined;
  say(
    `trustmesh devnet · ${hints.map(([label, command]) => `${label}: ${command}`).join(' · ')} · Ctrl-C stops`,
  );

  // The compiled build (the node bundled by esbuild): reused as is when no source changed, else
  // bundled anew (about a second). On failure the nodes run through tsx.
  let build: CompiledTree | undefined;
  let buildNote: string | undefined;
  if (options.tsx !== true) {
    try {
      build = await ensureCachedBuild(REPO_ROOT, join(devnet.dataRoot, BUILD_CACHE_DIR));
      buildNote =
        build.transpiled === 0
          ? `nodes run from the compiled build in ${displayPath(build.root)}`
          : `bundled ${build.transpiled} modules in ${(build.buildMs / 1000).toFixed(1)} s into ${displayPath(build.root)}`;
    } catch (err) {
      buildNote = `no compiled build (${(err as Error).message}); the nodes run through tsx`;
    }
  }
  if (buildNote !== undefined) say(buildNote);
  const miningCpu = options.miningCpu ?? DEVNET_MINING_CPU;
  const supervisor = new Supervisor(devnet, resolved.file, {
    miningCpu,
    ...(build === undefined ? {} : { build }),
  });
  const poller = new StatusPoller(devnet.nodes);
  const feed = new EventFeed();
  const terminal = { input: io.stdin, output: io.stdout };
  const screen = options.ui && TerminalScreen.available(terminal) ? new TerminalScreen(terminal) : undefined;
  const nameWidth = Math.max(...devnet.nodes.map((n) => n.name.length));
  const startedAt = Date.now();
  let load: LoadGenerator | undefined;
  let notice: string | undefined = `starting ${devnet.nodes.length} nodes…`;

  supervisor.onLine((node, line) => {
    if (line.kind !== 'log') return;
    const event = notableEvent(node.def.name, line.record);
    feed.push(event);
    if (screen === undefined && event !== null) say(formatFeedEvent(event, nameWidth));
  });
  supervisor.onUnexpectedExit((node, description) => {
    const why = node.process.stderrTail().at(-1);
    const text = `exited unexpectedly (${description})${why === undefined ? '' : `: ${why}`}`;
    feed.push({
      time: Date.now(),
      node: node.def.name,
      kind: 'problem',
      key: `x:${node.def.name}`,
      text,
      count: 1,
    });
    if (screen === undefined) say(`${node.def.name} ${text}`);
  });

  // What each discovering node's OUT column is measured against (devnet-definitions.ts).
  const targets = devnetOutboundTargets(devnet.nodes.length);
  const outboundTarget = targets.outboundFullRelay + targets.blockRelayOnly;
  const model = (): DashboardModel => ({
    network: devnet.network,
    startedAt,
    now: Date.now(),
    hints,
    nodes: supervisor.nodes.map(({ def, process }) => ({
      name: def.name,
      roles: def.roles,
      ...(def.bootstrap.length > 0 ? { outboundTarget } : {}),
      ...(process.pid === undefined ? {} : { pid: process.pid }),
      process: process.state,
      ...(process.exit === undefined ? {} : { exit: process.exit }),
      poll: poller.get(def.name),
    })),
    events: feed.latest(100),
    load: load?.stats() ?? null,
    ...(notice === undefined ? {} : { notice }),
  });
  const redraw = () => screen?.draw(renderDashboard(model(), createStyle(true), screen.size));

  // The manifest: a failed write is reported once and never stops the devnet.
  let manifestFailed = false;
  const record = (state: LaunchState) => {
    const nodes = supervisor.nodes.map(({ def, process }) => ({
      def,
      ...(process.pid === undefined ? {} : { pid: process.pid }),
      ...(process.started === undefined ? {} : { peerId: process.started.peerId }),
    }));
    const launcher = { pid: process.pid, startedAt };
    try {
      writeManifest(
        devnet.dataRoot,
        buildManifest({ state, devnet, definitions: resolved.file, launcher, nodes, now: Date.now() }),
      );
    } catch (err) {
      if (manifestFailed) return;
      manifestFailed = true;
      const text = `cannot write ${displayPath(manifestPathOf(devnet.dataRoot))} (${(err as Error).message}); the CLI may not find every node by name`;
      feed.push({ time: Date.now(), node: 'devnet', kind: 'problem', key: 'manifest', text, count: 1 });
      if (screen === undefined) say(text);
    }
  };

  // Stop on the first signal (or q); a second one kills the nodes at once.
  let exitCode = 0;
  let stopping = false;
  let requestStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => {
    requestStop = () => {
      if (stopping) {
        notice = 'killing every node…';
        redraw();
        supervisor.kill();
        return;
      }
      stopping = true;
      notice = `stopping ${devnet.nodes.length} nodes… (again to kill them)`;
      if (screen === undefined && exitCode === 0) say(notice);
      redraw();
      resolve();
    };
  });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, requestStop);
  screen?.start(requestStop, redraw);
  const timers: NodeJS.Timeout[] = [];
  if (screen !== undefined) timers.push(setInterval(redraw, REDRAW_INTERVAL_MS));
  redraw();

  const onStarted = (node: SupervisedNode) => {
    record('starting');
    if (screen === undefined) {
      say(
        `${node.def.name.padEnd(nameWidth)}  started: pid ${node.process.pid}, peer ${node.process.started?.peerId}, ` +
          `rpc ${node.process.started?.rpc ?? 'off'}, ${node.def.roles.join(',')}`,
      );
    }
    redraw();
  };

  const startTrustMap = async (): Promise<void> => {
    try {
      const { startDevnetTrustMap } = await import('../web/server/devnet-map.js');
      const map = await startDevnetTrustMap({ devnet, devnetFile: resolved.file, port: options.uiPort ?? 0 });
      trustMap = map;
      if (stopping) return;
      hints.push(['map', map.url]);
      if (screen === undefined) say(`map: ${map.url} (the trust map page)`);
      redraw();
    } catch (err) {
      const text = `trust map not started: ${(err as Error).message}`;
      feed.push({ time: Date.now(), node: 'devnet', kind: 'problem', key: 'map', text, count: 1 });
      if (screen === undefined) say(text);
    }
  };

  record('starting');
  try {
    await Promise.race([supervisor.start(onStarted), stopRequested]);
    if (!stopping) {
      record('running');
      notice = undefined;
      poller.start();
      if (options.web !== false) trustMapStarting = startTrustMap();
      const miners = devnet.nodes.filter((n) => n.roles.includes('miner')).map((n) => n.name);
      if (screen === undefined) {
        say(
          `all ${devnet.nodes.length} nodes up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s; ` +
            `miners: ${miners.join(', ') || 'none'} (${miningCpu}% of a core each); data in ${displayPath(devnet.dataRoot)}`,
        );
        const printStatus = () => {
          for (const line of renderPlainStatus(model())) say(line);
        };
        timers.push(setInterval(printStatus, PLAIN_STATUS_INTERVAL_MS));
      }
      if (options.txRate > 0) {
        try {
          load = await LoadGenerator.forDevnet(devnet.nodes, options.txRate);
          load.start();
          if (screen === undefined)
            say(`load: ${options.txRate} payments/s, round-robin over the nodes' RPC send`);
        } catch (err) {
          const text = `no load: cannot read the wallets' addresses (${(err as Error).message})`;
          feed.push({ time: Date.now(), node: 'devnet', kind: 'problem', key: 'load', text, count: 1 });
          if (screen === undefined) say(text);
        }
      }
    }
  } catch (err) {
    if (!stopping) {
      exitCode = 1;
      screen?.close();
      fail((err as Error).message);
      requestStop();
    }
  }
  await stopRequested;
  await trustMapStarting;
  await trustMap?.close().catch(() => undefined);
  poller.stop();
  await load?.stop();
  await supervisor.stop();
  record('stopped');
  for (const timer of timers) clearInterval(timer);
  for (const signal of signals) process.off(signal, requestStop);
  screen?.close();
  if (exitCode === 0) {
    const heights = supervisor.nodes.map(({ def }) => poller.get(def.name).status?.height ?? 0);
    say(
      `stopped ${devnet.nodes.length} nodes at height ${Math.max(0, ...heights)}; state kept in ` +
        `${displayPath(devnet.dataRoot)} (the next run resumes; --reset starts over)`,
    );
  }
  return exitCode;
}
