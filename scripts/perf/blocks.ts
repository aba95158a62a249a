/**
 * `blocks`: what relaying a block costs when every node already holds its transactions (the case
 * compact block relay is for): bytes each node receives while the block spreads, against the
 * block's size, and the time until every node has it.
 *
 * For each of `blocks` rounds: `txsPerBlock` payments are pushed and reach every mempool, then
 * node 0 mines one block over RPC holding them; the clock starts when the RPC returns (the block
 * is connected on node 0 and announced) and stops when every node reports the new height. Bytes:
 * TCP payload received by all node processes on P2P connections from the mine call until every
 * node has the block plus SETTLE_MS, divided by the other nodes (tcp-bytes.ts); background traffic
 * at the rate sampled just before (after the payments' announcements settled) is subtracted.
 *
 * Two networks run side by side, their rounds alternating: one relaying blocks compact (the default,
 * PROTOCOL.md 6.1), and the baseline, the same network started with `--no-compact-blocks` (whole
 * blocks fetched by getdata). `ratio` is the compact network's bytes per node over the block's size;
 * `baselineBlockP50Ms` the whole-block network's time to every node. `detail.emptyBlockP50Ms` is the
 * relay time of blocks holding only a coinbase (compact network), the floor for any block.
 */
import { percentile, round } from './stats.js';
import { bytesReceived } from './tcp-bytes.js';
import { mempoolSize, startLoadNetwork } from './load-network.js';

/** Quiet time (ms) after the block reached every node, for trailing messages. */
const SETTLE_MS = 500;
/** Wait (ms) after the mempools filled, for the payments' trailing announcements. */
const QUIET_MS = 2_000;
/** Window (ms) over which the background traffic rate is sampled before each block. */
const IDLE_SAMPLE_MS = 1_000;
/** Longest wait (ms) for the payments to reach every mempool, or the block every node. */
const WAIT_MS = 120_000;

export interface BlocksOptions {
  readonly repoRoot: string;
  readonly nodes: number;
  readonly blocks: number;
  readonly txsPerBlock: number;
  /** Payments per second while filling the mempools before each block. */
  readonly rate: number;
  readonly log: (text: string) => void;
}

export interface BlocksResult {
  readonly blockBytesRelayed: number;
  readonly fullBlockBytes: number;
  readonly ratio: number;
  readonly blockP50Ms: number;
  readonly baselineBlockP50Ms: number;
  readonly detail: {
    readonly nodes: number;
    readonly txsPerBlock: number;
    readonly rounds: Array<{
      kind: 'full' | 'baseline' | 'empty' | 'baseline-empty';
      ms: number;
      bytesPerNode: number;
      blockBytes: number;
    }>;
    readonly emptyBlockP50Ms: number;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Round = BlocksResult['detail']['rounds'][number];
type LoadNet = Awaited<ReturnType<typeof startLoadNetwork>>;

/** One round on `net`: fill every mempool with `count` payments (none for an empty block), mine, time. */
async function runRound(
  options: BlocksOptions,
  net: LoadNet,
  kind: Round['kind'],
  count: number,
): Promise<Round> {
  const { devnet, injector, coinSource } = net;
  const pids = devnet.nodes.map((node) => node.pid);
  const ports = devnet.nodes.map((node) => node.p2pPort);
  if (count > 0) {
    await injector.pushPaced(coinSource.payments(count), options.rate, true);
    await devnet.waitAll(
      async (node) => (await mempoolSize(devnet, node.index)) >= count,
      WAIT_MS,
      'full mempools',
      250,
    );
  }
  // Trailing announcements of the payments settle first; then the background rate is sampled.
  await sleep(QUIET_MS);
  const idleStart = await bytesReceived(pids, ports);
  await sleep(IDLE_SAMPLE_MS);
  const idleRate = ((await bytesReceived(pids, ports)) - idleStart) / IDLE_SAMPLE_MS;
  const height = (await devnet.rpc(0).call('status')).height + 1;
  const bytesBefore = await bytesReceived(pids, ports);
  await devnet.rpc(0).call('mine', [1]);
  const minedAt = performance.now();
  const doneAt = await devnet.waitAll(
    async (node) => (await node.rpc!.call('status')).height >= height,
    WAIT_MS,
    `height ${height} everywhere`,
    20,
  );
  await sleep(SETTLE_MS);
  const windowMs = performance.now() - minedAt;
  const raw = (await bytesReceived(pids, ports)) - bytesBefore;
  const relayed = raw - idleRate * windowMs;
  const tip = await devnet.rpc(0).call('tip');
  const round: Round = {
    kind,
    ms: Math.round(doneAt - minedAt),
    bytesPerNode: Math.round(Math.max(0, relayed) / (options.nodes - 1)),
    blockBytes: tip.bytes,
  };
  options.log(
    `  ${kind.padEnd(14)} block of ${tip.txCount} txs, ${tip.bytes} B: every node in ${round.ms} ms, ${round.bytesPerNode} B received per node`,
  );
  await devnet.waitAll(
    async (node) => (await mempoolSize(devnet, node.index)) === 0,
    WAIT_MS,
    'empty mempools',
    250,
  );
  return round;
}

export async function benchBlocks(options: BlocksOptions): Promise<BlocksResult> {
  options.log(
    `blocks: ${options.nodes} nodes, blocks of ${options.txsPerBlock} transactions every node already holds`,
  );
  // Two networks side by side: compact block relay (the default) and whole blocks
  // (--no-compact-blocks); their rounds alternate, so the machine's load hits both alike.
  const open = (nodeArgs?: string[]) =>
    startLoadNetwork({
      count: options.nodes,
      coins: options.blocks * options.txsPerBlock,
      runtime: 'tsx',
      repoRoot: options.repoRoot,
      log: options.log,
      ...(nodeArgs === undefined ? {} : { nodeArgs }),
    });
  const compact = await open();
  const rounds: Round[] = [];
  try {
    const whole = await open(['--no-compact-blocks']);
    try {
      for (let r = 0; r < options.blocks; r++) {
        rounds.push(await runRound(options, compact, 'full', options.txsPerBlock));
        rounds.push(await runRound(options, whole, 'baseline', options.txsPerBlock));
        rounds.push(await runRound(options, compact, 'empty', 0));
        rounds.push(await runRound(options, whole, 'baseline-empty', 0));
      }
    } finally {
      await whole.stop();
    }
  } finally {
    await compact.stop();
  }
  const of = (kind: string) => rounds.filter((r) => r.kind === kind);
  const full = of('full');
  const blockBytesRelayed = Math.round(
    percentile(
      full.map((r) => r.bytesPerNode),
      50,
    ),
  );
  const fullBlockBytes = Math.round(
    percentile(
      full.map((r) => r.blockBytes),
      50,
    ),
  );
  return {
    blockBytesRelayed,
    fullBlockBytes,
    ratio: round(blockBytesRelayed / fullBlockBytes, 3),
    blockP50Ms: percentile(
      full.map((r) => r.ms),
      50,
    ),
    baselineBlockP50Ms: percentile(
      of('baseline').map((r) => r.ms),
      50,
    ),
    detail: {
      nodes: options.nodes,
      txsPerBlock: options.txsPerBlock,
      rounds,
      emptyBlockP50Ms: percentile(
        of('empty').map((r) => r.ms),
        50,
      ),
    },
  };
}
