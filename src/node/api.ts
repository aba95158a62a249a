/**
 * The node's operator API: what the RPC server serves, and what the CLI and REPL show. All values
 * are JSON-friendly (hex strings, amounts as decimal strings in base units, times in ms since the
 * Unix epoch) so they cross JSON-RPC unchanged.
 */

export type PeerState = 'healthy' | 'throttled' | 'quarantined';

export interface NodeStatus {
  name: string;
  network: string;
  peerId: string;
  listen: string[];
  height: number;
  tip: string;
  tipTimestamp: number;
  peers: number;
  mempool: number;
  mempoolBytes: number;
  quarantined: number;
  mining: boolean;
  /** Transactions accepted into the mempool per second, over the last minute. */
  txPerSec: number;
  uptimeMs: number;
  /** Open connections we chose (full-relay, block-relay-only, manual) and that chose us. */
  outbound?: number;
  inbound?: number;
  /** The node looks cut off from the network (docs/membership.md), and why. */
  partitionSuspected?: boolean;
  partitionReason?: string | null;
}

export interface PeerInfo {
  peerId: string;
  state: PeerState;
  score: number;
  /** Gossipsub's own score of the peer (includes the application score). */
  gossipsubScore: number;
  direction: 'inbound' | 'outbound';
  addresses: string[];
  allowListed: boolean;
  /** Transactions this peer pushes us: all it accepts (an eager peer), its own, or none. */
  pushesUs: PushScope;
  /** Transactions we push this peer (its subscription to us). */
  wePush: PushScope;
  /** How the connection came to be: outbound-full, block-relay, feeler, manual (static peer) or inbound. */
  connectionType?: string;
  /** The netgroup of its address (IPv4 /16 by default): every membership limit keys on it. */
  netgroup?: string;
  /** Last ping round trip (ms), if measured. */
  rttMs?: number | null;
  /** Failure detection: alive, suspect (missed pings) or dead. */
  liveness?: string;
  /** When the connection opened (ms since the epoch). */
  connectedAt?: number;
}

/** One entry of the address book (`addrbook`). */
export interface AddrBookEntry {
  peerId: string;
  addrs: string[];
  netgroup: string;
  /** `new` (heard of) or `tried` (connected to). */
  table: 'new' | 'tried';
  /** Netgroup of the peer that told us (`seed`: a bootstrap address). */
  source: string;
  /** Last seen (ms since the epoch), as advertised or observed. */
  lastSeen: number;
  /** Connection attempts that failed since the last success. */
  attempts: number;
}

/** What a txpush subscription covers. */
export type PushScope = 'all' | 'own' | 'none';

export interface OffenceRecord {
  time: number;
  kind: string;
  /** Why: the object hash, error code or message that triggered it. */
  evidence: string;
  penalty: number;
  scoreAfter: number;
}

export interface ReputationEntry {
  peerId: string;
  state: PeerState;
  score: number;
  connected: boolean;
  offences: number;
  lastOffence: OffenceRecord | null;
  /** Ban expiry (ms since epoch) when quarantined, else null. */
  bannedUntil: number | null;
}

export interface PeerReport extends ReputationEntry {
  history: OffenceRecord[];
  offenceCounts: Record<string, number>;
  banReason: string | null;
  /** Gossipsub score components when connected (topic P1-P4, P5 app, P6 IP colocation, P7 behaviour). */
  gossipsub: Record<string, unknown> | null;
}

export interface BlockSummary {
  id: string;
  height: number;
  parent: string;
  timestamp: number;
  miner: string;
  txCount: number;
  bytes: number;
}

export interface TxOutputJson {
  address: string;
  amount: string;
}

export interface TxJson {
  txid: string;
  timestamp: number;
  coinbase: boolean;
  inputs: Array<{ prevTxid: string; outputIndex: number; publicKey: string }>;
  outputs: TxOutputJson[];
  /** Where it is: the mempool, or the id and height of the block on the active chain. */
  status: { mempool: true } | { blockId: string; height: number };
}

export interface BlockJson extends BlockSummary {
  target: string;
  nonce: string;
  txids: string[];
}

export interface MempoolInfo {
  size: number;
  bytes: number;
  txids: string[];
}

export interface BalanceInfo {
  address: string;
  /** Confirmed spendable balance in base units. */
  balance: string;
  utxos: number;
}

/** The node as the operator sees it. Every method may throw an Error with a user-readable message. */
export interface NodeApi {
  status(): Promise<NodeStatus>;
  peers(): Promise<PeerInfo[]>;
  reputation(): Promise<ReputationEntry[]>;
  why(peerId: string): Promise<PeerReport>;
  quarantined(): Promise<ReputationEntry[]>;
  ban(peerId: string, durationMs?: number, reason?: string): Promise<{ peerId: string; bannedUntil: number }>;
  unban(peerId: string): Promise<{ peerId: string; unbanned: boolean }>;
  tip(): Promise<BlockSummary>;
  /** By block id (hex) or height. */
  block(idOrHeight: string | number): Promise<BlockJson>;
  tx(txid: string): Promise<TxJson>;
  mempool(): Promise<MempoolInfo>;
  /** The node wallet's balance, or that of `address` (hex). */
  balance(address?: string): Promise<BalanceInfo>;
  /** Sends `amount` base units (decimal string) from the node wallet to `address` (hex). */
  send(address: string, amount: string, fee?: string): Promise<{ txid: string }>;
  /** Mines `count` blocks now (regardless of the background miner). */
  mine(count?: number): Promise<{ blocks: string[] }>;
  /** The address book (absent on an API without membership). */
  addrbook?(): Promise<AddrBookEntry[]>;
}
