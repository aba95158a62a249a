/**
 * Pusher side of `/trustmesh/<network>/txpush/1.0.0`. A peer subscribes to our transactions by
 * opening a stream to us and sending `PushSubscribe` (mode OWN: the ones we create; ALL: every
 * fresh one we accept). We then write `TxPush` frames of what the relay asks us to push to it. We
 * never open a push stream ourselves: what a node receives unasked, it asked for.
 *
 * Rules (each with its reason):
 * - One stream per peer at a time; another inbound txpush stream from that peer is reset (bounds
 *   per-peer state; a subscriber needs one). Not penalised, like getdata: a subscriber whose
 *   stream just died may open the next one before we notice.
 * - A peer is a subscriber once its first `PushSubscribe` arrived; later ones change the mode. A
 *   stream without one within PUSH_SUBSCRIBE_TIMEOUT_MS is closed (a silent stream holds nothing).
 *   Frames from the subscriber are bounded (MAX_PUSH_SUBSCRIBE_BYTES) before they are read and
 *   decoded canonically; anything else is a protocol violation: reported, the stream is reset.
 * - Subscribers that asked for compact blocks get the compact form of each block that joins our
 *   active chain (BIP152's high-bandwidth mode), in a frame of its own, ahead of queued transactions.
 * - Pushes queued in one event-loop turn go out as one frame per subscriber (up to MAX_PUSH_TXS
 *   transactions and MAX_PUSH_FRAME_BYTES): a burst costs one write, not one per transaction.
 * - Best effort: at most MAX_QUEUED_PUSH_TXS transactions and MAX_QUEUED_PUSH_BYTES wait per
 *   subscriber; beyond that (a slow or stalled reader) pushes are dropped and `push` says so. Nothing is lost: every pushed transaction is
 *   also announced, so the subscriber can still fetch it.
 */
import type { IncomingStreamData, Libp2p, Logger, Stream } from '@libp2p/interface';
import {
  decodePushSubscribe,
  encodeCompactBlockPush,
  encodeTxPush,
  PushMode,
  txPushEntrySize,
} from '../wire/codec.js';
import {
  MAX_PUSH_FRAME_BYTES,
  MAX_PUSH_SUBSCRIBE_BYTES,
  MAX_PUSH_TXS,
  PUSH_MAX_INBOUND_STREAMS,
  PUSH_SUBSCRIBE_TIMEOUT_MS,
  txPushProtocol,
} from '../wire/constants.js';
import { WireError } from '../wire/errors.js';
import { type FrameStream, frameStream, readFrameWithin } from '../wire/framing.js';
import type { ProtocolViolationHandler } from '../wire/violations.js';

/** Transactions that may wait for one subscriber before further pushes to it are dropped. */
export const MAX_QUEUED_PUSH_TXS = 256;
/** Bytes of transactions that may wait for one subscriber (ten maximal transactions). */
export const MAX_QUEUED_PUSH_BYTES = 1024 * 1024;
/**
 * Compact blocks that may wait for one subscriber (at most ~160 KB each): a new block every few
 * seconds leaves at most one waiting unless the subscriber stalled; then it fetches them anyway.
 */
export const MAX_QUEUED_COMPACT_BLOCKS = 2;

export interface TxPushServerInit {
  network: string;
  /** Called once per violation, before the stream is reset. */
  onProtocolViolation?: ProtocolViolationHandler;
  /** Ms a new stream has to send its first `PushSubscribe`; default PUSH_SUBSCRIBE_TIMEOUT_MS. */
  subscribeTimeoutMs?: number;
}

/** A peer subscribed to our pushes. */
export interface PushSubscriber {
  readonly peer: string;
  readonly mode: PushMode;
  /** It asked for compact blocks (high-bandwidth mode). */
  readonly compactBlocks: boolean;
}

class Subscription {
  mode: PushMode | undefined;
  compactBlocks = false;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  /** Compact blocks waiting: written before transactions (a block is the more urgent). */
  private compactQueue: Uint8Array[] = [];
  private flushing = false;
  closed = false;

  constructor(
    readonly peer: string,
    readonly stream: Stream,
    readonly frames: FrameStream,
    private readonly log: Logger,
  ) {}

  /** Queues `tx`; false when the queue is full and the push was dropped. */
  enqueue(tx: Uint8Array): boolean {
    if (this.closed || this.queue.length >= MAX_QUEUED_PUSH_TXS) return false;
    if (this.queuedBytes + tx.length > MAX_QUEUED_PUSH_BYTES) return false;
    this.queue.push(tx);
    this.queuedBytes += tx.length;
    return true;
  }

  /** Queues an encoded compact block; false when too many wait already. */
  enqueueCompactBlock(compactBlock: Uint8Array): boolean {
    if (this.closed || this.compactQueue.length >= MAX_QUEUED_COMPACT_BLOCKS) return false;
    this.compactQueue.push(compactBlock);
    return true;
  }

