/**
 * Subscriber side of `/trustmesh/<network>/txpush/1.0.0`: we open one stream to each peer whose
 * transactions we want pushed, send `PushSubscribe` with the mode, then read its `TxPush` frames
 * and hand their transactions (or, from eager peers, compact blocks) to the relay, which validates
 * them like fetched ones.
 *
 * Rules (each with its reason):
 * - `subscribe(peer, mode)` opens the stream on first use and sends the mode; later calls send
 *   only changes. Pushes can only arrive on streams we opened, so only from peers we asked.
 * - Every frame is bounded (MAX_PUSH_FRAME_BYTES) before it is read and decoded canonically (at
 *   most MAX_PUSH_TXS non-empty transactions of at most MAX_TX_BYTES). Anything else is a protocol
 *   violation: reported, then the stream is reset. The node keeps running.
 * - `admit` meters every frame before any of it is hashed or validated: its bytes before it is even
 *   decoded, then its transactions; a refused frame is dropped whole (the caller records the
 *   offence).
 * - One frame at a time: the next frame is read only after `onTransactions` for this one resolved,
 *   so a pusher faster than our validation is slowed by TCP back-pressure instead of filling our
 *   memory.
 * - A stream that fails or closes ends the subscription; `onClosed` tells the owner, which decides
 *   whether and when to subscribe again.
 */
import type { Libp2p, Logger, PeerId, Stream } from '@libp2p/interface';
import { decodePushFrame, encodePushSubscribe, type PushMode } from '../wire/codec.js';
import { MAX_PUSH_FRAME_BYTES, txPushProtocol } from '../wire/constants.js';
import { WireError } from '../wire/errors.js';
import { type FrameStream, frameStream } from '../wire/framing.js';
import { openConnection, toPeerId } from '../wire/peers.js';
import type { ProtocolViolationHandler } from '../wire/violations.js';

/** Ms to open and negotiate a txpush stream before giving up (the connection is already up). */
export const PUSH_STREAM_OPEN_TIMEOUT_MS = 5_000;

export interface TxPushClientInit {
  network: string;
  /** Transactions `peer` pushed (canonical bytes, not yet validated). */
  onTransactions(peer: string, txs: Uint8Array[]): void | Promise<void>;
  /** An encoded compact block `peer` pushed (bounded, not yet decoded). */
  onCompactBlock(peer: string, compactBlock: Uint8Array): void | Promise<void>;
  /** Rate limit: whether `peer` may push `cost` more frame bytes, or transactions, now. */
  admit?: (peer: string, cls: 'bytes' | 'objects', cost: number) => boolean;
  /** Called once per violation, before the stream is reset. */
  onProtocolViolation?: ProtocolViolationHandler;
  /** The subscription to `peer` ended (stream closed, reset or failed to open). */
  onClosed?: (peer: string) => void;
}

class Subscription {
  mode: PushMode;
  compactBlocks: boolean;
  private stream: Stream | undefined;
  private frames: FrameStream | undefined;
  private writes: Promise<void> = Promise.resolve();
  private sent: string | undefined;
  closed = false;

  constructor(
    readonly peer: PeerId,
    mode: PushMode,
    compactBlocks: boolean,
    private readonly client: TxPushClient,
  ) {
    this.mode = mode;
    this.compactBlocks = compactBlocks;
    // Deferred so the owner registers the subscription before a failure can close it.
    queueMicrotask(() => void this.run());
  }

  setMode(mode: PushMode, compactBlocks: boolean): void {
    this.mode = mode;
    this.compactBlocks = compactBlocks;
    this.sendMode();
  }

  close(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    if (err !== undefined) this.stream?.abort(err);
    else void this.stream?.close().catch(() => undefined);
    this.client.subscriptionClosed(this);
  }

