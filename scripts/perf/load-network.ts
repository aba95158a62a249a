/**
 * A benchmark devnet ready for load: `count` regtest node processes without miners (blocks only
 * when the benchmark mines them, over RPC), the load injector connected to every node, and
 * `coins` coins confirmed for payments. Shared by the throughput, memory and blocks parts.
 */
import { REGTEST } from '../../src/chain/params.js';
import type { CompiledTree } from '../../src/devnet/compiled-build.js';
import { CoinSource } from './coins.js';
import { PerfDevnet, type Runtime } from './devnet.js';
import { Injector } from './injector.js';

/** Funding transactions pushed per injector tick while funding (keeps the push queue short). */
const FUNDING_BATCH = 20;
/** How long (ms) funding and clearing the mempools may take. */
const SETTLE_TIMEOUT_MS = 180_000;

export interface LoadNetworkOptions {
  readonly count: number;
  readonly coins: number;
  readonly runtime: Runtime;
  readonly repoRoot: string;
  readonly build?: CompiledTree;
  readonly nodeFlags?: (index: number) => string[];
  readonly log: (text: string) => void;
  /** Leave the injector unconnected until `connect()` (to measure the network alone first). */
  readonly deferConnect?: boolean;
  /** Extra node flags for every node. */
  readonly nodeArgs?: readonly string[];
}

export interface LoadNetwork {
  readonly devnet: PerfDevnet;
  readonly injector: Injector;
  readonly coinSource: CoinSource;
  /** ms from launch until every node printed `started`. */
  readonly startedMs: number;
  /** Connects the injector to every node (once; done already unless `deferConnect`). */
  connect(): Promise<void>;
  stop(): Promise<void>;
}

export async function mempoolSize(devnet: PerfDevnet, index: number): Promise<number> {
  return (await devnet.rpc(index).call('status')).mempool;
}

/**
 * Mines on node 0 until every node is at node 0's height with an empty mempool: transactions that
 * reach node 0 late (after a failed step) are mined as they come. Returns the number of blocks.
 */
export async function mineUntilEmpty(devnet: PerfDevnet, timeoutMs = SETTLE_TIMEOUT_MS): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let blocks = 0;
  for (;;) {
    if ((await mempoolSize(devnet, 0)) > 0) {
      await devnet.rpc(0).call('mine', [1]);
      blocks++;
      continue;
    }
    const height = (await devnet.rpc(0).call('status')).height;
    const states = await Promise.all(
      devnet.nodes.map((node) => node.rpc!.call('status').catch(() => undefined)),
    );
    if (states.every((s) => s !== undefined && s.height >= height && s.mempool === 0)) return blocks;
    if (performance.now() > deadline) {
      // Say which nodes are behind and what they hold: this is where relay failures show.
      const described = states.map((s, i) =>
        s === undefined
          ? `${devnet.nodes[i]!.name}: no answer`
          : `${devnet.nodes[i]!.name}: height ${s.height}, mempool ${s.mempool}, peers ${s.peers}, quarantined ${s.quarantined}`,
      );
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for every node at height ${height} with an empty mempool; ${described.join('; ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Creates `coins` coins: funding transactions pushed to node 0, mined, synced everywhere. */
export async function fundCoins(
  devnet: PerfDevnet,
  injector: Injector,
  coinSource: CoinSource,
  coins: number,
  log: (text: string) => void,
): Promise<void> {
  const funding = coinSource.fundingTransactions(coins);
  const before = await mempoolSize(devnet, 0);
  for (let i = 0; i < funding.length; i += FUNDING_BATCH) {
    for (const tx of funding.slice(i, i + FUNDING_BATCH)) injector.push(0, tx);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while ((await mempoolSize(devnet, 0)) < before + funding.length) {
    if (Date.now() > deadline) throw new Error('the funding transactions did not reach node 0');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const blocks = await mineUntilEmpty(devnet);
  log(`  ${coinSource.available} coins funded (${funding.length} transactions, ${blocks} blocks)`);
}

export async function startLoadNetwork(options: LoadNetworkOptions): Promise<LoadNetwork> {
  const injector = await Injector.start(REGTEST.network);
  let devnet: PerfDevnet | undefined;
  try {
    devnet = await PerfDevnet.launch({
      count: options.count,
      miners: 0,
      network: 'regtest',
      runtime: options.runtime,
      repoRoot: options.repoRoot,
      ...(options.build === undefined ? {} : { build: options.build }),
      ...(options.nodeFlags === undefined ? {} : { nodeFlags: options.nodeFlags }),
      ...(options.nodeArgs === undefined ? {} : { nodeArgs: options.nodeArgs }),
      allow: [injector.peerId],
    });
    const startedMs = await devnet.waitStarted();
    options.log(`  ${options.count} ${options.runtime} nodes started in ${(startedMs / 1000).toFixed(1)} s`);
    const net = devnet;
    let connected: Promise<void> | undefined;
    const connect = (): Promise<void> => {
      connected ??= injector.connect(net.nodes.map((_, i) => net.addressOf(i)));
      return connected;
    };
    const coinSource = new CoinSource(REGTEST);
    if (options.deferConnect !== true) {
      await connect();
      if (options.coins > 0) await fundCoins(net, injector, coinSource, options.coins, options.log);
    }
    return {
      devnet: net,
      injector,
      coinSource,
      startedMs,
      connect,
      stop: async () => {
        await injector.stop();
        await net.stop();
      },
    };
  } catch (err) {
    await injector.stop().catch(() => undefined);
    await devnet?.stop().catch(() => undefined);
    throw err;
  }
}
