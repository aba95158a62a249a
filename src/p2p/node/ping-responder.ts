/**
 * Answers `/ipfs/ping/1.0.0` (libp2p's ping protocol: each 32-byte ping echoed, any number of pings
 * per stream) and reports every ping received with its peer: a peer that pings us is alive and can
 * reach us, so membership's liveness monitor need not ping it back (one side pings per idle link).
 *
 * Used instead of @libp2p/ping's service, whose handler neither reports pings nor keeps a stream
 * alive between them (it ends every stream 10 s after its first ping, so a peer that keeps one
 * stream for its pings, src/p2p/membership/link-pinger.ts, would reopen it every other ping).
 *
 * Limits: at most MAX_PING_STREAMS_PER_CONNECTION inbound ping streams per connection; a stream
 * with no ping for PING_STREAM_IDLE_MS is aborted; a read is exactly 32 bytes, so a peer cannot make
 * us buffer more than one ping per stream.
 */
import type { Libp2p, Stream } from '@libp2p/interface';
import { PING_PROTOCOL } from '@libp2p/ping';
import { byteStream } from 'it-byte-stream';

/** Bytes of a ping payload (the protocol's). */
export const PING_LENGTH = 32;

/**
 * A ping stream with no ping for this long (ms) is aborted: three times the longest gap between
 * two liveness pings (an RTT sample every 60 s on a busy link), so a kept stream is never cut in
 * use, while a stream a peer abandoned is released.
 */
export const PING_STREAM_IDLE_MS = 180_000;

/** Inbound ping streams per connection (@libp2p/ping's own limit): one kept, one being replaced. */
export const MAX_PING_STREAMS_PER_CONNECTION = 2;

/** Registers the ping handler on `host`; `onPing(peer)` is called on every ping received. */
export async function startPingResponder(
  host: Pick<Libp2p, 'handle'>,
  onPing: (peer: string) => void,
): Promise<void> {
  await host.handle(
    PING_PROTOCOL,
    ({ stream, connection }) => void answerPings(stream, connection.remotePeer.toString(), onPing),
    { maxInboundStreams: MAX_PING_STREAMS_PER_CONNECTION, runOnLimitedConnection: true },
  );
}

async function answerPings(stream: Stream, peer: string, onPing: (peer: string) => void): Promise<void> {
  const bytes = byteStream(stream);
  const idle = setTimeout(() => stream.abort(new Error('ping stream idle')), PING_STREAM_IDLE_MS);
  idle.unref();
  try {
    for (;;) {
      const ping = await bytes.read({ bytes: PING_LENGTH });
      idle.refresh();
      onPing(peer);
      await bytes.write(ping.subarray());
    }
  } catch {
    // The peer closed the stream (end of input) or it was aborted: nothing more to answer.
    await stream.close().catch(() => stream.abort(new Error('ping stream close failed')));
  } finally {
    clearTimeout(idle);
  }
}
