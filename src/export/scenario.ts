import '../polyfill.js';
/**
 * The scenario of an exported network (the Kubernetes Job, the compose `scenario` service):
 *
 *   node --import tsx src/export/scenario.ts --targets node-0:9100,node-1:9100 [--attackers N] [--duration S]
 *
 * It reads every honest node's /metrics every few seconds for `--duration` seconds (RPC needs the
 * node's cookie, which stays in its data volume; /metrics needs nothing), prints one progress line
 * per round, then the scenario JSON as its last line, and exits 0 when it passed, 1 when not:
 * - every node answered, its chain grew during the run, and the heights end within one block;
 * - with attackers, the honest nodes counted at least one quarantine per attacker.
 */
import { parseMetric } from './metrics-text.js';

/** Period of the /metrics rounds (unit: ms). */
const ROUND_MS = 5_000;
/** Timeout of one /metrics request (unit: ms). */
const FETCH_TIMEOUT_MS = 4_000;
/** Largest height difference between nodes at the end that still counts as agreement (blocks). */
const MAX_HEIGHT_SPREAD = 1;

interface Sample {
  height: number;
  quarantines: number;
  peers: number;
}

async function sample(target: string): Promise<Sample | undefined> {
  try {
    const response = await fetch(`http://${target}/metrics`, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    const text = await response.text();
    return {
      height: parseMetric(text, 'trustmesh_chain_height_blocks') ?? 0,
      quarantines: parseMetric(text, 'trustmesh_quarantines_total') ?? 0,
      peers: parseMetric(text, 'trustmesh_peers', 'state="healthy"') ?? 0,
    };
  } catch {
    return undefined;
  }
}

function args(argv: readonly string[]): { targets: string[]; attackers: number; durationS: number } {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const targets = (value('--targets') ?? '').split(',').filter((t) => t !== '');
  if (targets.length === 0) throw new Error('scenario: --targets host:port,... is required');
  return {
    targets,
    attackers: Number(value('--attackers') ?? 0),
    durationS: Number(value('--duration') ?? 120),
  };
}

async function main(): Promise<number> {
  const { targets, attackers, durationS } = args(process.argv.slice(2));
  const first = new Map<string, Sample>();
  let last = new Map<string, Sample | undefined>();
  const start = Date.now();
  while (Date.now() - start < durationS * 1000) {
    const round = await Promise.all(targets.map(async (target) => [target, await sample(target)] as const));
    last = new Map(round);
    for (const [target, s] of round) if (s !== undefined && !first.has(target)) first.set(target, s);
    const heights = round.map(([, s]) => (s === undefined ? '-' : String(s.height)));
    console.log(`${Math.round((Date.now() - start) / 1000)} s: heights ${heights.join(' ')}`);
    await new Promise((resolve) => setTimeout(resolve, ROUND_MS));
  }
  const failures: string[] = [];
  const answered = targets.filter((t) => last.get(t) !== undefined);
  if (answered.length < targets.length)
    failures.push(`${targets.length - answered.length} nodes did not answer`);
  const heights = answered.map((t) => last.get(t)!.height);
  const grew = answered.filter((t) => last.get(t)!.height > (first.get(t)?.height ?? 0)).length;
  if (grew < answered.length) failures.push(`${answered.length - grew} chains did not grow`);
  const spread = heights.length === 0 ? 0 : Math.max(...heights) - Math.min(...heights);
  if (spread > MAX_HEIGHT_SPREAD) failures.push(`heights differ by ${spread} blocks`);
  const quarantines = answered.reduce((sum, t) => sum + last.get(t)!.quarantines, 0);
  if (quarantines < attackers) failures.push(`${quarantines} quarantines for ${attackers} attackers`);
  const result = {
    nodes: targets.length,
    answered: answered.length,
    minHeight: heights.length === 0 ? null : Math.min(...heights),
    maxHeight: heights.length === 0 ? null : Math.max(...heights),
    quarantines,
    attackers,
    durationS,
    pass: failures.length === 0,
    failures,
  };
  console.log(JSON.stringify(result));
  return result.pass ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main());
