/**
 * The wallet's key file: `<dataDir>/wallet.key`, the hex secret key and a newline, readable by
 * its owner only (mode 0600). Created on first use; a file other users can read is refused (or
 * only warned about, when the caller chooses so), like ssh does with private keys.
 */
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { fromHex, toHex } from '../../crypto/hash.js';
import { generateSecretKey, SECRET_KEY_LENGTH } from '../../crypto/index.js';
import { InvalidKeyFileError, KeyFilePermissionsError } from './errors.js';

/** File name of the key in the data directory. */
export const WALLET_KEY_FILE = 'wallet.key';
/** Owner read/write only. */
export const KEY_FILE_MODE = 0o600;

export interface KeyFileOptions {
  /** What to do when group or others may access the file. Default 'refuse'. */
  readonly onInsecurePermissions?: 'refuse' | 'warn';
  readonly warn?: (message: string) => void;
}

/** Reads the secret key at `path`, creating the file with a fresh key when it does not exist. */
export async function loadOrCreateKeyFile(path: string, options: KeyFileOptions = {}): Promise<Uint8Array> {
  try {
    const secretKey = generateSecretKey();
    await writeFile(path, `${toHex(secretKey)}\n`, { mode: KEY_FILE_MODE, flag: 'wx' });
    await chmod(path, KEY_FILE_MODE); // the process umask may have narrowed it further; make it exact
    return secretKey;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (process.platform !== 'win32') {
    const { mode } = await stat(path);
    if ((mode & 0o077) !== 0) {
      const error = new KeyFilePermissionsError(path, mode);
      if ((options.onInsecurePermissions ?? 'refuse') === 'refuse') throw error;
      options.warn?.(error.message);
    }
  }
  const text = (await readFile(path, 'utf8')).trim();
  if (!/^[0-9a-fA-F]+$/.test(text) || text.length !== SECRET_KEY_LENGTH * 2)
    throw new InvalidKeyFileError(path);
  return fromHex(text);
}
