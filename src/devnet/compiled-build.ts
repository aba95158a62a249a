/**
 * A compiled copy of the node for plain `node` (no tsx): every `src/**\/*.ts` file transpiled to
 * JavaScript with TypeScript's own emitter (`transpileModule`: the project sets
 * `isolatedModules`, so per-file emit is exactly what `tsc` would write; types are checked by
 * `npm run lint`, not here), with `package.json` (`"type": "module"`) and a `node_modules` link
 * to the repository's. Nodes run from it start in about half the time of tsx and use ~40 MB less
 * (docs/performance.md).
 *
 * Two kinds:
 * - `buildCompiledTree`: a throwaway folder under os.tmpdir() (the benchmark, the crash test);
 * - `ensureCachedBuild`: the devnet's cache, `<cacheDir>/<key>/`, where the key hashes every
 *   source path and content with the compiler's version and options. A folder is complete once its
 *   `build.json` exists and never changes after, so a devnet running from it is never disturbed; a
 *   new one is written under a temporary name and renamed into place. Files whose source did not
 *   change are copied from the newest earlier build instead of transpiled again, and builds unused
 *   for a day are deleted.
 *
 * @example
 * ```ts
 * const build = await ensureCachedBuild(REPO_ROOT, join(devnet.dataRoot, '.build'));
 * spawn(process.execPath, [build.entry('src/node/main.ts'), '--data-dir', dir]);
 * ```
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export interface CompiledTree {
  /** The build folder. */
  readonly root: string;
  /** Source files in the build. */
  readonly files: number;
  /** Files transpiled by this call (0 when a cached build was reused whole). */
  readonly transpiled: number;
  /** Wall time of this call, ms. */
  readonly buildMs: number;
  /** Path of the compiled file of a source path such as `src/node/main.ts`. */
  entry(sourcePath: string): string;
  /** Deletes the build folder. */
  remove(): Promise<void>;
}

/** Written last into a cached build: its key and each source's content hash. */
const BUILD_RECORD = 'build.json';
/** A cached build unused (not launched from) for this long is deleted (unit: ms; one day). */
export const BUILD_UNUSED_MS = 24 * 60 * 60_000;
/** A half-written build folder (a launcher killed while building) older than this is deleted (unit: ms). */
const STALE_PARTIAL_MS = 60 * 60_000;
/** Hex characters of the build key kept in the folder name (64 bits: collisions are not a concern). */
const KEY_CHARS = 16;

/** Emit options; part of the cache key. */
const EMIT_OPTIONS = { target: 'ES2022', module: 'ESNext', verbatimModuleSyntax: true, sourceMap: false };

interface BuildRecord {
  readonly key: string;
  /** Source path (relative to the repository) to the sha256 of its content. */
  readonly files: Record<string, string>;
}

interface Source {
  readonly rel: string;
  readonly text: string;
  readonly hash: string;
}

type Transpile = (source: Source) => string;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return Promise.resolve(entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []);
    }),
  );
  return nested.flat();
}

async function readSources(repoRoot: string): Promise<Source[]> {
  const paths = (await sourceFiles(join(repoRoot, 'src'))).sort();
  return Promise.all(
    paths.map(async (path) => {
      const text = await readFile(path, 'utf8');
      return { rel: relative(repoRoot, path), text, hash: createHash('sha256').update(text).digest('hex') };
    }),
  );
}

/** TypeScript's per-file emitter, loaded only when something must be transpiled (it is large). */
async function loadTranspiler(repoRoot: string): Promise<{ version: string; transpile: Transpile }> {
  const ts = (await import('typescript')).default;
  const compilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    verbatimModuleSyntax: EMIT_OPTIONS.verbatimModuleSyntax,
    sourceMap: EMIT_OPTIONS.sourceMap,
  };
  return {
    version: ts.version,
    transpile: (source) =>
      ts.transpileModule(source.text, { compilerOptions, fileName: join(repoRoot, source.rel) }).outputText,
  };
}

