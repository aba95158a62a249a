/**
 * Genesis vectors (PROTOCOL.md 9.3): the whole genesis block of each network (encoding, id,
 * coinbase txid, merkle root, miner signature) and the ten dev accounts it funds.
 */
import { encodeBlock, encodeHeader } from '../../src/chain/encoding/codec.js';
import {
  DEV_OUTPUT_AMOUNT,
  DEV_OUTPUTS_PER_ACCOUNT,
  devAccounts,
  genesisBlock,
} from '../../src/chain/genesis.js';
import { blockIdOf, bytesToBigInt, headerSigningHash, meetsTarget } from '../../src/chain/objects/block.js';
import { txidOf } from '../../src/chain/objects/transaction.js';
import { DEVNET, REGTEST } from '../../src/chain/params.js';
import { GENERATED_BY, headerToJson, hex } from '../../test/unit/vectors/format.js';

export function genesisVectors() {
  const networks = [DEVNET, REGTEST].map((params) => {
    const block = genesisBlock(params);
    const coinbase = block.transactions[0]!;
    const id = blockIdOf(block.header);
    return {
      network: params.network,
      header: headerToJson(block.header),
      headerEncoding: hex(encodeHeader(block.header)),
      signingHash: hex(headerSigningHash(block.header, params.network)),
      blockId: hex(id),
      idMeetsTarget: meetsTarget(id, bytesToBigInt(block.header.target)),
      coinbase: {
        timestamp: coinbase.timestamp,
        coinbaseHeight: coinbase.coinbaseHeight,
        outputs: coinbase.outputs.length,
        txid: hex(txidOf(coinbase)),
      },
      encoding: hex(encodeBlock(block)),
      size: encodeBlock(block).length,
    };
  });
  const accounts = devAccounts().map((a) => ({
    index: a.index,
    secretKey: hex(a.secretKey),
    publicKey: hex(a.publicKey),
    address: hex(a.address),
  }));
  return {
    description:
      'Genesis blocks (PROTOCOL.md 9.3). The coinbase pays outputsPerAccount outputs of outputAmount base ' +
      'units to each dev account in order (output index = 100 x account + j); the header is signed by dev ' +
      'account 0 with nonce 0 and is not mined (idMeetsTarget false on the devnet: genesis is valid by ' +
      'definition).',
    generatedBy: GENERATED_BY,
    outputsPerAccount: DEV_OUTPUTS_PER_ACCOUNT,
    outputAmount: DEV_OUTPUT_AMOUNT.toString(),
    devAccounts: accounts,
    networks,
  };
}
