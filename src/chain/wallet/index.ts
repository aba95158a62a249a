/**
 * Wallet: a key file, balances from the chain's UTXO set, payments into the mempool.
 *
 * @example
 * ```ts
 * const wallet = await Wallet.open(dataDir, chain); // creates <dataDir>/wallet.key (mode 0600)
 * const { txidHex, bytes } = wallet.send(recipientAddress, 5n * UNITS_PER_COIN);
 * ```
 */
export { type Coin, selectCoins } from './coin-selection.js';
export {
  InsufficientFundsError,
  InvalidKeyFileError,
  KeyFilePermissionsError,
  TooManyInputsError,
} from './errors.js';
export { KEY_FILE_MODE, type KeyFileOptions, loadOrCreateKeyFile, WALLET_KEY_FILE } from './key-file.js';
export { type Payment, Wallet } from './wallet.js';
