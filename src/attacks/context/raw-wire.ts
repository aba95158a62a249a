/**
 * Raw streams and raw gossipsub messages: the attacker writes bytes by hand (random, truncated,
 * non-canonical, lying length prefixes, oversize) on every stream protocol an honest node serves
 * and on the inventory topic. Whatever the peer answers is read and dropped, so a stream is only
 * ever stalled on purpose. Every stream opened is tracked and aborted when the attack stops.
 */
import type { Libp2p, PeerId, Stream } from '@libp2p/interface';
import { addrProtocol } from '../../p2p/membership/addr-relay.js';
import type { P2PNode } from '../../p2p/node/create-node.js';
import { getDataProtocol, syncProtocol, txPushProtocol } from '../../p2p/wire/constants.js';
import type { RawStream, RawWire } from '../attack.js';

/** Time (ms) a stream may take to open (protocol negotiation included) before we give up. */
const OPEN_TIMEOUT_MS = 5_000;

/** The stream protocols of `network`, by name. */
export function streamProtocols(network: string): RawWire['protocols'] {
  return {
    getdata: getDataProtocol(network),
    sync: syncProtocol(network),
    txpush: txPushProtocol(network),
    addr: addrProtocol(network),
  };
}

/** Streams opened by hand and not yet ended; `closeAll` aborts them (the attack stops). */
export class RawStreams {
  private readonly open = new Set<Stream>();

  /** Opens a stream on `libp2p` to `peer`, with a write queue and a reader that drops what it reads. */
  async openOn(libp2p: Libp2p, peer: PeerId, protocol: string): Promise<RawStream> {
    const connection = libp2p.getConnections(peer).find((c) => c.status === 'open');
    if (connection === undefined) throw new Error(`no open connection to ${peer.toString()}`);
    const stream = await connection.newStream(protocol, { signal: AbortSignal.timeout(OPEN_TIMEOUT_MS) });
    this.open.add(stream);
    const queue: Uint8Array[] = [];
    let wake: (() => void) | undefined;
    let closing = false;
    let ended = false;
    const end = () => {
      ended = true;
      this.open.delete(stream);
      wake?.();
    };
    async function* source(): AsyncGenerator<Uint8Array> {
      while (!ended) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (closing) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    }
    void stream.sink(source()).then(end, end);
    void (async () => {
      try {
        for await (const _chunk of stream.source) {
          // The peer's answers (or its error frames) are not what this stream is for.
        }
      } catch {
        // reset by the peer: what the attack provokes
      }
      end();
    })();
    return {
      write(bytes) {
        queue.push(bytes);
        wake?.();
      },
      close() {
        closing = true;
        wake?.();
      },
      get ended() {
        return ended;
      },
    };
  }

  get size(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const stream of this.open) stream.abort(new Error('attack stopped'));
    this.open.clear();
  }
}

/** Pause (ms) after closing our own getdata stream, for the peer to notice before we open ours. */
const HANDOVER_MS = 100;

/**
 * The raw wire of a node: streams from its own identity, messages on its inventory topic. A peer
 * serves one getdata stream per peer and refuses any other, so opening a raw getdata stream first
 * closes the node's own (`releaseGetData`): its client opens a new one when it next needs one.
 */
export function rawWire(
  p2p: P2PNode,
  peerIdOf: (peer: string) => PeerId | undefined,
  streams: RawStreams,
  releaseGetData: (peer: string) => void,
): RawWire {
  const protocols = streamProtocols(p2p.network);
  return {
    protocols,
    async open(peer, protocol) {
      const id = peerIdOf(peer);
      if (id === undefined) throw new Error(`not connected to ${peer}`);
      if (protocol === protocols.getdata) {
        releaseGetData(peer);
        await new Promise((resolve) => setTimeout(resolve, HANDOVER_MS));
      }
      return streams.openOn(p2p.libp2p, id, protocol);
    },
    async publish(data) {
      await p2p.gossipsub.publish(p2p.invTopic, data);
    },
  };
}
