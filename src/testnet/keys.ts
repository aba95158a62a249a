/**
 * Deterministic node identities: the libp2p Ed25519 key of node `index` is derived from a network
 * seed, so a launcher (the testnet) or an exporter (Kubernetes manifests) knows every peer id, and
 * hence every bootstrap multiaddr, before any node starts. The key goes into the node's data dir as
 * `p2p-key` (libp2p's protobuf key encoding, mode 0600), where the node loads it at start.
 *
 * Keys derived from a public seed are public: this is for test networks, never for real funds or
 * real identities.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPairFromSeed, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { P2P_KEY_FILE } from '../p2p/node/identity.js';

export interface NodeIdentity {
  /** libp2p's protobuf encoding of the private key (the `p2p-key` file's bytes). */
  readonly keyBytes: Uint8Array;
  readonly peerId: string;
}

/** The 32-byte Ed25519 seed of node `index` of the network seeded by `seed`. */
export function identitySeed(seed: string, index: number): Uint8Array {
  return createHash('sha256').update(`trustmesh-node-key/${seed}/${index}`).digest();
}

export async function deriveIdentity(seed: string, index: number): Promise<NodeIdentity> {
  const key = await generateKeyPairFromSeed('Ed25519', identitySeed(seed, index));
  return { keyBytes: privateKeyToProtobuf(key), peerId: peerIdFromPrivateKey(key).toString() };
}

/** Writes the identity into `dataDir` (created with mode 0700) as the node's key file. */
export async function writeIdentity(dataDir: string, identity: NodeIdentity): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFile(join(dataDir, P2P_KEY_FILE), identity.keyBytes, { mode: 0o600 });
}
