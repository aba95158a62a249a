/**
 * Helpers shared by the vector generators: raw protobuf pieces (to build non-canonical and
 * malformed encodings on purpose), deterministic keys and objects, mining at a target, and the
 * expected-failure record every invalid vector carries.
 */
import { encodeHeader, type BlockHeader, type TxOutput } from '../../src/chain/encoding/codec.js';
import { ERROR_VERDICTS, type ErrorCode, ValidationError } from '../../src/chain/errors.js';
import { devAccount } from '../../src/chain/genesis.js';
import { searchNonce } from '../../src/chain/mining/nonce-search.js';
import { bytesToBigInt, headerSigningHash } from '../../src/chain/objects/block.js';
import type { ChainParams } from '../../src/chain/params.js';
import { offenceFor } from '../../src/p2p/reputation/blame.js';
import { sha256 } from '../../src/crypto/hash.js';
import { sign } from '../../src/crypto/index.js';

export type Bytes = Uint8Array<ArrayBuffer>;

/** A fixed reference time for every vector: 2026-06-01T00:00:00Z (ms). */
export const T0 = Date.UTC(2026, 5, 1);

export function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Minimal unsigned LEB128 varint. */
export function varint(value: number | bigint): Bytes {
  const out: number[] = [];
  let v = BigInt(value);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Uint8Array.from(out);
}

/** Field key: field number and wire type (0 varint, 1 fixed64, 2 length-delimited). */
export const key = (field: number, wireType: number): Bytes => varint((field << 3) | wireType);

/** A length-delimited field. */
export const lenField = (field: number, body: Uint8Array): Bytes =>
  concat(key(field, 2), varint(body.length), body);

/** A varint field. */
export const varintField = (field: number, value: number | bigint): Bytes =>
  concat(key(field, 0), varint(value));

/** Deterministic pseudo-random bytes: SHA-256 of `label/0`, `label/1`, ... concatenated. */
export function filler(label: string, length: number): Bytes {
  const out = new Uint8Array(length);
  for (let i = 0, block = 0; i < length; block++) {
    const chunk = sha256(new TextEncoder().encode(`${label}/${block}`));
    out.set(chunk.subarray(0, Math.min(32, length - i)), i);
    i += 32;
  }
  return out;
}

export const account = (i: number) => devAccount(i);

export const pay = (index: number, amount: bigint): TxOutput => ({
  amount,
  address: account(index).address as Bytes,
});

/** What an invalid vector expects: the rule's code, its verdict, and the offence charged to the sender. */
export interface ExpectedFailure {
  code: ErrorCode;
  verdict: 'REJECT' | 'IGNORE';
  offence: string | null;
}

export function expectedFailure(code: ErrorCode, params: ChainParams, detail: Record<string, number> = {}) {
  const error = new ValidationError(code, 'vector', detail);
  return {
    code,
    verdict: ERROR_VERDICTS[code],
    offence: offenceFor(error, params),
  } satisfies ExpectedFailure;
}

/** Runs `fn` and returns the ValidationError it throws; throws if it succeeds or throws something else. */
export function failureOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

/**
 * Signs `header` with dev account `minerIndex` and searches a nonce (from 1) whose block id meets
 * `powTarget` (default: the header's own target). Returns the completed header.
 */
export function mine(
  header: BlockHeader,
  params: ChainParams,
  minerIndex: number,
  powTarget?: bigint,
): BlockHeader {
  const miner = account(minerIndex);
  const draft: BlockHeader = { ...header, minerPublicKey: miner.publicKey as Bytes, nonce: 0n };
  draft.minerSignature = sign(headerSigningHash(draft, params.network), miner.secretKey);
  return withNonce(draft, powTarget ?? bytesToBigInt(draft.target));
}

/** The header with the first nonce (from 1) whose id meets `target`. */
export function withNonce(header: BlockHeader, target: bigint): BlockHeader {
  const probe = encodeHeader({ ...header, nonce: 1n });
  const nonce = searchNonce(probe, target, 1n, 50_000_000);
  if (nonce === undefined) throw new Error('no nonce found');
  return { ...header, nonce };
}

/** The header with the first nonce (from 1) whose id is ABOVE its target (a proof-of-work failure). */
export function withFailingNonce(header: BlockHeader): BlockHeader {
  const target = bytesToBigInt(header.target);
  for (let nonce = 1n; ; nonce++) {
    const candidate = { ...header, nonce };
    const id = searchNonce(encodeHeader(candidate), target, nonce, 1);
    if (id === undefined) return candidate;
  }
}
