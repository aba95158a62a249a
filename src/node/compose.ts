/**
 * The composition root of a trustmesh node: builds every service in dependency order from the
 * configuration, hands each the concrete services it uses (never the node), and registers each on
 * the lifecycle so start and stop follow one ordered list. The result, `NodeServices`, is fully
 * built: no field is ever undefined.
 *
 * Order: storage and identity first (chain, wallet, miner, reputation), then the libp2p node (its
 * gater asks the reputation layer), blame, the protocol services, the relay and sync, the event
 * wiring, housekeeping, then the operator surfaces (RPC, metrics) and mining last. Hooks let
 * another entry point compose a variant of the same node (the attacker, `src/attacks/main.ts`)
 * without the honest node knowing of it.
 */
import { TopicValidatorResult } from '@libp2p/interface';
import { devAccount } from '../chain/genesis.js';
import { Miner } from '../chain/mining/miner.js';
import { NETWORKS } from '../chain/params.js';
import { Chain } from '../chain/state/index.js';
import { Wallet } from '../chain/wallet/wallet.js';
import { GetDataClient } from '../p2p/getdata/client.js';
import { GetDataServer } from '../p2p/getdata/server.js';
import { MAX_MANUAL_PEERS } from '../p2p/membership/constants.js';
import { Membership } from '../p2p/membership/membership.js';
import { createP2PNode } from '../p2p/node/create-node.js';
import { UnheardRetry } from '../p2p/relay/unheard-retry.js';
import type { InboundAddressGate } from '../p2p/node/gater.js';
import { ConnectedPeers } from '../p2p/peers/connected-peers.js';
import { PeerStorePruner } from '../p2p/peers/peer-store-pruner.js';
import { PushSubscriptions, TxPushClient, TxPushServer } from '../p2p/push/index.js';
import { InvRelay } from '../p2p/relay/inv-relay.js';
import { CompactBlockSource } from '../p2p/compact/compact-source.js';
import { InvTopicListener } from '../p2p/relay/inv-topic.js';
import { Blame } from '../p2p/reputation/blame.js';
import { PeerFault } from '../p2p/reputation/faults.js';
import { RateLimiter, Reputation, TOTAL_SERVED_LIMIT } from '../p2p/reputation/index.js';
import { BlockSync } from '../p2p/sync/block-sync.js';
import { SyncClient } from '../p2p/sync/client.js';
import { SyncServer } from '../p2p/sync/server.js';
import { WireError } from '../p2p/wire/errors.js';
import type { InventorySource } from '../p2p/wire/inventory-source.js';
import { AcceptRate } from './accept-rate.js';
import {
  announcementChannel,
  compactBlockPort,
  inventorySource,
  objectFetcher,
  relayChain,
  syncChain,
  syncTransport,
  txPushChannel,
} from './adapters.js';
import type { NodeConfig } from './config.js';
import { wireEvents } from './events.js';
import type { Lifecycle, Startable } from './lifecycle.js';
import type { Logger } from './logger.js';
import { NodeMetrics } from './metrics.js';
import { quarantineEnforcer } from './quarantine.js';
import type { NodeServices } from './services.js';

/** Interval (ms) of housekeeping: mempool expiry, rate-limiter sweep, gauges. */
const HOUSEKEEPING_INTERVAL_MS = 5_000;

const GOSSIP_RESULTS = {
  accept: TopicValidatorResult.Accept,
  ignore: TopicValidatorResult.Ignore,
  reject: TopicValidatorResult.Reject,
} as const;

/** Ways another entry point composes a variant of the node. The honest node passes none. */
export interface NodeHooks {
  /** Wraps the store the getdata and sync servers serve from. */
  decorateInventory?(honest: InventorySource): InventorySource;
  /** Services started after the node's own (stopped before them), built from its services. */
  extensions?(services: NodeServices): Array<{ name: string; service: Startable }>;
  /** Publish own announcements to every connected peer, not only the gossipsub mesh. */
  floodPublish?: boolean;
  /** Batch transaction announcements over this many ms instead of TX_ANNOUNCE_INTERVAL_MS. */
  txAnnounceIntervalMs?: number;
}

