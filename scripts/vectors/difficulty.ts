/**
 * Difficulty vectors (PROTOCOL.md 9.4): single retarget computations (window in, target out), a
 * 40-block devnet sequence starting at genesis (each block's required target from its ancestors),
 * and median-time-past cases.
 */
import { genesisBlock } from '../../src/chain/genesis.js';
import { bytesToBigInt } from '../../src/chain/objects/block.js';
import { type ChainParams, DEVNET, REGTEST } from '../../src/chain/params.js';
import { expectedTarget, medianTimestamp, type TargetSample } from '../../src/chain/rules/difficulty.js';
import { GENERATED_BY, hex256 } from '../../test/unit/vectors/format.js';
import { T0 } from './common.js';

const samplesJson = (window: TargetSample[]) =>
  window.map((s) => ({ timestamp: s.timestamp, target: hex256(s.target) }));

/** `count` samples `spacing` ms apart ending at T0, all at `target` (or per-index targets). */
function spaced(count: number, spacing: number, target: bigint | ((i: number) => bigint)): TargetSample[] {
  return Array.from({ length: count }, (_, i) => ({
    timestamp: T0 - (count - 1 - i) * spacing,
    target: typeof target === 'bigint' ? target : target(i),
  }));
}

function retargets(params: ChainParams) {
  const t = params.initialTarget;
  const cases: Array<{ name: string; window: TargetSample[] }> = [
    { name: '10 samples (parent height 9): fewer than 11, the initial target', window: spaced(10, 5_000, t) },
    { name: 'on schedule (5 s apart): unchanged', window: spaced(11, 5_000, t) },
    { name: 'twice as fast (2.5 s apart): half the target', window: spaced(11, 2_500, t) },
    {
      name: 'faster than 4x (1 ms apart): timespan clamped to 12,500 ms, a quarter',
      window: spaced(11, 1, t),
    },
    {
      name: 'slower than 4x (60 s apart): timespan clamped to 200,000 ms, 4 times',
      window: spaced(11, 60_000, t),
    },
    { name: 'near the limit, slow: clamped to powLimit', window: spaced(11, 60_000, params.powLimit / 2n) },
    {
      name: 'mixed targets, 7,001 ms apart: mean of the last 10 (not the oldest), then both divisions round down',
      window: spaced(11, 7_001, (i) => (i === 0 ? 1n : t / BigInt(i) + 12_345n)),
    },
    {
      name: 'only the last 11 samples count (15 given, the 4 oldest far apart)',
      window: [...spaced(4, 10_000_000, 5n), ...spaced(11, 3_000, t)].map((s, i) => ({
        ...s,
        timestamp: i < 4 ? s.timestamp - 100_000_000 : s.timestamp,
      })),
    },
    { name: 'target 1 and fast: never below 1', window: spaced(11, 1, 1n) },
  ];
  return cases.map(({ name, window }) => ({
    name,
    network: params.network,
    window: samplesJson(window),
    expectedTarget: hex256(expectedTarget(params, window)),
  }));
}

/** A devnet chain of 40 blocks after genesis, with irregular spacing; targets follow the rule. */
function sequence() {
  const params = DEVNET;
  const genesis = genesisBlock(params).header;
  const blocks: TargetSample[] = [{ timestamp: genesis.timestamp, target: bytesToBigInt(genesis.target) }];
  const spacing = [1_000, 9_000, 2_000, 4_000, 700, 12_000, 5_000, 3_000];
  let time = T0;
  for (let height = 1; height <= 40; height++) {
    time += spacing[height % spacing.length]!;
    const window = blocks.slice(-(params.retargetWindow + 1));
    blocks.push({ timestamp: time, target: expectedTarget(params, window) });
  }
  return {
    name: 'devnet: 40 blocks after genesis; block 1 comes months after the genesis timestamp',
    network: params.network,
    blocks: blocks.map((b, height) => ({ height, timestamp: b.timestamp, target: hex256(b.target) })),
  };
}

function medians() {
  const cases = [[], [5], [7, 3], [1, 2, 3], [4, 1, 3, 2], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 10]];
  return cases.map((timestamps) => ({ timestamps, median: medianTimestamp(timestamps) }));
}

export function difficultyVectors() {
  return {
    description:
      'Difficulty (PROTOCOL.md 9.4). retargets: `window` = the last samples (oldest first, ending at the ' +
      'parent) and the target its child must carry. sequences: blocks whose targets each follow from the ' +
      'blocks before them (height 0 = genesis). medians: the median-time-past function: sort ascending, take ' +
      'element floor(n/2).',
    generatedBy: GENERATED_BY,
    params: [DEVNET, REGTEST].map((p) => ({
      network: p.network,
      retarget: p.retarget,
      retargetWindow: p.retargetWindow,
      blockIntervalMs: p.blockIntervalMs,
      initialTarget: hex256(p.initialTarget),
      powLimit: hex256(p.powLimit),
    })),
    retargets: [...retargets(DEVNET), ...retargets(REGTEST).slice(1, 3)],
    sequences: [sequence()],
    medians: medians(),
  };
}
