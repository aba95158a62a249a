/**
 * The JSON shape of the test vectors in test/vectors/*.json, shared by the generator
 * (scripts/vectors.ts, `npm run vectors`) and the tests that recompute every vector from the
 * reference code (test/unit/vectors/*.test.ts). PROTOCOL.md section 14 documents the shapes.
 *
 * Conventions: bytes are lowercase hex; 64-bit amounts, nonces and big numbers (targets, work) are
 * decimal strings or 64-hex-digit strings, never JSON numbers; timestamps (ms, below 2^53) and
 * 32-bit fields are JSON numbers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockHeader, Transaction } from '../../../src/chain/encoding/codec.js';
import { fromHex, toHex } from '../../../src/crypto/hash.js';

/** Folder of the vector files, relative to the repository root. */
export const VECTORS_DIR = join(import.meta.dirname, '..', '..', 'vectors');

type Bytes = Uint8Array<ArrayBuffer>;

export interface TxInputJson {
  prevTxid: string;
  outputIndex: number;
  publicKey: string;
  signature: string;
}

export interface TxOutputJson {
  /** Base units, decimal. */
  amount: string;
  address: string;
}

export interface TransactionJson {
  version: number;
  inputs: TxInputJson[];
  outputs: TxOutputJson[];
  timestamp: number;
  coinbaseHeight: number;
}

export interface HeaderJson {
  version: number;
  height: number;
  prevHash: string;
  merkleRoot: string;
  timestamp: number;
  /** 64 hex digits, big-endian. */
  target: string;
  minerPublicKey: string;
  minerSignature: string;
  /** Unsigned 64-bit, decimal. */
  nonce: string;
}

export const hex = (bytes: Uint8Array): string => toHex(bytes);
export const unhex = (text: string): Bytes => fromHex(text) as Bytes;

/** A 256-bit number as 64 hex digits. */
export const hex256 = (value: bigint): string => value.toString(16).padStart(64, '0');

export function txToJson(tx: Transaction): TransactionJson {
  return {
    version: tx.version,
    inputs: tx.inputs.map((input) => ({
      prevTxid: hex(input.prevTxid),
      outputIndex: input.outputIndex,
      publicKey: hex(input.publicKey),
      signature: hex(input.signature),
    })),
    outputs: tx.outputs.map((output) => ({ amount: output.amount.toString(), address: hex(output.address) })),
    timestamp: tx.timestamp,
    coinbaseHeight: tx.coinbaseHeight,
  };
}

export function txFromJson(json: TransactionJson): Transaction {
  return {
    version: json.version,
    inputs: json.inputs.map((input) => ({
      prevTxid: unhex(input.prevTxid),
      outputIndex: input.outputIndex,
      publicKey: unhex(input.publicKey),
      signature: unhex(input.signature),
    })),
    outputs: json.outputs.map((output) => ({
      amount: BigInt(output.amount),
      address: unhex(output.address),
    })),
    timestamp: json.timestamp,
    coinbaseHeight: json.coinbaseHeight,
  };
}

export function headerToJson(header: BlockHeader): HeaderJson {
  return {
    version: header.version,
    height: header.height,
    prevHash: hex(header.prevHash),
    merkleRoot: hex(header.merkleRoot),
    timestamp: header.timestamp,
    target: hex(header.target),
    minerPublicKey: hex(header.minerPublicKey),
    minerSignature: hex(header.minerSignature),
    nonce: header.nonce.toString(),
  };
}

export function headerFromJson(json: HeaderJson): BlockHeader {
  return {
    version: json.version,
    height: json.height,
    prevHash: unhex(json.prevHash),
    merkleRoot: unhex(json.merkleRoot),
    timestamp: json.timestamp,
    target: unhex(json.target),
    minerPublicKey: unhex(json.minerPublicKey),
    minerSignature: unhex(json.minerSignature),
    nonce: BigInt(json.nonce),
  };
}

/** Every vector file starts with these fields. */
export interface VectorFile {
  description: string;
  generatedBy: string;
}

export const GENERATED_BY = 'npm run vectors (scripts/vectors.ts); checked by test/unit/vectors';

/** Names of the vector files, without the `.json`. */
export const VECTOR_FILES = [
  'hashes',
  'transactions',
  'blocks',
  'merkle',
  'difficulty',
  'genesis',
  'ledger',
  'wire',
] as const;

export type VectorFileName = (typeof VECTOR_FILES)[number];

export function readVectors<T extends VectorFile>(name: VectorFileName): T {
  return JSON.parse(readFileSync(join(VECTORS_DIR, `${name}.json`), 'utf8')) as T;
}

export function writeVectors(name: VectorFileName, text: string): void {
  writeFileSync(join(VECTORS_DIR, `${name}.json`), text);
}
