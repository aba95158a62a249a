/**
 * libp2p's ping service, unchanged on the wire (`/ipfs/ping/1.0.0`: 32 random bytes echoed), that
 * also reports the peer of every inbound ping stream. A peer that pings us is alive and can reach
 * us, so the liveness monitor need not ping it back (src/p2p/membership/liveness-monitor.ts): on
 * every connection one side pings, not both.
 *
 * How: @libp2p/ping registers its `handleMessage` method as the protocol handler when the service
 * starts; the factory below wraps that method on the fresh instance, before start. If a future
 * @libp2p/ping renames it, building the node fails loudly here instead of silently pinging twice
 * (test/integration/membership/ping-observer.test.ts checks the reports over real TCP).
 */
import type { IncomingStreamData } from '@libp2p/interface';
import { type Ping, type PingComponents, type PingInit, ping } from '@libp2p/ping';

interface PingHandler {
  handleMessage(data: IncomingStreamData): void;
}

/** `ping(init)`, reporting `onInbound(peerId)` when a peer opens a ping stream to us. */
export function observedPing(
  init: PingInit,
  onInbound: (peer: string) => void,
): (components: PingComponents) => Ping {
  const factory = ping(init);
  return (components) => {
    const service = factory(components) as Ping & Partial<PingHandler>;
    const handle = service.handleMessage;
    if (typeof handle !== 'function') {
      throw new TypeError('@libp2p/ping has no handleMessage method to observe: update observed-ping.ts');
    }
    service.handleMessage = (data: IncomingStreamData): void => {
      onInbound(data.connection.remotePeer.toString());
      handle.call(service, data);
    };
    return service;
  };
}
