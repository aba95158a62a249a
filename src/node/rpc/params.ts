/**
 * Parameter checks of the RPC methods: each turns an untrusted JSON value into the typed argument
 * the `NodeApi` method expects, or throws an `InvalidParamsError` naming the parameter.
 */
import { ADDRESS_LENGTH } from '../../crypto/constants.js';
import { HASH_LENGTH } from '../../crypto/hash.js';
import { MAX_PEER_ID_LENGTH, MAX_REASON_LENGTH } from '../../p2p/reputation/constants.js';
import { MAX_MINE_COUNT } from './constants.js';
import { InvalidParamsError } from './errors.js';

export interface Param<T> {
  readonly name: string;
  readonly optional: boolean;
  /** Type and meaning, for `help` and error messages. */
  readonly description: string;
  /** The checked value; called with `undefined` only for optional parameters left out. */
  parse(value: unknown): T;
}

function required<T>(name: string, description: string, parse: (value: unknown) => T): Param<T> {
  return { name, optional: false, description, parse };
}

function optional<T>(name: string, description: string, parse: (value: unknown) => T): Param<T | undefined> {
  return {
    name,
    optional: true,
    description,
    parse: (value) => (value === undefined ? undefined : parse(value)),
  };
}

const HASH_HEX = new RegExp(`^[0-9a-fA-F]{${2 * HASH_LENGTH}}$`);
const ADDRESS_HEX = new RegExp(`^[0-9a-fA-F]{${2 * ADDRESS_LENGTH}}$`);
/** Base58btc (12D3Koo..., Qm...) and base32 (bafz...) peer ids are alphanumeric. */
const PEER_ID = /^[A-Za-z0-9]+$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const invalid = (name: string, expected: string, value: unknown): never => {
  throw new InvalidParamsError(`${name} must be ${expected}, got ${describe(value)}`);
};

function peerId(name: string) {
  return (value: unknown): string =>
    typeof value === 'string' && value.length <= MAX_PEER_ID_LENGTH && PEER_ID.test(value)
      ? value
      : invalid(name, `a peer id (alphanumeric, at most ${MAX_PEER_ID_LENGTH} characters)`, value);
}

function hash(name: string) {
  return (value: unknown): string =>
    typeof value === 'string' && HASH_HEX.test(value)
      ? value.toLowerCase()
      : invalid(name, `${2 * HASH_LENGTH} hex characters`, value);
}

function address(name: string) {
  return (value: unknown): string =>
    typeof value === 'string' && ADDRESS_HEX.test(value)
      ? value.toLowerCase()
      : invalid(name, `an address of ${2 * ADDRESS_LENGTH} hex characters`, value);
}

function integer(name: string, min: number, max: number) {
  return (value: unknown): number =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max
      ? value
      : invalid(name, `an integer ${min}..${max}`, value);
}

/** Base units as a decimal string (exact for any amount) or a JSON number up to 2^53. */
function baseUnits(name: string, min: bigint) {
  return (value: unknown): string => {
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text === 'string' && DECIMAL.test(text) && BigInt(text) >= min) return text;
    return invalid(name, `an amount in base units (decimal string) of at least ${min}`, value);
  };
}

function text(name: string, maxLength: number) {
  return (value: unknown): string =>
    typeof value === 'string' && value.length <= maxLength
      ? value
      : invalid(name, `a string of at most ${maxLength} characters`, value);
}

/** A block id (hex) or a height (a number, or a decimal string as typed on a command line). */
function blockRef(name: string) {
  return (value: unknown): string | number => {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    if (typeof value === 'string' && HASH_HEX.test(value)) return value.toLowerCase();
    if (typeof value === 'string' && DECIMAL.test(value) && value.length <= 15) return Number(value);
    return invalid(name, `a block id (${2 * HASH_LENGTH} hex characters) or a height`, value);
  };
}

export const P = {
  peerId: required('peerId', 'peer id (full, as in `reputation`)', peerId('peerId')),
  durationMs: optional(
    'durationMs',
    'ban duration in ms (default: the node’s manual ban duration)',
    integer('durationMs', 1, Number.MAX_SAFE_INTEGER),
  ),
  reason: optional(
    'reason',
    `why, shown by \`why\` (at most ${MAX_REASON_LENGTH} characters)`,
    text('reason', MAX_REASON_LENGTH),
  ),
  idOrHeight: required('idOrHeight', 'block id (hex) or height', blockRef('idOrHeight')),
  txid: required('txid', 'transaction id (hex)', hash('txid')),
  addressOptional: optional('address', 'address (hex); default: the node wallet', address('address')),
  address: required('address', 'recipient address (hex)', address('address')),
  amount: required('amount', 'amount in base units (decimal string)', baseUnits('amount', 1n)),
  fee: optional('fee', 'fee in base units (decimal string); default: the node’s fee', baseUnits('fee', 0n)),
  count: optional(
    'count',
    `blocks to mine, 1..${MAX_MINE_COUNT} (default 1)`,
    integer('count', 1, MAX_MINE_COUNT),
  ),
};
