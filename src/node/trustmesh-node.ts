/**
 * A running trustmesh node: the services built by the composition root (src/node/compose.ts), the
 * operator surfaces on top of them (JSON-RPC, Prometheus metrics), mining, and one lifecycle that
 * starts them in order and stops them in reverse within a graceful-stop budget.
 *
 * `TrustmeshNode.start(config)` is the honest node. Another entry point may pass `NodeHooks` to
 * compose a variant (the attacker in src/attacks/ wraps the inventory source and adds its runner);
 * this module knows nothing of attacks.
 */
import { mkdirSync } from 'node:fs';
import type { Miner } from '../chain/mining/miner.js';
import type { ChainParams } from '../chain/params.js';
import type { Chain } from '../chain/state/index.js';
import type { Wallet } from '../chain/wallet/wallet.js';
import type { P2PNode } from '../p2p/node/create-node.js';
import type { PushSubscriber } from '../p2p/push/index.js';
import type { InvRelay } from '../p2p/relay/inv-relay.js';
import type { Reputation } from '../p2p/reputation/index.js';
import type { BlockSync } from '../p2p/sync/block-sync.js';
import { composeNode, type NodeHooks } from './compose.js';
import type { NodeServices } from './services.js';
import type { NodeConfig } from './config.js';
import { Lifecycle } from './lifecycle.js';
import { createLogger, type Logger } from './logger.js';
import type { NodeMetrics } from './metrics.js';
import { TrustmeshNodeApi } from './node-api.js';
import { type RpcServer, startRpcServer } from './rpc/server.js';
import { submitLocalTransaction } from './submit.js';

export class TrustmeshNode {
  readonly config: NodeConfig;
  readonly params: ChainParams;
  readonly logger: Logger;
  readonly metrics: NodeMetrics;
  readonly chain: Chain;
  readonly wallet: Wallet;
  readonly miner: Miner;
  readonly reputation: Reputation;
  readonly p2p: P2PNode;
  readonly relay: InvRelay;
  readonly sync: BlockSync;

  private constructor(
    readonly services: NodeServices,
    readonly rpc: RpcServer | undefined,
    private readonly lifecycle: Lifecycle,
  ) {
    ({
      config: this.config,
      params: this.params,
      logger: this.logger,
      metrics: this.metrics,
      chain: this.chain,
      wallet: this.wallet,
      miner: this.miner,
      reputation: this.reputation,
      p2p: this.p2p,
      relay: this.relay,
      sync: this.sync,
    } = services);
  }

  /** Opens storage, starts networking, RPC, metrics and (if configured) mining. */
  static async start(config: NodeConfig, hooks: NodeHooks = {}): Promise<TrustmeshNode> {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const logger = createLogger({
      name: config.name,
      dataDir: config.dataDir,
      level: config.logLevel,
      stdout: config.logStdout,
    });
    const lifecycle = new Lifecycle(logger);
    try {
      const services = await composeNode(config, logger, lifecycle, hooks);
      const rpc =
        config.rpcPort < 0
          ? undefined
          : lifecycle.opened(
              'rpc',
              await startRpcServer({
                api: new TrustmeshNodeApi(services),
                dataDir: config.dataDir,
                port: config.rpcPort,
              }),
              (server) => server.close(),
            );
      if (config.metricsPort >= 0) {
        lifecycle.opened(
          'metrics-server',
          await services.metrics.serve(config.metricsPort),
          (server) => new Promise<void>((resolve) => server.close(() => resolve())),
        );
      }
      if (config.mine) {
        await lifecycle.start('mining', {
          start: async () => services.miner.start(),
          stop: () => services.miner.stop(),
        });
      }
      logger.info(
        {
          peerId: services.p2p.peerId.toString(),
          listen: services.p2p.multiaddrs().map(String),
          rpc: rpc?.url,
          height: services.chain.tip().height,
        },
        'node started',
      );
      return new TrustmeshNode(services, rpc, lifecycle);
    } catch (err) {
      await lifecycle.stopAll(config.stopTimeoutMs);
      await flush(logger);
      throw err;
    }
  }

  /** Accepts a transaction created here (RPC send), pushes it to every subscriber and announces it. */
  submitTransaction(bytes: Uint8Array): string {
    return submitLocalTransaction(this.services, bytes);
  }

  /** Peers subscribed to our transaction pushes, with their modes. */
  pushSubscribers(): PushSubscriber[] {
    return [...this.services.pushServer.subscribers()];
  }

  /** Peers we asked to push us every transaction (our eager peers). */
  eagerPeers(): string[] {
    return this.services.pushSubscriptions.eagerPeers();
  }

  get peerIdString(): string {
    return this.p2p.peerId.toString();
  }

  /** Stops every service in reverse order of start, within `config.stopTimeoutMs`. */
  async stop(): Promise<void> {
    const report = await this.lifecycle.stopAll(this.config.stopTimeoutMs);
    this.logger.info(report, 'node stopped');
    await flush(this.logger);
  }
}

function flush(logger: Logger): Promise<void> {
  return new Promise<void>((resolve) => logger.flush(() => resolve()));
}
