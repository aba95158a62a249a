/**
 * Helpers of the manifest end-to-end test: a template definitions file (the five nodes of
 * nodes/devnet.json) on ports free for a generated devnet of `count` nodes, with its data root in
 * a new temp dir, so `npm run devnet -- --devnet <template> --nodes 7` runs beside any other devnet.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPortFree } from '../../src/devnet/prepare.js';
import { type DevnetDefinition, loadDevnet } from '../../src/node/devnet-definitions.js';
import { REPO_ROOT } from './helpers.js';

/**
 * Port bases tried in turn; node i uses base+i (p2p), base+20+i (rpc), base+40+i (metrics).
 * Above devnet.test.ts's 17100-17999, so the two suites never race for a range.
 */
const PORT_BASES = [27100, 27200, 27300, 27400, 27500, 27600, 27700, 27800, 27900];

export interface TemplateDevnet {
  readonly dir: string;
  /** The template definitions file (five nodes). */
  readonly file: string;
  readonly template: DevnetDefinition;
  /** Port base: node i's RPC port is base+20+i. */
  readonly base: number;
  remove(): Promise<void>;
}

/** A template like nodes/devnet.json whose layout extended to `count` nodes is on free ports. */
export async function createTemplateDevnet(count: number): Promise<TemplateDevnet> {
  const source = JSON.parse(await readFile(join(REPO_ROOT, 'nodes/devnet.json'), 'utf8')) as {
    network: string;
    nodes: Array<Record<string, unknown>>;
  };
  let base: number | undefined;
  for (const candidate of PORT_BASES) {
    const ports = Array.from({ length: count }, (_, i) => [
      candidate + i,
      candidate + 20 + i,
      candidate + 40 + i,
    ]);
    if ((await Promise.all(ports.flat().map((p) => isPortFree(p)))).every(Boolean)) {
      base = candidate;
      break;
    }
  }
  if (base === undefined) throw new Error(`no free port range among ${PORT_BASES.join(', ')}`);
  const dir = await mkdtemp(join(tmpdir(), 'trustmesh-e2e-manifest-'));
  const file = join(dir, 'template.json');
  const at = base;
  const json = {
    network: source.network,
    dataRoot: join(dir, 'data'),
    nodes: source.nodes.map((node, i) => ({
      ...node,
      p2pPort: at + i,
      rpcPort: at + 20 + i,
      metricsPort: at + 40 + i,
    })),
  };
  await writeFile(file, JSON.stringify(json, null, 2));
  return {
    dir,
    file,
    template: loadDevnet(file, REPO_ROOT),
    base,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
