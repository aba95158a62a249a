/**
 * `npm run bench`: every benchmark of the project, one JSON object keyed by part.
 *
 *   npm run bench -- [part ...] [--json] [--quick] [--profile] [--propagation-args "<flags>"]
 *
 * Parts (all by default, in this order): crypto, validate (scripts/bench-crypto.ts and
 * scripts/bench-validate.ts, run as they are), startup, memory, throughput, blocks (scripts/perf/),
 * propagation (scripts/bench-propagation.ts). Each part compares with a baseline measured in the
 * same run, because this machine is shared and its speed varies by the minute. Without --json each
 * part prints a table as it finishes; with --json stdout holds exactly one JSON object (progress on
 * stderr). `--quick` shrinks every part (fewer nodes, shorter steps) for a smoke run; `--profile`
 * runs one throughput node under `node --cpu-prof` and adds its hottest functions.
 *
 * What each figure means, its goal and what limits it: docs/performance.md.
 */
import '../src/polyfill.js';
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchBlocks } from './perf/blocks.js';
import { buildCompiledTree, type CompiledTree, ensureCachedBuild } from '../src/devnet/compiled-build.js';
import { benchMemory } from './perf/memory.js';
import { benchStartup } from './perf/startup.js';
import { benchThroughput } from './perf/throughput.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PARTS = ['crypto', 'validate', 'startup', 'memory', 'throughput', 'blocks', 'propagation'] as const;
type Part = (typeof PARTS)[number];

interface Args {
  parts: Part[];
  json: boolean;
  quick: boolean;
  profile: boolean;
  propagationArgs: string[];
}

function parseArgs(argv: readonly string[]): Args {
  const parts: Part[] = [];
  let propagationArgs: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--propagation-args') {
      propagationArgs = (argv[++i] ?? '').split(/\s+/).filter((s) => s !== '');
    } else if ((PARTS as readonly string[]).includes(arg)) {
      parts.push(arg as Part);
    } else if (!['--json', '--quick', '--profile'].includes(arg)) {
      throw new Error(
        `unknown argument ${arg} (parts: ${PARTS.join(', ')}; flags: --json --quick --profile)`,
      );
    }
  }
  const quick = argv.includes('--quick');
  return {
    parts: parts.length === 0 ? [...PARTS] : PARTS.filter((p) => parts.includes(p)),
    json: argv.includes('--json'),
    quick,
    profile: argv.includes('--profile'),
    propagationArgs:
      propagationArgs ??
      // The propagation bench waits for a quiet machine before each slice; a shared machine never
      // is, so it starts at once and records how busy the machine was instead.
      (quick
        ? ['--nodes', '10', '--count', '60', '--warmup', '30', '--rounds', '1', '--quiet-wait-ms', '0']
        : ['--quiet-wait-ms', '0']),
  };
}

/** Runs one of the existing benchmark scripts with --json and parses its JSON line. */
function runScript(script: string, args: readonly string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--json', ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.once('exit', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolve(JSON.parse(line));
      } catch (err) {
        reject(new Error(`${script} failed: ${(err as Error).message}`));
      }
    });
  });
}

/** The scalar fields of a part's result, one per row (details stay in the JSON). */
function printTable(part: string, result: unknown): void {
  console.log(`\n${part}`);
  for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      console.log(`  ${key.padEnd(28)} ${typeof value === 'number' ? value.toLocaleString('en-US') : value}`);
    }
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (text: string): void => void process.stderr.write(`${text}\n`);
  const q = args.quick;
  const results: Record<string, unknown> = {
    machine: {
      date: new Date().toISOString(),
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      load1AtStart: round2(loadavg()[0] ?? 0),
      node: process.version,
      quick: q,
    },
  };
  let build: CompiledTree | undefined;
  const compiled = async (): Promise<CompiledTree> => {
    build ??= await buildCompiledTree(REPO_ROOT);
    return build;
  };
  /** What `npm run devnet` runs: the node bundled by esbuild, in a temporary cache folder. */
  let bundle: CompiledTree | undefined;
  const bundled = async (): Promise<CompiledTree> => {
    bundle ??= await ensureCachedBuild(REPO_ROOT, await mkdtemp(join(tmpdir(), 'trustmesh-bundle-')));
    return bundle;
  };
  try {
    for (const part of args.parts) {
      let result: unknown;
      try {
        result = await runPart(part);
      } catch (err) {
        // One failed part (a timeout on a loaded machine) does not cost the others their figures.
        log(`${part} failed: ${(err as Error).stack ?? String(err)}`);
        result = { error: (err as Error).message };
      }
      results[part] = result;
      if (!args.json) printTable(part, result);
    }
  } finally {
    await build?.remove();
    await bundle?.remove();
  }
  if (args.json) process.stdout.write(`${JSON.stringify(results)}\n`);

  async function runPart(part: Part): Promise<unknown> {
    let result: unknown;
    switch (part) {
      case 'crypto':
        result = await runScript('scripts/bench-crypto.ts', q ? ['--seconds', '0.5'] : []);
        break;
      case 'validate':
        result = await runScript('scripts/bench-validate.ts', q ? ['--seconds', '0.5'] : []);
        break;
      case 'propagation':
        result = await runScript('scripts/bench-propagation.ts', args.propagationArgs);
        break;
      case 'startup':
        result = await benchStartup({
          repoRoot: REPO_ROOT,
          nodes: 5,
          miners: 2,
          build: await compiled(),
          log,
        });
        break;
      case 'memory':
        result = await benchMemory({
          repoRoot: REPO_ROOT,
          nodes: q ? 6 : 20,
          mempoolTxs: q ? 1_000 : 10_000,
          rate: q ? 100 : 200,
          fillTimeoutMs: q ? 60_000 : 300_000,
          build: await bundled(),
          baseline: true,
          log,
        });
        break;
      case 'throughput':
        result = await benchThroughput({
          repoRoot: REPO_ROOT,
          nodes: q ? 4 : 10,
          stepSeconds: q ? 3 : 6,
          drainMs: q ? 5_000 : 10_000,
          startRate: 25,
          // Six doublings reach 1,600 tx/s; the rest bisect the last bracket to within 15%.
          maxSteps: q ? 3 : 10,
          profile: args.profile,
          log,
        });
        break;
      case 'blocks':
        result = await benchBlocks({
          repoRoot: REPO_ROOT,
          nodes: q ? 4 : 10,
          blocks: q ? 1 : 5,
          txsPerBlock: q ? 100 : 500,
          rate: q ? 50 : 100,
          log,
        });
        break;
    }
    return result;
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