/** The installed TypeScript's version, read without loading the compiler. */
async function typescriptVersion(repoRoot: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(repoRoot, 'node_modules/typescript/package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

const outputOf = (rel: string): string => rel.replace(/\.ts$/, '.js');

/** `package.json` (ES modules) and the `node_modules` link that make `root` runnable. */
async function finishTree(root: string, repoRoot: string): Promise<void> {
  await writeFile(join(root, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
}

function tree(root: string, files: number, transpiled: number, started: number): CompiledTree {
  return {
    root,
    files,
    transpiled,
    buildMs: Math.round(performance.now() - started),
    entry: (sourcePath) => join(root, outputOf(sourcePath)),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** Transpiles `<repoRoot>/src` into a new folder under os.tmpdir(). */
export async function buildCompiledTree(repoRoot: string): Promise<CompiledTree> {
  const started = performance.now();
  const root = await mkdtemp(join(tmpdir(), 'trustmesh-build-'));
  const sources = await readSources(repoRoot);
  const { transpile } = await loadTranspiler(repoRoot);
  for (const source of sources) {
    const out = join(root, outputOf(source.rel));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, transpile(source));
  }
  await finishTree(root, repoRoot);
  return tree(root, sources.length, sources.length, started);
}

async function readRecord(dir: string): Promise<BuildRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, BUILD_RECORD), 'utf8')) as BuildRecord;
  } catch {
    return undefined;
  }
}

/** Complete builds in `cacheDir` other than `key`, newest first. */
async function earlierBuilds(
  cacheDir: string,
  key: string,
): Promise<Array<{ dir: string; record: BuildRecord; usedAt: number }>> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  const builds = await Promise.all(
    names
      .filter((name) => name !== key && /^[0-9a-f]+$/.test(name))
      .map(async (name) => {
        const dir = join(cacheDir, name);
        const record = await readRecord(dir);
        const usedAt = await stat(join(dir, BUILD_RECORD)).then(
          (s) => s.mtimeMs,
          () => 0,
        );
        return record === undefined ? undefined : { dir, record, usedAt };
      }),
  );
  return builds.filter((b) => b !== undefined).sort((a, b) => b.usedAt - a.usedAt);
}

/** Deletes builds unused for BUILD_UNUSED_MS and partial folders older than STALE_PARTIAL_MS. */
async function collectGarbage(cacheDir: string, key: string): Promise<void> {
  const now = Date.now();
  for (const build of await earlierBuilds(cacheDir, key)) {
    if (now - build.usedAt > BUILD_UNUSED_MS) await rm(build.dir, { recursive: true, force: true });
  }
  for (const name of await readdir(cacheDir).catch(() => [] as string[])) {
    if (!name.includes('.partial-')) continue;
    const path = join(cacheDir, name);
    const age = await stat(path).then(
      (s) => now - s.mtimeMs,
      () => 0,
    );
    if (age > STALE_PARTIAL_MS) await rm(path, { recursive: true, force: true });
  }
}

/**
 * The compiled build of `<repoRoot>/src` in `cacheDir`: reused when the sources are unchanged,
 * else written (reusing unchanged files of the newest earlier build). Marks it used.
 */
export async function ensureCachedBuild(repoRoot: string, cacheDir: string): Promise<CompiledTree> {
  const started = performance.now();
  const sources = await readSources(repoRoot);
  const keyHash = createHash('sha256').update(
    `typescript ${await typescriptVersion(repoRoot)}\n${JSON.stringify(EMIT_OPTIONS)}\n`,
  );
  for (const source of sources) keyHash.update(`${source.rel}\0${source.hash}\n`);
  const key = keyHash.digest('hex').slice(0, KEY_CHARS);
  const root = join(cacheDir, key);
  const now = new Date();
  if ((await readRecord(root))?.key === key) {
    await utimes(join(root, BUILD_RECORD), now, now);
    return tree(root, sources.length, 0, started);
  }

  await mkdir(cacheDir, { recursive: true });
  const partial = join(cacheDir, `${key}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  const previous = (await earlierBuilds(cacheDir, key))[0];
  let transpiler: { transpile: Transpile } | undefined;
  let transpiled = 0;
  try {
    for (const source of sources) {
      const out = join(partial, outputOf(source.rel));
      await mkdir(dirname(out), { recursive: true });
      if (previous?.record.files[source.rel] === source.hash) {
        const copied = await copyFile(
          join(previous.dir, outputOf(source.rel)),
          out,
          constants.COPYFILE_FICLONE,
        )
          .then(() => true)
          .catch(() => false);
        if (copied) continue;
      }
      transpiler ??= await loadTranspiler(repoRoot);
      await writeFile(out, transpiler.transpile(source));
      transpiled++;
    }
    await finishTree(partial, repoRoot);
    const record: BuildRecord = { key, files: Object.fromEntries(sources.map((s) => [s.rel, s.hash])) };
    await writeFile(join(partial, BUILD_RECORD), `${JSON.stringify(record)}\n`);
    await rename(partial, root).catch(async (err: NodeJS.ErrnoException) => {
      // Another launcher finished the same build first: use theirs.
      if ((await readRecord(root))?.key !== key) throw err;
      await rm(partial, { recursive: true, force: true });
    });
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
  await collectGarbage(cacheDir, key);
  return tree(root, sources.length, transpiled, started);
}