  /** Writes everything queued, in frames; one flush loop at a time. */
  async flush(): Promise<void> {
    if (this.flushing || this.closed) return;
    this.flushing = true;
    try {
      while ((this.queue.length > 0 || this.compactQueue.length > 0) && !this.closed) {
        const compactBlock = this.compactQueue.shift();
        if (compactBlock !== undefined) {
          await this.frames.write(encodeCompactBlockPush(compactBlock));
          continue;
        }
        const frame = takeFrame(this.queue);
        for (const tx of frame) this.queuedBytes -= tx.length;
        await this.frames.write(encodeTxPush(frame));
      }
    } catch (err) {
      this.log('push to %s failed: %s', this.peer, (err as Error).message);
      this.close(err as Error);
    } finally {
      this.flushing = false;
    }
  }

  close(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.compactQueue = [];
    if (err !== undefined) this.stream.abort(err);
    else void this.stream.close().catch(() => undefined);
  }
}

/** Removes and returns the longest prefix of `queue` that fits one frame (always at least one tx). */
function takeFrame(queue: Uint8Array[]): Uint8Array[] {
  let count = 1;
  let size = txPushEntrySize(queue[0]!);
  while (count < queue.length && count < MAX_PUSH_TXS) {
    const next = txPushEntrySize(queue[count]!);
    if (size + next > MAX_PUSH_FRAME_BYTES) break;
    size += next;
    count++;
  }
  return queue.splice(0, count);
}

export class TxPushServer {
  readonly protocol: string;
  private readonly onViolation: ProtocolViolationHandler;
  private readonly sessions = new Map<string, Subscription>();
  private readonly dirty = new Set<Subscription>();
  private flushScheduled = false;
  private readonly log: Logger;
  private readonly subscribeTimeoutMs: number;
  private running = false;

  constructor(
    private readonly libp2p: Libp2p,
    init: TxPushServerInit,
  ) {
    this.protocol = txPushProtocol(init.network);
    this.subscribeTimeoutMs = init.subscribeTimeoutMs ?? PUSH_SUBSCRIBE_TIMEOUT_MS;
    this.onViolation = init.onProtocolViolation ?? (() => {});
    this.log = libp2p.logger.forComponent('trustmesh:txpush:server');
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.libp2p.handle(this.protocol, (data) => this.onStream(data), {
      maxInboundStreams: PUSH_MAX_INBOUND_STREAMS,
    });
    this.running = true;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.libp2p.unhandle(this.protocol);
    for (const session of this.sessions.values()) session.close(new Error('txpush server stopped'));
    this.sessions.clear();
    this.dirty.clear();
  }

  /** The peers subscribed to our pushes, with their modes. */
  *subscribers(): IterableIterator<PushSubscriber> {
    for (const session of this.sessions.values()) {
      if (session.mode !== undefined)
        yield { peer: session.peer, mode: session.mode, compactBlocks: session.compactBlocks };
    }
  }

  /**
   * Queues `tx` (a transaction we validated) for subscriber `peer`; it goes out at the end of this
   * event-loop turn. False when it was dropped (not subscribed, queue full, stopping).
   */
  push(peer: string, tx: Uint8Array): boolean {
    const session = this.sessions.get(peer);
    if (session?.mode === undefined || !session.enqueue(tx)) return false;
    this.dirty.add(session);
    this.scheduleFlush();
    return true;
  }

  /**
   * Queues an encoded compact block (of a block that joined our active chain) for subscriber
   * `peer`; it goes out at the end of this event-loop turn, before queued transactions. False when
   * it was dropped (not subscribed, too many waiting, stopping).
   */
  pushCompactBlock(peer: string, compactBlock: Uint8Array): boolean {
    const session = this.sessions.get(peer);
    if (session?.mode === undefined || !session.enqueueCompactBlock(compactBlock)) return false;
    this.dirty.add(session);
    this.scheduleFlush();
    return true;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const sessions = [...this.dirty];
      this.dirty.clear();
      for (const session of sessions) void session.flush();
    });
  }

  private onStream({ stream, connection }: IncomingStreamData): void {
    const peer = connection.remotePeer.toString();
    if (!this.running || this.sessions.has(peer)) {
      this.log('refusing extra txpush stream from %s', peer);
      stream.abort(new Error('one txpush stream per peer'));
      return;
    }
    // Reads are subscriptions (tiny); writes are pushes, bounded by the encoder.
    const frames = frameStream(stream, MAX_PUSH_SUBSCRIBE_BYTES);
    const session = new Subscription(peer, stream, frames, this.log);
    this.sessions.set(peer, session);
    void this.readSubscriptions(session).finally(() => {
      session.close();
      this.dirty.delete(session);
      if (this.sessions.get(peer) === session) this.sessions.delete(peer);
    });
  }

  private async readSubscriptions(session: Subscription): Promise<void> {
    try {
      // The subscriber opened the stream to subscribe: a silent one is closed, not kept.
      const first = await readFrameWithin(session.frames, this.subscribeTimeoutMs);
      if (first === undefined) return;
      ({ mode: session.mode, compactBlocks: session.compactBlocks } = decodePushSubscribe(first));
      while (true) {
        const bytes = await session.frames.read();
        if (bytes === undefined) return;
        ({ mode: session.mode, compactBlocks: session.compactBlocks } = decodePushSubscribe(bytes));
      }
    } catch (err) {
      if (err instanceof WireError) {
        this.log('protocol violation by %s: %s', session.peer, err.message);
        this.onViolation(session.peer, err.kind, err.message);
      } else {
        this.log('txpush stream from %s ended: %s', session.peer, (err as Error).message);
      }
      session.close(err as Error);
    }
  }
}
