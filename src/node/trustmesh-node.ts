/**
 * A trustmesh node: composes the chain (LevelDB, mempool, miner, wallet), the libp2p node
 * (gossipsub, getdata, txpush, sync), the relay, the reputation layer (trust scores, ban list, rate
 * limits), the RPC server and metrics, and owns their start/stop order. Connection events drive
 * sync and the push subscriptions (every peer pushes us its own transactions, two eager peers all
 * fresh ones).
 *
 * Wiring of blame: every offence a component reports goes through `offence()`, which records it
 * (reputation), counts it (metrics) and, when the reputation layer decides on a quarantine,
 * `onQuarantine` logs one line (who, why, until), hangs up, and the gater refuses the peer until
 * the ban expires. Gossipsub sees the same verdict through `appSpecificScore`.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { type PeerId, TopicValidatorResult } from '@libp2p/interface';
import { decodeBlock } from '../chain/encoding/codec.js';
import { devAccount } from '../chain/genesis.js';
import { Miner } from '../chain/mining/miner.js';
import { txidOf } from '../chain/objects/transaction.js';
import { type ChainParams, NETWORKS } from '../chain/params.js';
import { Chain } from '../chain/state/index.js';
import { Wallet } from '../chain/wallet/wallet.js';
import { toHex } from '../crypto/hash.js';
import { GetDataClient } from '../p2p/getdata/client.js';
import { GetDataServer } from '../p2p/getdata/server.js';
import { createP2PNode, type P2PNode } from '../p2p/node/create-node.js';
import { type PushSubscriber, PushSubscriptions, TxPushClient, TxPushServer } from '../p2p/push/index.js';
import { BlockSync } from '../p2p/relay/block-sync.js';
import { InvRelay } from '../p2p/relay/inv-relay.js';
import type { InvItem, ObjectType, RateClass } from '../p2p/relay/ports.js';
import { type OffenceKind, RateLimiter, Reputation } from '../p2p/reputation/index.js';
import { SyncClient } from '../p2p/sync/client.js';
import { SyncServer } from '../p2p/sync/server.js';
import { decodeInv, PushMode } from '../p2p/wire/codec.js';
import { WireError } from '../p2p/wire/errors.js';
import type { ViolationKind } from '../p2p/wire/violations.js';
import {
  announcementChannel,
  inventorySource,
  objectFetcher,
  relayChain,
  syncChain,
  syncTransport,
  toRelayItem,
  txPushChannel,
} from './adapters.js';
import { AttackRunner } from './attack-runner.js';
import type { NodeConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { NodeMetrics } from './metrics.js';
import { TrustmeshNodeApi } from './node-api.js';
import { type RpcServer, startRpcServer } from './rpc/server.js';

/** Delay (ms) after a connection opens before we open protocol streams on it (lets identify finish). */
const CONNECT_SETTLE_MS = 250;
/** Window (ms) over which the status view's tx/s is computed. */
const TX_RATE_WINDOW_MS = 60_000;

const VALIDATION_RESULTS = {
  accept: TopicValidatorResult.Accept,
  ignore: TopicValidatorResult.Ignore,
  reject: TopicValidatorResult.Reject,
} as const;

export class TrustmeshNode {
  readonly config: NodeConfig;
  readonly params: ChainParams;
  readonly logger: Logger;
  readonly metrics: NodeMetrics;
  readonly now: () => number;
  readonly startedAt: number;
  chain!: Chain;
  wallet!: Wallet;
  miner!: Miner;
  reputation!: Reputation;
  readonly limiter: RateLimiter;
  p2p!: P2PNode;
  relay!: InvRelay;
  sync!: BlockSync;
  getdataClient!: GetDataClient;
  rpc: RpcServer | undefined;
  private getdataServer!: GetDataServer;
  private pushServer!: TxPushServer;
  private pushClient!: TxPushClient;
  private pushSubscriptions!: PushSubscriptions;
  private syncServer!: SyncServer;
  private metricsServer: Server | undefined;
  private attack: AttackRunner | undefined;
  private readonly acceptTimes: number[] = [];
  /** Connected peers by id string, kept from libp2p's events (`getPeers()` rebuilds its list per call). */
  private readonly connected = new Map<string, PeerId>();
  private readonly timers: NodeJS.Timeout[] = [];

