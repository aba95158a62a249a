/**
 * Merkle root vectors (PROTOCOL.md 8.2): txid lists of 0 to 9 and 16 entries, with every level of
 * the tree, so the odd-node rule (carried up unchanged, never duplicated) is visible.
 */
import { merkleRoot } from '../../src/chain/objects/block.js';
import { sha256, taggedHash } from '../../src/crypto/hash.js';
import { GENERATED_BY, hex } from '../../test/unit/vectors/format.js';

/** Levels of the tree, leaves first, root last (the reference computes only the root). */
function levels(txids: Uint8Array[]): string[][] {
  if (txids.length === 0) return [];
  let level = txids.map((id) => taggedHash('trustmesh/merkle-leaf', id));
  const out = [level.map(hex)];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(right === undefined ? level[i]! : taggedHash('trustmesh/merkle-node', level[i]!, right));
    }
    level = next;
    out.push(level.map(hex));
  }
  return out;
}

export function merkleVectors() {
  const vectors = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16].map((count) => {
    const txids = Array.from({ length: count }, (_, i) => sha256(Uint8Array.of(i)));
    return { count, txids: txids.map(hex), levels: levels(txids), root: hex(merkleRoot(txids)) };
  });
  return {
    description:
      'Merkle roots (PROTOCOL.md 8.2). txids[i] = SHA-256(byte i). levels[0] are the leaves ' +
      'H_"trustmesh/merkle-leaf"(txid); each next level pairs nodes left to right with ' +
      'H_"trustmesh/merkle-node"(left || right) and carries an odd last node up unchanged; root is the last ' +
      'level (32 zero bytes for no txids).',
    generatedBy: GENERATED_BY,
    vectors,
  };
}
