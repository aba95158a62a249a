/**
 * `npm run export -- k8s|compose --nodes N [--attackers kind=count,...] [--seed S] [--miners M]
 * [--image IMAGE] [--network devnet] [--scenario-s S] [--out DIR]`: parses the options, plans the
 * network and writes the target's files into `--out` (default `trustmesh-<target>`):
 * - k8s: `network.yaml`, every object as one YAML document (`kubectl apply -f network.yaml`);
 * - compose: `compose.yaml` and `keys/<name>/p2p-key` for every node.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseAttackers, TestnetUsageError } from '../testnet/options.js';
import { keyDir, renderCompose } from './compose.js';
import { renderK8s } from './k8s.js';
import { type ExportOptions, ExportUsageError, planNetwork } from './plan.js';

export const TARGETS = ['k8s', 'compose'] as const;
export type Target = (typeof TARGETS)[number];

export const DEFAULT_EXPORT: ExportOptions = {
  nodes: 5,
  attackers: [],
  seed: 'trustmesh',
  miners: 2,
  image: 'trustmesh-node:latest',
  network: 'devnet',
  scenarioS: 120,
};

export function parseExportArgs(argv: readonly string[]): {
  target: Target;
  out: string;
  options: ExportOptions;
} {
  const [target, ...rest] = argv;
  if (!TARGETS.includes(target as Target))
    throw new ExportUsageError(`the first argument is the target: ${TARGETS.join(' or ')}`);
  const options = { ...DEFAULT_EXPORT } as { -readonly [K in keyof ExportOptions]: ExportOptions[K] };
  let out = `trustmesh-${target}`;
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i]!;
    const value = rest[i + 1];
    if (value === undefined) throw new ExportUsageError(`${flag} needs a value`);
    const integer = (min: number): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min)
        throw new ExportUsageError(`${flag} takes an integer >= ${min} (got ${value})`);
      return n;
    };
    switch (flag) {
      case '--nodes':
        options.nodes = integer(2);
        break;
      case '--attackers':
        try {
          options.attackers = parseAttackers(flag, value);
        } catch (err) {
          if (err instanceof TestnetUsageError) throw new ExportUsageError(err.message);
          throw err;
        }
        break;
      case '--seed':
        options.seed = value;
        break;
      case '--miners':
        options.miners = integer(0);
        break;
      case '--image':
        options.image = value;
        break;
      case '--network':
        options.network = value;
        break;
      case '--scenario-s':
        options.scenarioS = integer(10);
        break;
      case '--out':
        out = value;
        break;
      default:
        throw new ExportUsageError(`unknown option ${flag}`);
    }
  }
  return { target: target as Target, out, options };
}

/** Writes the export; returns the paths written. */
export async function writeExport(target: Target, out: string, options: ExportOptions): Promise<string[]> {
  const plan = await planNetwork(options);
  await mkdir(out, { recursive: true });
  if (target === 'k8s') {
    const path = join(out, 'network.yaml');
    await writeFile(
      path,
      renderK8s(plan)
        .map((object) => stringify(object, { aliasDuplicateObjects: false }))
        .join('---\n'),
    );
    return [path];
  }
  const path = join(out, 'compose.yaml');
  await writeFile(path, stringify(renderCompose(plan), { aliasDuplicateObjects: false }));
  const written = [path];
  for (const node of plan.nodes) {
    const dir = join(out, keyDir(node.name));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'p2p-key'), Buffer.from(node.keyBase64, 'base64'), { mode: 0o644 });
    written.push(join(dir, 'p2p-key'));
  }
  return written;
}
