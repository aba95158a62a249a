/**
 * Native Ed25519 verification rate on this machine, now: node:crypto `verify` with KeyObjects
 * made beforehand (the cheapest verification Node offers, the work every node must do per
 * signature). The throughput part divides it among the nodes to get the network's ceiling.
 */
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

/** Distinct keys cycled through. */
const KEYS = 64;
/** Bytes signed: about a transaction's sighash input. */
const MESSAGE_BYTES = 32;

/** Verifications per second of one thread, measured for `seconds`. */
export function nativeVerifyPerSec(seconds = 1): number {
  const triples = Array.from({ length: KEYS }, (_, i) => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const message = Buffer.alloc(MESSAGE_BYTES, i);
    // A KeyObject rebuilt from the raw key, as a node caches one per public key it has seen.
    const key = createPublicKey({
      key: publicKey.export({ format: 'der', type: 'spki' }),
      format: 'der',
      type: 'spki',
    });
    return { key, message, signature: sign(null, message, privateKey) };
  });
  for (const t of triples) if (!verify(null, t.message, t.key, t.signature)) throw new Error('verify failed');
  let count = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  let now = started;
  while (now < until) {
    for (let i = 0; i < 32; i++) {
      const t = triples[count++ % KEYS]!;
      verify(null, t.message, t.key, t.signature);
    }
    now = performance.now();
  }
  return (count * 1000) / (now - started);
}
