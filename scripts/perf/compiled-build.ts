/**
 * A compiled copy of the node for plain `node` (no tsx): every `src/**\/*.ts` file transpiled to
 * JavaScript with TypeScript's own emitter (`transpileModule`: the project sets
 * `isolatedModules`, so per-file emit is exactly what `tsc` would write; types are checked by
 * `npm run lint`, not here) into a throwaway folder under os.tmpdir(), with `package.json`
 * (`"type": "module"`) and a `node_modules` link to the repository's. The benchmark measures what
 * running from it saves against tsx; the crash test uses it to restart a node 20 times quickly.
 *
 * @example
 * ```ts
 * const build = await buildCompiledTree(REPO_ROOT);
 * spawn(process.execPath, [build.entry('src/node/main.ts'), '--data-dir', dir]);
 * await build.remove();
 * ```
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

export interface CompiledTree {
  /** The build folder (under os.tmpdir()). */
  readonly root: string;
  /** Files transpiled. */
  readonly files: number;
  /** Wall time of the build, ms. */
  readonly buildMs: number;
  /** Path of the compiled file of a source path such as `src/node/main.ts`. */
  entry(sourcePath: string): string;
  /** Deletes the build folder. */
  remove(): Promise<void>;
}

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

/** Transpiles `<repoRoot>/src` into a new folder under os.tmpdir(). */
export async function buildCompiledTree(repoRoot: string): Promise<CompiledTree> {
  const started = performance.now();
  const root = await mkdtemp(join(tmpdir(), 'trustmesh-build-'));
  const files = await sourceFiles(join(repoRoot, 'src'));
  const compilerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    verbatimModuleSyntax: true,
    sourceMap: false,
  };
  for (const file of files) {
    const source = await readFile(file, 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: file });
    const out = join(root, relative(repoRoot, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, outputText);
  }
  await writeFile(join(root, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return {
    root,
    files: files.length,
    buildMs: Math.round(performance.now() - started),
    entry: (sourcePath) => join(root, sourcePath.replace(/\.ts$/, '.js')),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
