/**
 * Wallet: the key file (created 0600, looser modes refused), balances from the UTXO set minus
 * pooled spends, payments accepted by the mempool, coin selection skipping pending and immature
 * coins, and typed errors.
 */
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeTransaction } from '../../../src/chain/encoding/codec.js';
import { DEV_OUTPUT_AMOUNT, DEV_OUTPUTS_PER_ACCOUNT } from '../../../src/chain/genesis.js';
import { blockSubsidy } from '../../../src/chain/params.js';
import {
  InsufficientFundsError,
  InvalidKeyFileError,
  KeyFilePermissionsError,
  selectCoins,
  WALLET_KEY_FILE,
  Wallet,
} from '../../../src/chain/wallet/index.js';
import { toHex } from '../../../src/crypto/hash.js';
import { addressOf, publicKeyOf } from '../../../src/crypto/index.js';
import {
  ALICE,
  BOB,
  MINER,
  mineBlocks,
  openTestChain,
  PARAMS,
  removeDir,
  type TestChain,
} from '../../unit/chain-state/helpers.js';

let t: TestChain;

beforeEach(async () => {
  t = await openTestChain();
});

afterEach(async () => {
  await t.chain.close();
  await removeDir(t.dir);
});

const ALICE_FUNDS = BigInt(DEV_OUTPUTS_PER_ACCOUNT) * DEV_OUTPUT_AMOUNT;

