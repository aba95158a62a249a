/**
 * The launcher's identity key files: written without libp2p, read back by the node's own loader
 * (libp2p's format) as Ed25519 keys whose public half is the one written, mode 0600, and never
 * replaced once there.
 */
import { readFile, rm, stat, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ensureIdentityFiles,
  IDENTITY_KEY_FILE,
  newIdentityKeyFile,
} from '../../../src/devnet/identity-files.js';
import type { NodeDefinition } from '../../../src/node/devnet-definitions.js';
import { loadOrCreatePrivateKey, P2P_KEY_FILE } from '../../../src/p2p/node/identity.js';

let root: string | undefined;

afterEach(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
  root = undefined;
});

function defs(dataRoot: string, names: readonly string[]): NodeDefinition[] {
  return names.map((name) => ({ name, dataRoot }) as NodeDefinition);
}

describe('identity key files', () => {
  it("are the node's own key file name and format: an Ed25519 key, public half included", async () => {
    expect(IDENTITY_KEY_FILE).toBe(P2P_KEY_FILE);
    root = await mkdtemp(join(tmpdir(), 'trustmesh-identity-'));
    expect(await ensureIdentityFiles(defs(root, ['alice', 'bob']))).toBe(2);
    for (const name of ['alice', 'bob']) {
      const path = join(root, name, P2P_KEY_FILE);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      const bytes = await readFile(path);
      const key = await loadOrCreatePrivateKey(join(root, name));
      expect(key.type).toBe('Ed25519');
      // The loader did not replace the file, and its public key is the one written after the seed.
      expect(await readFile(path)).toEqual(bytes);
      expect(key.publicKey.raw).toEqual(new Uint8Array(bytes.subarray(36)));
    }
    const alice = await loadOrCreatePrivateKey(join(root, 'alice'));
    const bob = await loadOrCreatePrivateKey(join(root, 'bob'));
    expect(alice.publicKey.equals(bob.publicKey)).toBe(false);
  });

  it('signs with the seed written: a signature the public key verifies', async () => {
    root = await mkdtemp(join(tmpdir(), 'trustmesh-identity-'));
    await ensureIdentityFiles(defs(root, ['carol']));
    const key = await loadOrCreatePrivateKey(join(root, 'carol'));
    const message = new TextEncoder().encode('devnet');
    expect(await key.publicKey.verify(message, await key.sign(message))).toBe(true);
    expect(newIdentityKeyFile()).toHaveLength(68);
  });

  it('leaves an existing key file as it is', async () => {
    root = await mkdtemp(join(tmpdir(), 'trustmesh-identity-'));
    await ensureIdentityFiles(defs(root, ['dave']));
    const before = await readFile(join(root, 'dave', P2P_KEY_FILE));
    expect(await ensureIdentityFiles(defs(root, ['dave', 'erin']))).toBe(1);
    expect(await readFile(join(root, 'dave', P2P_KEY_FILE))).toEqual(before);
  });
});
