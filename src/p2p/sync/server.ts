/**
 * Server side of `/trustmesh/<network>/sync/1.0.0`: one request and one response per stream.
 *
 * A `getBlockTxn` answer (up to a block's worth of transactions for one small request) is charged
 * to the same upload budget as getdata answers: over the budget the answer is empty, as if we did
 * not hold the block, and the requester fetches the whole block by getdata, which defers. Without
 * it, one peer's 20 requests a second would make us send 20 MB a second.
 *
 * The request must arrive within SYNC_TIMEOUT_MS of the stream opening (a silent stream is reset,
 * not penalised: it costs us only a timer). An oversize, undecodable, non-canonical or rule-breaking
 * request is a protocol violation: reported, then the stream is reset. Answers are clamped to the
 * protocol's limits whatever the InventorySource returns.
 */
import type { IncomingStreamData, Libp2p, Logger } from '@libp2p/interface';
import {
  decodeSyncRequest,
  encodeBlockIds,
  encodeBlockTxn,
  encodeHeaders,
  encodeMempoolInv,
  encodeStatus,
  type SyncQuery,
} from '../wire/codec.js';
import {
  MAX_MEMPOOL_INV_ITEMS,
  MAX_SYNC_REQUEST_BYTES,
  SYNC_MAX_INBOUND_STREAMS,
  SYNC_TIMEOUT_MS,
  syncProtocol,
} from '../wire/constants.js';
import { WireError } from '../wire/errors.js';
import { frameStream } from '../wire/framing.js';
import type { InventorySource } from '../wire/inventory-source.js';
import type { ProtocolViolationHandler } from '../wire/violations.js';

export interface SyncServerInit {
  network: string;
  source: InventorySource;
  onProtocolViolation?: ProtocolViolationHandler;
  /** Rate limit: whether `peer` may make one more sync request now; a refused one is reset. */
  admit?: (peer: string) => boolean;
  /** Bytes we may still send `peer` now (per-peer and node-wide upload budgets); default unlimited. */
  uploadBudget?: (peer: string) => number;
  /** Charges bytes sent to `peer` against the upload budgets. */
  chargeUpload?: (peer: string, bytes: number) => void;
}

/** Payload bytes of transactions (what the upload budget counts, as for getdata). */
const payloadBytes = (txs: readonly Uint8Array[]): number => txs.reduce((sum, tx) => sum + tx.length, 0);

/**
 * The encoded response to `query` (exported for unit tests). `budget`: payload bytes a `BlockTxn`
 * answer may carry; beyond it the answer is empty.
 */
export async function answerSyncQuery(
  source: InventorySource,
  query: SyncQuery,
  budget = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  switch (query.kind) {
    case 'status':
      return encodeStatus(source.status());
    case 'getBlocks':
      return encodeBlockIds(source.blocksAfter(query.locator, query.max).slice(0, query.max));
    case 'getHeaders':
      return encodeHeaders((await source.headersAfter(query.locator, query.max)).slice(0, query.max));
    case 'getMempool':
      return encodeMempoolInv(
        source
          .mempoolTxids(
            MAX_MEMPOOL_INV_ITEMS,
            query.maxAgeSeconds === undefined ? undefined : query.maxAgeSeconds * 1_000,
          )
          .slice(0, MAX_MEMPOOL_INV_ITEMS),
      );
    case 'getBlockTxn': {
      // No budget left: answer without reading the block (cheap before expensive).
      if (budget <= 0) return encodeBlockTxn([]);
      const txs = await source.blockTransactions(query.blockId, query.indexes);
      const complete = txs.length === query.indexes.length && payloadBytes(txs) <= budget;
      return encodeBlockTxn(complete ? txs : []);
    }
  }
}

export class SyncServer {
  readonly protocol: string;
  private readonly source: InventorySource;
  private readonly onViolation: ProtocolViolationHandler;
  private readonly admit: (peer: string) => boolean;
  private readonly uploadBudget: (peer: string) => number;
  private readonly chargeUpload: (peer: string, bytes: number) => void;
  private readonly log: Logger;
  private running = false;

  constructor(
    private readonly libp2p: Libp2p,
    init: SyncServerInit,
  ) {
    this.protocol = syncProtocol(init.network);
    this.source = init.source;
    this.onViolation = init.onProtocolViolation ?? (() => {});
    this.admit = init.admit ?? (() => true);
    this.uploadBudget = init.uploadBudget ?? (() => Number.POSITIVE_INFINITY);
    this.chargeUpload = init.chargeUpload ?? (() => undefined);
    this.log = libp2p.logger.forComponent('trustmesh:sync:server');
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.libp2p.handle(this.protocol, (data) => void this.onStream(data), {
      maxInboundStreams: SYNC_MAX_INBOUND_STREAMS,
    });
    this.running = true;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.libp2p.unhandle(this.protocol);
  }

  private async onStream({ stream, connection }: IncomingStreamData): Promise<void> {
    const peer = connection.remotePeer.toString();
    const signal = AbortSignal.timeout(SYNC_TIMEOUT_MS);
    try {
      const frames = frameStream(stream, MAX_SYNC_REQUEST_BYTES);
      const bytes = await frames.read({ signal });
      if (bytes === undefined) {
        stream.abort(new Error('sync stream closed before a request'));
        return;
      }
      const query = decodeSyncRequest(bytes);
      if (!this.admit(peer)) {
        stream.abort(new Error('sync request over the rate limit'));
        return;
      }
      const answer = await answerSyncQuery(this.source, query, this.uploadBudget(peer));
      await frames.write(answer, { signal });
      if (query.kind === 'getBlockTxn') this.chargeUpload(peer, answer.length);
      await stream.close({ signal });
    } catch (err) {
      if (err instanceof WireError) {
        this.log('protocol violation by %s: %s', peer, err.message);
        this.onViolation(peer, err.kind, err.message);
      } else {
        this.log('sync stream from %s failed: %s', peer, (err as Error).message);
      }
      stream.abort(err as Error);
    }
  }
}
