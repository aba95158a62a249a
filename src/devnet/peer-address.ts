/**
 * A devnet node's /p2p/ multiaddr, from its identity key file (created when missing). Kept apart
 * from the node's entry point so a launcher can create every identity before spawning the nodes
 * without loading the whole node (libp2p, the chain) itself.
 */
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { dataDirOf, type NodeDefinition, peerAddrOf } from '../node/devnet-definitions.js';
import { loadOrCreatePrivateKey } from '../p2p/node/identity.js';

/** The /p2p/ multiaddr of a devnet node (on its own host), creating its identity key if it has none yet. */
export async function devnetPeerAddress(def: NodeDefinition): Promise<string> {
  const key = await loadOrCreatePrivateKey(dataDirOf(def));
  return `${peerAddrOf(def)}/p2p/${peerIdFromPrivateKey(key).toString()}`;
}
