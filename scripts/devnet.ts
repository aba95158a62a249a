import '../src/polyfill.js';
/**
 * `npm run devnet`: a local trustmesh devnet, every node its own process, with a live status view.
 *
 *   npm run devnet                     # the 5 nodes of nodes/devnet.json (alice and carol mine)
 *   npm run devnet -- --nodes 8 --miners 3 --tx-rate 5
 *   npm run devnet -- --reset          # start over from genesis
 *   npm run devnet -- --mining-cpu 50% # miners hash with half a core each (default 10%)
 *   npm run devnet -- --tsx            # nodes through tsx, not the compiled build in <data root>/.build
 *
 * Every node listens on its own loopback address (node i on 127.(i+1).0.1, its own /16 netgroup),
 * is given one or two bootstrap nodes and finds the others by address relay (docs/membership.md,
 * section 13); the view's OUT column shows its outbound connections against its target, IN the
 * connections its peers opened.
 * Ctrl-C (or q) stops every node cleanly; state persists in .devnet/ to the next run. While it
 * runs, .devnet/devnet-manifest.json records every node, so `npm run cli -- node7 status` works.
 * See src/devnet/launch-devnet.ts.
 */
import { Command, InvalidArgumentError } from 'commander';
import { MiningCpuError, parseMiningCpu } from '../src/chain/mining/pacing.js';
import { runDevnet } from '../src/devnet/launch-devnet.js';
import { DEVNET_MINING_CPU } from '../src/devnet/supervisor.js';
import { DEFAULT_DEVNET_FILE, MAX_GENERATED_NODES } from '../src/node/devnet-definitions.js';

function integer(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return Number(value);
  };
}

function rate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1_000) {
    throw new InvalidArgumentError('expected a number of payments per second from 0 to 1000');
  }
  return n;
}

function miningCpu(value: string): number {
  try {
    return parseMiningCpu(value);
  } catch (err) {
    if (err instanceof MiningCpuError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

interface Flags {
  nodes?: number;
  miners?: number;
  txRate: number;
  reset?: boolean;
  devnet?: string;
  ui: boolean;
  web: boolean;
  uiPort?: number;
  miningCpu: number;
  tsx?: boolean;
}

const program = new Command('devnet')
  .description(
    'Run a local trustmesh devnet: every node its own process, a live status view, Ctrl-C stops it.',
  )
  .option(
    '--nodes <n>',
    `generate a devnet of n nodes: alice..erin, node6, ... (default: the nodes of ${DEFAULT_DEVNET_FILE})`,
    integer(1, MAX_GENERATED_NODES),
  )
  .option('--miners <n>', 'miners of a generated devnet (default 2)', integer(0, MAX_GENERATED_NODES))
  .option(
    '--mining-cpu <percent>',
    "the miners' share of one core each, e.g. 10% (100% = no pacing)",
    miningCpu,
    DEVNET_MINING_CPU,
  )
  .option('--tx-rate <per-second>', "steady load: payments per second between the nodes' wallets", rate, 0)
  .option('--reset', "delete the devnet's data first (refused while its nodes run)")
  .option(
    '--devnet <file>',
    `node definitions file (default: ${DEFAULT_DEVNET_FILE}); with --nodes, the template giving the data root and first ports`,
  )
  .option('--tsx', 'run the nodes through tsx instead of a compiled build (<data root>/.build)')
  .option('--no-ui', 'plain output: one line per node every few seconds, even on a terminal')
  .option('--no-web', 'do not serve the trust map page')
  .option(
    '--ui-port <port>',
    'port of the trust map page on 127.0.0.1 (default: any free port)',
    integer(0, 65_535),
  )
  .addHelpText(
    'after',
    '\nExamples:\n  npm run devnet\n  npm run devnet -- --nodes 8 --miners 3 --tx-rate 5\n  npm run devnet -- --reset --no-ui',
  );
program.parse();
const flags = program.opts<Flags>();
process.exitCode = await runDevnet({
  ...(flags.devnet === undefined ? {} : { devnet: flags.devnet }),
  ...(flags.nodes === undefined ? {} : { nodes: flags.nodes }),
  ...(flags.miners === undefined ? {} : { miners: flags.miners }),
  txRate: flags.txRate,
  miningCpu: flags.miningCpu,
  tsx: flags.tsx === true,
  reset: flags.reset === true,
  ui: flags.ui,
  web: flags.web,
  ...(flags.uiPort === undefined ? {} : { uiPort: flags.uiPort }),
});
