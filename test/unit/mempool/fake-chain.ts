/**
 * The mempool tests' chain: an in-memory UTXO view with the genesis outputs and an immature
 * coinbase of MINER at the tip, whose tests add and remove outputs by hand.
 */
import { genesisBlock } from '../../../src/chain/genesis.js';
import type { MempoolChainView } from '../../../src/chain/mempool/mempool.js';
import { createCoinbase, outpointKey, txidOf } from '../../../src/chain/objects/transaction.js';
import type { Utxo } from '../../../src/chain/rules/utxo.js';
import { MINER, PARAMS } from '../chain-state/helpers.js';

export const NOW = PARAMS.genesisTimestamp + 3_600_000;
export const GENESIS_AMOUNT = genesisBlock(PARAMS).transactions[0]!.outputs[0]!.amount;
export const TIP_HEIGHT = 10;

/** A UTXO view: the genesis outputs, plus a coinbase of MINER at the tip (immature). */
export class FakeChain implements MempoolChainView {
  readonly utxos = new Map<string, Utxo>();
  readonly confirmed = new Set<string>();
  height = TIP_HEIGHT;
  readonly immatureCoinbase = createCoinbase(
    TIP_HEIGHT,
    [{ amount: 50n, address: MINER.address as Uint8Array<ArrayBuffer> }],
    NOW,
  );

  constructor() {
    const genesis = genesisBlock(PARAMS).transactions[0]!;
    const txid = txidOf(genesis);
    genesis.outputs.forEach((output, index) => {
      this.utxos.set(outpointKey(txid, index), {
        amount: output.amount,
        address: output.address,
        height: 0,
        coinbase: true,
      });
    });
    this.utxos.set(outpointKey(txidOf(this.immatureCoinbase), 0), {
      amount: 50n,
      address: MINER.address,
      height: TIP_HEIGHT,
      coinbase: true,
    });
  }
  getUtxo(key: string): Utxo | undefined {
    return this.utxos.get(key);
  }
  tipHeight(): number {
    return this.height;
  }
  isConfirmed(txidHex: string): boolean {
    return this.confirmed.has(txidHex);
  }
}
