/**
 * Serves the built page (dist/web) to requests that passed the token check: `index.html` for `/`,
 * hashed assets under `/assets/`. Paths are resolved inside the folder (no `..` escapes); only
 * known file types are served.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { securityHeaders } from './headers.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Answers `path` (after the token) from `root`; false when there is no such file. */
export async function serveStatic(root: string, path: string, res: ServerResponse): Promise<boolean> {
  let relative: string;
  try {
    relative = path === '/' ? 'index.html' : decodeURIComponent(path.slice(1));
  } catch {
    return false;
  }
  const file = normalize(join(root, relative));
  const type = CONTENT_TYPES[extname(file)];
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep) || type === undefined) return false;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return false;
  }
  res.writeHead(200, {
    ...securityHeaders(),
    'Content-Type': type,
    'Content-Length': body.length,
    // Asset names carry a content hash; the page itself must be re-read after a rebuild.
    'Cache-Control': relative.startsWith('assets/') ? 'private, max-age=31536000, immutable' : 'no-store',
  });
  res.end(body);
  return true;
}