  private constructor(config: NodeConfig) {
    this.config = config;
    this.params = NETWORKS[config.network]!;
    this.now = () => Date.now() + config.clockSkewMs;
    this.startedAt = this.now();
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    this.logger = createLogger({
      name: config.name,
      dataDir: config.dataDir,
      level: config.logLevel,
      stdout: config.logStdout,
    });
    this.metrics = new NodeMetrics();
    this.limiter = new RateLimiter({ now: this.now });
  }

  /** Opens storage, starts networking, RPC and (if configured) mining. */
  static async start(config: NodeConfig): Promise<TrustmeshNode> {
    const node = new TrustmeshNode(config);
    try {
      await node.open();
    } catch (err) {
      await node.stop().catch(() => undefined);
      throw err;
    }
    return node;
  }

  private async open(): Promise<void> {
    const { config, logger, now, params } = this;
    this.chain = await Chain.open({
      dataDir: config.dataDir,
      params,
      now,
      logger: logger.child({ component: 'chain' }),
    });
    this.wallet =
      config.devAccount !== null
        ? Wallet.fromSecretKey(devAccount(config.devAccount).secretKey, this.chain)
        : await Wallet.open(config.dataDir, this.chain);
    this.miner = new Miner({
      chain: this.chain,
      secretKey: devAccount(config.devAccount ?? 0).secretKey,
      payoutAddress: this.wallet.address,
      logger: logger.child({ component: 'miner' }),
    });
    this.reputation = await Reputation.open({
      dataDir: config.dataDir,
      now,
      allowList: config.allowList,
      baseBanMs: config.banBaseMs,
      onQuarantine: (event) => {
        this.metrics.quarantines.inc();
        logger.warn(
          {
            peer: event.peerId,
            kind: event.kind,
            evidence: event.evidence,
            until: new Date(event.until).toISOString(),
            banCount: event.banCount,
          },
          `quarantined ${event.peerId}: ${event.reason} until ${new Date(event.until).toISOString()}`,
        );
        void this.disconnect(event.peerId);
      },
    });

    this.p2p = await createP2PNode({
      network: params.network,
      dataDir: config.dataDir,
      host: config.host,
      port: config.port,
      bootstrap: config.peers,
      peerGate: { isBlocked: (peer) => this.reputation.isQuarantined(peer) },
      appSpecificScore: (peer) => this.reputation.applicationScore(peer),
      allowLoopbackColocation: config.devnetLoopback,
      devnetLoopback: config.devnetLoopback,
    });
    const libp2p = this.p2p.libp2p;
    const onViolation = (peer: string, kind: ViolationKind, detail: string): void =>
      this.offence(peer, violationOffence(kind), `${kind}: ${detail}`);
    this.getdataClient = new GetDataClient(libp2p, {
      network: params.network,
      onProtocolViolation: onViolation,
    });
    const source = inventorySource(this);
    this.getdataServer = new GetDataServer(libp2p, {
      network: params.network,
      source,
      onProtocolViolation: onViolation,
      admit: (peer, items) => this.admit(peer, 'getdata', items),
    });
    this.syncServer = new SyncServer(libp2p, {
      network: params.network,
      source,
      onProtocolViolation: onViolation,
      admit: (peer) => this.admit(peer, 'sync', 1),
    });
    this.pushServer = new TxPushServer(libp2p, { network: params.network, onProtocolViolation: onViolation });
    this.pushClient = new TxPushClient(libp2p, {
      network: params.network,
      onTransactions: (peer, txs) => this.relay.handlePushed(peer, txs),
      admit: (peer, cls, cost) => this.admit(peer, cls, cost),
      onProtocolViolation: onViolation,
      onClosed: (peer) => this.pushSubscriptions.subscriptionClosed(peer),
    });
    this.pushSubscriptions = new PushSubscriptions(this.pushClient);
    const syncClient = new SyncClient(libp2p, { network: params.network, onProtocolViolation: onViolation });
    const reputationPort = {
      offence: (peer: string, kind: OffenceKind, evidence: string) => this.offence(peer, kind, evidence),
      goodDelivery: (peer: string) => void this.reputation.recordGoodDelivery(peer),
      isQuarantined: (peer: string) => this.reputation.isQuarantined(peer),
      allow: (peer: string, cls: RateClass, cost: number) => this.limiter.take(peer, cls, cost),
      // Outbound peers (we chose them) and peers that earned credit by delivering valid objects.
      isPreferred: (peer: string) => {
        if (this.reputation.applicationScore(peer) > 0) return true;
        const peerId = this.connected.get(peer);
        return peerId !== undefined && this.isOutbound(peerId);
      },
    };
    this.relay = new InvRelay({
      chain: relayChain(this),
      reputation: reputationPort,
      fetcher: objectFetcher(this.getdataClient),
      channel: announcementChannel(this.p2p),
      push: txPushChannel(this.pushServer),
      reportValidation: (msgId, peer, verdict) =>
        this.p2p.gossipsub.reportMessageValidationResult(msgId, peer, VALIDATION_RESULTS[verdict]),
      onUnknownParent: (peer) => this.sync.requestSync(peer),
      params,
      now,
      logger: logger.child({ component: 'relay' }),
      metrics: this.metrics,
    });
    this.sync = new BlockSync({
      chain: syncChain(this.chain),
      transport: syncTransport(syncClient),
      fetcher: objectFetcher(this.getdataClient),
      reputation: reputationPort,
      params,
      onMempoolInventory: (peer, items) => this.relay.handleInv(peer, items),
      onTipAdvanced: () => this.relay.announce('block', this.chain.tip().id),
      connectedPeers: () => [...this.connected.keys()],
      logger: logger.child({ component: 'sync' }),
    });

    this.wireEvents();
    this.getdataClient.start();
    await this.getdataServer.start();
    await this.syncServer.start();
    await this.pushServer.start();
    this.relay.start();
    this.sync.start();
    this.timers.push(
      setInterval(() => {
        this.chain.mempool.expire(now());
        this.limiter.sweep();
        this.refreshGauges();
      }, 5_000),
    );
    for (const timer of this.timers) timer.unref();
    for (const peer of libp2p.getPeers()) this.peerConnected(peer);

    if (config.rpcPort >= 0) {
      this.rpc = await startRpcServer({
        api: new TrustmeshNodeApi(this),
        dataDir: config.dataDir,
        port: config.rpcPort,
      });
    }
    if (config.metricsPort >= 0) this.metricsServer = await this.metrics.serve(config.metricsPort);
    if (config.mine) this.miner.start();
    if (config.misbehaviour !== null) {
      this.attack = new AttackRunner(this, config.misbehaviour);
      this.attack.start();
    }
    logger.info(
      {
        peerId: this.p2p.peerId.toString(),
        listen: this.p2p.multiaddrs().map(String),
        rpc: this.rpc?.url,
        height: this.chain.tip().height,
      },
      'node started',
    );
  }

