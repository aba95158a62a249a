/**
 * Client side of `/trustmesh/<network>/sync/1.0.0`: each call opens a new stream on the existing
 * connection, writes one SyncRequest, reads one response and closes. The whole exchange is bounded
 * by SYNC_TIMEOUT_MS. An invalid response (oversize, malformed, non-canonical, more ids than asked)
 * is reported through `onProtocolViolation` and the call fails with SyncFailedError.
 */
import type { Libp2p, PeerId } from '@libp2p/interface';
import {
  type ChainStatus,
  decodeBlockIds,
  decodeBlockTxn,
  decodeHeaders,
  decodeMempoolInv,
  decodeStatus,
  encodeSyncRequest,
  type SyncQuery,
} from '../wire/codec.js';
import {
  MAX_BLOCK_TXN_RESPONSE_BYTES,
  MAX_BLOCKS_PER_REQUEST,
  MAX_HEADERS_PER_REQUEST,
  MAX_SYNC_RESPONSE_BYTES,
  SYNC_TIMEOUT_MS,
  syncProtocol,
} from '../wire/constants.js';
import { WireError } from '../wire/errors.js';
import { frameStream } from '../wire/framing.js';
import { openConnection, toPeerId } from '../wire/peers.js';
import { ProtocolViolationError, type ProtocolViolationHandler } from '../wire/violations.js';
import { SyncFailedError, SyncTimeoutError } from './errors.js';

export interface SyncClientInit {
  network: string;
  onProtocolViolation?: ProtocolViolationHandler;
}

export interface SyncRequestOptions {
  /** Aborts the request early (it is bounded by SYNC_TIMEOUT_MS in any case). */
  signal?: AbortSignal;
}

export class SyncClient {
  readonly protocol: string;
  private readonly onViolation: ProtocolViolationHandler;

  constructor(
    private readonly libp2p: Libp2p,
    init: SyncClientInit,
  ) {
    this.protocol = syncProtocol(init.network);
    this.onViolation = init.onProtocolViolation ?? (() => {});
  }

  /** The peer's genesis, tip, height and cumulative work. */
  requestStatus(peer: PeerId | string, options: SyncRequestOptions = {}): Promise<ChainStatus> {
    return this.exchange(peer, { kind: 'status' }, decodeStatus, options);
  }

  /**
   * Ids of the blocks on the peer's active chain after the first `locator` hash it knows (newest
   * first in the locator, genesis last), oldest first, at most `max` (1..MAX_BLOCKS_PER_REQUEST).
   */
  requestBlocksAfter(
    peer: PeerId | string,
    locator: Uint8Array[],
    max = MAX_BLOCKS_PER_REQUEST,
    options: SyncRequestOptions = {},
  ): Promise<Uint8Array[]> {
    const decode = (bytes: Uint8Array): Uint8Array[] => {
      const ids = decodeBlockIds(bytes);
      if (ids.length > max)
        throw new ProtocolViolationError('UNSOLICITED', `${ids.length} block ids for max ${max}`);
      return ids;
    };
    return this.exchange(peer, { kind: 'getBlocks', locator, max }, decode, options);
  }

  /**
   * Headers (canonical encodings, not yet checked) of the blocks `requestBlocksAfter` names, oldest
   * first, at most `max` (1..MAX_HEADERS_PER_REQUEST).
   */
  requestHeadersAfter(
    peer: PeerId | string,
    locator: Uint8Array[],
    max = MAX_HEADERS_PER_REQUEST,
    options: SyncRequestOptions = {},
  ): Promise<Uint8Array[]> {
    const decode = (bytes: Uint8Array): Uint8Array[] => {
      const headers = decodeHeaders(bytes);
      if (headers.length > max)
        throw new ProtocolViolationError('UNSOLICITED', `${headers.length} headers for max ${max}`);
      return headers;
    };
    return this.exchange(peer, { kind: 'getHeaders', locator, max }, decode, options);
  }

  /**
   * The transactions at `indexes` (ascending, 1..MAX_BLOCK_TXN_INDEXES of them) of the peer's block
   * `blockId`, in order; empty when the peer does not hold it. Compact block relay's missing
   * transactions: whether each is the one its position names is the caller's check.
   */
  requestBlockTransactions(
    peer: PeerId | string,
    blockId: Uint8Array,
    indexes: number[],
    options: SyncRequestOptions = {},
  ): Promise<Uint8Array[]> {
    const decode = (bytes: Uint8Array) => decodeBlockTxn(bytes, indexes.length);
    return this.exchange(
      peer,
      { kind: 'getBlockTxn', blockId, indexes },
      decode,
      options,
      MAX_BLOCK_TXN_RESPONSE_BYTES,
    );
  }

  /**
   * Txids in the peer's mempool (at most MAX_MEMPOOL_INV_ITEMS); with `maxAgeSeconds`, only those
   * of transactions dated at most that long ago.
   */
  requestMempool(
    peer: PeerId | string,
    options: SyncRequestOptions & { maxAgeSeconds?: number } = {},
  ): Promise<Uint8Array[]> {
    const { maxAgeSeconds, ...rest } = options;
    const query: SyncQuery =
      maxAgeSeconds === undefined ? { kind: 'getMempool' } : { kind: 'getMempool', maxAgeSeconds };
    return this.exchange(peer, query, decodeMempoolInv, rest);
  }

  private async exchange<T>(
    peer: PeerId | string,
    query: SyncQuery,
    decode: (bytes: Uint8Array) => T,
    options: SyncRequestOptions,
    maxResponseBytes = MAX_SYNC_RESPONSE_BYTES,
  ): Promise<T> {
    const request = encodeSyncRequest(query); // throws RangeError on bad arguments, before any I/O
    const peerId = toPeerId(peer);
    const connection = openConnection(this.libp2p, peerId);
    const timeout = AbortSignal.timeout(SYNC_TIMEOUT_MS);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
    let stream: Awaited<ReturnType<typeof connection.newStream>> | undefined;
    try {
      stream = await connection.newStream(this.protocol, { signal });
      const frames = frameStream(stream, maxResponseBytes);
      await frames.write(request, { signal });
      const bytes = await frames.read({ signal });
      if (bytes === undefined)
        throw new SyncFailedError(`${peerId} closed the sync stream without answering`);
      const result = decode(bytes);
      await stream.close({ signal });
      return result;
    } catch (err) {
      stream?.abort(err as Error);
      if (err instanceof WireError || err instanceof ProtocolViolationError) {
        this.onViolation(peerId.toString(), err.kind, err.message);
        throw new SyncFailedError(`invalid ${query.kind} response from ${peerId}: ${err.message}`, {
          cause: err,
        });
      }
      if (signal.aborted) {
        throw new SyncTimeoutError(`${query.kind} request to ${peerId} timed out or was aborted`, {
          cause: err,
        });
      }
      if (err instanceof SyncFailedError) throw err;
      throw new SyncFailedError(`${query.kind} request to ${peerId} failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
}
