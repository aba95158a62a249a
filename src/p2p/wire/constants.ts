/**
 * Protocol identifiers and every limit of the wire protocol, each with its unit and the reason for
 * its value. PROTOCOL.md documents the same numbers; change both together.
 *
 * Every limit is checked before the bytes it bounds are read or parsed: a peer cannot make us
 * allocate or decode more than these bounds.
 */
import {
  MAX_BLOCK_BYTES,
  MAX_BLOCK_TXS,
  MAX_HEADER_BYTES,
  MAX_TX_BYTES,
} from '../../chain/encoding/limits.js';
import { HASH_LENGTH } from '../../crypto/hash.js';

/** Length in bytes of every hash on the wire (txids, block ids, locator entries). */
export const WIRE_HASH_BYTES = HASH_LENGTH;

// ---------------------------------------------------------------------------------------------
// Protocol ids (functions of the network name, so two networks never exchange a single byte)
// ---------------------------------------------------------------------------------------------

/** Network names are lowercase letters, digits and dashes: they appear in protocol ids and topics. */
const NETWORK_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** Throws a TypeError unless `network` is a valid network name (1-32 of `[a-z0-9-]`, no leading dash). */
export function assertNetworkName(network: string): void {
  if (!NETWORK_NAME.test(network)) throw new TypeError(`invalid network name: ${JSON.stringify(network)}`);
}

/** Gossipsub topic of inventory announcements: `/trustmesh/<network>/inv/1`. */
export function invTopic(network: string): string {
  assertNetworkName(network);
  return `/trustmesh/${network}/inv/1`;
}

/** Stream protocol of object download: `/trustmesh/<network>/getdata/1.0.0`. */
export function getDataProtocol(network: string): string {
  assertNetworkName(network);
  return `/trustmesh/${network}/getdata/1.0.0`;
}

/** Stream protocol of transaction push subscriptions: `/trustmesh/<network>/txpush/1.0.0`. */
export function txPushProtocol(network: string): string {
  assertNetworkName(network);
  return `/trustmesh/${network}/txpush/1.0.0`;
}

/** Stream protocol of chain and mempool synchronisation: `/trustmesh/<network>/sync/1.0.0`. */
export function syncProtocol(network: string): string {
  assertNetworkName(network);
  return `/trustmesh/${network}/sync/1.0.0`;
}

// ---------------------------------------------------------------------------------------------
// Inventory announcements (gossipsub)
// ---------------------------------------------------------------------------------------------

/** Most items in one gossiped `Inv` (Bitcoin's MAX_INV_SZ is 50,000; we announce per object burst). */
export const MAX_INV_ITEMS = 1_000;

/**
 * Largest gossiped `Inv` payload in bytes. One item encodes in at most 38 bytes (tag, length, type,
 * 32-byte hash), so 1,000 items need ~38 KB; 64 KiB leaves room without allowing anything big.
 */
export const MAX_INV_BYTES = 64 * 1024;

/**
 * Bytes of the random nonce in a gossiped Inv: makes each node's announcement its own gossipsub
 * message (ids are content hashes), so every announcer is seen and a Reject blames only the sender.
 */
export const INV_NONCE_BYTES = 8;

/**
 * Largest gossipsub RPC frame in bytes (gossipsub's own length-prefixed frames, which batch several
 * messages and control entries). 1 MiB instead of gossipsub's 4 MiB default: our payloads are small.
 */
export const MAX_GOSSIP_RPC_BYTES = 1024 * 1024;

/**
 * Gossipsub heartbeats (1 s each) an announcement stays in the message cache awaiting its
 * validation verdict. The relay engine reports Reject only after downloading and validating the
 * announced object, which can take a getdata timeout; a verdict reported after eviction is lost
 * (no score change). 30 s covers a 10 s getdata timeout plus validation with margin.
 */
export const INV_VERDICT_WINDOW_HEARTBEATS = 30;

// ---------------------------------------------------------------------------------------------
// getdata (long-lived pipelined stream per connection)
// ---------------------------------------------------------------------------------------------

/** Most items in one `GetData` request (matches MAX_INV_ITEMS: one announcement, one request). */
export const MAX_GETDATA_ITEMS = 1_000;

/** Largest `GetData` frame in bytes: 1,000 items need ~38 KB. */
export const MAX_GETDATA_BYTES = 64 * 1024;

/**
 * Budget in bytes for the object payloads of one `Data` response (sum of `payload` lengths). Four
 * times the largest block (1 MB), so a response always fits at least one object of any kind; what
 * does not fit is listed in `deferred` and requested again.
 */
export const MAX_DATA_BYTES = 4 * 1024 * 1024;

/**
 * Largest `Data` frame in bytes: the payload budget plus 64 KiB for per-object framing (~12 bytes
 * each) and the `notFound` / `deferred` lists (~38 bytes per item, 1,000 items at most).
 */
export const MAX_DATA_FRAME_BYTES = MAX_DATA_BYTES + 64 * 1024;

/**
 * Most unanswered `GetData` requests a client may have on one stream. The server reads ahead at
 * most this far (bounding its memory per peer: 16 x 64 KiB); the client queues the rest locally.
 */
export const MAX_PENDING_GETDATA = 16;

