/**
 * `npm run fuzz`: the long fuzz run. Feeds random and mutated inputs (fast-check-driven mutation
 * of valid encodings: bit flips, truncation, extension, splices, lying length prefixes) into every
 * decode-and-validate entry point in process (test/fuzz/targets.ts), then a shorter run through
 * real libp2p streams and gossipsub against a live node (test/fuzz/live.ts).
 *
 *   npm run fuzz -- [--runs 1000000] [--live-runs 3000] [--seed <n>] [--only gossip,frames] [--json]
 *
 * `--runs` is the in-process total, split evenly over the targets; `--live-runs` the inputs sent
 * to the live node (0 skips it). Exit code 1 when anything crashed, hung or went unhandled; every
 * crash is printed with its smallest input (hex), to replay with the same `--seed`.
 */
import '../src/polyfill.js';
import { runLiveFuzz } from '../test/fuzz/live.js';
import { runInProcessFuzz } from '../test/fuzz/run.js';

interface Args {
  runs: number;
  liveRuns: number;
  seed: number;
  only: string[] | undefined;
  json: boolean;
}

/** Default in-process inputs: the issue's 10^6. */
const DEFAULT_RUNS = 1_000_000;
/** Default live inputs: each is a real stream or gossip message, so ~100x slower than in process. */
const DEFAULT_LIVE_RUNS = 3_000;

function parseArgs(argv: readonly string[]): Args {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const int = (flag: string, fallback: number): number => {
    const text = value(flag);
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text)) throw new Error(`${flag} needs a non-negative integer (got ${text})`);
    return Number(text);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (['--runs', '--live-runs', '--seed', '--only'].includes(arg)) i++;
    else if (arg !== '--json') throw new Error(`unknown argument ${arg}`);
  }
  return {
    runs: int('--runs', DEFAULT_RUNS),
    liveRuns: int('--live-runs', DEFAULT_LIVE_RUNS),
    seed: int('--seed', Date.now() % 1_000_000),
    only: value('--only')?.split(','),
    json: argv.includes('--json'),
  };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const log = (text: string): void => void process.stderr.write(`${text}\n`);
  log(`fuzz: seed ${args.seed}, ${args.runs} in-process inputs, ${args.liveRuns} live`);
  const inProcess = await runInProcessFuzz({
    totalRuns: args.runs,
    seed: args.seed,
    ...(args.only === undefined ? {} : { only: args.only }),
    onTarget: (t) =>
      log(
        `  ${t.target.padEnd(26)} ${String(t.runs).padStart(8)} inputs  ${String(t.accepted).padStart(7)} accepted  ${String(t.rejected).padStart(8)} rejected  ${t.crashes} crashes  seeds ${t.seedsAccepted}/${t.seeds}  ${(t.ms / 1000).toFixed(1)} s`,
      ),
  });
  const live =
    args.liveRuns === 0 ? undefined : await runLiveFuzz({ runs: args.liveRuns, seed: args.seed, log });
  const result = { inProcess, live };
  const crashes = inProcess.crashes.length + (live?.crashes.length ?? 0);
  const unhandled = inProcess.unhandledRejections.length + (live?.unhandledRejections.length ?? 0);
  if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    console.log(
      `in process: ${inProcess.totalRuns} inputs over ${inProcess.targets.length} targets in ${(inProcess.ms / 1000).toFixed(1)} s, ${inProcess.crashes.length} distinct crashes, ${inProcess.unhandledRejections.length} unhandled rejections, peak RSS ${inProcess.peakRssMb} MB (heap ${inProcess.peakHeapMb} MB)`,
    );
    if (live !== undefined) {
      console.log(
        `live node: ${live.totalRuns} inputs (${Object.entries(live.byChannel)
          .map(([k, v]) => `${k} ${v}`)
          .join(
            ', ',
          )}) in ${(live.ms / 1000).toFixed(1)} s, node alive: ${live.nodeAlive}, ${live.crashes.length} crashes, ${live.unhandledRejections.length} unhandled rejections, peak RSS ${live.peakRssMb} MB`,
      );
    }
    for (const crash of [...inProcess.crashes, ...(live?.crashes ?? [])]) {
      console.log(
        `CRASH ${crash.target} x${crash.count}: ${crash.error}\n${crash.stack}\n  input ${crash.inputHex}`,
      );
    }
  }
  return crashes + unhandled > 0 || live?.nodeAlive === false ? 1 : 0;
}

process.exitCode = await main();
