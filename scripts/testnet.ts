/**
 * `npm run testnet -- --hosts N [--latency 40ms] [--jitter 10ms] [--loss 0.5%] [--rate 10mbit]
 *   [--attackers kind=count,...] [--duration S] [--tx-rate R] [--miners M] [--dials D]
 *   [--partition-at S --heal-at S] [--drain S] [--seed N] [--keep] [--json]`
 *
 * Runs a trustmesh network with one node per network namespace on this machine (needs root; see
 * docs/testnet.md), prints progress on stderr and the report (one JSON object with --json) on
 * stdout. Exit code: 0 when every goal was met, 1 when not, 2 on a usage or setup error, 130 on
 * Ctrl-C (everything it created is removed first).
 */
import '../src/polyfill.js';
import { parseTestnetArgs, TestnetUsageError } from '../src/testnet/options.js';
import { TestnetPrerequisiteError } from '../src/testnet/system.js';
import { TestnetAbortedError, TestnetRun } from '../src/testnet/testnet.js';

const started = Date.now();
const log = (line: string): void =>
  void process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

async function main(): Promise<number> {
  let options;
  try {
    options = parseTestnetArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof TestnetUsageError) {
      process.stderr.write(`testnet: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const run = new TestnetRun(options, log);
  let interrupted = false;
  const onSignal = (): void => {
    if (interrupted) return;
    interrupted = true;
    log('stopping: removing nodes and namespaces…');
    void run.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => run.killNow());
  try {
    const report = await run.run();
    if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!report.pass) log(`goals not met: ${report.failures.join('; ')}`);
    return report.pass ? 0 : 1;
  } catch (err) {
    if (err instanceof TestnetAbortedError) return 130;
    if (err instanceof TestnetPrerequisiteError) {
      process.stderr.write(`testnet: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`testnet: ${(err as Error).message}\n`);
    return 1;
  }
}

process.exit(await main());