/** Default per-request timeout in ms of `requestObjects`, counted from the call (includes queueing). */
export const DEFAULT_GETDATA_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// txpush (one long-lived stream per subscriber and pusher: subscriptions up, transactions down)
// ---------------------------------------------------------------------------------------------

/** Largest `PushSubscribe` frame in bytes: it holds one enum (2 bytes). */
export const MAX_PUSH_SUBSCRIBE_BYTES = 16;

/** Most transactions in one `TxPush` frame: a burst validated in one event-loop turn. */
export const MAX_PUSH_TXS = 64;

/**
 * Largest `TxPush` frame in bytes: two maximal transactions (100 KB each) plus framing. The pusher
 * splits larger batches; a subscriber never buffers more than this per pusher.
 */
export const MAX_PUSH_FRAME_BYTES = 256 * 1024;

// ---------------------------------------------------------------------------------------------
// compact block relay (BIP152-style; src/p2p/compact)
// ---------------------------------------------------------------------------------------------

/** Bytes of a short transaction id: 48 bits, as BIP152 (collisions are handled, see short-ids.ts). */
export const SHORT_ID_BYTES = 6;

/** Bytes of the sender's salt in a compact block (BIP152's 64-bit nonce). */
export const COMPACT_NONCE_BYTES = 8;

/**
 * Largest encoded `CompactBlock`: a maximal header and coinbase, a short id for every other
 * transaction a block may hold, and field framing (4 fields x at most 4 bytes). About 160 KB:
 * it fits one push frame.
 */
export const MAX_COMPACT_BLOCK_BYTES =
  MAX_HEADER_BYTES + MAX_TX_BYTES + SHORT_ID_BYTES * (MAX_BLOCK_TXS - 1) + 64;

/**
 * Most positions in one `GetBlockTxn` (2-byte varints: ~2 KB, inside the 4 KiB request frame). A
 * receiver missing more transactions than this fetches the whole block instead.
 */
export const MAX_BLOCK_TXN_INDEXES = 1_000;

/**
 * Largest `BlockTxn` frame in bytes: a whole block's transactions (they cannot exceed the block)
 * plus 64 KiB of per-transaction framing.
 */
export const MAX_BLOCK_TXN_RESPONSE_BYTES = MAX_BLOCK_BYTES + 64 * 1024;

/** Inbound txpush streams libp2p lets one connection open at once (a subscriber needs one). */
export const PUSH_MAX_INBOUND_STREAMS = 2;

// ---------------------------------------------------------------------------------------------
// sync (request/response, one new stream per request)
// ---------------------------------------------------------------------------------------------

/** Most hashes in a block locator (Bitcoin's locators hold ~10 + log2(height) entries; 64 is ample). */
export const MAX_LOCATOR_HASHES = 64;

/** Most block ids per `getBlocks` response (Bitcoin's getblocks answers at most 500 too). */
export const MAX_BLOCKS_PER_REQUEST = 500;

/**
 * Most headers per `getHeaders` response: 500 headers of at most 512 bytes (~230 in practice) fit
 * the 256 KiB response frame; Bitcoin's `headers` carries 2,000 of its 80-byte headers.
 */
export const MAX_HEADERS_PER_REQUEST = 500;

/**
 * Most txids in a `getMempool` response (~190 KB of `Inv`); a larger mempool is sampled at random
 * (a different part each time, so repeated exchanges cover it all).
 */
export const MAX_MEMPOOL_INV_ITEMS = 5_000;

/** Largest `SyncRequest` frame in bytes: a full locator is 64 x 34 bytes + a few = ~2.2 KB. */
export const MAX_SYNC_REQUEST_BYTES = 4 * 1024;

/** Largest sync response frame in bytes: the mempool `Inv` of 5,000 items is ~190 KB. */
export const MAX_SYNC_RESPONSE_BYTES = 256 * 1024;

/** Longest `cumulativeWork` in bytes (a 512-bit number: far above any reachable chain work). */
export const MAX_CUMULATIVE_WORK_BYTES = 64;

/** Timeout in ms of one sync request, from opening the stream to reading the response (both sides). */
export const SYNC_TIMEOUT_MS = 5_000;

// ---------------------------------------------------------------------------------------------
// Stream concurrency
// ---------------------------------------------------------------------------------------------

/**
 * Ms a getdata client may send nothing on its stream (including a frame it started and never
 * finished) before the server closes it: bounds the stream state a silent peer holds.
 */
export const GETDATA_SERVER_IDLE_MS = 120_000;

/**
 * Ms of quiet (nothing in flight, nothing queued) after which a client closes its own getdata
 * stream; half the server's idle limit, so an honest client never meets the server's timeout.
 */
export const GETDATA_CLIENT_IDLE_MS = 60_000;

/** Ms a txpush subscriber has to send its first `PushSubscribe` after opening the stream. */
export const PUSH_SUBSCRIBE_TIMEOUT_MS = 5_000;

/**
 * Inbound getdata streams libp2p lets a connection open at once. We serve one per peer and close
 * any other ourselves (logged, not penalised: a client whose stream just died may open its next one
 * before we notice); libp2p resets streams beyond this count before our handler runs.
 */
export const GETDATA_MAX_INBOUND_STREAMS = 2;

/** Inbound sync streams libp2p lets a connection open at once (sync is rare and short-lived). */
export const SYNC_MAX_INBOUND_STREAMS = 2;
