/**
 * Compiled copies of the node for plain `node` (no tsx). Nodes run from one start in a fraction of
 * the time of tsx and use ~40 MB less (docs/performance.md).
 *
 * Two kinds:
 * - `buildCompiledTree`: every `src/**\/*.ts` file transpiled to JavaScript with TypeScript's own
 *   emitter (`transpileModule`: the project sets `isolatedModules`, so per-file emit is exactly
 *   what `tsc` would write; types are checked by `npm run lint`, not here) into a throwaway folder
 *   under os.tmpdir(), with `package.json` (`"type": "module"`) and a `node_modules` link to the
 *   repository's (the benchmarks, the crash test);
 * - `ensureCachedBuild`: the devnet's cache, `<cacheDir>/<key>/`: the node's entry points bundled
 *   by esbuild (each one file holding its sources and dependencies: a node then reads one file
 *   instead of resolving and reading ~900 modules, which halves its start), with the same
 *   `package.json` and `node_modules` link for the dependencies left out (native addons). The key
 *   hashes every source path and content, `package-lock.json`, the entries and esbuild's version
 *   and options. A folder is complete once its `build.json` exists and never changes after, so a
 *   devnet running from it is never disturbed; a new one is written under a temporary name and
 *   renamed into place. Builds unused for a day are deleted.
 *
 * esbuild comes with tsx (the devnet launcher's own runtime), so it is always installed where the
 * launcher runs.
 *
 * @example
 * ```ts
 * const build = await ensureCachedBuild(REPO_ROOT, join(devnet.dataRoot, '.build'));
 * spawn(process.execPath, [build.entry('src/node/main.ts'), '--data-dir', dir]);
 * ```
 */
import { createHash, randomBytes } from 'node:crypto';
import {
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
  /** Modules in the build: source files (per-file tree), or sources and dependencies bundled. */
  readonly files: number;
  /** Modules transpiled or bundled by this call (0 when a cached build was reused whole). */
  readonly transpiled: number;
  /** Wall time of this call, ms. */
  readonly buildMs: number;
  /** Path of the compiled file of a source path such as `src/node/main.ts`. */
  entry(sourcePath: string): string;
  /** Deletes the build folder. */
  remove(): Promise<void>;
}

/** A source path with no compiled file in a build (a bundle holds only its entry points). */
export class NotInBuildError extends Error {
  override name = 'NotInBuildError';
}

/**
 * What `npm run devnet` runs from its cached build: output path (without `.js`, relative to the
 * build root) to source path. The node and the orphan guard it preloads keep their source paths,
 * so `entry()` maps them as in a per-file tree (and the node's `../../` is still the build root);
 * the miner's worker is written next to the node's bundle, which inlines the miner, so the
 * miner's `./miner-worker.js` (src/chain/mining/miner.ts) finds it.
 */
export const DEVNET_BUNDLES: Readonly<Record<string, string>> = {
  'src/node/main': 'src/node/main.ts',
  'src/devnet/orphan-guard': 'src/devnet/orphan-guard.ts',
  'src/node/miner-worker': 'src/chain/mining/miner-worker.ts',
};

/** Written last into a cached build: its key and how many modules it bundles. */
const BUILD_RECORD = 'build.json';
/** A cached build unused (not launched from) for this long is deleted (unit: ms; one day). */
export const BUILD_UNUSED_MS = 24 * 60 * 60_000;
/** A half-written build folder (a launcher killed while building) older than this is deleted (unit: ms). */
const STALE_PARTIAL_MS = 60 * 60_000;
/** Hex characters of the build key kept in the folder name (64 bits: collisions are not a concern). */
const KEY_CHARS = 16;

/** Per-file emit options (buildCompiledTree). */
const EMIT_OPTIONS = { target: 'ES2022', module: 'ESNext', verbatimModuleSyntax: true, sourceMap: false };

/**
 * esbuild's options for the devnet's bundles; part of the cache key. `classic-level` stays
 * outside: its native addon is found relative to its own folder. `keepNames`: errors and classes
 * keep their names (a bundle renames clashing top-level names otherwise). The banner gives the
 * CommonJS dependencies bundled into an ES module the `require` they call Node's modules with.
 */
const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['classic-level'],
  keepNames: true,
  banner: {
    js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
  },
} as const;

interface BuildRecord {
  readonly key: string;
  /** Modules (sources and dependencies) in the bundles. */
  readonly modules?: number;
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
async function loadTranspiler(repoRoot: string): Promise<Transpile> {
  const ts = (await import('typescript')).default;
  const compilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    verbatimModuleSyntax: EMIT_OPTIONS.verbatimModuleSyntax,
    sourceMap: EMIT_OPTIONS.sourceMap,
  };
  return (source) =>
    ts.transpileModule(source.text, { compilerOptions, fileName: join(repoRoot, source.rel) }).outputText;
}

