/**
 * What the trust-map server sends the page, shared by both sides (no imports: the page bundles it).
 *
 * The server keeps a view made of keyed entries (`node:<name>`, `peers:<name>`, `prop:tx`, ...).
 * On connect the event stream sends the whole view (`snapshot`); after every poll it sends only the
 * entries that changed or went away (`patch`), and each new feed event (`feed`). Times are ms since
 * the Unix epoch; scores are rounded to 2 decimals so decay noise does not resend unchanged rows.
 */

export type PeerState = 'healthy' | 'throttled' | 'quarantined';
export type PushScope = 'all' | 'own' | 'none';

/** One polled node: its RPC status, or why it cannot be read. */
export interface NodeView {
  readonly name: string;
  readonly rpcUrl: string;
  /** Answered its last poll. */
  readonly up: boolean;
  /** When `up` last changed (or the first poll). */
  readonly since: number;
  readonly error: string | null;
  readonly peerId: string | null;
  readonly height: number | null;
  readonly tip: string | null;
  readonly tipParent: string | null;
  readonly peers: number | null;
  readonly mempool: number | null;
  readonly quarantined: number | null;
  readonly mining: boolean | null;
  readonly txPerSec: number | null;
  /** The node's own verdict that it looks cut off from the network, and why (null: not said). */
  readonly partitionSuspected: boolean | null;
  readonly partitionReason: string | null;
}

/** What one node says of one peer: `peers` (when connected) merged with `reputation`. */
export interface PeerView {
  readonly peerId: string;
  readonly state: PeerState;
  readonly score: number;
  /** Gossipsub's score, when connected. */
  readonly gossipsubScore: number | null;
  readonly direction: 'inbound' | 'outbound' | null;
  readonly connected: boolean;
  readonly offences: number;
  readonly lastOffence: { readonly time: number; readonly kind: string; readonly evidence: string } | null;
  readonly bannedUntil: number | null;
  readonly pushesUs: PushScope;
  readonly wePush: PushScope;
  readonly allowListed: boolean;
  /** How the connection came to be (outbound-full, block-relay, feeler, manual, inbound), when the node says. */
  readonly connectionType: string | null;
  /** The node's failure detector (alive, suspect, dead) and last ping round trip (ms), when connected. */
  readonly liveness: string | null;
  readonly rttMs: number | null;
  /** Liveness of a disconnected peer: the last poll that saw it connected (null if never, or connected now). */
  readonly lastConnectedAt: number | null;
}

/** An attacker started from the page. */
export interface AttackerView {
  readonly kind: string;
  readonly peerId: string | null;
  readonly state: 'starting' | 'running' | 'exited';
  readonly startedAt: number;
  readonly detail: string | null;
}

/** Which nodes have the latest transaction or block, and when the server first saw each have it. */
export interface PropagationView {
  readonly kind: 'tx' | 'block';
  readonly id: string;
  readonly height: number | null;
  /** When it was made: the transaction's or block's own timestamp. */
  readonly createdAt: number;
  /** Node name → first poll that saw it there (null: not yet). */
  readonly seenAt: Readonly<Record<string, number | null>>;
}

export interface AttackKind {
  readonly kind: string;
  readonly description: string;
}

/** Fixed facts about this server. */
export interface MetaView {
  readonly title: string;
  readonly pollIntervalMs: number;
  /** Kinds the page may inject; empty when the server cannot start attackers. */
  readonly attackKinds: readonly AttackKind[];
}

/** Map of every entry kind to its value type. */
export interface ViewEntries {
  meta: MetaView;
  node: NodeView;
  peers: readonly PeerView[];
  attacker: AttackerView;
  prop: PropagationView;
  /** `marked:attackers`: peers any polled node has quarantined since the server started. */
  marked: { readonly peerIds: readonly string[] };
}

export type ViewKey = `${keyof ViewEntries}:${string}`;

export type FeedKind =
  'offence' | 'quarantine' | 'release' | 'block' | 'reorg' | 'partition' | 'node' | 'attack';

export interface FeedEvent {
  /** Increasing per server run; the page drops repeats after a reconnect. */
  readonly seq: number;
  readonly time: number;
  readonly kind: FeedKind;
  /** The node that reported it, or `network` for a view across nodes. */
  readonly node: string;
  readonly text: string;
  /** The peer concerned, if any (the page links it to the `why` panel). */
  readonly peerId?: string;
}

export interface Snapshot {
  readonly entries: Readonly<Record<string, unknown>>;
  readonly feed: readonly FeedEvent[];
}

export interface Patch {
  readonly set: Readonly<Record<string, unknown>>;
  readonly del: readonly string[];
}

/** `GET api/why?node=&peer=`: a node's report of a peer and the peer's score over time. */
export interface WhyAnswer {
  readonly node: string;
  readonly peerId: string;
  /** The node's `why` (a PeerReport), or null when it could not answer (`error` says why). */
  readonly report: unknown;
  readonly error: string | null;
  /** `node`: the node's own `scoreHistory`; `server`: samples of this server's polls. */
  readonly historySource: 'node' | 'server';
  readonly points: ReadonlyArray<{ readonly at: number; readonly score: number }>;
}

/** Names of the server-sent events. */
export const STREAM_EVENTS = Object.freeze({ snapshot: 'snapshot', patch: 'patch', feed: 'feed' });
