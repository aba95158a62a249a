/**
 * Cookie authentication, as in bitcoind: at start the server writes `<dataDir>/rpc.cookie` holding
 * `__cookie__:<64 hex>` (mode 0600, so only the node's user can read it); clients on the same
 * machine read the file and send it as HTTP Basic credentials. A fresh secret per run means a
 * stale cookie from a previous run never works, and there is no password to configure or leak.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { COOKIE_FILE_NAME, COOKIE_SECRET_BYTES, COOKIE_USER } from './constants.js';

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/** Fresh credentials for one server run. */
export function generateCredentials(): Credentials {
  return { user: COOKIE_USER, password: randomBytes(COOKIE_SECRET_BYTES).toString('hex') };
}

export function cookiePathIn(dataDir: string): string {
  return join(dataDir, COOKIE_FILE_NAME);
}

/**
 * Writes the cookie atomically (temp file, then rename) with mode 0600, so a reader never sees a
 * half-written file and a stale cookie with looser permissions is replaced, not reused.
 */
export async function writeCookie(dataDir: string, credentials: Credentials): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = cookiePathIn(dataDir);
  const temp = `${path}.${process.pid}.tmp`;
  await unlink(temp).catch(ignoreMissing);
  await writeFile(temp, `${credentials.user}:${credentials.password}`, { mode: 0o600, flag: 'wx' });
  await rename(temp, path);
  return path;
}

/** Deletes the cookie if it still holds `credentials` (another run may have replaced it since). */
export async function removeCookie(path: string, credentials: Credentials): Promise<void> {
  try {
    const current = parseCookie(await readFile(path, 'utf8'));
    if (current !== null && current.password === credentials.password) await unlink(path);
  } catch (err) {
    ignoreMissing(err);
  }
}

/** `user:password` from a cookie file's text, or null when malformed. */
export function parseCookie(text: string): Credentials | null {
  const line = text.trim();
  const colon = line.indexOf(':');
  if (colon <= 0 || colon === line.length - 1 || line.includes('\n')) return null;
  return { user: line.slice(0, colon), password: line.slice(colon + 1) };
}

/** The `Authorization` header value for `credentials`. */
export function basicAuthHeader(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8').toString('base64')}`;
}

/**
 * Whether an `Authorization` header carries exactly `expected`. The comparison runs in constant
 * time over SHA-256 digests (equal lengths whatever was sent), so timing reveals nothing.
 */
export function isAuthorized(header: string | undefined, expected: Credentials): boolean {
  const sent = header?.match(/^Basic +([A-Za-z0-9+/=]+) *$/i)?.[1];
  const sentDigest = digest(sent === undefined ? '' : Buffer.from(sent, 'base64').toString('utf8'));
  const expectedDigest = digest(`${expected.user}:${expected.password}`);
  return timingSafeEqual(sentDigest, expectedDigest) && sent !== undefined;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}
