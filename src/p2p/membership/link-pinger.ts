/**
 * Liveness pings over one long-lived `/ipfs/ping/1.0.0` stream per peer. The protocol allows any
 * number of pings on a stream (32 random bytes, echoed), but @libp2p/ping's `ping()` opens a new
 * stream for each: a yamux open, a multistream-select negotiation and two closes around 64 bytes of
 * payload, most of an idle link's traffic. Keeping the stream saves those.
 *
 * A kept stream can die between pings (a trustmesh peer ends one idle for 3 minutes,
 * src/p2p/node/ping-responder.ts; @libp2p/ping's handler 10 s after its first ping). A ping that
 * fails on a kept stream before its deadline is therefore tried once more on a fresh stream; only
 * a failure on a fresh stream, or the deadline, fails the ping.
 */
import { randomBytes } from 'node:crypto';
import type { AbortOptions, PeerId, Stream } from '@libp2p/interface';
import { PING_PROTOCOL } from '@libp2p/ping';
import { type ByteStream, byteStream } from 'it-byte-stream';
import type { MembershipHost } from './ports.js';

/** Bytes of a ping payload (the protocol's). */
const PING_LENGTH = 32;

/** A ping answered with other bytes than were sent. */
export class PingMismatchError extends Error {
  constructor(peer: string) {
    super(`ping answer from ${peer} does not echo the ping`);
    this.name = 'PingMismatchError';
  }
}

interface PingLink {
  readonly stream: Stream;
  readonly bytes: ByteStream<Stream>;
}

export class LinkPinger {
  private readonly links = new Map<string, PingLink>();

  constructor(private readonly host: Pick<MembershipHost, 'getConnections'>) {}

  /** Pings `peerId` and resolves with the round-trip time (ms); rejects when it fails or `signal` fires. */
  async ping(peerId: PeerId, options: Required<Pick<AbortOptions, 'signal'>>): Promise<number> {
    const peer = peerId.toString();
    const kept = this.links.get(peer);
    if (kept !== undefined) {
      try {
        return await this.exchange(peer, kept, options);
      } catch (err) {
        this.drop(peer, err as Error);
        if (options.signal.aborted) throw err;
      }
    }
    const link = await this.open(peerId, options);
    this.links.set(peer, link);
    try {
      return await this.exchange(peer, link, options);
    } catch (err) {
      this.drop(peer, err as Error);
      throw err;
    }
  }

  /** Forgets (and aborts) the kept stream of a peer, e.g. once it disconnected. */
  forget(peer: string): void {
    this.drop(peer, new Error('peer forgotten'));
  }

  /** Peers with a kept stream. */
  get size(): number {
    return this.links.size;
  }

  private async open(peerId: PeerId, options: AbortOptions): Promise<PingLink> {
    const connection = this.host.getConnections(peerId).find((c) => c.status === 'open');
    if (connection === undefined) throw new Error(`no open connection to ${peerId.toString()}`);
    const stream = await connection.newStream(PING_PROTOCOL, { ...options, runOnLimitedConnection: true });
    return { stream, bytes: byteStream(stream) };
  }

  private async exchange(peer: string, link: PingLink, options: AbortOptions): Promise<number> {
    const start = performance.now();
    const data = randomBytes(PING_LENGTH);
    const [, echo] = await Promise.all([
      link.bytes.write(data, options),
      link.bytes.read({ ...options, bytes: PING_LENGTH }),
    ]);
    if (!Buffer.from(echo.subarray()).equals(data)) throw new PingMismatchError(peer);
    return Math.round(performance.now() - start);
  }

  private drop(peer: string, err: Error): void {
    const link = this.links.get(peer);
    if (link === undefined) return;
    this.links.delete(peer);
    link.stream.abort(err);
  }
}
