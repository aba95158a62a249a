/**
 * Chain state: the block tree and active chain on LevelDB, the UTXO set, the orphan pool and the
 * mempool, behind the `Chain` class.
 *
 * @example
 * ```ts
 * import { Chain } from './chain/state/index.js';
 * import { REGTEST } from './chain/params.js';
 *
 * const chain = await Chain.open({ dataDir: '/tmp/node1', params: REGTEST });
 * chain.on('tip', (tip) => console.log('tip', tip.height, tip.idHex));
 * const result = await chain.processBlock(blockBytes); // { status: 'connected', ... } or throws ValidationError
 * chain.acceptTransaction(txBytes);                     // into chain.mempool, or throws ValidationError
 * await chain.close();
 * ```
 */
export type { BlockStatus, ChainEntry } from './block-index.js';
export { STORE_VERSION } from './block-store.js';
export {
  type BlockResult,
  Chain,
  type ChainEvents,
  type ChainLogger,
  type ChainOptions,
  type ConnectedBlock,
  MAX_INVALID_IDS,
  type ReorgInfo,
} from './chain.js';
export { ACTIVE_TIP_SEQ, asActiveTip, compareChains, type ForkCandidate } from './fork-choice.js';
export { MAX_ORPHAN_BYTES, MAX_ORPHANS } from './orphan-pool.js';
export { MAX_RECENT_TXS, type TxLocation } from './recent-txs.js';
export { type BlockUndo, type OwnedUtxo, parseOutpointKey, UtxoOverlay, UtxoSet } from './utxo-set.js';
