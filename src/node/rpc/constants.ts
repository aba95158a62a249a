/**
 * Limits, names and error codes of the JSON-RPC interface. Every limit has a unit and a reason.
 */

/** Largest accepted request body (unit: bytes). Every valid call is far smaller; bigger is abuse. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Most calls in one batch: bounds the work a single request can queue on the node. */
export const MAX_BATCH_SIZE = 100;

/** Most blocks one `mine` call may ask for: the HTTP request stays open until all are mined. */
export const MAX_MINE_COUNT = 100;

/** Time a client has to send a complete request (unit: ms); slow senders cannot pin sockets. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** User name in the cookie file and in Basic auth, as in bitcoind. */
export const COOKIE_USER = '__cookie__';

/** File name of the cookie inside the node's data directory. */
export const COOKIE_FILE_NAME = 'rpc.cookie';

/** Random bytes of the cookie password (hex-encoded to 64 characters): unguessable. */
export const COOKIE_SECRET_BYTES = 32;

/** JSON-RPC 2.0 error codes; -32000 and below are ours. */
export const RpcErrorCode = Object.freeze({
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** The node refused or failed the call; the message says why (e.g. unknown block). */
  APPLICATION_ERROR: -32000,
  /** Missing or wrong credentials (sent with HTTP 401). */
  UNAUTHORIZED: -32001,
});
