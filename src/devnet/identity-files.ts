/**
 * The devnet nodes' identity key files, created by the launcher before it spawns the nodes (so no
 * two nodes race to create a peer's key when they resolve its /p2p/ address; supervisor.ts)
 * without loading libp2p: a missing key is generated with node:crypto and written in libp2p's own
 * key file format, the one the node reads with `loadOrCreatePrivateKey` (src/p2p/node/identity.ts):
 * the peer-id spec's `PrivateKey` protobuf with type Ed25519 and, as data, the 32-byte private
 * seed followed by the 32-byte public key; file mode 0600, written then renamed. Loading libp2p's
 * key code through tsx cost the launcher ~0.2 s of a devnet start (docs/performance.md).
 * An existing file is left as it is (the node checks it when it starts).
 */
import { generateKeyPairSync } from 'node:crypto';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDirOf, type NodeDefinition } from '../node/devnet-definitions.js';

/** The key's file name in a node's data dir: P2P_KEY_FILE of src/p2p/node/identity.ts. */
export const IDENTITY_KEY_FILE = 'p2p-key';

/**
 * The protobuf bytes before an Ed25519 key's 64 data bytes: field 1 (Type, varint) = 1 (Ed25519),
 * field 2 (Data, length-delimited) of length 64.
 */
const ED25519_KEY_PREFIX = Uint8Array.of(0x08, 0x01, 0x12, 0x40);

/** A fresh Ed25519 identity in libp2p's private key file format (68 bytes). */
export function newIdentityKeyFile(): Uint8Array {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d!, 'base64url');
  const publicKey = Buffer.from(jwk.x!, 'base64url');
  return Buffer.concat([ED25519_KEY_PREFIX, seed, publicKey]);
}

/** Creates the identity key file of every node in `defs` that has none; resolves to how many it created. */
export async function ensureIdentityFiles(defs: readonly NodeDefinition[]): Promise<number> {
  let created = 0;
  for (const def of defs) {
    const dir = dataDirOf(def);
    const path = join(dir, IDENTITY_KEY_FILE);
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    await mkdir(dir, { recursive: true });
    // Write then rename: a crash never leaves a truncated key behind.
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, newIdentityKeyFile(), { mode: 0o600 });
    await rename(tmp, path);
    created++;
  }
  return created;
}
