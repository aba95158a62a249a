/**
 * The devnet's compiled-build cache: a build is reused while no source changes, a changed source
 * gives a new build folder (unchanged files copied, the earlier folder left intact for a devnet
 * still running from it), builds unused for a day are deleted, and the output runs under plain
 * `node`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILD_UNUSED_MS, ensureCachedBuild } from '../../../src/devnet/compiled-build.js';
import { REPO_ROOT } from '../../../src/node/devnet-definitions.js';

const run = promisify(execFile);
let repo: string | undefined;

afterEach(async () => {
  if (repo !== undefined) await rm(repo, { recursive: true, force: true });
  repo = undefined;
});

/** A tiny repository: two TypeScript modules (one importing the other) and the real node_modules. */
async function fakeRepo(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'trustmesh-build-test-'));
  await mkdir(join(root, 'src/lib'), { recursive: true });
  await writeFile(
    join(root, 'src/main.ts'),
    "import { greet } from './lib/greet.js';\nconst n: number = 2;\nconsole.log(greet('devnet', n));\n",
  );
  await writeFile(
    join(root, 'src/lib/greet.ts'),
    'export function greet(name: string, n: number): string {\n  return `hello ${name} ${n}`;\n}\n',
  );
  await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

describe('ensureCachedBuild', () => {
  it('builds once, reuses the build while the sources are unchanged, and the output runs under node', async () => {
    repo = await fakeRepo();
    const cache = join(repo, 'data/.build');
    const first = await ensureCachedBuild(repo, cache);
    expect(first.files).toBe(2);
    expect(first.transpiled).toBe(2);
    const { stdout } = await run(process.execPath, [first.entry('src/main.ts')]);
    expect(stdout.trim()).toBe('hello devnet 2');

    const again = await ensureCachedBuild(repo, cache);
    expect(again.root).toBe(first.root);
    expect(again.transpiled).toBe(0);
  });

  it('a changed source gives a new build: only it is transpiled, and the earlier build stays intact', async () => {
    repo = await fakeRepo();
    const cache = join(repo, 'data/.build');
    const first = await ensureCachedBuild(repo, cache);
    await writeFile(
      join(repo, 'src/lib/greet.ts'),
      'export function greet(name: string, n: number): string {\n  return `hi ${name} ${n * 2}`;\n}\n',
    );
    const second = await ensureCachedBuild(repo, cache);
    expect(second.root).not.toBe(first.root);
    expect(second.transpiled).toBe(1);
    expect((await run(process.execPath, [second.entry('src/main.ts')])).stdout.trim()).toBe('hi devnet 4');
    expect((await run(process.execPath, [first.entry('src/main.ts')])).stdout.trim()).toBe('hello devnet 2');
  });

  it('deletes builds unused for a day', async () => {
    repo = await fakeRepo();
    const cache = join(repo, 'data/.build');
    const old = await ensureCachedBuild(repo, cache);
    const longAgo = new Date(Date.now() - BUILD_UNUSED_MS - 60_000);
    await utimes(join(old.root, 'build.json'), longAgo, longAgo);
    await writeFile(join(repo, 'src/extra.ts'), 'export const extra = 1;\n');
    const current = await ensureCachedBuild(repo, cache);
    expect(current.files).toBe(3);
    expect(existsSync(old.root)).toBe(false);
    expect(existsSync(current.entry('src/extra.ts'))).toBe(true);
  });
});