/** An installed package's version, read without loading it. */
async function packageVersion(repoRoot: string, name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Bundles `entries` into `outdir` with esbuild; resolves to the number of modules bundled. */
async function bundle(
  repoRoot: string,
  outdir: string,
  entries: Readonly<Record<string, string>>,
): Promise<number> {
  // Loaded only to build: the launcher reusing a cached build does not pay for it.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    ...BUNDLE_OPTIONS,
    external: [...BUNDLE_OPTIONS.external],
    absWorkingDir: repoRoot,
    entryPoints: Object.fromEntries(
      Object.entries(entries).map(([out, source]) => [out, join(repoRoot, source)]),
    ),
    outdir,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).length;
}

const outputOf = (rel: string): string => rel.replace(/\.ts$/, '.js');

/** The bundle of entry point `sourcePath`; NotInBuildError for any other source. */
function bundleEntry(root: string, entries: Readonly<Record<string, string>>, sourcePath: string): string {
  const out = Object.entries(entries).find(([, source]) => source === sourcePath)?.[0];
  if (out === undefined)
    throw new NotInBuildError(`${sourcePath} is not an entry point of the bundled build in ${root}`);
  return join(root, `${out}.js`);
}

/** `package.json` (ES modules) and the `node_modules` link that make `root` runnable. */
async function finishTree(root: string, repoRoot: string): Promise<void> {
  await writeFile(join(root, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
}

function tree(
  root: string,
  files: number,
  transpiled: number,
  started: number,
  entry: (sourcePath: string) => string = (sourcePath) => join(root, outputOf(sourcePath)),
): CompiledTree {
  return {
    root,
    files,
    transpiled,
    buildMs: Math.round(performance.now() - started),
    entry,
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** Transpiles `<repoRoot>/src` file by file into a new folder under os.tmpdir(). */
export async function buildCompiledTree(repoRoot: string): Promise<CompiledTree> {
  const started = performance.now();
  const root = await mkdtemp(join(tmpdir(), 'trustmesh-build-'));
  const sources = await readSources(repoRoot);
  const transpile = await loadTranspiler(repoRoot);
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

/** Deletes builds unused for BUILD_UNUSED_MS and partial folders older than STALE_PARTIAL_MS. */
async function collectGarbage(cacheDir: string, key: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(cacheDir).catch(() => [] as string[])) {
    if (name === key) continue;
    const path = join(cacheDir, name);
    const partial = name.includes('.partial-');
    if (!partial && !/^[0-9a-f]+$/.test(name)) continue;
    const age = await stat(partial ? path : join(path, BUILD_RECORD)).then(
      (s) => now - s.mtimeMs,
      () => (partial ? 0 : Number.POSITIVE_INFINITY),
    );
    if (age > (partial ? STALE_PARTIAL_MS : BUILD_UNUSED_MS))
      await rm(path, { recursive: true, force: true });
  }
}

/** `package-lock.json`'s content, or '' without one: the bundled dependencies' versions. */
async function lockFile(repoRoot: string): Promise<string> {
  return readFile(join(repoRoot, 'package-lock.json'), 'utf8').catch(() => '');
}

/**
 * The bundled build of `entries` (output path without `.js`, relative to the build root, to
 * source path) in `cacheDir`: reused when the sources, the lock file and esbuild are unchanged,
 * else bundled anew. Marks it used. Rejects when esbuild fails (a syntax error, a missing module).
 */
export async function ensureCachedBuild(
  repoRoot: string,
  cacheDir: string,
  entries: Readonly<Record<string, string>> = DEVNET_BUNDLES,
): Promise<CompiledTree> {
  const started = performance.now();
  const [sources, lock, esbuildVersion] = await Promise.all([
    readSources(repoRoot),
    lockFile(repoRoot),
    packageVersion(repoRoot, 'esbuild'),
  ]);
  const keyHash = createHash('sha256').update(
    `esbuild ${esbuildVersion}\n${JSON.stringify(BUNDLE_OPTIONS)}\n${JSON.stringify(entries)}\n`,
  );
  keyHash.update(`package-lock.json\0${createHash('sha256').update(lock).digest('hex')}\n`);
  for (const source of sources) keyHash.update(`${source.rel}\0${source.hash}\n`);
  const key = keyHash.digest('hex').slice(0, KEY_CHARS);
  const root = join(cacheDir, key);
  const bundledTree = (modules: number, bundled: number) =>
    tree(root, modules, bundled, started, (sourcePath) => bundleEntry(root, entries, sourcePath));
  const existing = await readRecord(root);
  if (existing?.key === key) {
    const now = new Date();
    await utimes(join(root, BUILD_RECORD), now, now);
    return bundledTree(existing.modules ?? 0, 0);
  }

  await mkdir(cacheDir, { recursive: true });
  const partial = join(cacheDir, `${key}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  let modules: number;
  try {
    modules = await bundle(repoRoot, partial, entries);
    await finishTree(partial, repoRoot);
    const record: BuildRecord = { key, modules };
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
  return bundledTree(modules, modules);
}
