/**
 * Every number of open membership (address book, address relay, connection manager, eviction,
 * liveness, partition detection), each with its unit and the reason for its value. Bitcoin Core's
 * figures are named where we take them; devnet-scaled defaults say so. docs/membership.md documents
 * the same numbers; change both together.
 */

// ---------------------------------------------------------------------------------------------
// Address book (Bitcoin Core's addrman)
// ---------------------------------------------------------------------------------------------

/** Buckets of the "new" table (addresses heard of, never connected): Core's 1,024. */
export const NEW_BUCKET_COUNT = 1_024;

/** Buckets of the "tried" table (addresses we connected to): Core's 256. */
export const TRIED_BUCKET_COUNT = 256;

/** Slots per bucket, both tables: Core's 64. */
export const BUCKET_SIZE = 64;

/**
 * New buckets one source netgroup can spread its addresses over: Core's 64. With 64 slots each, a
 * single source (however many identities it mints) fills at most 64 x 64 = 4,096 of the 65,536 new
 * slots (6.25%); addresses of ONE netgroup from one source land in exactly one bucket (64 slots).
 */
export const NEW_BUCKETS_PER_SOURCE_GROUP = 64;

/** Tried buckets one address netgroup can reach: Core's 8 (8 x 64 = 512 of 16,384 tried slots). */
export const TRIED_BUCKETS_PER_GROUP = 8;

/** Failed attempts after which an entry that never connected is "terrible" (replaceable): Core's 3. */
export const MAX_RETRIES = 3;

/** Failed attempts since the last success after which an entry is terrible: Core's 10. */
export const MAX_FAILURES = 10;

/** An entry not seen for this long (ms) is terrible: Core's 30 days. */
export const ADDRESS_HORIZON_MS = 30 * 24 * 3_600_000;

/** A lastSeen this far in the future (ms) is a lie: Core's 10 minutes. */
export const MAX_FUTURE_SKEW_MS = 10 * 60_000;

/** What a lying lastSeen is replaced with: now minus Core's 5 days. */
export const PENALISED_LAST_SEEN_MS = 5 * 24 * 3_600_000;

/** Multiaddrs kept per entry (a node may listen on IPv4 and IPv6). */
export const MAX_ADDRS_PER_ENTRY = 2;

/** Tried collisions waiting for a feeler test (Core's ADDRMAN_SET_TRIED_COLLISION_SIZE: 10). */
export const MAX_TRIED_COLLISIONS = 10;

// ---------------------------------------------------------------------------------------------
// Address relay (`/trustmesh/<network>/addr/1.0.0`)
// ---------------------------------------------------------------------------------------------

/** Most entries in one `Addr` message: Core's MAX_ADDR_TO_SEND; more is misbehaviour. */
export const MAX_ADDR_ENTRIES = 1_000;

/**
 * Largest frame in bytes. An entry is at most ~80 bytes (38-byte peer id, a multiaddr of up to
 * 19 bytes for ip6+tcp, a uint32, tags): 1,000 entries need ~80 KB; 128 KiB leaves room.
 */
export const MAX_ADDR_FRAME_BYTES = 128 * 1024;

/** Largest encoded multiaddr in an entry (ip6 + tcp is 21 bytes; room for nothing else). */
export const MAX_ENTRY_MULTIADDR_BYTES = 32;

/** Largest encoded peer id (an Ed25519 identity multihash is 38 bytes; RSA ones are longer, not ours). */
export const MAX_ENTRY_PEER_ID_BYTES = 64;

/** Whole exchange on one addr stream (ms): one frame each way on loopback takes ~2 ms. */
export const ADDR_TIMEOUT_MS = 5_000;

/** Addresses returned by a getaddr: at most Core's 1,000 ... */
export const GETADDR_MAX_ENTRIES = 1_000;

/** ... and at most Core's 23% of the book, so one peer cannot scrape it in one request ... */
export const GETADDR_MAX_PERCENT = 23;

/** ... except that a small book (devnet) is answered whole up to this many entries. */
export const GETADDR_SMALL_BOOK = 100;

/** A peer's getaddr is answered at most once per this interval (ms); others get an empty answer. */
export const GETADDR_ANSWER_INTERVAL_MS = 10_000;

/** Addresses accepted per peer per second, unsolicited: Core's 0.1 (one self-announcement per 10 s). */
export const ADDR_TOKENS_PER_SECOND = 0.1;

/** Token bucket size: Core's MAX_ADDR_PROCESSING_TOKEN_BUCKET (1,000). */
export const ADDR_TOKEN_BURST = 1_000;

/** Tokens a new peer starts with: Core's 1 (its self-announcement). */
export const ADDR_INITIAL_TOKENS = 1;

