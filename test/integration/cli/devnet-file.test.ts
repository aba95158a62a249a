/**
 * Loading a devnet definition from disk: a missing file and a file that is not JSON are refused
 * with a one-line ConfigError naming the file (the parsing rules are unit-tested on strings in
 * test/unit/cli/devnet-definitions.test.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadDevnet } from '../../../src/node/devnet-definitions.js';

describe('loadDevnet on files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trustmesh-devnet-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names a missing file and invalid JSON', async () => {
    expect(() => loadDevnet(join(dir, 'none.json'))).toThrow(ConfigError);
    expect(() => loadDevnet(join(dir, 'none.json'))).toThrow(/none\.json: file: not found/);
    await writeFile(join(dir, 'bad.json'), '{ nodes: ');
    expect(() => loadDevnet(join(dir, 'bad.json'))).toThrow(ConfigError);
    expect(() => loadDevnet(join(dir, 'bad.json'))).toThrow(/bad\.json: file: not valid JSON/);
  });
});
