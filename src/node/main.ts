import '../polyfill.js';
/**
 * `npm run node -- [name] [options]`: runs one trustmesh node in this process.
 *
 * With a name, the node's settings come from the devnet definitions (nodes/devnet.json): its P2P
 * host (its own 127.N.0.1) and ports, data dir, bootstrap nodes and static peers (resolved to /p2p/
 * multiaddrs from their key files), outbound targets, role and dev wallet. Flags
 * and a JSON config file override them, so the same command runs a node on another host:
 *   npm run node -- --data-dir ./mynode --host 0.0.0.0 --port 7200 --peer /ip4/…/tcp/7101/p2p/12D3…
 * Ctrl-C (SIGINT) or SIGTERM stops it cleanly; state persists to the next start.
 */
import { Command } from 'commander';
import { MiningCpuError, parseMiningCpu } from '../chain/mining/pacing.js';
import { devnetPeerAddress } from '../devnet/peer-address.js';
import {
  ConfigError,
  DEVNET_BAN_BASE_MS,
  type NodeConfig,
  readConfigFile,
  validateConfig,
} from './config.js';
import {
  DEFAULT_DEVNET_FILE,
  type DevnetDefinition,
  dataDirOf,
  devnetOutboundTargets,
  findNode,
  isMiner,
  loadDevnet,
  type NodeDefinition,
  REPO_ROOT,
} from './devnet-definitions.js';
import { TrustmeshNode } from './trustmesh-node.js';

/**
 * The settings of devnet node `def`: its P2P host and ports, data dir, bootstrap nodes (with the
 * devnet-sized outbound targets, `devnetOutboundTargets`) or static peers, role, dev wallet and
 * loopback allowances.
 */
export async function devnetNodeConfig(
  devnet: DevnetDefinition,
  def: NodeDefinition,
): Promise<Partial<NodeConfig>> {
  const address = (name: string) => devnetPeerAddress(findNode(devnet, name));
  const peers = await Promise.all(def.peers.map(address));
  const bootstrap = await Promise.all(def.bootstrap.map(address));
  return {
    name: def.name,
    network: devnet.network,
    dataDir: dataDirOf(def),
    host: def.host,
    port: def.p2pPort,
    peers,
    bootstrap,
    ...(bootstrap.length > 0 ? devnetOutboundTargets(devnet.nodes.length) : {}),
    rpcPort: def.rpcPort,
    metricsPort: def.metricsPort,
    mine: isMiner(def),
    devAccount: def.devAccount,
    devnetLoopback: true,
    // A devnet is for watching quarantines happen: short first bans (1 min, doubling).
    banBaseMs: DEVNET_BAN_BASE_MS,
  };
}

interface Flags {
  devnet: string;
  repoRoot?: string;
  config?: string;
  dataDir?: string;
  network?: string;
  host?: string;
  port?: string;
  peer?: string[];
  rpcPort?: string;
  metricsPort?: string;
  mine?: boolean;
  miningCpu?: string;
  compactBlocks?: boolean;
  devAccount?: string;
  allow?: string[];
  banBaseMs?: string;
  clockSkewMs?: string;
  logLevel?: string;
  logStdout?: boolean;
  stopTimeoutMs?: string;
  bootstrap?: string[];
  outboundFullRelay?: string;
  blockRelayOnly?: string;
  maxInbound?: string;
  netgroupMode?: string;
}

function integer(field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new ConfigError('flags', field, `must be an integer (got ${value})`);
  return Number(value);
}

/** `--mining-cpu 10%` or `--mining-cpu 10`: percent of one core. */
function miningCpuFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseMiningCpu(value);
  } catch (err) {
    if (err instanceof MiningCpuError) throw new ConfigError('flags', '--mining-cpu', err.message);
    throw err;
  }
}

/** Merges devnet settings, the config file and flags (highest precedence last). */
export async function resolveConfig(name: string | undefined, flags: Flags): Promise<NodeConfig> {
  let base: Partial<NodeConfig> = {};
  if (name !== undefined) {
    const devnet = loadDevnet(flags.devnet, flags.repoRoot ?? REPO_ROOT);
    base = await devnetNodeConfig(devnet, findNode(devnet, name));
  }
  const fromFile = flags.config === undefined ? {} : readConfigFile(flags.config);
  const fromFlags: Partial<NodeConfig> = {
    dataDir: flags.dataDir,
    network: flags.network,
    host: flags.host,
    port: integer('--port', flags.port),
    peers: flags.peer,
    rpcPort: integer('--rpc-port', flags.rpcPort),
    metricsPort: integer('--metrics-port', flags.metricsPort),
    mine: flags.mine,
    miningCpu: miningCpuFlag(flags.miningCpu),
    compactBlocks: flags.compactBlocks,
    devAccount: integer('--dev-account', flags.devAccount),
    allowList: flags.allow,
    banBaseMs: integer('--ban-base-ms', flags.banBaseMs),
    clockSkewMs: integer('--clock-skew-ms', flags.clockSkewMs),
    logLevel: flags.logLevel,
    logStdout: flags.logStdout,
    stopTimeoutMs: integer('--stop-timeout-ms', flags.stopTimeoutMs),
    bootstrap: flags.bootstrap,
    outboundFullRelay: integer('--outbound-full-relay', flags.outboundFullRelay),
    blockRelayOnly: integer('--block-relay-only', flags.blockRelayOnly),
    maxInbound: integer('--max-inbound', flags.maxInbound),
    netgroupMode: flags.netgroupMode as NodeConfig['netgroupMode'] | undefined,
  };
  const defined = Object.fromEntries(Object.entries(fromFlags).filter(([, v]) => v !== undefined));
  return validateConfig({ ...base, ...fromFile, ...defined });
}

