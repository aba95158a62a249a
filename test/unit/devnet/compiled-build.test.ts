/**
 * The devnet's compiled-build cache: the entry points bundled by esbuild (with their
 * dependencies, CommonJS ones included), a build reused while no source changes, a changed source
 * giving a new build folder (the earlier one left intact for a devnet still running from it),
 * builds unused for a day deleted, and the output running under plain `node`; then the real
 * node's bundle, with the miner's worker next to it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BUILD_UNUSED_MS,
  DEVNET_BUNDLES,
  ensureCachedBuild,
  NotInBuildError,
} from '../../../src/devnet/compiled-build.js';
import { REPO_ROOT } from '../../../src/node/devnet-definitions.js';

const run = promisify(execFile);
/** The fake repository's one entry point. */
const ENTRIES = { 'src/main': 'src/main.ts' };
let dir: string | undefined;

afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/**
 * A tiny repository: an entry importing a module of its own and commander (a CommonJS package
 * that requires Node's modules, so the bundle needs its `require`), and the real node_modules.
 */
async function fakeRepo(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'trustmesh-build-test-'));
  dir = root;
  await mkdir(join(root, 'src/lib'), { recursive: true });
  await writeFile(
    join(root, 'src/main.ts'),
    [
      "import { Command } from 'commander';",
      "import { greet } from './lib/greet.js';",
      "const n: number = new Command('x').option('--n <n>', 'n', '2').parse().opts<{ n: string }>().n.length + 1;",
      "console.log(greet('devnet', n));",
      '',
    ].join('\n'),
  );
  await writeFile(
    join(root, 'src/lib/greet.ts'),
    'export function greet(name: string, n: number): string {\n  return `hello ${name} ${n}`;\n}\n',
  );
  await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

describe('ensureCachedBuild', () => {
  it('bundles once, reuses the build while the sources are unchanged, and the bundle runs under node', async () => {
    const repo = await fakeRepo();
    const cache = join(repo, 'data/.build');
    const first = await ensureCachedBuild(repo, cache, ENTRIES);
    // The two sources and commander's modules.
    expect(first.files).toBeGreaterThan(2);
    expect(first.transpiled).toBe(first.files);
    const { stdout } = await run(process.execPath, [first.entry('src/main.ts')]);
    expect(stdout.trim()).toBe('hello devnet 2');
    // The bundle holds its imports: no per-file output beside it.
    expect(existsSync(join(first.root, 'src/lib/greet.js'))).toBe(false);
    expect(() => first.entry('src/lib/greet.ts')).toThrow(NotInBuildError);

    const again = await ensureCachedBuild(repo, cache, ENTRIES);
    expect(again.root).toBe(first.root);
    expect(again.transpiled).toBe(0);
    expect(again.files).toBe(first.files);
  });

  it('a changed source gives a new build, and the earlier build stays intact', async () => {
    const repo = await fakeRepo();
    const cache = join(repo, 'data/.build');
    const first = await ensureCachedBuild(repo, cache, ENTRIES);
    await writeFile(
      join(repo, 'src/lib/greet.ts'),
      'export function greet(name: string, n: number): string {\n  return `hi ${name} ${n * 2}`;\n}\n',
    );
    const second = await ensureCachedBuild(repo, cache, ENTRIES);
    expect(second.root).not.toBe(first.root);
    expect(second.transpiled).toBeGreaterThan(0);
    expect((await run(process.execPath, [second.entry('src/main.ts')])).stdout.trim()).toBe('hi devnet 4');
    expect((await run(process.execPath, [first.entry('src/main.ts')])).stdout.trim()).toBe('hello devnet 2');
  });

  it('deletes builds unused for a day', async () => {
    const repo = await fakeRepo();
    const cache = join(repo, 'data/.build');
    const old = await ensureCachedBuild(repo, cache, ENTRIES);
    const longAgo = new Date(Date.now() - BUILD_UNUSED_MS - 60_000);
    await utimes(join(old.root, 'build.json'), longAgo, longAgo);
    await writeFile(join(repo, 'src/extra.ts'), 'export const extra = 1;\n');
    const current = await ensureCachedBuild(repo, cache, ENTRIES);
    expect(current.root).not.toBe(old.root);
    expect(existsSync(old.root)).toBe(false);
    expect(existsSync(current.entry('src/main.ts'))).toBe(true);
  });

  it('fails on a source esbuild cannot bundle, leaving no build behind', async () => {
    const repo = await fakeRepo();
    const cache = join(repo, 'data/.build');
    await writeFile(
      join(repo, 'src/main.ts'),
      "import { nothing } from './lib/missing.js';\nconsole.log(nothing);\n",
    );
    await expect(ensureCachedBuild(repo, cache, ENTRIES)).rejects.toThrow(/missing/);
    expect(await readdir(cache)).toEqual([]);
  });

  it("bundles the real node with its miner's worker next to it, and the bundle runs", async () => {
    const cacheRoot = await mkdtemp(join(tmpdir(), 'trustmesh-build-test-'));
    dir = cacheRoot;
    const build = await ensureCachedBuild(REPO_ROOT, join(cacheRoot, '.build'));
    const main = build.entry('src/node/main.ts');
    expect(main).toBe(join(build.root, 'src/node/main.js'));
    expect(existsSync(join(dirname(main), 'miner-worker.js'))).toBe(true);
    expect(Object.keys(DEVNET_BUNDLES)).toContain('src/node/miner-worker');
    expect(existsSync(build.entry('src/devnet/orphan-guard.ts'))).toBe(true);
    const { stdout } = await run(process.execPath, [main, '--help']);
    expect(stdout).toMatch(/--mining-cpu <percent>/);
  }, 60_000);
});
