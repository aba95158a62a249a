/**
 * The misbehaviour plug-in of an attacker node and the context it acts through. An attacker is a
 * real trustmesh node (libp2p, gossipsub, getdata, sync) with one of these plugged in: the plug-in
 * decides what the node announces, serves, pushes, mines and writes on raw streams, and everything
 * else is the honest code path. Honest nodes therefore face the protocol exactly as a malicious
 * implementation would speak it.
 *
 * A kind is one module under src/attacks/kinds/ exporting `misbehaviour`; the catalogue
 * (src/attacks/kinds.ts) finds it there. A kind that needs a capability the context lacks adds it
 * here and in src/attacks/runner.ts (or src/attacks/context/).
 */
import type { BlockHeader, Transaction, TxOutput } from '../chain/encoding/codec.js';
import type { DevAccount } from '../chain/genesis.js';
import type { BlockTemplate } from '../chain/mining/miner.js';
import type { FullBlock } from '../chain/objects/block.js';
import type { ChainParams } from '../chain/params.js';
import type { ChainEntry } from '../chain/state/index.js';
import type { Logger } from '../node/logger.js';
import type { AddrEntryMessage } from '../p2p/membership/addr-codec.js';
import type { InvItem, ObjectType } from '../p2p/relay/ports.js';
import type { InventorySource } from '../p2p/wire/inventory-source.js';

/** A spendable output of the attacker's own funded dev account. */
export interface OwnOutput {
  readonly txid: Uint8Array;
  readonly index: number;
  readonly amount: bigint;
}

/** Whether a sealed block's id meets its target (`meets`) or, on purpose, misses it. */
export type PowOutcome = 'meets' | 'misses';

/** Builds blocks on the attacker's view of the chain, correct or wrong on purpose. */
export interface BlockForge {
  /** The attacker's active tip. */
  tip(): ChainEntry;
  /** The attacker's active-chain entry at `height`. */
  entryAt(height: number): ChainEntry | undefined;
  /** The target the next block must carry. */
  nextTarget(): bigint;
  /** A correct template on the tip (coinbase to the attacker, its mempool's best transactions), signed. */
  template(): BlockTemplate;
  /** A correct template with `transactions` after the coinbase instead of the mempool's, signed. */
  templateWith(transactions: readonly Transaction[], coinbaseExtra?: bigint): BlockTemplate;
  /** Signs `header` with the attacker's miner key (over its fields as they are now). */
  sign(header: BlockHeader): BlockHeader;
  /**
   * Searches a nonce so the block id `pow`s the header's target; the rest of the header is kept.
   * With `onlyOnTip`, gives up (undefined) once the tip moved away from the header's parent: the
   * block would land on a side chain, where only its header and body are checked until it wins.
   */
  seal(
    header: BlockHeader,
    transactions: readonly Transaction[],
    pow: PowOutcome,
    onlyOnTip?: boolean,
  ): Promise<FullBlock | undefined>;
  /** The merkle root of `transactions` (what a correct header commits to). */
  merkleRootOf(transactions: readonly Transaction[]): Uint8Array<ArrayBuffer>;
  /** Processes a block in the attacker's own chain (a valid one is then relayed like any block). */
  submitOwn(bytes: Uint8Array): Promise<void>;
}

/** A stream the attacker opened to a peer, written to by hand. */
export interface RawStream {
  /** Queues bytes for the peer (as they are: no framing is added). */
  write(bytes: Uint8Array): void;
  /** Closes our side once the queued bytes are written. */
  close(): void;
  /** True once the stream ended (closed by either side, reset or aborted). */
  readonly ended: boolean;
}

/** Writes bytes by hand on every stream protocol and gossipsub topic. */
export interface RawWire {
  /** Every stream protocol an honest node serves, by name. */
  readonly protocols: Readonly<Record<'getdata' | 'sync' | 'txpush' | 'addr', string>>;
  /** Opens a stream to `peer` on `protocol` (rejects when refused); closed when the attack stops. */
  open(peer: string, protocol: string): Promise<RawStream>;
  /** Publishes `data` as one gossipsub message on the inventory topic (no encoding added). */
  publish(data: Uint8Array): Promise<void>;
}

/** What a spawned peer serves besides libp2p's own protocols (identify, ping, gossipsub). */
export interface PeerServices {
  /** Answers sync and getdata from this view of the chain (a stale one, say) instead of nothing. */
  readonly source?: InventorySource;
  /** Serves transaction pushes, so the peers it connects to subscribe and can be pushed to. */
  readonly push?: boolean;
  /** Answers every getaddr with these entries (at most 1,000), instead of not speaking addr at all. */
  readonly addresses?: () => AddrEntryMessage[];
}