/** One line for a user mistake; the stack only for bugs. */
export function describeStartError(err: unknown, config?: NodeConfig): string {
  const error = err as NodeJS.ErrnoException;
  if (error instanceof ConfigError) return error.message;
  const text = `${error.message ?? ''} ${error.code ?? ''}`;
  if (text.includes('EADDRINUSE')) {
    return `a port is already in use (p2p port ${config?.port}, rpc port ${config?.rpcPort}, metrics port ${config?.metricsPort}): ${error.message}`;
  }
  if (error.name === 'KeyFilePermissionsError' || error.name === 'BanListCorruptError') return error.message;
  return error.stack ?? String(err);
}

export function nodeProgram(): Command {
  return new Command('node')
    .description('Run one trustmesh node')
    .argument('[name]', `a node of the devnet definitions (${DEFAULT_DEVNET_FILE})`)
    .option('--devnet <file>', 'devnet definitions file', DEFAULT_DEVNET_FILE)
    .option(
      '--repo-root <dir>',
      'folder --devnet and its relative dataRoot are resolved against (default: this repository; the devnet passes it to nodes run from a compiled build)',
    )
    .option('--config <file>', 'JSON config file (fields of NodeConfig, see README)')
    .option('--data-dir <dir>', 'data directory')
    .option('--network <name>', 'devnet or regtest')
    .option('--host <host>', 'P2P listen host')
    .option('--port <port>', 'P2P listen port (0 = any)')
    .option('--peer <multiaddr...>', 'static peer (repeatable), /ip4/…/tcp/…/p2p/<id>')
    .option('--bootstrap <multiaddr...>', 'bootstrap address (repeatable): discover peers from it')
    .option('--outbound-full-relay <n>', 'full-relay outbound peers to keep (default 8 with --bootstrap)')
    .option('--block-relay-only <n>', 'block-relay-only outbound peers to keep (default 2 with --bootstrap)')
    .option('--max-inbound <n>', 'inbound connections accepted (default 114)')
    .option('--netgroup-mode <mode>', 'ipv4-16 (an IPv4 /16 per netgroup) or ip (each address its own)')
    .option('--rpc-port <port>', 'JSON-RPC port on 127.0.0.1 (-1 = off)')
    .option('--metrics-port <port>', 'Prometheus metrics port on 127.0.0.1 (-1 = off)')
    .option('--mine', 'mine blocks')
    .option('--no-mine', 'do not mine')
    .option('--mining-cpu <percent>', 'share of one core the miner may hash with, e.g. 10% (default 100%)')
    .option('--compact-blocks', 'relay blocks compact, PROTOCOL.md 6.1 (default)')
    .option('--no-compact-blocks', 'relay whole blocks instead (a baseline)')
    .option('--dev-account <n>', 'use funded dev account n as the wallet')
    .option('--allow <peerId...>', 'allow-listed peers: never quarantined (noban)')
    .option('--ban-base-ms <ms>', 'first quarantine length, doubling per repeat')
    .option('--clock-skew-ms <ms>', 'shift this node clock (testing)')
    .option('--stop-timeout-ms <ms>', 'graceful-stop budget (default 5000)')
    .option('--log-level <level>', 'trace, debug, info, warn, error')
    .option('--log-stdout', 'also write NDJSON logs to stdout');
}

/**
 * Runs a node process: parses `program`, starts the node with `start`, prints the `started` line the
 * devnet launcher reads, and stops it cleanly on SIGINT or SIGTERM. Shared with the attacker entry
 * point (src/attacks/main.ts), which starts a differently composed node.
 */
export async function runNodeProcess(
  program: Command,
  start: (config: NodeConfig) => Promise<TrustmeshNode>,
): Promise<void> {
  // A closed stdout (e.g. piped into `head`) must not crash the node.
  process.stdout.on('error', () => undefined);
  program.parse();
  let config: NodeConfig | undefined;
  let node: TrustmeshNode;
  try {
    config = await resolveConfig(program.args[0], program.opts<Flags>());
    node = await start(config);
  } catch (err) {
    console.error(`trustmesh node: ${describeStartError(err, config)}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    node.logger.info({ signal }, 'stopping');
    node.stop().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(`trustmesh node: stop failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // The devnet launcher reads this line to learn the node is up.
  console.log(
    JSON.stringify({ event: 'started', name: config.name, peerId: node.peerIdString, rpc: node.rpc?.url }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runNodeProcess(nodeProgram(), (config) => TrustmeshNode.start(config));
}
