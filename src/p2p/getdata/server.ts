/**
 * Server side of `/trustmesh/<network>/getdata/1.0.0`: serves transactions and blocks from an
 * `InventorySource` over one long-lived stream per peer.
 *
 * Rules (each with its reason):
 * - One stream per peer at a time; any other inbound getdata stream from that peer is reset at once
 *   (bounds per-peer state; an honest client needs one). Not penalised: a client whose stream just
 *   died may open the next one before we notice.
 * - Requests are answered strictly in order, one at a time (the client matches by requestId, and
 *   in-order answers let it detect a stalled stream from its oldest request).
 * - At most MAX_PENDING_GETDATA unanswered requests per stream, counting the one being served; one
 *   more is TOO_MANY_PENDING (the client must queue locally). Bounds memory to 16 x 64 KiB per peer.
 * - A response carries object payloads up to MAX_DATA_BYTES in total. Items are taken in request
 *   order: a missing item goes to `notFound`; the first object that does not fit ends the response,
 *   and it and every later item go to `deferred` without being looked up (so a request for 1,000
 *   large blocks costs us one response's worth of reads, not 1 GB). The first object always fits.
 * - Upload is budgeted: a response carries at most what the peer's upload budget and the node's
 *   total upload budget allow (`uploadBudget`); the rest is deferred, which costs us no reads. So a
 *   peer that asks for the same large objects over and over (bandwidth amplification) gets little,
 *   and many identities together cannot exceed the node's total. What was sent is charged after.
 * - A request that names an item twice is malformed (an honest client de-duplicates).
 * - A stream on which the client sends nothing for `idleTimeoutMs` (including a frame it started
 *   and never finished) is closed: a peer cannot hold our stream state forever. Honest clients
 *   close their own idle streams first (GETDATA_CLIENT_IDLE_MS) and reopen on demand.
 * - Any frame over MAX_GETDATA_BYTES, undecodable, non-canonical or breaking a field rule is a
 *   protocol violation: reported, then the stream is reset. The node keeps running.
 */
import type { IncomingStreamData, Libp2p, Logger, Stream } from '@libp2p/interface';
import {
  type DataMessage,
  type DataObject,
  decodeGetData,
  encodeData,
  type GetDataMessage,
  type InvItem,
} from '../wire/codec.js';
import {
  GETDATA_MAX_INBOUND_STREAMS,
  GETDATA_SERVER_IDLE_MS,
  getDataProtocol,
  MAX_DATA_BYTES,
  MAX_GETDATA_BYTES,
  MAX_PENDING_GETDATA,
} from '../wire/constants.js';
import { WireError } from '../wire/errors.js';
import { type FrameStream, frameStream, readFrameWithin } from '../wire/framing.js';
import type { InventorySource } from '../wire/inventory-source.js';
import { ProtocolViolationError, type ProtocolViolationHandler } from '../wire/violations.js';

export interface GetDataServerInit {
  network: string;
  source: InventorySource;
  /** Called once per violation, before the stream is reset. */
  onProtocolViolation?: ProtocolViolationHandler;
  /** Payload budget per response in bytes; default MAX_DATA_BYTES (the protocol's value). */
  maxDataBytes?: number;
  /**
   * Rate limit: whether `peer` may have `items` more objects looked up now. A refused request is
   * dropped unanswered (the caller records the offence); default: admit everything.
   */
  admit?: (peer: string, items: number) => boolean;
  /** Payload bytes `peer` may be sent now (its and the node's upload budgets); default: unlimited. */
  uploadBudget?: (peer: string) => number;
  /** Charges `bytes` of payload sent to `peer` to the upload budgets. */
  chargeUpload?: (peer: string, bytes: number) => void;
  /** Ms a client may stay silent on its stream before we close it; default GETDATA_SERVER_IDLE_MS. */
  idleTimeoutMs?: number;
}

/**
 * Builds the response to one request (exported for unit tests): objects up to `budget` payload
 * bytes (at most `maxDataBytes`); an object larger than `maxDataBytes` is never served.
 */
export async function buildDataResponse(
  source: InventorySource,
  request: GetDataMessage,
  maxDataBytes: number,
  log?: Logger,
  budgetBytes = maxDataBytes,
): Promise<DataMessage> {
  const objects: DataObject[] = [];
  const notFound: InvItem[] = [];
  const deferred: InvItem[] = [];
  let budget = Math.min(maxDataBytes, budgetBytes);
  if (budget <= 0) return { requestId: request.requestId, objects, notFound, deferred: [...request.items] };
  for (const item of request.items) {
    if (deferred.length > 0) {
      deferred.push(item);
      continue;
    }
    let payload: Uint8Array | undefined;
    try {
      payload = await source.getObject(item.type, item.hash);
    } catch (err) {
      log?.error('inventory source failed on %s: %e', item.type, err);
    }
    if (payload === undefined || payload.length === 0 || payload.length > maxDataBytes) {
      // Larger than a whole response: no valid object is; never serve it.
      if (payload !== undefined && payload.length > maxDataBytes)
        log?.error('object of %d bytes not served', payload.length);
      notFound.push(item);
    } else if (payload.length > budget) {
      deferred.push(item);
    } else {
      objects.push({ type: item.type, payload });
      budget -= payload.length;
    }
  }
  return { requestId: request.requestId, objects, notFound, deferred };
}

