/**
 * Coins for the benchmark's load: funding transactions that split genesis outputs of dev accounts
 * 1..9 into many small outputs ("fan-outs"), confirmed by mining on demand, then one-input
 * two-output payments that spend them, signed just before they are sent (the relay window and the
 * push freshness limit count from a transaction's timestamp). Payments are typical wallet payments
 * (~220 bytes), each needing one signature check per node.
 */
import { encodeTransaction } from '../../src/chain/encoding/codec.js';
import {
  DEV_OUTPUTS_PER_ACCOUNT,
  type DevAccount,
  devAccount,
  genesisBlock,
} from '../../src/chain/genesis.js';
import { createTransaction, txidOf } from '../../src/chain/objects/transaction.js';
import type { ChainParams } from '../../src/chain/params.js';

/** Outputs per funding transaction (~23 KB each: ~40 fit a block). */
export const FANOUT_OUTPUTS = 500;
/** Fee of a funding transaction, base units (above 1 unit per byte). */
const FANOUT_FEE = 1_000_000n;
/** Fee of a payment, base units (above 1 unit per byte of ~220 bytes). */
const PAYMENT_FEE = 1_000n;
/** Dev accounts that fund the load (account 0 receives every payment). */
const FUNDING_ACCOUNTS = 9;

interface Coin {
  readonly txid: Uint8Array;
  readonly index: number;
  readonly amount: bigint;
  readonly account: number;
}

export class CoinSource {
  private coins: Coin[] = [];
  private readonly accounts = new Map<number, DevAccount>();

  constructor(private readonly params: ChainParams) {}

  private account(index: number): DevAccount {
    let account = this.accounts.get(index);
    if (account === undefined) {
      account = devAccount(index);
      this.accounts.set(index, account);
    }
    return account;
  }

  /** Encoded funding transactions creating at least `count` coins (they must then be confirmed). */
  fundingTransactions(count: number): Uint8Array[] {
    const genesis = genesisBlock(this.params).transactions[0]!;
    const genesisTxid = txidOf(genesis);
    const fanouts = Math.ceil(count / FANOUT_OUTPUTS);
    if (fanouts > FUNDING_ACCOUNTS * DEV_OUTPUTS_PER_ACCOUNT)
      throw new RangeError(`${count} coins are too many`);
    const now = Date.now();
    const txs: Uint8Array[] = [];
    for (let f = 0; f < fanouts; f++) {
      const account = 1 + (f % FUNDING_ACCOUNTS);
      const owner = this.account(account);
      const outputIndex = account * DEV_OUTPUTS_PER_ACCOUNT + Math.floor(f / FUNDING_ACCOUNTS);
      const input = genesis.outputs[outputIndex]!;
      const each = (input.amount - FANOUT_FEE) / BigInt(FANOUT_OUTPUTS);
      const outputs = Array.from({ length: FANOUT_OUTPUTS }, () => ({
        amount: each,
        address: owner.address as Uint8Array<ArrayBuffer>,
      }));
      const tx = createTransaction(
        this.params.network,
        [{ prevTxid: genesisTxid, outputIndex, secretKey: owner.secretKey }],
        outputs,
        now,
      );
      const txid = txidOf(tx);
      for (let index = 0; index < FANOUT_OUTPUTS; index++)
        this.coins.push({ txid, index, amount: each, account });
      txs.push(encodeTransaction(tx));
    }
    return txs;
  }

  /** Coins not yet spent by `payments`. */
  get available(): number {
    return this.coins.length;
  }

  /** `count` payments to dev account 0, signed now, each spending one coin; throws when short. */
  payments(count: number): Uint8Array[] {
    if (count > this.coins.length) throw new RangeError(`${count} payments but ${this.coins.length} coins`);
    const payee = this.account(0).address as Uint8Array<ArrayBuffer>;
    const now = Date.now();
    return this.coins.splice(0, count).map((coin) => {
      const owner = this.account(coin.account);
      const half = coin.amount / 2n;
      const tx = createTransaction(
        this.params.network,
        [{ prevTxid: coin.txid, outputIndex: coin.index, secretKey: owner.secretKey }],
        [
          { amount: half, address: payee },
          { amount: coin.amount - half - PAYMENT_FEE, address: owner.address as Uint8Array<ArrayBuffer> },
        ],
        now,
      );
      return encodeTransaction(tx);
    });
  }
}