describe('key file', () => {
  it('is created with mode 0600 and reused on the next open', async () => {
    const wallet = await Wallet.open(t.dir, t.chain);
    const path = join(t.dir, WALLET_KEY_FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readFile(path, 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
    const again = await Wallet.open(t.dir, t.chain);
    expect(again.addressHex).toBe(wallet.addressHex);
    expect(wallet.balance()).toBe(0n);
  });

  it('is refused when group or others can read it (or only warned about, when asked)', async () => {
    const wallet = await Wallet.open(t.dir, t.chain);
    const path = join(t.dir, WALLET_KEY_FILE);
    await chmod(path, 0o644);
    await expect(Wallet.open(t.dir, t.chain)).rejects.toBeInstanceOf(KeyFilePermissionsError);
    const warnings: string[] = [];
    const warned = await Wallet.open(t.dir, t.chain, {
      onInsecurePermissions: 'warn',
      warn: (m) => warnings.push(m),
    });
    expect(warned.addressHex).toBe(wallet.addressHex);
    expect(warnings[0]).toMatch(/chmod 600/);
  });

  it('must hold a hex secret key', async () => {
    const path = join(t.dir, WALLET_KEY_FILE);
    await writeFile(path, 'not a key\n', { mode: 0o600 });
    await expect(Wallet.open(t.dir, t.chain)).rejects.toBeInstanceOf(InvalidKeyFileError);
  });
});

describe('payments', () => {
  it('send builds a valid payment the mempool accepts; balance excludes pooled spends', async () => {
    const wallet = Wallet.fromSecretKey(ALICE.secretKey, t.chain);
    expect(wallet.addressHex).toBe(toHex(ALICE.address));
    expect(wallet.balance()).toBe(ALICE_FUNDS);
    const amount = 2_500n * 100_000_000n;
    const payment = wallet.send(BOB.address, amount);
    expect(t.chain.mempool.has(payment.txidHex)).toBe(true);
    const tx = decodeTransaction(payment.bytes);
    expect(tx.inputs).toHaveLength(1); // one genesis coin covers it
    expect(tx.outputs.map((o) => [toHex(o.address), o.amount])).toEqual([
      [toHex(BOB.address), amount],
      [toHex(ALICE.address), DEV_OUTPUT_AMOUNT - amount - payment.fee],
    ]);
    expect(payment.fee).toBe(PARAMS.minRelayFeePerByte * BigInt(payment.bytes.length));
    // The spent coin no longer counts; the change counts once mined.
    expect(wallet.balance()).toBe(ALICE_FUNDS - DEV_OUTPUT_AMOUNT);
    await mineBlocks(t.chain, 1, { txs: [tx] });
    expect(t.chain.mempool.size).toBe(0);
    expect(wallet.balance()).toBe(ALICE_FUNDS - amount - payment.fee);
    expect(t.chain.balanceOf(BOB.address)).toBe(ALICE_FUNDS + amount);
  });

  it('consecutive payments use different coins (pending spends are skipped)', () => {
    const wallet = Wallet.fromSecretKey(ALICE.secretKey, t.chain);
    const first = wallet.send(BOB.address, 1_000n);
    const second = wallet.send(BOB.address, 1_000n);
    expect(t.chain.mempool.size).toBe(2);
    const spent = [first, second].map((p) => toHex(decodeTransaction(p.bytes).inputs[0]!.prevTxid));
    const indexes = [first, second].map((p) => decodeTransaction(p.bytes).inputs[0]!.outputIndex);
    expect(new Set(spent.map((s, i) => `${s}:${indexes[i]}`)).size).toBe(2);
  });

  it('several coins when one is not enough; an explicit fee is honoured', () => {
    const wallet = Wallet.fromSecretKey(ALICE.secretKey, t.chain);
    const payment = wallet.send(BOB.address, DEV_OUTPUT_AMOUNT * 3n, 50_000n);
    expect(decodeTransaction(payment.bytes).inputs).toHaveLength(4);
    expect(payment.fee).toBe(50_000n);
  });

  it('insufficient funds is a typed error and changes nothing', () => {
    const wallet = Wallet.fromSecretKey(ALICE.secretKey, t.chain);
    let error: unknown;
    try {
      wallet.send(BOB.address, ALICE_FUNDS);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InsufficientFundsError);
    expect((error as InsufficientFundsError).available).toBe(ALICE_FUNDS);
    expect((error as InsufficientFundsError).required).toBeGreaterThan(ALICE_FUNDS);
    expect(t.chain.mempool.size).toBe(0);
    const empty = Wallet.fromSecretKey(new Uint8Array(32).fill(7), t.chain);
    expect(() => empty.send(BOB.address, 1n)).toThrow(InsufficientFundsError);
  });

  it('immature coinbase outputs are not spendable', async () => {
    // A fresh miner key, so its only coins are coinbases.
    const secretKey = new Uint8Array(32).fill(9);
    const address = addressOf(publicKeyOf(secretKey));
    await mineBlocks(t.chain, 2, { coinbaseTo: address });
    const wallet = Wallet.fromSecretKey(secretKey, t.chain);
    expect(wallet.balance()).toBe(2n * blockSubsidy(PARAMS, 1));
    expect(wallet.spendableCoins()).toHaveLength(0);
    expect(() => wallet.send(BOB.address, 1_000n)).toThrow(InsufficientFundsError);
    // Maturity 3: at tip 3 the height-1 coinbase may be spent at height 4, the height-2 one not yet.
    await mineBlocks(t.chain, 1, { miner: MINER });
    expect(wallet.spendableCoins()).toHaveLength(1);
    expect(t.chain.mempool.has(wallet.send(BOB.address, 1_000n).txidHex)).toBe(true);
  });
});

describe('coin selection', () => {
  const coins = [5n, 20n, 7n, 100n, 1n].map((amount) => ({ amount }));
  it('prefers the smallest single coin that covers the target', () => {
    expect(selectCoins(coins, 6n, 10)?.map((c) => c.amount)).toEqual([7n]);
    expect(selectCoins(coins, 21n, 10)?.map((c) => c.amount)).toEqual([100n]);
  });
  it('otherwise takes the largest first', () => {
    expect(selectCoins(coins, 125n, 10)?.map((c) => c.amount)).toEqual([100n, 20n, 7n]);
    expect(selectCoins(coins, 200n, 10)).toBeUndefined();
    expect(selectCoins(coins, 125n, 2)).toBeUndefined();
  });
});