/** Builds and starts every service on `lifecycle`; on failure, `lifecycle.stopAll` undoes it. */
export async function composeNode(
  config: NodeConfig,
  logger: Logger,
  lifecycle: Lifecycle,
  hooks: NodeHooks = {},
): Promise<NodeServices> {
  const params = NETWORKS[config.network]!;
  const now = () => Date.now() + config.clockSkewMs;
  const startedAt = now();
  const metrics = new NodeMetrics();
  const acceptRate = new AcceptRate(now, startedAt);

  const chain = lifecycle.opened(
    'chain',
    await Chain.open({ dataDir: config.dataDir, params, now, logger: logger.child({ component: 'chain' }) }),
    (c) => c.close(),
  );
  const wallet =
    config.devAccount !== null
      ? Wallet.fromSecretKey(devAccount(config.devAccount).secretKey, chain)
      : await Wallet.open(config.dataDir, chain);
  const miner = lifecycle.opened(
    'miner',
    new Miner({
      chain,
      secretKey: devAccount(config.devAccount ?? 0).secretKey,
      payoutAddress: wallet.address,
      cpuPercent: config.miningCpu,
      logger: logger.child({ component: 'miner' }),
    }),
    (m) => m.close(),
  );
  const enforcer = quarantineEnforcer(metrics, logger);
  const reputation = lifecycle.opened(
    'reputation',
    await Reputation.open({
      dataDir: config.dataDir,
      now,
      allowList: config.allowList,
      baseBanMs: config.banBaseMs,
      onQuarantine: enforcer.onQuarantine,
    }),
    (r) => r.close(),
  );
  const limiter = new RateLimiter({ now });
  const uploads = new RateLimiter({ now, limits: { served: TOTAL_SERVED_LIMIT }, maxPeers: 1 });

  // Outbound targets: Core's 8 + 2 when the node discovers peers from bootstrap addresses; a node
  // with static peers only keeps exactly those (docs/membership.md).
  const discovers = config.bootstrap.length > 0;
  const outboundFullRelay = config.outboundFullRelay ?? (discovers ? 8 : 0);
  const blockRelayOnly = config.blockRelayOnly ?? (discovers ? 2 : 0);
  // The gater asks membership (built below, once libp2p exists) about inbound netgroups.
  let membershipGate: InboundAddressGate = () => false;
  // Signs of life (a peer's pings, relay and sync messages) go to membership's liveness table.
  let heardFrom: (peer: string) => void = () => undefined;
  const p2p = lifecycle.opened(
    'p2p',
    await createP2PNode({
      network: params.network,
      dataDir: config.dataDir,
      host: config.host,
      port: config.port,
      bootstrap: config.peers,
      peerGate: { isBlocked: (peer) => reputation.isQuarantined(peer) },
      appSpecificScore: (peer) => reputation.applicationScore(peer),
      floodPublish: hooks.floodPublish === true,
      devnetLoopback: config.devnetLoopback,
      inboundGate: (addr) => membershipGate(addr),
      onInboundPing: (peer) => heardFrom(peer),
      // Membership enforces the inbound limits; libp2p's cap only backstops them: inbound + outbound
      // + manual + a feeler, + 8 for connections still closing.
      maxConnections: config.maxInbound + outboundFullRelay + blockRelayOnly + MAX_MANUAL_PEERS + 1 + 8,
    }),
    (p) => p.stop(),
  );
  const { libp2p } = p2p;
  const peers = await lifecycle.start('peers', new ConnectedPeers(libp2p));
  const staticPeers = new Set(config.peers.map((addr) => addr.slice(addr.lastIndexOf('/p2p/') + 5)));
  const peerStore = await lifecycle.start(
    'peer-store-pruner',
    new PeerStorePruner({
      libp2p,
      isQuarantined: (peer) => reputation.isQuarantined(peer),
      keep: (peer) => staticPeers.has(peer),
    }),
  );
  enforcer.hangUpWith(async (peer) => {
    const peerId = peers.peerId(peer);
    await peers.hangUp(peer);
    if (peerId !== undefined && !staticPeers.has(peer)) await peerStore.forget(peerId);
  });
  const blame = new Blame({
    reputation,
    limiter,
    uploads,
    params,
    metrics,
    logger,
    gossipVerdicts: (msgId, peer, verdict) =>
      p2p.gossipsub.reportMessageValidationResult(msgId, peer, GOSSIP_RESULTS[verdict]),
  });

  const network = params.network;
  const onProtocolViolation = blame.onViolation;
  const compactSource = new CompactBlockSource(
    (idHex) => chain.getBlockBytes(idHex),
    (idHex) => chain.hasStoredBlock(idHex),
  );
  const honestSource = inventorySource(chain, params, now, compactSource);
  const source = hooks.decorateInventory?.(honestSource) ?? honestSource;
  const getdataClient = await lifecycle.start(
    'getdata-client',
    new GetDataClient(libp2p, { network, onProtocolViolation }),
  );
  await lifecycle.start(
    'getdata-server',
    new GetDataServer(libp2p, {
      network,
      source,
      onProtocolViolation,
      admit: (peer, items) => {
        heardFrom(peer);
        return blame.admit(peer, 'getdata', items);
      },
      uploadBudget: (peer) => blame.uploadBudget(peer),
      chargeUpload: (peer, bytes) => blame.chargeUpload(peer, bytes),
    }),
  );
  await lifecycle.start(
    'sync-server',
    new SyncServer(libp2p, {
      network,
      source,
      onProtocolViolation,
      admit: (peer) => {
        heardFrom(peer);
        return blame.admit(peer, 'sync', 1);
      },
      uploadBudget: (peer) => blame.uploadBudget(peer),
      chargeUpload: (peer, bytes) => blame.chargeUpload(peer, bytes),
    }),
  );
  const pushServer = await lifecycle.start(
    'push-server',
    new TxPushServer(libp2p, { network, onProtocolViolation }),
  );
  // The push client hands pushed transactions to the relay, built below with the client's channel.
  let onPushed: (peer: string, txs: Uint8Array[]) => Promise<void> = async () => undefined;
  const pushClient = await lifecycle.start(
    'push-client',
    new TxPushClient(libp2p, {
      network,
      onTransactions: (peer, txs) => onPushed(peer, txs),
      onCompactBlock: (peer, compactBlock) => relay.handlePushedCompactBlock(peer, compactBlock),
      admit: (peer, cls, cost) => blame.admit(peer, cls, cost),
      onProtocolViolation,
      onClosed: (peer) => pushSubscriptions.subscriptionClosed(peer),
    }),
  );
  const pushSubscriptions = await lifecycle.start(
    'push-subscriptions',
    new PushSubscriptions(pushClient, { now }),
  );
  const syncClient = new SyncClient(libp2p, { network, onProtocolViolation });
  const fetcher = objectFetcher(getdataClient);
  const announcements = lifecycle.opened(
    'announcements',
    new UnheardRetry(announcementChannel(p2p)),
    async (a) => a.stop(),
  );

  // Requested first from the peers we dialed and the allow-listed (Bitcoin Core's preferred peers).
  const isPreferred = (peer: string) => peers.isOutbound(peer) || reputation.isAllowListed(peer);
  // Relay and sync call each other through these two callbacks (orphan block → sync; sync → announce).
  const relay: InvRelay = new InvRelay({
    chain: relayChain({ chain, acceptRate, metrics, now }),
    blame,
    fetcher,
    channel: announcements,
    push: txPushChannel(pushServer),
    isPreferred,
    onUnknownParent: (peer) => sync.requestSync(peer),
    isBlockRelayOnly: (peer) => membership.isBlockRelayOnly(peer),
    onHeard: (peer) => heardFrom(peer),
    onNewObject: (peer, type, path) => {
      membership.recordDelivery(peer, type);
      if (type === 'block') pushSubscriptions.deliveredBlockFirst(peer);
      else pushSubscriptions.deliveredTransactionFirst(peer, path === 'getdata');
    },
    ...(config.compactBlocks ? { compact: compactBlockPort(compactSource, chain, syncClient) } : {}),
    ...(hooks.txAnnounceIntervalMs === undefined ? {} : { txAnnounceIntervalMs: hooks.txAnnounceIntervalMs }),
    now,
    logger: logger.child({ component: 'relay' }),
    metrics,
  });
  const sync: BlockSync = new BlockSync({
    chain: syncChain(chain),
    transport: syncTransport(syncClient),
    fetcher,
    blame,
    onMempoolInventory: (peer, items) => relay.handleInv(peer, items),
    connectedPeers: () => peers.list(),
    carriesTransactions: (peer) => !membership.isBlockRelayOnly(peer),
    logger: logger.child({ component: 'sync' }),
  });
  onPushed = (peer, txs) => relay.handlePushed(peer, txs);
  let tipChangedAt = startedAt;
  chain.on('tip', () => {
    tipChangedAt = now();
  });
  const membership = await Membership.create(
    {
      network,
      dataDir: config.dataDir,
      bootstrap: config.bootstrap,
      netgroupMode: config.netgroupMode,
      outboundFullRelay,
      blockRelayOnly,
      maxInbound: config.maxInbound,
      maxInboundPerNetgroup: config.maxInboundPerNetgroup,
      ...(outboundFullRelay + blockRelayOnly === 0 ? { feelerIntervalMs: 0 } : {}),
    },
    {
      host: libp2p,
      isBanned: (peer) => reputation.isQuarantined(peer),
      isNoBan: (peer) => reputation.isAllowListed(peer),
      manualPeers: () => p2p.staticPeers,
      onOffence: (peer, kind, evidence) =>
        blame.punish(
          peer,
          kind === 'RATE_LIMIT_EXCEEDED'
            ? new PeerFault('RATE_LIMITED', evidence)
            : new WireError(kind === 'OVERSIZE_MESSAGE' ? 'OVERSIZE' : 'MALFORMED', evidence),
        ),
      chain: {
        work: () => chain.tip().cumulativeWork,
        tipChangedAt: () => tipChangedAt,
        targetSpacingMs: params.blockIntervalMs,
      },
      peerWork: async (peer) => {
        const status = await syncClient.requestStatus(peer);
        heardFrom(peer);
        return status.cumulativeWork;
      },
      // A link that went dark and came back: catch up with it as with a new connection.
      onPeerRecovered: (peer) => sync.peerConnected(peer),
      onEvent: (event) => {
        if (event.kind !== 'dial' && event.kind !== 'dial-failed')
          logger.info({ ...event }, `membership ${event.kind}`);
        // A suspected partition ended: what crossed neither way meanwhile (announcements into a
        // mesh whose peers were dark) is learned from every peer, not only from the next poll's,
        // and the eager push peers, all chosen on our side of the cut, are drawn again.
        if (event.kind === 'partition' && !event.suspected) {
          for (const peer of peers.list()) sync.peerConnected(peer);
          pushSubscriptions.redraw();
        }
      },
      now,
    },
  );
  membershipGate = (addr) => membership.denyInbound(addr);
  heardFrom = (peer) => membership.heardFrom(peer);
  await lifecycle.start('membership', membership);
  await lifecycle.start('relay', relay);
  await lifecycle.start(
    'inv-topic',
    new InvTopicListener({ gossipsub: p2p.gossipsub, topic: p2p.invTopic, relay, blame }),
  );
  await lifecycle.start('block-sync', sync);

  const services: NodeServices = {
    config,
    params,
    logger,
    metrics,
    now,
    startedAt,
    chain,
    wallet,
    miner,
    reputation,
    limiter,
    p2p,
    peers,
    blame,
    getdataClient,
    pushServer,
    pushClient,
    pushSubscriptions,
    announcements,
    inventory: source,
    relay,
    sync,
    acceptRate,
    membership,
  };
  await lifecycle.start('events', wireEvents(services));
  await lifecycle.start('housekeeping', housekeeping(services));
  for (const { name, service } of hooks.extensions?.(services) ?? []) await lifecycle.start(name, service);
  return services;
}

/** Every HOUSEKEEPING_INTERVAL_MS: expires old mempool entries, sweeps rate limits, refreshes gauges. */
function housekeeping({ chain, limiter, metrics, reputation, now }: NodeServices): Startable {
  let timer: NodeJS.Timeout | undefined;
  return {
    async start() {
      timer = setInterval(() => {
        chain.mempool.expire(now());
        limiter.sweep();
        reputation.prune();
        metrics.mempoolSize.set(chain.mempool.size);
        const counts = { healthy: 0, throttled: 0, quarantined: 0 };
        for (const report of reputation.list()) counts[report.state]++;
        for (const [state, count] of Object.entries(counts)) metrics.peersByState.set({ state }, count);
      }, HOUSEKEEPING_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
    },
  };
}
