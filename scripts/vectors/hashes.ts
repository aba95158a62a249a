/**
 * Vectors of the hash and key primitives: tagged hashes (PROTOCOL.md 8.1), Ed25519 public keys of
 * the dev accounts' secret keys, addresses, and deterministic signatures.
 */
import { devAccount } from '../../src/chain/genesis.js';
import { addressOf, publicKeyOf, sha256, sign, taggedHash } from '../../src/crypto/index.js';
import { GENERATED_BY, hex } from '../../test/unit/vectors/format.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export function hashVectors() {
  const tagged = [
    { tag: 'trustmesh/txid', parts: [] as Uint8Array[] },
    { tag: 'trustmesh/block', parts: [utf8('abc')] },
    { tag: 'trustmesh/merkle-leaf', parts: [new Uint8Array(32).fill(0x11)] },
    { tag: 'trustmesh/merkle-node', parts: [new Uint8Array(32).fill(0x11), new Uint8Array(32).fill(0x22)] },
    { tag: 'trustmesh/devnet/sighash', parts: [] },
    { tag: 'trustmesh/regtest/block-signature', parts: [utf8('trustmesh')] },
    { tag: 'trustmesh/dev-account', parts: [Uint8Array.of(0, 0, 0, 7)] },
  ].map(({ tag, parts }) => ({
    tag,
    tagSha256: hex(sha256(utf8(tag))),
    parts: parts.map(hex),
    hash: hex(taggedHash(tag, ...parts)),
  }));
  const keys = [0, 1, 9].map((index) => {
    const account = devAccount(index);
    const message = utf8(`trustmesh vector ${index}`);
    return {
      devAccount: index,
      secretKey: hex(account.secretKey),
      publicKey: hex(publicKeyOf(account.secretKey)),
      address: hex(addressOf(account.publicKey)),
      message: hex(message),
      signature: hex(sign(message, account.secretKey)),
    };
  });
  return {
    description:
      'Tagged hashes H_tag(parts) = SHA-256(SHA-256(tag) || SHA-256(tag) || parts...); dev-account keys ' +
      '(secret key = H_"trustmesh/dev-account"(u32be(index))), their Ed25519 public keys (RFC 8032), ' +
      'addresses (SHA-256(publicKey)[0..20]) and deterministic Ed25519 signatures of a message.',
    generatedBy: GENERATED_BY,
    tagged,
    keys,
  };
}