/** A libp2p peer of the attacker with its own identity on a host of its choosing. */
export interface SpawnedPeer {
  readonly peerId: string;
  /** The host (IPv4 loopback address) it listens and dials from. */
  readonly host: string;
  /** Its listen address, `/ip4/<host>/tcp/<port>/p2p/<id>` (what an addr message advertises). */
  readonly address: string;
  /** Dials `addr` (`/ip4/.../p2p/<id>`); false when refused (at the gater or in the handshake). */
  dial(addr: string): Promise<boolean>;
  /** Peer ids it has an open connection to. */
  connectedTo(): string[];
  /** Peer ids subscribed to its pushes (with `push`). */
  subscribers(): string[];
  /** Pushes transaction bytes to a subscribed peer, unannounced; false when it is not subscribed. */
  push(peer: string, payloads: Uint8Array[]): boolean;
  /** Opens a raw stream to a connected peer (closed when the attack stops). */
  open(peer: string, protocol: string): Promise<RawStream>;
  /** Stops it now (it is stopped with the attack anyway). */
  stop(): Promise<void>;
}

/** Other libp2p identities of the attacker: on its own host (127.0.0.1), or on a host it names. */
export interface Identities {
  /** Static-peer addresses the attacker dials (`/ip4/.../p2p/<id>`). */
  targets(): string[];
  /** Dials `addr` again from the attacker's own identity; false when refused or closed at once. */
  redial(addr: string): Promise<boolean>;
  /** Aborts every connection of the attacker's own identity at once (a dropped link). */
  dropConnections(): Promise<void>;
  /** A honest trustmesh node with a fresh identity that dials the same targets; stopped with the attack. */
  spawnHonestNode(): Promise<{ peerId: string; connectedTo(): string[] }>;
  /** A bare libp2p peer (fresh identity, no trustmesh services) connected to `addr`; false when refused. */
  spawnBarePeer(addr: string): Promise<{ peerId: string; wire: Pick<RawWire, 'open'> } | undefined>;
  /**
   * A peer with a fresh identity listening and dialing on `host` (any 127.x.y.z is local here: its
   * own address, or an honest node's, as behind a NAT), connected to nobody yet.
   */
  spawnPeer(host: string, services?: PeerServices): Promise<SpawnedPeer>;
}

export interface AttackContext {
  readonly params: ChainParams;
  readonly account: DevAccount;
  readonly logger: Logger;
  now(): number;
  /** Unspent outputs of the account at the attacker's tip (not yet used by this attack). */
  takeOutputs(count: number): OwnOutput[];
  /** Transactions of the attacker's active chain, oldest first (for replays). */
  confirmedTransactions(max: number): Promise<Transaction[]>;
  /** Publishes an Inv to the attacker's gossipsub mesh. */
  announce(items: InvItem[]): Promise<void>;
  /** Serves `bytes` when any peer asks for (type, hash) with getdata. */
  serve(type: ObjectType, hash: Uint8Array, bytes: Uint8Array): void;
  /** Pushes transaction bytes to every peer subscribed to the attacker's pushes, unannounced. */
  push(payloads: Uint8Array[]): void;
  /** Pushes transaction bytes to one subscribed peer; false when it is not subscribed. */
  pushTo(peer: string, payloads: Uint8Array[]): boolean;
  /** Peers subscribed to the attacker's pushes. */
  subscribers(): string[];
  /** Connected peers. */
  peers(): string[];
  /** Accepts a valid transaction of the attacker's into its own mempool and relays it honestly. */
  submitHonestly(bytes: Uint8Array): void;
  /** From now on, answers every getdata with silence (true) or honestly again (false). */
  withhold(on: boolean): void;
  readonly blocks: BlockForge;
  readonly wire: RawWire;
  readonly identities: Identities;
}

/** How the scenario judges a kind (issue 13): quarantined within 1 s, within 10 s, or harmless. */
export type AttackClass = 'flagrant' | 'graduated' | 'contained';

export interface Misbehaviour {
  readonly kind: string;
  /** Row of the attack catalogue (docs/attacks.md): the order of `--list`. */
  readonly catalogue: number;
  readonly class: AttackClass;
  readonly description: string;
  /** Interval (ms) between `act` calls. */
  readonly intervalMs: number;
  /** One round of misbehaviour. */
  act(ctx: AttackContext): Promise<void>;
  /** When set, getdata requests for these objects are never answered (the request times out). */
  readonly withholdAll?: boolean;
  /**
   * Shortest attack (s) in which the scenario can judge the kind (it behaves first, or its verdict
   * needs a getdata timeout or real proof of work); the scenario runs at least this long.
   */
  readonly scenarioSeconds?: number;
}

/** A self-payment of `amount` from `output` (the rest is the fee), used to build attack payloads. */
export function selfPayment(ctx: AttackContext, output: OwnOutput, fee = 1_000n): TxOutput[] {
  return [{ amount: output.amount - fee, address: ctx.account.address as Uint8Array<ArrayBuffer> }];
}