  private wireEvents(): void {
    const libp2p = this.p2p.libp2p;
    const topic = this.p2p.invTopic;
    this.p2p.gossipsub.addEventListener('gossipsub:message', (event) => {
      const { propagationSource, msgId, msg } = event.detail;
      if (msg.topic !== topic) return;
      const peer = propagationSource.toString();
      let items: ReturnType<typeof decodeInv>;
      try {
        items = decodeInv(msg.data);
      } catch (err) {
        const kind =
          err instanceof WireError && err.kind === 'OVERSIZE' ? 'OVERSIZE_MESSAGE' : 'MALFORMED_MESSAGE';
        this.offence(peer, kind, `inv: ${(err as Error).message}`);
        this.p2p.gossipsub.reportMessageValidationResult(msgId, peer, TopicValidatorResult.Reject);
        return;
      }
      this.relay.handleInv(peer, items.map(toRelayItem), msgId);
    });
    libp2p.addEventListener('peer:connect', (event) => this.peerConnected(event.detail));
    libp2p.addEventListener('peer:disconnect', (event) => {
      const peer = event.detail.toString();
      this.connected.delete(peer);
      this.relay.peerDisconnected(peer);
      this.getdataClient.forget(peer);
      this.pushSubscriptions.peerDisconnected(peer);
      this.limiter.forget(peer);
    });
    this.chain.on('block', ({ entry, txids }) => {
      this.relay.objectsArrived([`block:${entry.idHex}`, ...txids.map((txid) => `tx:${txid}`)]);
    });
    this.chain.on('tip', (tip) => {
      this.relay.tipChanged();
      this.metrics.chainHeight.set(tip.height);
    });
    this.chain.on('reorg', (reorg) => {
      this.metrics.reorgs.inc();
      void this.announceReturned(reorg.disconnected);
    });
    this.miner.on('block', (result) => {
      this.logger.info({ height: result.height, id: result.idHex }, 'mined block');
      this.relay.announce('block', result.id);
    });
    this.miner.on('failure', (err) => this.logger.warn({ err: err.message }, 'mining attempt failed'));
  }