  private sendMode(): void {
    const frames = this.frames;
    const wanted = `${this.mode}:${this.compactBlocks}`;
    if (frames === undefined || this.closed || this.sent === wanted) return;
    this.sent = wanted;
    const request = encodePushSubscribe(this.mode, this.compactBlocks);
    this.writes = this.writes.then(() => frames.write(request)).catch((err: Error) => this.close(err));
  }

  private async run(): Promise<void> {
    const { libp2p, protocol, log } = this.client;
    const peer = this.peer.toString();
    try {
      const stream = await openConnection(libp2p, this.peer).newStream(protocol, {
        signal: AbortSignal.timeout(PUSH_STREAM_OPEN_TIMEOUT_MS),
      });
      this.stream = stream;
      if (this.closed) {
        stream.abort(new Error('txpush subscription closed while opening'));
        return;
      }
      this.frames = frameStream(stream, MAX_PUSH_FRAME_BYTES);
    } catch (err) {
      log('cannot subscribe to %s: %s', peer, (err as Error).message);
      this.close();
      return;
    }
    this.sendMode();
    await this.readPushes(peer, this.frames);
  }

  private async readPushes(peer: string, frames: FrameStream): Promise<void> {
    const { init, log } = this.client;
    try {
      while (!this.closed) {
        const bytes = await frames.read();
        if (bytes === undefined) break;
        // An empty frame decodes to a TxPush without transactions: no honest pusher sends one.
        if (bytes.length === 0) throw new WireError('MALFORMED', 'empty TxPush frame');
        if (init.admit?.(peer, 'bytes', bytes.length) === false) continue;
        const frame = decodePushFrame(bytes);
        const count = frame.kind === 'txs' ? frame.txs.length : 1;
        if (init.admit?.(peer, 'objects', count) === false) continue;
        if (frame.kind === 'txs') await init.onTransactions(peer, frame.txs);
        else await init.onCompactBlock(peer, frame.compactBlock);
      }
      this.close();
    } catch (err) {
      if (err instanceof WireError) {
        log('protocol violation by %s: %s', peer, err.message);
        init.onProtocolViolation?.(peer, err.kind, err.message);
      } else {
        log('txpush stream from %s ended: %s', peer, (err as Error).message);
      }
      this.close(err as Error);
    }
  }
}

export class TxPushClient {
  readonly protocol: string;
  readonly log: Logger;
  private readonly subscriptions = new Map<string, Subscription>();
  private running = true;

  constructor(
    readonly libp2p: Libp2p,
    readonly init: TxPushClientInit,
  ) {
    this.protocol = txPushProtocol(init.network);
    this.log = libp2p.logger.forComponent('trustmesh:txpush:client');
  }

  /**
   * Subscribes to `peer`'s pushes in `mode` (with compact blocks if `compactBlocks`), or changes
   * what the subscription asks for.
   */
  subscribe(peer: string, mode: PushMode, compactBlocks = false): void {
    if (!this.running) return;
    const current = this.subscriptions.get(peer);
    if (current !== undefined) {
      current.setMode(mode, compactBlocks);
      return;
    }
    this.subscriptions.set(peer, new Subscription(toPeerId(peer), mode, compactBlocks, this));
  }

  /** The mode we asked `peer` for, if subscribed (or subscribing). */
  modeOf(peer: string): PushMode | undefined {
    return this.subscriptions.get(peer)?.mode;
  }

  /** Ends the subscription to `peer` (disconnect, or we no longer want its pushes). */
  unsubscribe(peer: string): void {
    this.subscriptions.get(peer)?.close();
  }

  /** Nothing to start: subscriptions are opened on demand. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.running = false;
    for (const subscription of [...this.subscriptions.values()]) subscription.close();
  }

  /** @internal A subscription ended. */
  subscriptionClosed(subscription: Subscription): void {
    const peer = subscription.peer.toString();
    if (this.subscriptions.get(peer) !== subscription) return;
    this.subscriptions.delete(peer);
    if (this.running) this.init.onClosed?.(peer);
  }
}