/**
 * Addr streams (getaddr or addr) per peer per second, and their burst. An honest peer opens one
 * every few seconds at most; a stream costs us a protocol negotiation, so a flood is an offence
 * (RATE_LIMIT_EXCEEDED), whereas addresses over the token bucket are only dropped (Core).
 */
export const ADDR_STREAMS_PER_SECOND = 1;
export const ADDR_STREAM_BURST = 20;

/** A received self-announcement or relay of at most this many entries is forwarded: Core's 10. */
export const MAX_RELAYED_ENTRIES = 10;

/** Only entries seen within this window (ms) are forwarded: Core's 10 minutes. */
export const RELAY_FRESHNESS_MS = 10 * 60_000;

/** Peers a fresh address is forwarded to: Core's 2 (reachable networks). */
export const RELAY_FANOUT = 2;

/** Our own address is announced to every connected peer this often (ms); Core: ~24 h on average. */
export const SELF_ANNOUNCE_INTERVAL_MS = 10 * 60_000;

// ---------------------------------------------------------------------------------------------
// Connection manager
// ---------------------------------------------------------------------------------------------

/** Core's full-relay outbound target (MAX_OUTBOUND_FULL_RELAY_CONNECTIONS). */
export const CORE_OUTBOUND_FULL_RELAY = 8;

/** Core's block-relay-only outbound target (MAX_BLOCK_RELAY_ONLY_CONNECTIONS). */
export const CORE_BLOCK_RELAY_ONLY = 2;

/** Core's inbound limit: 125 connections minus 8 + 2 outbound minus a feeler... 114 inbound. */
export const CORE_MAX_INBOUND = 114;

/** Core's limit on manual (addnode) peers (MAX_ADDNODE_CONNECTIONS). */
export const MAX_MANUAL_PEERS = 8;

/** Block-relay-only peers saved at shutdown and dialled first at start-up: Core's MAX_BLOCK_RELAY_ONLY_ANCHORS. */
export const MAX_ANCHORS = 2;

/**
 * Inbound connections accepted from one netgroup. Core has no such cap (it evicts from the largest
 * group only when full); peer ids cost nothing, so we also refuse the (N+1)th inbound connection of a
 * netgroup: with at most 1 outbound peer and 1 feeler per netgroup, no address ever holds more than
 * 10 connections. This cap, not gossipsub's IP colocation (P6, off: it kept counting disconnected
 * Sybils against honest peers on their address for an hour), is what bounds one address.
 */
export const MAX_INBOUND_PER_NETGROUP = 8;

/** Connection manager loop period (ms): Core's ThreadOpenConnections sleeps 500 ms. */
export const CONNECT_TICK_MS = 500;

/** Parallel outbound dials (Core: one at a time; a devnet must fill its slots within seconds). */
export const MAX_PARALLEL_DIALS = 4;

/** One dial attempt (ms): loopback connects in ~10 ms; real networks need seconds. */
export const DIAL_TIMEOUT_MS = 5_000;

/** An entry dialled less than this long ago (ms) is not dialled again (Core: 10 minutes; devnet scale). */
export const REDIAL_AFTER_MS = 10_000;

/**
 * A bootstrap seed we never reached is dialled again after this long (ms), doubling per failed
 * attempt up to REDIAL_AFTER_MS: nodes started together (a devnet, a testnet, a cluster) dial
 * seeds that are not listening yet, and would otherwise wait out the whole redial time for them.
 */
export const SEED_FIRST_REDIAL_MS = 1_000;

/** Source group of the bootstrap addresses in the address book. */
export const SEED_SOURCE = 'seed';

/** A feeler connection every this many ms: Core's FEELER_INTERVAL (2 minutes). */
export const FEELER_INTERVAL_MS = 2 * 60_000;

/** A feeler connection is closed after this long (ms): enough for the identify exchange. */
export const FEELER_LIFETIME_MS = 2_000;

/** A peer whose chain work stays below ours this many block intervals is stale (Core: 20 min = 2 intervals... scaled: 4). */
export const CHAIN_SYNC_TIMEOUT_INTERVALS = 4;

/** After asking a stale peer for its status, time it gets to catch up (ms): Core's 2 minutes, scaled. */
export const CHAIN_SYNC_GRACE_MS = 10_000;

/** Our tip is stale with no new block for this many target intervals: Core's 3 (30 minutes). */
export const STALE_TIP_INTERVALS = 3;

/** Peer status (chain work) is polled from outbound peers this often (ms): Core checks every 45 s. */
export const CHAIN_STATUS_POLL_MS = 5_000;

/** Extra outbound dials while our tip looks stale or a partition is suspected: Core's 1. */
export const EXTRA_OUTBOUND_WHEN_STALE = 1;

// ---------------------------------------------------------------------------------------------
// Inbound eviction (Core's node/eviction.cpp)
// ---------------------------------------------------------------------------------------------

/** Inbound peers protected by keyed netgroup (Core: 4). */
export const PROTECT_BY_NETGROUP = 4;

