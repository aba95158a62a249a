/**
 * Limits of the trust-map server. Every history is bounded here, with its unit and reason, so the
 * server's memory does not grow with the devnet's age.
 */

/** Interval between two polls of a node (unit: ms): the page updates about once a second. */
export const POLL_INTERVAL_MS = 1_000;

/**
 * An RPC call of a poll that has not answered after this long fails (unit: ms). A node under
 * attack on two busy cores can take over a second to answer; a hung one costs a round this long.
 */
export const POLL_CALL_TIMEOUT_MS = 1_500;

/**
 * Polls in a row a node may time out while still shown up with its last answer (unit: polls): a
 * busy node is slow, not dead; one that refuses connections is shown down at once.
 */
export const SLOW_POLLS_TOLERATED = 3;

/** Nodes polled at the same time (unit: nodes): keeps a 30-node devnet from bursting 120 calls. */
export const POLL_CONCURRENCY = 6;

/** Score samples kept per (node, peer) (unit: samples, one per poll): the last 10 minutes. */
export const SCORE_SAMPLES_PER_PEER = 600;

/** (node, peer) pairs whose score samples are kept (unit: pairs): new attacker ids evict old ones. */
export const SCORED_PAIRS = 512;

/** Peers per node sent to the page (unit: peers): honest nodes hold a few dozen. */
export const PEERS_PER_NODE = 200;

/** Peers remembered as attackers once quarantined (unit: peers): the oldest mark goes first. */
export const MARKED_PEERS = 256;

/** Feed events kept for a newly connected page (unit: events). */
export const FEED_EVENTS = 500;

/** Blocks remembered per node for the first-seen times of propagation (unit: blocks). */
export const SEEN_BLOCKS = 64;

/** Transactions whose first-seen times are tracked (unit: transactions); only the latest is shown. */
export const SEEN_TXS = 256;

/** Pages connected to the event stream at once (unit: connections): a local tool, not a service. */
export const MAX_STREAM_CLIENTS = 16;

/** A comment line on the event stream this often (unit: ms) keeps idle connections open. */
export const HEARTBEAT_MS = 15_000;

/** Largest request body accepted (unit: bytes): the inject action sends a kind name. */
export const MAX_BODY_BYTES = 4 * 1024;

/** Polls in a row that see the honest nodes split before a partition is reported (unit: polls). */
export const PARTITION_POLLS = 3;

/** Attackers the page may run at once (unit: processes): each is a full node on 2 shared cores. */
export const MAX_ATTACKERS = 4;

/** Random bytes of the URL token (hex-encoded): unguessable. */
export const TOKEN_BYTES = 16;
