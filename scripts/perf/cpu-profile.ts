/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function and per package
 * (or repository folder), heaviest first, so a profile of a node under load reads as a short
 * table. Used by the throughput benchmark's `--profile` and on its own:
 *
 *   npx tsx scripts/perf/cpu-profile.ts <file.cpuprofile> [--top 25]
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  readonly name: string;
  readonly selfMs: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Share of samples in V8's (idle) node: the process was waiting. */
  readonly idleShare: number;
  readonly functions: ProfileRow[];
  readonly packages: ProfileRow[];
}

/** `pkg` for node_modules/pkg (or @scope/pkg), `src/<folder>` for our code, else the special name. */
function packageOf(url: string, functionName: string): string {
  if (url === '') return `(${functionName || 'native'})`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const src = url.lastIndexOf('/src/');
  if (src >= 0) return `src/${url.slice(src + 5).split('/')[0]}`;
  if (url.startsWith('node:')) return url;
  return url.split('/').slice(-2).join('/');
}

function table(map: Map<string, number>, totalMs: number, top: number): ProfileRow[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, selfMs: Math.round(ms), share: Number((ms / totalMs).toFixed(3)) }));
}

/**
 * A time window in µs of CLOCK_MONOTONIC, the clock of V8's profile timestamps and of
 * `process.hrtime.bigint()` in any process on the machine: `hrtimeUs()` marks windows elsewhere.
 */
export type ProfileWindow = readonly [startUs: number, endUs: number];

/** Now, in µs of CLOCK_MONOTONIC (comparable with profile timestamps of other processes). */
export const hrtimeUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * Self time per function and per package of one profile; with `windows`, only the samples taken
 * inside them (e.g. the load phases, without start-up and module loading).
 */
export function summarizeProfile(
  profile: CpuProfile,
  top = 25,
  windows?: readonly ProfileWindow[],
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (windows !== undefined && !windows.some(([start, end]) => t >= start && t <= end)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const file = url.split('/').slice(-2).join('/');
    const fn = `${functionName || '(anonymous)'} ${file}${file === '' ? '' : `:${lineNumber + 1}`}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us / 1000);
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us / 1000);
  }
  const busyMs = (totalUs - idleUs) / 1000;
  return {
    totalMs: Math.round(totalUs / 1000),
    idleShare: Number((idleUs / Math.max(1, totalUs)).toFixed(3)),
    functions: table(functions, busyMs, top),
    packages: table(packages, busyMs, top),
  };
}

export async function readProfile(path: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
}

const isMain = process.argv[1]?.endsWith('cpu-profile.ts') === true;
if (isMain) {
  const path = process.argv[2];
  if (path === undefined) throw new Error('usage: cpu-profile.ts <file.cpuprofile> [--top N]');
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex === -1 ? 25 : Number(process.argv[topIndex + 1]);
  const summary = summarizeProfile(await readProfile(path), top);
  console.log(
    `${summary.totalMs} ms sampled, idle ${(summary.idleShare * 100).toFixed(1)}%; shares of busy time:`,
  );
  for (const [title, rows] of [
    ['packages', summary.packages],
    ['functions', summary.functions],
  ] as const) {
    console.log(`\n${title}`);
    for (const row of rows)
      console.log(
        `  ${(row.share * 100).toFixed(1).padStart(5)}%  ${String(row.selfMs).padStart(6)} ms  ${row.name}`,
      );
  }
}
