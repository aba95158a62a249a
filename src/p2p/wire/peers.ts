/**
 * Small helpers shared by the stream protocols: peer id parsing and finding an open connection.
 * Request/response protocols never dial: they use the connection the node already has (dialing is
 * the node's and the gater's business), and fail with `NotConnectedError` otherwise.
 */
import type { Connection, Libp2p, PeerId } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';

/** No open connection to the peer. */
export class NotConnectedError extends Error {
  override readonly name = 'NotConnectedError';
  constructor(readonly peerId: string) {
    super(`not connected to ${peerId}`);
  }
}

export function toPeerId(peer: PeerId | string): PeerId {
  return typeof peer === 'string' ? peerIdFromString(peer) : peer;
}

/** An open connection to `peer` (the oldest, as libp2p lists them), or throws NotConnectedError. */
export function openConnection(libp2p: Pick<Libp2p, 'getConnections'>, peer: PeerId): Connection {
  const connection = libp2p.getConnections(peer).find((c) => c.status === 'open');
  if (connection === undefined) throw new NotConnectedError(peer.toString());
  return connection;
}
