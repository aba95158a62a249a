/**
 * The URL token: every request to the trust-map server must start its path with `/<token>/`, a
 * random value printed once in the page's URL. The page's own requests are relative, so they
 * carry it; another web page in the same browser cannot learn it (no CORS headers are ever sent),
 * so it can neither read the map nor inject an attacker. The check runs in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TOKEN_BYTES } from './constants.js';

export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('hex');
}

/**
 * The path after `/<token>` (`/` at least) when `path` starts with the token, else null.
 * `path` is the URL path without the query.
 */
export function pathAfterToken(path: string, token: string): string | null {
  const match = /^\/([^/]*)(\/.*)?$/.exec(path);
  if (match === null) return null;
  const sent = match[1] ?? '';
  const same = timingSafeEqual(digest(sent), digest(token)) && sent.length === token.length;
  if (!same || token === '') return null;
  return match[2] ?? '/';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
