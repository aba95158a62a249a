/**
 * Chain parameters: every number a consensus or relay rule depends on, per network.
 *
 * Consensus parameters must be identical on every node of a network (they decide validity);
 * relay-policy parameters only decide what a node forwards and may differ between nodes.
 */

/** Base units per coin (like satoshis per bitcoin). */
export const UNITS_PER_COIN = 100_000_000n;

/** Largest amount any output or sum may hold, in base units (21 million coins). */
export const MAX_MONEY = 21_000_000n * UNITS_PER_COIN;

/** Number of previous blocks whose median timestamp a new block must exceed (Bitcoin's 11). */
export const MEDIAN_TIME_SPAN = 11;

/** The easiest possible target: 2^256 - 1 (every hash qualifies). */
export const MAX_TARGET = (1n << 256n) - 1n;

export interface ChainParams {
  /** Network name: part of every signature domain, topic name and data dir, so objects never cross networks. */
  readonly network: string;
  /** Target block spacing in ms; difficulty retargets toward it. */
  readonly blockIntervalMs: number;
  /** Number of recent blocks the difficulty adjustment averages over. */
  readonly retargetWindow: number;
  /** Easiest target a block may claim. */
  readonly powLimit: bigint;
  /** Target of genesis and of the blocks before the first full retarget window. */
  readonly initialTarget: bigint;
  /** When false, every block uses `initialTarget` (regtest: trivial, fixed difficulty). */
  readonly retarget: boolean;
  /** Genesis timestamp in ms since the Unix epoch (fixed, so every node builds the same genesis). */
  readonly genesisTimestamp: number;
  /** Block subsidy at height 1, in base units. */
  readonly initialSubsidy: bigint;
  /** Blocks between subsidy halvings. */
  readonly halvingInterval: number;
  /** Blocks a coinbase output must wait before it can be spent (genesis outputs excepted). */
  readonly coinbaseMaturity: number;
  /** How far in the future (ms, by the local clock) a block's timestamp may be before it is ignored for now. */
  readonly maxBlockFutureDriftMs: number;
  /** Consensus: a transaction in a block may be dated at most this far (ms) after the block. */
  readonly maxTxAfterBlockMs: number;
  /** Relay policy: how far in the future (ms) a relayed transaction may be dated. */
  readonly txMaxFutureDriftMs: number;
  /** Relay policy: how old (ms) a relayed transaction may be; older copies are treated as replays. */
  readonly txMaxAgeMs: number;
  /** Relay policy: minimum fee in base units per byte of encoded transaction (makes spam cost coins). */
  readonly minRelayFeePerByte: bigint;
}

/** Local devnet: blocks every 5 s, fast retargeting, dev accounts funded at genesis. */
export const DEVNET: ChainParams = {
  network: 'devnet',
  blockIntervalMs: 5_000,
  retargetWindow: 10,
  powLimit: MAX_TARGET >> 8n,
  // ~2^16 expected hashes per block: a fraction of a second on one core, so mining starts at once.
  initialTarget: MAX_TARGET >> 16n,
  retarget: true,
  genesisTimestamp: Date.UTC(2026, 0, 1),
  initialSubsidy: 50n * UNITS_PER_COIN,
  halvingInterval: 210_000,
  coinbaseMaturity: 10,
  maxBlockFutureDriftMs: 2 * 60_000,
  maxTxAfterBlockMs: 2 * 60_000,
  txMaxFutureDriftMs: 2 * 60_000,
  txMaxAgeMs: 10 * 60_000,
  minRelayFeePerByte: 1n,
};

/** Tests: trivial fixed difficulty (a block needs ~2 hashes), otherwise the devnet rules. */
export const REGTEST: ChainParams = {
  ...DEVNET,
  network: 'regtest',
  powLimit: MAX_TARGET >> 1n,
  initialTarget: MAX_TARGET >> 1n,
  retarget: false,
  coinbaseMaturity: 3,
};

export const NETWORKS: Readonly<Record<string, ChainParams>> = { devnet: DEVNET, regtest: REGTEST };

/** Block subsidy at `height`, in base units. */
export function blockSubsidy(params: ChainParams, height: number): bigint {
  const halvings = Math.floor(height / params.halvingInterval);
  return halvings >= 64 ? 0n : params.initialSubsidy >> BigInt(halvings);
}
