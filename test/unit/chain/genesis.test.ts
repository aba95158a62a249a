/**
 * The genesis block: deterministic, per network, funding the dev accounts, and well formed.
 */
import { describe, expect, it, vi } from 'vitest';
import { decodeBlock, encodeBlock } from '../../../src/chain/encoding/codec.js';
import {
  DEV_ACCOUNT_COUNT,
  DEV_OUTPUT_AMOUNT,
  DEV_OUTPUTS_PER_ACCOUNT,
  devAccount,
  devAccounts,
  genesisBlock,
} from '../../../src/chain/genesis.js';
import { blockIdOf, bytesToBigInt, headerSigningHash, merkleRoot } from '../../../src/chain/objects/block.js';
import { txidOf } from '../../../src/chain/objects/transaction.js';
import { DEVNET, MAX_MONEY, REGTEST } from '../../../src/chain/params.js';
import { checkBlockBody } from '../../../src/chain/rules/block.js';
import { addressOf, publicKeyOf, toHex, verifySignature } from '../../../src/crypto/index.js';

describe('genesis block', () => {
  it('has the same id every time, even when rebuilt from scratch', async () => {
    const id = toHex(blockIdOf(genesisBlock(DEVNET).header));
    expect(toHex(blockIdOf(genesisBlock(DEVNET).header))).toBe(id);
    vi.resetModules();
    const fresh =
      (await import('../../../src/chain/genesis.js')) as typeof import('../../../src/chain/genesis.js');
    const rebuilt = fresh.genesisBlock(DEVNET);
    expect(rebuilt).not.toBe(genesisBlock(DEVNET));
    expect(toHex(blockIdOf(rebuilt.header))).toBe(id);
  });

  it('differs between networks', () => {
    expect(blockIdOf(genesisBlock(DEVNET).header)).not.toEqual(blockIdOf(genesisBlock(REGTEST).header));
  });

  it.each([DEVNET, REGTEST])(
    'funds DEV_ACCOUNT_COUNT accounts with DEV_OUTPUTS_PER_ACCOUNT outputs ($network)',
    (params) => {
      const [coinbase, ...rest] = genesisBlock(params).transactions;
      expect(rest).toHaveLength(0);
      expect(coinbase!.inputs).toHaveLength(0);
      expect(coinbase!.outputs).toHaveLength(DEV_ACCOUNT_COUNT * DEV_OUTPUTS_PER_ACCOUNT);
      const accounts = devAccounts();
      expect(accounts).toHaveLength(DEV_ACCOUNT_COUNT);
      coinbase!.outputs.forEach((output, i) => {
        expect(output.amount).toBe(DEV_OUTPUT_AMOUNT);
        expect(toHex(output.address)).toBe(toHex(accounts[Math.floor(i / DEV_OUTPUTS_PER_ACCOUNT)]!.address));
      });
      const total = coinbase!.outputs.reduce((sum, o) => sum + o.amount, 0n);
      expect(total <= MAX_MONEY).toBe(true);
    },
  );

  it('has a consistent header: height 0, zero parent, merkle root, target, signature', () => {
    for (const params of [DEVNET, REGTEST]) {
      const { header, transactions } = genesisBlock(params);
      expect(header.height).toBe(0);
      expect(header.prevHash).toEqual(new Uint8Array(32));
      expect(header.timestamp).toBe(params.genesisTimestamp);
      expect(bytesToBigInt(header.target)).toBe(params.initialTarget);
      expect(header.merkleRoot).toEqual(merkleRoot(transactions.map(txidOf)));
      expect(header.minerPublicKey).toEqual(devAccount(0).publicKey);
      expect(
        verifySignature(
          header.minerSignature,
          headerSigningHash(header, params.network),
          header.minerPublicKey,
        ),
      ).toBe(true);
    }
  });

  it('is canonically encodable within the limits and passes the body rules', () => {
    for (const params of [DEVNET, REGTEST]) {
      const genesis = genesisBlock(params);
      const decoded = decodeBlock(encodeBlock(genesis));
      expect(decoded).toEqual(genesis);
      expect(() => checkBlockBody(genesis, params)).not.toThrow();
    }
  });
});

describe('dev accounts', () => {
  it('are deterministic, distinct and consistent', () => {
    const accounts = devAccounts();
    expect(new Set(accounts.map((a) => toHex(a.secretKey))).size).toBe(DEV_ACCOUNT_COUNT);
    accounts.forEach((account, i) => {
      expect(account.index).toBe(i);
      expect(devAccount(i)).toEqual(account);
      expect(account.publicKey).toEqual(publicKeyOf(account.secretKey));
      expect(account.address).toEqual(addressOf(account.publicKey));
    });
  });
});