  /**
   * After a reorg, the transactions of the disconnected blocks that went back into our mempool are
   * announced again: peers that saw them confirmed on the losing branch (or never saw them) would
   * otherwise never learn that they are pending again, and they would be lost to everyone else.
   */
  private async announceReturned(disconnected: readonly string[]): Promise<void> {
    try {
      for (const idHex of disconnected) {
        const bytes = await this.chain.getBlockBytes(idHex);
        if (bytes === undefined) continue;
        for (const tx of decodeBlock(bytes).transactions.slice(1)) {
          const txid = txidOf(tx);
          if (this.chain.mempool.has(toHex(txid))) this.relay.announce('tx', txid);
        }
      }
    } catch (err) {
      this.logger.debug({ err: (err as Error).message }, 'returned transactions not announced');
    }
  }

  private peerConnected(peerId: PeerId): void {
    const peer = peerId.toString();
    this.connected.set(peer, peerId);
    if (this.reputation.isQuarantined(peer)) {
      void this.disconnect(peer);
      return;
    }
    const timer = setTimeout(() => {
      if (!this.connected.has(peer)) return;
      this.sync.peerConnected(peer);
      this.pushSubscriptions.peerConnected(peer, this.isOutbound(peerId));
    }, CONNECT_SETTLE_MS);
    timer.unref();
  }

  /** Whether we dialed `peerId` (on any of its open connections). */
  private isOutbound(peerId: PeerId): boolean {
    return this.p2p.libp2p.getConnections(peerId).some((c) => c.direction === 'outbound');
  }

  /** Records an offence by `peer`; quarantine (and hang-up) follows from the reputation layer. */
  offence(peer: string, kind: OffenceKind, evidence: string): void {
    this.metrics.offences.inc({ kind });
    const verdict = this.reputation.recordOffence(peer, kind, evidence);
    this.logger.info({ peer, kind, evidence, score: verdict.score, state: verdict.state }, 'offence');
  }

  /** Rate limit of a request a peer makes us serve; exceeding it is an offence. */
  private admit(peer: string, cls: RateClass, cost: number): boolean {
    if (this.reputation.isQuarantined(peer)) return false;
    if (this.limiter.take(peer, cls, cost)) return true;
    this.offence(peer, 'RATE_LIMIT_EXCEEDED', `${cls}: ${cost} over the rate limit`);
    return false;
  }

  private async disconnect(peer: string): Promise<void> {
    this.relay?.peerDisconnected(peer);
    const peerId = this.connected.get(peer);
    if (peerId === undefined) return;
    try {
      await this.p2p.libp2p.hangUp(peerId);
    } catch (err) {
      this.logger.debug({ peer, err: (err as Error).message }, 'hang-up failed');
    }
  }

