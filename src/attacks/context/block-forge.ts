/**
 * The block forge of an attacker: block templates on its own view of the chain, signed with its
 * miner key, sealed with a nonce whose block id meets its target or, on purpose, misses it. The
 * kinds then break exactly one rule (proof of work, merkle root, signature, coinbase, inputs) and
 * keep every other field correct, so the honest node's verdict names that rule.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type BlockHeader, encodeHeader, type Transaction } from '../../chain/encoding/codec.js';
import { buildBlockTemplate, type BlockTemplate } from '../../chain/mining/miner.js';
import { searchNonce } from '../../chain/mining/nonce-search.js';
import {
  BLOCK_VERSION,
  blockIdOf,
  bytesToBigInt,
  type FullBlock,
  headerSigningHash,
  meetsTarget,
  merkleRoot,
  targetToBytes,
} from '../../chain/objects/block.js';
import { createCoinbase, txidOf } from '../../chain/objects/transaction.js';
import { blockSubsidy } from '../../chain/params.js';
import { bytesEqual } from '../../crypto/hash.js';
import { publicKeyOf, sign } from '../../crypto/index.js';
import type { NodeServices } from '../../node/services.js';
import type { BlockForge, PowOutcome } from '../attack.js';

/** Nonces tried per event-loop turn while sealing (~50 ms of hashing: the node keeps serving). */
const SEAL_BATCH = 20_000;

export function blockForge(
  { chain }: Pick<NodeServices, 'chain'>,
  secretKey: Uint8Array,
  payoutAddress: Uint8Array,
): BlockForge {
  const signHeader = (header: BlockHeader): BlockHeader => {
    const unsigned: BlockHeader = { ...header, minerPublicKey: publicKeyOf(secretKey) };
    const signature = sign(headerSigningHash(unsigned, chain.params.network), secretKey);
    return { ...unsigned, minerSignature: signature as Uint8Array<ArrayBuffer>, nonce: 1n };
  };
  const rootOf = (transactions: readonly Transaction[]) =>
    merkleRoot(transactions.map((tx) => txidOf(tx))) as Uint8Array<ArrayBuffer>;

  return {
    tip: () => chain.tip(),
    entryAt: (height) => chain.getBlockByHeight(height),
    nextTarget: () => chain.nextTarget(),
    template: () => buildBlockTemplate(chain, secretKey, payoutAddress),
    templateWith(transactions, coinbaseExtra = 0n): BlockTemplate {
      const tip = chain.tip();
      const height = tip.height + 1;
      const timestamp = Math.max(chain.now(), chain.medianTimePast() + 1);
      const target = chain.nextTarget();
      const coinbase = createCoinbase(
        height,
        [
          {
            amount: blockSubsidy(chain.params, height) + coinbaseExtra,
            address: payoutAddress as Uint8Array<ArrayBuffer>,
          },
        ],
        timestamp,
      );
      const all = [coinbase, ...transactions];
      const header = signHeader({
        version: BLOCK_VERSION,
        height,
        prevHash: tip.id as Uint8Array<ArrayBuffer>,
        merkleRoot: rootOf(all),
        timestamp,
        target: targetToBytes(target),
        minerPublicKey: new Uint8Array(0),
        minerSignature: new Uint8Array(0),
        nonce: 0n,
      });
      return {
        header,
        headerBytes: encodeHeader(header),
        transactions: all,
        target,
        parentHex: tip.idHex,
        height,
        fees: 0n,
      };
    },
    sign: signHeader,
    merkleRootOf: rootOf,
    async seal(header, transactions, pow: PowOutcome, onlyOnTip = false): Promise<FullBlock | undefined> {
      const target = bytesToBigInt(header.target);
      const candidate: BlockHeader = { ...header, nonce: 1n };
      if (pow === 'misses') {
        // Almost every nonce misses a real target; on regtest's trivial one, about every other.
        while (meetsTarget(blockIdOf(candidate), target)) candidate.nonce++;
        return { header: candidate, transactions: [...transactions] };
      }
      const bytes = encodeHeader(candidate);
      for (let start = 1n; ; start += BigInt(SEAL_BATCH)) {
        const nonce = searchNonce(bytes, target, start, SEAL_BATCH);
        if (nonce !== undefined) return { header: { ...candidate, nonce }, transactions: [...transactions] };
        await yieldToEventLoop();
        if (onlyOnTip && !bytesEqual(chain.tip().id, header.prevHash)) return undefined;
      }
    },
    async submitOwn(bytes) {
      // Announced by the node's chain events once it joins the active chain, as any block is.
      await chain.processBlock(bytes);
    },
  };
}
