/**
 * Benchmark of the crypto module against its baselines, measured side by side in one process:
 * our verifier against raw node:crypto and noble, the signature cache, signing and hashing.
 *
 *   npx tsx scripts/bench-crypto.ts [--json] [--seconds 1.5] [--rounds 6]
 *
 * Every measurement runs for `--seconds`. The two figures that are compared (our verify and raw
 * node:crypto verify) are split into `--rounds` alternating slices and each reports the median
 * slice, so background load on this shared machine hits both alike. With --json, stdout holds
 * exactly one JSON object.
 */
import '../src/polyfill.js';
import { createHash, createPublicKey, type KeyObject, verify as nodeVerify, randomBytes } from 'node:crypto';
import {
  generateSecretKey,
  publicKeyOf,
  SignatureCache,
  sha256,
  sign,
  verifyReference,
  verifySignature,
} from '../src/crypto/index.js';
import { median, parseThroughputFlags, rate } from './bench/throughput.js';

/** Distinct (key, message, signature) triples cycled through, so no single key stays hot. */
const POOL_SIZE = 256;
/** Bytes per message: about one transaction's signing payload. */
const MESSAGE_BYTES = 250;
/** Operations between clock reads; keeps timer overhead out of the figures. */
const BATCH = 32;

interface Triple {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  keyObject: KeyObject;
}

const timed = (seconds: number, op: (i: number) => unknown): number => rate(seconds, op, BATCH);

function main(): void {
  const { json, seconds, rounds } = parseThroughputFlags(process.argv.slice(2));

  const pool: Triple[] = Array.from({ length: POOL_SIZE }, () => {
    const secretKey = generateSecretKey();
    const publicKey = publicKeyOf(secretKey);
    const message = Uint8Array.from(randomBytes(MESSAGE_BYTES));
    const keyObject = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
      format: 'jwk',
    });
    return { secretKey, publicKey, message, signature: sign(message, secretKey), keyObject };
  });
  const at = (i: number): Triple => pool[i % POOL_SIZE]!;
  const cache = new SignatureCache();

  // Warm-up: JIT, and every public key imported into the verifier's KeyObject cache, just as
  // the native baseline gets its KeyObjects for free.
  for (const t of pool) {
    if (!verifySignature(t.signature, t.message, t.publicKey)) throw new Error('warm-up verify failed');
    if (!nodeVerify(null, t.message, t.keyObject, t.signature)) throw new Error('warm-up native failed');
    if (!cache.verify(t.signature, t.message, t.publicKey)) throw new Error('warm-up cache failed');
  }

  const verifyOurs = (i: number): boolean => {
    const t = at(i);
    return verifySignature(t.signature, t.message, t.publicKey);
  };
  const verifyNative = (i: number): boolean => {
    const t = at(i);
    return nodeVerify(null, t.message, t.keyObject, t.signature);
  };
  timed(0.2, verifyOurs);
  timed(0.2, verifyNative);

  const ours: number[] = [];
  const native: number[] = [];
  const slice = seconds / rounds;
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so neither always follows the other.
    if (round % 2 === 0) {
      native.push(timed(slice, verifyNative));
      ours.push(timed(slice, verifyOurs));
    } else {
      ours.push(timed(slice, verifyOurs));
      native.push(timed(slice, verifyNative));
    }
  }
  const verifyPerSec = median(ours);
  const nativeVerifyPerSec = median(native);

  const nobleVerifyPerSec = timed(seconds, (i) => {
    const t = at(i);
    return verifyReference(t.signature, t.message, t.publicKey);
  });
  const cachedVerifyPerSec = timed(seconds, (i) => {
    const t = at(i);
    return cache.verify(t.signature, t.message, t.publicKey);
  });
  const signPerSec = timed(seconds, (i) => {
    const t = at(i);
    return sign(t.message, t.secretKey).length === 64;
  });
  const hashPerSec = timed(seconds, (i) => sha256(at(i).message).length === 32);
  const nativeHashPerSec = timed(
    seconds,
    (i) => createHash('sha256').update(at(i).message).digest().length === 32,
  );
  // Invalid signatures (one flipped bit in S) take the reference fallback; see verify.ts.
  const invalid = pool.map((t) => {
    const signature = t.signature.slice();
    signature[40]! ^= 0x01;
    return signature;
  });
  const invalidVerifyPerSec = timed(seconds, (i) => {
    const t = at(i);
    return !verifySignature(invalid[i % POOL_SIZE]!, t.message, t.publicKey);
  });

  const result = {
    verifyPerSec: Math.round(verifyPerSec),
    nativeVerifyPerSec: Math.round(nativeVerifyPerSec),
    nobleVerifyPerSec: Math.round(nobleVerifyPerSec),
    cachedVerifyPerSec: Math.round(cachedVerifyPerSec),
    signPerSec: Math.round(signPerSec),
    hashPerSec: Math.round(hashPerSec),
    nativeHashPerSec: Math.round(nativeHashPerSec),
    verifyVsNative: Number((verifyPerSec / nativeVerifyPerSec).toFixed(3)),
    invalidVerifyPerSec: Math.round(invalidVerifyPerSec),
    config: {
      seconds,
      rounds,
      poolSize: POOL_SIZE,
      messageBytes: MESSAGE_BYTES,
      node: process.version,
      openssl: process.versions.openssl,
      verifyRounds: { ours: ours.map(Math.round), native: native.map(Math.round) },
    },
  };

  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const rows: [string, number, string][] = [
    ['verifySignature (ours)', result.verifyPerSec, 'median of rounds, KeyObject cache warm'],
    ['node:crypto verify (raw)', result.nativeVerifyPerSec, 'median of rounds, KeyObjects pre-made'],
    ['verifyReference (noble strict)', result.nobleVerifyPerSec, ''],
    ['SignatureCache hit', result.cachedVerifyPerSec, 'sha256 of key||sig||msg + Set lookup'],
    ['verifySignature, invalid sig', result.invalidVerifyPerSec, 'OpenSSL + noble fallback'],
    ['sign (ours)', result.signPerSec, ''],
    [`sha256 ${MESSAGE_BYTES} B (hash.ts, noble)`, result.hashPerSec, ''],
    [`sha256 ${MESSAGE_BYTES} B (node:crypto)`, result.nativeHashPerSec, ''],
  ];
  console.log(`crypto benchmark: ${process.version}, OpenSSL ${process.versions.openssl}, ${seconds} s each`);
  for (const [name, perSec, note] of rows) {
    console.log(`  ${name.padEnd(34)} ${perSec.toLocaleString('en-US').padStart(12)} /s  ${note}`);
  }
  console.log(`  verifyVsNative = ${result.verifyVsNative}`);
  console.log(`  rounds ours:   ${result.config.verifyRounds.ours.join(', ')}`);
  console.log(`  rounds native: ${result.config.verifyRounds.native.join(', ')}`);
}

main();
