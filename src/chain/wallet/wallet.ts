/**
 * The node's wallet: one Ed25519 key (from `<dataDir>/wallet.key`, or given, e.g. a dev account),
 * its balance read from the chain's UTXO set, and payments built with coin selection, change back
 * to itself, signed for the chain's network and submitted to the mempool.
 *
 * The wallet only spends confirmed, mature coins that no pooled transaction already spends; the
 * change of a pending payment becomes spendable once it is mined (the mempool would take a payment
 * spending it, but a wallet that chains its payments makes each depend on the one before, up to
 * the package limit). The balance counts the same coins (pending change excluded).
 */
import { join } from 'node:path';
import { fromHex, toHex } from '../../crypto/hash.js';
import { ADDRESS_LENGTH, addressOf, publicKeyOf } from '../../crypto/index.js';
import { encodeTransaction, type Transaction, type TxOutput } from '../encoding/codec.js';
import { MAX_TX_INPUTS } from '../encoding/limits.js';
import { createTransaction, txidOfBytes } from '../objects/transaction.js';
import { MAX_MONEY } from '../params.js';
import type { Chain } from '../state/chain.js';
import type { OwnedUtxo } from '../state/utxo-set.js';
import { selectCoins } from './coin-selection.js';
import { InsufficientFundsError, TooManyInputsError } from './errors.js';
import { type KeyFileOptions, loadOrCreateKeyFile, WALLET_KEY_FILE } from './key-file.js';

/** Rounds of "build, measure, set fee" before giving up on an automatic fee (it converges in 2). */
const FEE_ROUNDS = 8;

export interface Payment {
  readonly tx: Transaction;
  readonly bytes: Uint8Array;
  readonly txid: Uint8Array;
  readonly txidHex: string;
  /** Fee paid, in base units. */
  readonly fee: bigint;
}

export class Wallet {
  readonly publicKey: Uint8Array;
  readonly address: Uint8Array;
  readonly addressHex: string;

  constructor(
    private readonly chain: Chain,
    private readonly secretKey: Uint8Array,
  ) {
    this.publicKey = publicKeyOf(secretKey);
    this.address = addressOf(this.publicKey);
    this.addressHex = toHex(this.address);
  }

  /** The wallet of `<dataDir>/wallet.key`, created (mode 0600) when missing. */
  static async open(dataDir: string, chain: Chain, options: KeyFileOptions = {}): Promise<Wallet> {
    return new Wallet(chain, await loadOrCreateKeyFile(join(dataDir, WALLET_KEY_FILE), options));
  }

  /** A wallet over a known secret key (dev accounts, tests). */
  static fromSecretKey(secretKey: Uint8Array, chain: Chain): Wallet {
    return new Wallet(chain, secretKey);
  }

  /** Coins this wallet may spend now: confirmed, mature, not spent by a pooled transaction. Largest first. */
  spendableCoins(): OwnedUtxo[] {
    const spendHeight = this.chain.tip().height + 1;
    const { coinbaseMaturity } = this.chain.params;
    return this.chain
      .utxosOf(this.address)
      .filter(
        (coin) =>
          this.chain.mempool.spenderOf(coin.key) === undefined &&
          !(coin.utxo.coinbase && coin.utxo.height > 0 && spendHeight - coin.utxo.height < coinbaseMaturity),
      );
  }

  /** Confirmed balance minus coins spent by pooled transactions (immature coinbases included). */
  balance(): bigint {
    let sum = 0n;
    for (const coin of this.chain.utxosOf(this.address)) {
      if (this.chain.mempool.spenderOf(coin.key) === undefined) sum += coin.utxo.amount;
    }
    return sum;
  }

  /** Spendable balance: what `send` can use now. */
  spendableBalance(): bigint {
    return this.spendableCoins().reduce((sum, coin) => sum + coin.utxo.amount, 0n);
  }

  /**
   * Builds and signs a payment of `amount` to `to` (a 20-byte address), change back to this
   * wallet. `fee` defaults to the relay minimum for the transaction's size. Not submitted.
   */
  createPayment(to: Uint8Array, amount: bigint, fee?: bigint): Payment {
    if (to.length !== ADDRESS_LENGTH) throw new TypeError(`address must be ${ADDRESS_LENGTH} bytes`);
    if (amount <= 0n || amount > MAX_MONEY) throw new RangeError(`amount ${amount} out of range`);
    if (fee !== undefined && (fee < 0n || fee > MAX_MONEY)) throw new RangeError(`fee ${fee} out of range`);
    const coins = this.spendableCoins().map((coin) => ({ ...coin, amount: coin.utxo.amount }));
    const available = coins.reduce((sum, coin) => sum + coin.amount, 0n);
    const feeRate = this.chain.params.minRelayFeePerByte;
    let currentFee = fee ?? 0n;
    for (let round = 0; round < FEE_ROUNDS; round++) {
      const required = amount + currentFee;
      if (required > available) throw new InsufficientFundsError(required, available);
      const selected = selectCoins(coins, required, MAX_TX_INPUTS);
      if (selected === undefined) throw new TooManyInputsError(MAX_TX_INPUTS);
      const total = selected.reduce((sum, coin) => sum + coin.amount, 0n);
      const outputs: TxOutput[] = [{ amount, address: to as Uint8Array<ArrayBuffer> }];
      if (total > required)
        outputs.push({ amount: total - required, address: this.address as Uint8Array<ArrayBuffer> });
      const tx = createTransaction(
        this.chain.params.network,
        selected.map((coin) => ({
          prevTxid: fromHex(coin.txidHex),
          outputIndex: coin.outputIndex,
          secretKey: this.secretKey,
        })),
        outputs,
        this.chain.now(),
      );
      const bytes = encodeTransaction(tx);
      const minimum = feeRate * BigInt(bytes.length);
      if (fee !== undefined || currentFee >= minimum) {
        const txid = txidOfBytes(bytes);
        return { tx, bytes, txid, txidHex: toHex(txid), fee: currentFee };
      }
      currentFee = minimum;
    }
    throw new Error('automatic fee did not converge');
  }

  /** createPayment, then submits it to the chain's mempool (throws ValidationError if refused). */
  send(to: Uint8Array, amount: bigint, fee?: bigint): Payment {
    const payment = this.createPayment(to, amount, fee);
    this.chain.acceptTransaction(payment.bytes);
    return payment;
  }
}