  /** Accepts a locally created transaction (RPC send, attacks excluded), announces and pushes it. */
  submitTransaction(bytes: Uint8Array): string {
    const accepted = this.chain.acceptTransaction(bytes);
    this.noteAccepted();
    this.relay.relayOwnTransaction(accepted.txid, bytes);
    return accepted.txidHex;
  }

  /** Counts a transaction accepted into the mempool, for the tx/s figure. */
  noteAccepted(): void {
    const now = this.now();
    this.acceptTimes.push(now);
    while (this.acceptTimes.length > 0 && this.acceptTimes[0]! < now - TX_RATE_WINDOW_MS)
      this.acceptTimes.shift();
  }

  /** Transactions accepted per second over the last minute (or since start). */
  txPerSec(): number {
    const now = this.now();
    const window = Math.min(TX_RATE_WINDOW_MS, Math.max(1_000, now - this.startedAt));
    return this.acceptTimes.filter((t) => t >= now - window).length / (window / 1_000);
  }

  /** Publishes an Inv at once, bypassing validation: only attacker nodes do this. */
  async relayAnnounceNow(items: InvItem[]): Promise<void> {
    await announcementChannel(this.p2p).publish(items);
  }

  /** Pushes transaction bytes to every subscriber at once, bypassing validation: only attacker nodes do this. */
  relayPushNow(payloads: readonly Uint8Array[]): void {
    for (const { peer } of this.pushServer.subscribers()) {
      for (const payload of payloads) this.pushServer.push(peer, payload);
    }
  }

  /** Bytes an attack serves for (type, id) instead of the honest store; undefined on honest nodes. */
  servedOverride(type: ObjectType, idHex: string): Uint8Array | Promise<never> | undefined {
    return this.attack?.override(type, idHex);
  }

  private refreshGauges(): void {
    this.metrics.mempoolSize.set(this.chain.mempool.size);
    const counts = { healthy: 0, throttled: 0, quarantined: 0 };
    for (const report of this.reputation.list()) counts[report.state]++;
    for (const [state, count] of Object.entries(counts)) this.metrics.peersByState.set({ state }, count);
  }

  /** Peers subscribed to our transaction pushes, with their modes. */
  pushSubscribers(): PushSubscriber[] {
    return [...this.pushServer.subscribers()];
  }

  /** What we asked `peer` to push us, if we are subscribed to it. */
  pushModeFrom(peer: string): PushMode | undefined {
    return this.pushClient.modeOf(peer);
  }

  /** Peers we asked to push us every transaction (our eager peers). */
  eagerPeers(): string[] {
    return this.pushSubscriptions.eagerPeers();
  }

  get peerIdString(): string {
    return this.p2p.peerId.toString();
  }

  /** Stops everything, in reverse order of start; safe to call on a partly started node. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.attack?.stop();
    await this.miner?.close().catch(() => undefined);
    await this.rpc?.close().catch(() => undefined);
    this.metricsServer?.close();
    await this.sync?.stop();
    await this.relay?.stop();
    this.pushSubscriptions?.stop();
    this.pushClient?.stop();
    await this.pushServer?.stop().catch(() => undefined);
    await this.syncServer?.stop().catch(() => undefined);
    await this.getdataServer?.stop().catch(() => undefined);
    this.getdataClient?.stop();
    await this.p2p?.stop().catch(() => undefined);
    await this.reputation?.close().catch(() => undefined);
    await this.chain?.close();
    this.logger.info('node stopped');
    await new Promise<void>((resolve) => this.logger.flush(() => resolve()));
  }
}

/** Transport-level protocol violations are flagrant: no correct implementation sends them. */
function violationOffence(kind: ViolationKind): OffenceKind {
  switch (kind) {
    case 'OVERSIZE':
      return 'OVERSIZE_MESSAGE';
    case 'MALFORMED':
    case 'NON_CANONICAL':
      return 'MALFORMED_MESSAGE';
    case 'UNSOLICITED':
      return 'UNSOLICITED_RESPONSE';
    default:
      return 'PROTOCOL_VIOLATION';
  }
}
