/**
 * The node's libp2p identity: an Ed25519 private key in `<dataDir>/p2p-key` (libp2p's protobuf key
 * encoding, file mode 0600), created on first start and reused after, so a node keeps its peer id
 * across restarts (peers' bootstrap lists and ban lists name it).
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';

/** File name of the key inside the data dir. */
export const P2P_KEY_FILE = 'p2p-key';

/** The key file exists but does not hold an Ed25519 libp2p private key: refuse to start rather than replace it. */
export class IdentityKeyError extends Error {
  override readonly name = 'IdentityKeyError';
}

/** Loads `<dataDir>/p2p-key`, or creates it (and `dataDir`) with a fresh Ed25519 key. */
export async function loadOrCreatePrivateKey(dataDir: string): Promise<PrivateKey> {
  const path = join(dataDir, P2P_KEY_FILE);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (bytes !== undefined) {
    let key: PrivateKey;
    try {
      key = privateKeyFromProtobuf(bytes);
    } catch (err) {
      throw new IdentityKeyError(`${path} is not a libp2p private key: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (key.type !== 'Ed25519')
      throw new IdentityKeyError(`${path} holds a ${key.type} key, expected Ed25519`);
    await chmod(path, 0o600);
    return key;
  }
  const key = await generateKeyPair('Ed25519');
  await mkdir(dataDir, { recursive: true });
  // Write then rename: a crash never leaves a truncated key behind.
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, privateKeyToProtobuf(key), { mode: 0o600 });
  await rename(tmp, path);
  return key;
}
