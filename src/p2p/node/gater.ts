/**
 * The one place the node refuses a peer: a libp2p `ConnectionGater` that consults a `PeerGate`
 * (implemented by the reputation layer's ban list) on every dial and at each stage of an inbound or
 * outbound connection where the remote peer id is known.
 *
 * An optional `InboundAddressGate` refuses inbound connections by remote address before the
 * handshake (membership's per-netgroup inbound cap): the cheapest place to turn away a flood of
 * identities from one address range.
 *
 * The gater only refuses new connections. To drop a peer that is already connected when it gets
 * blocked, the caller also hangs up (`libp2p.hangUp(peerId)`). Note that a blocked peer's dial to
 * us resolves on its side (the connection just closes), so the peer sees no error.
 */
import type { ConnectionGater, MultiaddrConnection, PeerId } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';

/** Decides whether a peer may connect. Called on hot paths: keep it a constant-time lookup. */
export interface PeerGate {
  isBlocked(peerId: string): boolean;
}

/** A gate that blocks nobody. */
export const OPEN_GATE: PeerGate = { isBlocked: () => false };

/** True to refuse an inbound connection from `remoteAddr` before any handshake. */
export type InboundAddressGate = (remoteAddr: Multiaddr) => boolean;

export function createConnectionGater(gate: PeerGate, inbound?: InboundAddressGate): ConnectionGater {
  const deny = (peerId: PeerId): boolean => gate.isBlocked(peerId.toString());
  return {
    denyInboundConnection: (maConn: MultiaddrConnection) => inbound?.(maConn.remoteAddr) ?? false,
    denyDialPeer: deny,
    denyInboundEncryptedConnection: deny,
    denyOutboundEncryptedConnection: deny,
    denyInboundUpgradedConnection: deny,
    denyOutboundUpgradedConnection: deny,
  };
}
