/**
 * The services of a running node, as the composition root (compose.ts) builds them: every field is
 * set once the node has started. Modules that need several services take a `Pick` of this type.
 */
import type { Miner } from '../chain/mining/miner.js';
import type { ChainParams } from '../chain/params.js';
import type { Chain } from '../chain/state/index.js';
import type { Wallet } from '../chain/wallet/wallet.js';
import type { GetDataClient } from '../p2p/getdata/client.js';
import type { Membership } from '../p2p/membership/membership.js';
import type { P2PNode } from '../p2p/node/create-node.js';
import type { ConnectedPeers } from '../p2p/peers/connected-peers.js';
import type { PushSubscriptions, TxPushClient, TxPushServer } from '../p2p/push/index.js';
import type { InvRelay } from '../p2p/relay/inv-relay.js';
import type { AnnouncementChannel } from '../p2p/relay/ports.js';
import type { Blame } from '../p2p/reputation/blame.js';
import type { RateLimiter, Reputation } from '../p2p/reputation/index.js';
import type { BlockSync } from '../p2p/sync/block-sync.js';
import type { InventorySource } from '../p2p/wire/inventory-source.js';
import type { AcceptRate } from './accept-rate.js';
import type { NodeConfig } from './config.js';
import type { Logger } from './logger.js';
import type { NodeMetrics } from './metrics.js';

/** Every service of a running node. */
export interface NodeServices {
  readonly config: NodeConfig;
  readonly params: ChainParams;
  readonly logger: Logger;
  readonly metrics: NodeMetrics;
  /** The node's clock (ms since the epoch, shifted by `config.clockSkewMs`). */
  readonly now: () => number;
  readonly startedAt: number;
  readonly chain: Chain;
  readonly wallet: Wallet;
  readonly miner: Miner;
  readonly reputation: Reputation;
  readonly limiter: RateLimiter;
  readonly p2p: P2PNode;
  readonly peers: ConnectedPeers;
  readonly blame: Blame;
  readonly getdataClient: GetDataClient;
  readonly pushServer: TxPushServer;
  readonly pushClient: TxPushClient;
  readonly pushSubscriptions: PushSubscriptions;
  readonly announcements: AnnouncementChannel;
  /** What the getdata and sync servers serve from (the chain's store, unless a hook wrapped it). */
  readonly inventory: InventorySource;
  readonly relay: InvRelay;
  readonly sync: BlockSync;
  readonly acceptRate: AcceptRate;
  /** Address book, connection manager, liveness, partition detection. */
  readonly membership: Membership;
}
