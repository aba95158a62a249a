/**
 * `npm run vectors`: regenerates the test vectors in test/vectors/*.json from the reference code,
 * formatted as the repository's Prettier settings want. test/unit/vectors checks that every vector
 * still matches the code byte for byte; run this after an intended change of a rule or an encoding,
 * and review the diff. PROTOCOL.md section 14 documents the files.
 */
import { format, resolveConfig } from 'prettier';
import { type VectorFileName, VECTORS_DIR, writeVectors } from '../test/unit/vectors/format.js';
import { blockVectors } from './vectors/blocks.js';
import { difficultyVectors } from './vectors/difficulty.js';
import { genesisVectors } from './vectors/genesis.js';
import { hashVectors } from './vectors/hashes.js';
import { ledgerVectors } from './vectors/ledger.js';
import { merkleVectors } from './vectors/merkle.js';
import { transactionVectors } from './vectors/transactions.js';
import { wireVectors } from './vectors/wire.js';
import '../src/polyfill.js';

const GENERATORS: Record<VectorFileName, () => unknown> = {
  hashes: hashVectors,
  transactions: transactionVectors,
  blocks: blockVectors,
  merkle: merkleVectors,
  difficulty: difficultyVectors,
  genesis: genesisVectors,
  ledger: ledgerVectors,
  wire: wireVectors,
};

async function main(): Promise<void> {
  const options = { ...(await resolveConfig(`${VECTORS_DIR}/x.json`)), parser: 'json' };
  for (const [name, generate] of Object.entries(GENERATORS) as Array<[VectorFileName, () => unknown]>) {
    const started = Date.now();
    const text = await format(JSON.stringify(await generate()), options);
    writeVectors(name, text);
    console.log(`test/vectors/${name}.json: ${text.length} bytes (${Date.now() - started} ms)`);
  }
}

await main();
