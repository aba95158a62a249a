/**
 * Builds the page with Vite's JS API when dist/web is missing or older than its sources, so a
 * fresh clone needs no manual build step: `npm run devnet`, `npm run ui` and the tests all call
 * `ensureBuilt()` before serving. The build goes to a temporary folder that is then renamed into
 * place, so a server never serves a half-written bundle; concurrent callers in one process share
 * one build.
 */
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** src/web: the app, the shared protocol and the Vite config. */
const WEB_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The folder and files whose changes make dist/web stale. */
const SOURCES = ['app', 'protocol.ts', 'vite.config.ts'].map((p) => join(WEB_ROOT, p));
const CONFIG_FILE = join(WEB_ROOT, 'vite.config.ts');

/** Where the built page lives (gitignored). */
export const DIST_DIR = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

/** The bundler failed; its message says why. */
export class WebBuildError extends Error {
  override name = 'WebBuildError';
}

let building: Promise<string> | undefined;

/** Builds dist/web if it is missing or stale; resolves to its path. */
export function ensureBuilt(): Promise<string> {
  building ??= buildIfStale().finally(() => {
    building = undefined;
  });
  return building;
}

async function buildIfStale(): Promise<string> {
  const built = await mtimeOf(join(DIST_DIR, 'index.html'));
  const newest = Math.max(...(await Promise.all(SOURCES.map(newestMtime))));
  if (built !== null && built >= newest) return DIST_DIR;
  const { build } = await import('vite');
  const temp = join(dirname(DIST_DIR.replace(/\/$/, '')), `.web-build-${process.pid}-${Date.now()}`);
  try {
    await build({ configFile: CONFIG_FILE, logLevel: 'warn', build: { outDir: temp, emptyOutDir: true } });
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw new WebBuildError(`building the trust-map page failed: ${(err as Error).message}`);
  }
  await rm(DIST_DIR, { recursive: true, force: true });
  await rename(temp, DIST_DIR);
  return DIST_DIR;
}

async function mtimeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

/** The newest modification time of a file or of any file below a folder. */
async function newestMtime(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  const times = await Promise.all(
    entries.filter((e) => e.isFile()).map(async (e) => (await stat(join(e.parentPath, e.name))).mtimeMs),
  );
  return Math.max(info.mtimeMs, ...times);
}
