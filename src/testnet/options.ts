/**
 * Command-line options of `npm run testnet`, parsed and checked up front: each mistake gives one
 * line naming the flag. Units are written the way `tc` takes them: `40ms`, `0.5%`, `10mbit`.
 */
import { misbehaviourOf, MISBEHAVIOURS } from '../attacks/kinds.js';
import { MAX_HOSTS } from './addressing.js';
import type { LinkShape } from './link-shaping.js';

/** A command-line mistake; the message is one line naming the flag. */
export class TestnetUsageError extends Error {
  override readonly name = 'TestnetUsageError';
}

export interface AttackerSpec {
  readonly kind: string;
  readonly count: number;
}

export interface TestnetOptions {
  /** Honest hosts (attackers get hosts of their own on top). */
  readonly hosts: number;
  readonly link: LinkShape;
  readonly attackers: readonly AttackerSpec[];
  /** Length of the honest load (unit: s). */
  readonly durationS: number;
  /** Honest payments per second, from the funded hosts in turn. */
  readonly txRate: number;
  /** Mining hosts (spread over the partition's two groups). */
  readonly miners: number;
  /** A block is mined every this long (unit: s), by the miners in turn (one per side of a partition). */
  readonly blockIntervalS: number;
  /** Peers each honest host dials. */
  readonly dials: number;
  /** Partition start and heal, in s after the load started; null for none. */
  readonly partitionAtS: number | null;
  readonly healAtS: number | null;
  /** How long to wait for convergence after the heal and after the load (unit: s). */
  readonly drainS: number;
  /** Seed of the topology and of the node keys. */
  readonly seed: number;
  readonly json: boolean;
  /** Keep the data dirs (node logs) after the run. */
  readonly keep: boolean;
}

export const DEFAULT_OPTIONS: TestnetOptions = {
  hosts: 6,
  link: { latencyMs: 0, jitterMs: 0, lossPercent: 0, rateKbit: null },
  attackers: [],
  durationS: 30,
  txRate: 5,
  miners: 2,
  blockIntervalS: 5,
  dials: 3,
  partitionAtS: null,
  healAtS: null,
  drainS: 60,
  seed: 1,
  json: false,
  keep: false,
};

/** `40ms`, `1.5s` or a bare number of ms -> ms. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (match === null) throw new TestnetUsageError(`${flag} takes a duration like 40ms or 1.5s (got ${text})`);
  return Number(match[1]) * (match[2] === 's' ? 1_000 : 1);
}

/** `0.5%` or `0.5` -> 0.5 (percent). */
export function parsePercent(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  const value = match === null ? Number.NaN : Number(match[1]);
  if (!(value >= 0 && value <= 100))
    throw new TestnetUsageError(`${flag} takes a percentage like 0.5% (got ${text})`);
  return value;
}

const RATE_UNITS: Record<string, number> = { kbit: 1, mbit: 1_000, gbit: 1_000_000 };

/** `10mbit`, `512kbit` -> kbit/s. */
export function parseRate(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(kbit|mbit|gbit)$/.exec(text.trim().toLowerCase());
  if (match === null)
    throw new TestnetUsageError(`${flag} takes a rate like 10mbit or 512kbit (got ${text})`);
  const kbit = Number(match[1]) * RATE_UNITS[match[2]!]!;
  if (!(kbit >= 8)) throw new TestnetUsageError(`${flag} must be at least 8kbit (got ${text})`);
  return kbit;
}

/** `invalid-signature=1,replay=2` -> specs; each kind must exist. */
export function parseAttackers(flag: string, text: string): AttackerSpec[] {
  return text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const [kind = '', countText = '1'] = part.trim().split('=');
      if (misbehaviourOf(kind) === undefined) {
        throw new TestnetUsageError(
          `${flag}: unknown attack kind '${kind}' (kinds: ${MISBEHAVIOURS.map((m) => m.kind).join(', ')})`,
        );
      }
      const count = Number(countText);
      if (!Number.isInteger(count) || count < 1)
        throw new TestnetUsageError(`${flag}: ${kind} needs a count >= 1`);
      return { kind, count };
    });
}

function integer(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TestnetUsageError(`${flag} takes an integer from ${min} to ${max} (got ${text})`);
  }
  return value;
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!(value > 0)) throw new TestnetUsageError(`${flag} takes a positive number (got ${text})`);
  return value;
}

/** Parses `argv` (after the script name). */
export function parseTestnetArgs(argv: readonly string[]): TestnetOptions {
  const options = { ...DEFAULT_OPTIONS, link: { ...DEFAULT_OPTIONS.link } } as {
    -readonly [K in keyof TestnetOptions]: TestnetOptions[K];
  };
  const link = options.link as { -readonly [K in keyof LinkShape]: LinkShape[K] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--json') options.json = true;
    else if (flag === '--keep') options.keep = true;
    else {
      const value = argv[++i];
      if (value === undefined) throw new TestnetUsageError(`${flag} needs a value`);
      switch (flag) {
        case '--hosts':
          options.hosts = integer(flag, value, 2, MAX_HOSTS);
          break;
        case '--latency':
          link.latencyMs = parseDuration(flag, value);
          break;
        case '--jitter':
          link.jitterMs = parseDuration(flag, value);
          break;
        case '--loss':
          link.lossPercent = parsePercent(flag, value);
          break;
        case '--rate':
          link.rateKbit = parseRate(flag, value);
          break;
        case '--attackers':
          options.attackers = parseAttackers(flag, value);
          break;
        case '--duration':
          options.durationS = positive(flag, value);
          break;
        case '--tx-rate':
          options.txRate = positive(flag, value);
          break;
        case '--miners':
          options.miners = integer(flag, value, 0);
          break;
        case '--block-interval':
          options.blockIntervalS = positive(flag, value);
          break;
        case '--dials':
          options.dials = integer(flag, value, 1);
          break;
        case '--partition-at':
          options.partitionAtS = positive(flag, value);
          break;
        case '--heal-at':
          options.healAtS = positive(flag, value);
          break;
        case '--drain':
          options.drainS = positive(flag, value);
          break;
        case '--seed':
          options.seed = integer(flag, value, 0);
          break;
        default:
          throw new TestnetUsageError(`unknown option ${flag}`);
      }
    }
  }
  const attackerHosts = options.attackers.reduce((sum, a) => sum + a.count, 0);
  if (options.hosts + attackerHosts > MAX_HOSTS) {
    throw new TestnetUsageError(`--hosts plus attackers may be at most ${MAX_HOSTS}`);
  }
  if ((options.partitionAtS === null) !== (options.healAtS === null)) {
    throw new TestnetUsageError('--partition-at and --heal-at go together');
  }
  if (options.partitionAtS !== null && options.healAtS !== null) {
    if (options.healAtS <= options.partitionAtS)
      throw new TestnetUsageError('--heal-at must come after --partition-at');
    if (options.healAtS > options.durationS)
      throw new TestnetUsageError('--heal-at must be within --duration');
  }
  if (options.miners < 1 || options.miners > options.hosts)
    throw new TestnetUsageError('--miners must be 1..--hosts');
  return options;
}
