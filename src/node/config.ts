/**
 * Node configuration: one typed object with a documented default for every option, validated up
 * front so a mistake gives one clear line naming the field instead of a stack trace later.
 * Sources, lowest precedence first: defaults, a JSON config file, command-line flags.
 */
import { readFileSync } from 'node:fs';
import { FULL_MINING_CPU, MiningCpuError, parseMiningCpu } from '../chain/mining/pacing.js';
import { NETWORKS } from '../chain/params.js';
import { CORE_MAX_INBOUND, MAX_INBOUND_PER_NETGROUP } from '../p2p/membership/constants.js';
import { NETGROUP_MODES, type NetgroupMode } from '../p2p/membership/netgroup.js';
import { BASE_BAN_MS } from '../p2p/reputation/constants.js';
import { ConfigError } from './config-error.js';

export { ConfigError };

/** Where settings come from, named in error messages. */
const SOURCE = 'config';

export interface NodeConfig {
  /** Name shown in logs, the status view and the REPL prompt. Default 'node'. */
  name: string;
  /** Network: 'devnet' (5 s blocks) or 'regtest' (trivial proof of work, for tests). Default 'devnet'. */
  network: string;
  /** Data directory: chain (LevelDB), peer store, keys, ban list, logs, RPC cookie. Required. */
  dataDir: string;
  /** P2P listen host. Default '127.0.0.1' (use '0.0.0.0' to accept other hosts). */
  host: string;
  /** P2P TCP port; 0 picks a free one. Default 0. */
  port: number;
  /** Static peers, as multiaddrs ending in /p2p/<peer id>; redialed with backoff. Default []. */
  peers: string[];
  /**
   * Bootstrap (seed) addresses, multiaddrs ending in /p2p/<peer id>: put in the address book at
   * start; the node then finds its peers by address relay (docs/membership.md). Default [].
   */
  bootstrap: string[];
  /**
   * Full-relay outbound peers kept from the address book (Core: 8). null: 8 with bootstrap
   * addresses, else 0 (a node with static peers only keeps exactly those). Default null.
   */
  outboundFullRelay: number | null;
  /** Block-relay-only outbound peers (Core: 2). null: 2 with bootstrap addresses, else 0. Default null. */
  blockRelayOnly: number | null;
  /** Inbound connections accepted before Core's eviction picks one to drop (Core: 114). Default 114. */
  maxInbound: number;
  /** Inbound connections accepted from one netgroup (peer ids are free, addresses are not). Default 8. */
  maxInboundPerNetgroup: number;
  /** How addresses are grouped: 'ipv4-16' (Core: IPv4 /16, IPv6 /32) or 'ip' (each address). Default 'ipv4-16'. */
  netgroupMode: NetgroupMode;
  /** JSON-RPC port on 127.0.0.1; 0 picks a free one, -1 disables RPC. Default 0. */
  rpcPort: number;
  /** Prometheus /metrics port on 127.0.0.1; -1 disables. Default -1. */
  metricsPort: number;
  /** Mine blocks in the background. Default false. */
  mine: boolean;
  /**
   * Share of one core the background miner's proof-of-work search may use, in percent (1-100; a
   * config file may also write "10%"). Default 100 (no pacing); `npm run devnet` passes 10.
   */
  miningCpu: number;
  /**
   * Relay blocks compact (PROTOCOL.md 6.1): fetch them as compact blocks and push them compact to
   * eager subscribers. false relays whole blocks (the benchmark's baseline); compact blocks are
   * still served to peers that ask. Default true.
   */
  compactBlocks: boolean;
  /** Use funded dev account N as the wallet (devnet only); otherwise `<dataDir>/wallet.key`. Default null. */
  devAccount: number | null;
  /** Peer ids whose offences never quarantine them (Bitcoin Core's noban). Default []. */
  allowList: string[];
  /**
   * Local devnet: allow many connections from 127.0.0.0/8 and no IP-colocation penalty for it.
   * Default false; on the `devnet` network true.
   */
  devnetLoopback: boolean;
  /**
   * First quarantine length in ms; doubles per repeat offence. Default 600000 (10 min); on the
   * `devnet` network 60000 (1 min), so a local devnet shows quarantines ending.
   */
  banBaseMs: number;
  /** Shifts this node's clock (ms), to test clock skew between honest nodes. Default 0. */
  clockSkewMs: number;
  /** Log level: trace, debug, info, warn, error. Default 'info'. */
  logLevel: string;
  /** Also write NDJSON logs to stdout. Default false. */
  logStdout: boolean;
  /**
   * Graceful-stop budget in ms: services are stopped in reverse order of start, each within what is
   * left of it (a stuck one is abandoned so the rest still close). Default 5000.
   */
  stopTimeoutMs: number;
}

export const DEFAULT_CONFIG: Omit<NodeConfig, 'dataDir'> = {
  name: 'node',
  network: 'devnet',
  host: '127.0.0.1',
  port: 0,
  peers: [],
  bootstrap: [],
  outboundFullRelay: null,
  blockRelayOnly: null,
  maxInbound: CORE_MAX_INBOUND,
  maxInboundPerNetgroup: MAX_INBOUND_PER_NETGROUP,
  netgroupMode: 'ipv4-16',
  rpcPort: 0,
  metricsPort: -1,
  mine: false,
  miningCpu: FULL_MINING_CPU,
  compactBlocks: true,
  devAccount: null,
  allowList: [],
  devnetLoopback: false,
  banBaseMs: BASE_BAN_MS,
  clockSkewMs: 0,
  logLevel: 'info',
  logStdout: false,
  stopTimeoutMs: 5_000,
};

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function port(field: string, value: unknown, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > 65_535) {
    throw new ConfigError(
      SOURCE,
      field,
      `must be an integer from ${min} to 65535 (got ${JSON.stringify(value)})`,
    );
  }
  return value as number;
}