/** Inbound peers protected by lowest minimum ping (Core: 8). */
export const PROTECT_BY_PING = 8;

/** Inbound peers protected by most recent new transaction (Core: 4). */
export const PROTECT_BY_TX = 4;

/** Inbound peers protected by most recent new block (Core: 4). */
export const PROTECT_BY_BLOCK = 4;

/** Share of the remaining candidates protected by longest uptime (Core: half). */
export const PROTECT_BY_UPTIME_RATIO = 0.5;

// ---------------------------------------------------------------------------------------------
// Liveness (SWIM-style suspicion)
// ---------------------------------------------------------------------------------------------

/**
 * A connected peer we have heard nothing from for this long (ms) is pinged. Core pings every
 * 2 minutes; devnet-scaled. Anything the peer sends counts (its own pings, announcements, requests,
 * answers), so a busy link carries no pings and an idle one carries one per interval (see below).
 */
export const PING_INTERVAL_MS = 5_000;

/**
 * Extra silence (ms) before the peer with the larger peer id pings: the smaller id pings first, and
 * its ping (sent on a 1 s tick, plus a round trip) reaches the larger one before this runs out, so
 * an idle link carries one ping per interval instead of one from each side. Should the smaller
 * side stop pinging, the larger one starts this much later.
 */
export const PING_ANSWER_GRACE_MS = 2_000;

/**
 * Even a peer we hear from all the time is pinged this often (ms), for its round-trip time (inbound
 * eviction protects the lowest minimum ping, as Core's does). Core pings every 2 minutes.
 */
export const RTT_SAMPLE_INTERVAL_MS = 60_000;

/** A ping without answer after this long (ms) is missed (loopback RTT is ~1 ms; CPU stalls reach ~1 s). */
export const PING_TIMEOUT_MS = 4_000;

/** Missed pings in a row that make an alive peer suspect (SWIM: one missed probe). */
export const MISSED_PINGS_TO_SUSPECT = 1;

/**
 * A suspect peer that gives no sign of life for this long (ms) is declared dead and disconnected;
 * SWIM's suspicion timeout. Three ping intervals: one lost ping never kills a peer.
 */
export const SUSPECT_TIMEOUT_MS = 15_000;

/**
 * While an outbound peer is suspect, a fresh connection to it is tried this often (ms). When one
 * opens, the path works and only the old connection is stuck (a healed cut: TCP on a connection
 * that lost every packet for a while backs off its retransmissions for up to tens of seconds), so
 * the old one is replaced at once instead of at the suspicion timeout.
 */
export const SUSPECT_PROBE_INTERVAL_MS = 2_000;

/** Timeout (ms) of a fresh-connection probe (a dial + handshake: a few round trips). */
export const SUSPECT_PROBE_TIMEOUT_MS = 1_500;

/**
 * A peer whose connection was replaced after a probe is not probed again for this long (ms): if its
 * fresh connection stops answering too, the fault is the peer's (it answers handshakes, not pings),
 * and the suspicion timeout declares it dead instead of reconnecting it forever.
 */
export const SUSPECT_PROBE_COOLDOWN_MS = 60_000;

/**
 * An outbound peer declared dead is dialled again this often (ms), with the probe's short timeout,
 * while its slot is still empty and for at most LOST_PEER_RETRY_WINDOW_MS: across a partition the
 * attempts fail cheaply (no answer to the SYN), and once it heals the old topology is back within a
 * couple of seconds instead of after the address book's redial backoff (REDIAL_AFTER_MS per entry).
 */
export const LOST_PEER_RETRY_INTERVAL_MS = 2_000;

/** How long (ms) after losing it a dead outbound peer is dialled again (longer cuts: discovery). */
export const LOST_PEER_RETRY_WINDOW_MS = 5 * 60_000;

/**
 * A timer that fires more than this late (ms) means our own event loop stalled (CPU starvation, a
 * long synchronous task): a ping that timed out during the stall, and suspicion time spent in it,
 * say nothing about the peer and are not counted (as the request tracker does for getdata timeouts).
 */
export const EVENT_LOOP_STALL_MS = 1_000;

/** Dead peers remembered for the `peers` view and tests (entries). */
export const MAX_DEAD_REMEMBERED = 256;

/** Weight of a new RTT sample in the smoothed RTT (TCP's SRTT uses 1/8). */
export const RTT_SMOOTHING = 1 / 8;

// ---------------------------------------------------------------------------------------------
// Partition detection
// ---------------------------------------------------------------------------------------------

/** No new block for this many target intervals while connected: suspected partition. */
export const PARTITION_STALE_INTERVALS = 6;

/** No outbound (or manual) peer for this long (ms): suspected partition (we are cut off). */
export const PARTITION_NO_OUTBOUND_MS = 10_000;