export class GetDataServer {
  readonly protocol: string;
  private readonly source: InventorySource;
  private readonly onViolation: ProtocolViolationHandler;
  private readonly maxDataBytes: number;
  private readonly admit: (peer: string, items: number) => boolean;
  private readonly uploadBudget: (peer: string) => number;
  private readonly chargeUpload: (peer: string, bytes: number) => void;
  private readonly idleTimeoutMs: number;
  private readonly log: Logger;
  /** The one served stream per peer id. */
  private readonly sessions = new Map<string, Stream>();
  private running = false;

  constructor(
    private readonly libp2p: Libp2p,
    init: GetDataServerInit,
  ) {
    this.protocol = getDataProtocol(init.network);
    this.source = init.source;
    this.onViolation = init.onProtocolViolation ?? (() => {});
    this.maxDataBytes = init.maxDataBytes ?? MAX_DATA_BYTES;
    this.admit = init.admit ?? (() => true);
    this.uploadBudget = init.uploadBudget ?? (() => Number.POSITIVE_INFINITY);
    this.chargeUpload = init.chargeUpload ?? (() => undefined);
    this.idleTimeoutMs = init.idleTimeoutMs ?? GETDATA_SERVER_IDLE_MS;
    this.log = libp2p.logger.forComponent('trustmesh:getdata:server');
  }

  /** Number of peers with an open getdata stream. */
  get activeStreams(): number {
    return this.sessions.size;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.libp2p.handle(this.protocol, (data) => this.onStream(data), {
      maxInboundStreams: GETDATA_MAX_INBOUND_STREAMS,
    });
    this.running = true;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.libp2p.unhandle(this.protocol);
    for (const stream of this.sessions.values()) stream.abort(new Error('getdata server stopped'));
    this.sessions.clear();
  }

  private onStream({ stream, connection }: IncomingStreamData): void {
    const peer = connection.remotePeer.toString();
    if (!this.running || this.sessions.has(peer)) {
      this.log('refusing extra getdata stream from %s', peer);
      stream.abort(new Error('one getdata stream per peer'));
      return;
    }
    this.sessions.set(peer, stream);
    void this.serve(peer, stream).finally(() => {
      if (this.sessions.get(peer) === stream) this.sessions.delete(peer);
    });
  }

  private async serve(peer: string, stream: Stream): Promise<void> {
    const frames = frameStream(stream, MAX_GETDATA_BYTES);
    const queue: GetDataMessage[] = [];
    /** The running drain loop, if any; cleared by the loop itself in the tick it finds the queue empty. */
    let draining: Promise<void> | undefined;
    const onIdle = (): void => {
      draining = undefined;
    };
    try {
      while (true) {
        const bytes = await readFrameWithin(frames, this.idleTimeoutMs);
        if (bytes === undefined) break;
        const request = decodeGetData(bytes);
        if (queue.length >= MAX_PENDING_GETDATA) {
          throw new ProtocolViolationError(
            'TOO_MANY_PENDING',
            `more than ${MAX_PENDING_GETDATA} unanswered requests`,
          );
        }
        if (!this.admit(peer, request.items.length)) continue;
        queue.push(request);
        draining ??= this.drain(peer, queue, frames, stream, onIdle);
      }
      // The client closed its side: answer what it asked, then close ours.
      await draining;
      await stream.close();
    } catch (err) {
      if (err instanceof WireError || err instanceof ProtocolViolationError) {
        this.log('protocol violation by %s: %s', peer, err.message);
        this.onViolation(peer, err.kind, err.message);
      } else {
        this.log('getdata stream from %s ended: %s', peer, (err as Error).message);
      }
      stream.abort(err as Error);
    }
  }

  /** Answers queued requests in order; the queue entry is removed only once its answer is written. */
  private async drain(
    peer: string,
    queue: GetDataMessage[],
    frames: FrameStream,
    stream: Stream,
    onIdle: () => void,
  ): Promise<void> {
    try {
      for (let request = queue[0]; request !== undefined; request = queue[0]) {
        const budget = this.uploadBudget(peer);
        const response = await buildDataResponse(this.source, request, this.maxDataBytes, this.log, budget);
        const sent = response.objects.reduce((sum, object) => sum + object.payload.length, 0);
        if (sent > 0) this.chargeUpload(peer, sent);
        await frames.write(encodeData(response));
        queue.shift();
      }
      onIdle(); // same tick as the empty check: a request pushed after this starts a new loop
    } catch (err) {
      this.log('getdata write failed: %s', (err as Error).message);
      stream.abort(err as Error);
    }
  }
}