/** First quarantine length on a local devnet (ms): short enough to watch a ban end. */
export const DEVNET_BAN_BASE_MS = 60_000;

/** The `devnet` network is a local one: loopback allowances and short bans, unless set otherwise. */
const DEVNET_DEFAULTS: Partial<NodeConfig> = { devnetLoopback: true, banBaseMs: DEVNET_BAN_BASE_MS };

function networkDefaults(network: string): Partial<NodeConfig> {
  return network === 'devnet' ? DEVNET_DEFAULTS : {};
}

/** `miningCpu` as a number of percent: a number, or a string such as "10%" (from a config file). */
function miningCpu(value: unknown): number {
  try {
    if (typeof value === 'number') return parseMiningCpu(String(value));
    if (typeof value === 'string') return parseMiningCpu(value);
    throw new MiningCpuError(
      `must be a share of one core such as 10 or "10%" (got ${JSON.stringify(value)})`,
    );
  } catch (err) {
    if (err instanceof MiningCpuError) throw new ConfigError(SOURCE, 'miningCpu', err.message);
    throw err;
  }
}

/** Checks every field of a merged configuration; throws ConfigError on the first bad one. */
export function validateConfig(input: Partial<NodeConfig>): NodeConfig {
  const config = {
    ...DEFAULT_CONFIG,
    ...networkDefaults(input.network ?? DEFAULT_CONFIG.network),
    ...input,
  } as NodeConfig;
  if (typeof config.dataDir !== 'string' || config.dataDir === '')
    throw new ConfigError(SOURCE, 'dataDir', 'is required');
  if (!/^[\w.-]{1,64}$/.test(config.name))
    throw new ConfigError(SOURCE, 'name', 'must be 1-64 letters, digits, _ . -');
  if (NETWORKS[config.network] === undefined) {
    throw new ConfigError(SOURCE, 'network', `must be one of ${Object.keys(NETWORKS).join(', ')}`);
  }
  port('port', config.port, 0);
  port('rpcPort', config.rpcPort, -1);
  port('metricsPort', config.metricsPort, -1);
  if (
    !Array.isArray(config.peers) ||
    config.peers.some((p) => typeof p !== 'string' || !p.includes('/p2p/'))
  ) {
    throw new ConfigError(SOURCE, 'peers', 'must be multiaddrs ending in /p2p/<peer id>');
  }
  if (
    !Array.isArray(config.bootstrap) ||
    config.bootstrap.some((p) => typeof p !== 'string' || !p.includes('/p2p/'))
  ) {
    throw new ConfigError(SOURCE, 'bootstrap', 'must be multiaddrs ending in /p2p/<peer id>');
  }
  for (const field of ['outboundFullRelay', 'blockRelayOnly'] as const) {
    const value = config[field];
    if (value !== null && (!Number.isInteger(value) || value < 0 || value > 64))
      throw new ConfigError(SOURCE, field, 'must be null or an integer from 0 to 64');
  }
  for (const field of ['maxInbound', 'maxInboundPerNetgroup'] as const) {
    if (!Number.isInteger(config[field]) || config[field] < 0 || config[field] > 10_000)
      throw new ConfigError(SOURCE, field, 'must be an integer from 0 to 10000');
  }
  if (!NETGROUP_MODES.includes(config.netgroupMode))
    throw new ConfigError(SOURCE, 'netgroupMode', `must be one of ${NETGROUP_MODES.join(', ')}`);
  config.miningCpu = miningCpu(config.miningCpu as unknown);
  if (typeof config.compactBlocks !== 'boolean')
    throw new ConfigError(SOURCE, 'compactBlocks', 'must be true or false');
  if (config.devAccount !== null && (!Number.isInteger(config.devAccount) || config.devAccount < 0)) {
    throw new ConfigError(SOURCE, 'devAccount', 'must be a dev account index (0-9) or null');
  }
  if (!Number.isInteger(config.banBaseMs) || config.banBaseMs < 1_000) {
    throw new ConfigError(SOURCE, 'banBaseMs', 'must be at least 1000 ms');
  }
  if (!Number.isFinite(config.clockSkewMs))
    throw new ConfigError(SOURCE, 'clockSkewMs', 'must be a number of ms');
  if (!Number.isInteger(config.stopTimeoutMs) || config.stopTimeoutMs < 0)
    throw new ConfigError(SOURCE, 'stopTimeoutMs', 'must be a non-negative integer of ms');
  if (!LOG_LEVELS.includes(config.logLevel))
    throw new ConfigError(SOURCE, 'logLevel', `must be one of ${LOG_LEVELS.join(', ')}`);
  return config;
}

/** Reads a JSON config file (fields as in NodeConfig); errors name the file. */
export function readConfigFile(path: string): Partial<NodeConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      SOURCE,
      '--config',
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Partial<NodeConfig>;
  } catch (err) {
    throw new ConfigError(SOURCE, '--config', `${path} is not a JSON object: ${(err as Error).message}`);
  }
}
