import '../src/polyfill.js';
/**
 * `npm run scenario -- <kind> [--honest N] [--attackers M] [--duration S] [--json]`: starts an honest
 * devnet (separate processes) with steady honest payments and mining, measures a baseline, injects
 * M attackers of the kind, and prints one result: JSON with `--json`, else a readable summary.
 * `npm run scenario -- --all [--json]` runs every kind on one devnet and prints the scoreboard (a
 * JSON array with `--json`). Progress goes to stderr. See src/scenario/ and docs/attacks.md.
 */
import { Command, InvalidArgumentError } from 'commander';
import { MISBEHAVIOURS, misbehaviourOf } from '../src/attacks/kinds.js';
import type { ScenarioResult } from '../src/scenario/result.js';
import { runScenarios } from '../src/scenario/run.js';
import { renderScoreboard } from '../src/scenario/table.js';

interface Flags {
  all?: boolean;
  honest: number;
  attackers: number;
  duration: number;
  baseline: number;
  txRate: number;
  json?: boolean;
  keep?: boolean;
}

function positive(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > max)
      throw new InvalidArgumentError(`expected a number in (0, ${max}]`);
    return n;
  };
}

const program = new Command('scenario')
  .description('Run attack scenarios against an honest devnet and measure how the network holds.')
  .argument('[kind]', `attack kind: ${MISBEHAVIOURS.map((m) => m.kind).join(', ')}`)
  .option('--all', 'run every kind and print the scoreboard')
  .option('--honest <n>', 'honest nodes', positive(20), 6)
  .option('--attackers <m>', 'attackers per kind', positive(10), 1)
  .option('--duration <s>', 'seconds of attack per kind', positive(600), 30)
  .option('--baseline <s>', 'seconds of honest load measured before any attack', positive(600), 10)
  .option('--tx-rate <r>', 'honest payments per second across the nodes', positive(100), 4)
  .option('--json', 'print JSON (one object, or an array with --all)')
  .option('--keep', "keep the devnet's data root (logs, chains) and print its path");
program.parse();
const flags = program.opts<Flags>();
const [name] = program.args;

function summary(result: ScenarioResult): string {
  return renderScoreboard([result]) + '\n' + result.notes.map((note) => `  - ${note}`).join('\n');
}

const kinds = flags.all === true ? MISBEHAVIOURS : name === undefined ? [] : [misbehaviourOf(name)];
if (kinds.length === 0 || kinds[0] === undefined) {
  console.error(
    `scenario: ${name === undefined ? 'missing <kind> (or --all)' : `unknown kind '${name}'`}; the kinds are: ` +
      MISBEHAVIOURS.map((m) => m.kind).join(', '),
  );
  process.exitCode = 2;
} else {
  const results = await runScenarios(
    kinds.filter((k) => k !== undefined),
    {
      honest: Math.floor(flags.honest),
      attackers: Math.floor(flags.attackers),
      durationS: flags.duration,
      baselineS: flags.baseline,
      txRate: flags.txRate,
      keep: flags.keep === true,
      progress: (line) => process.stderr.write(`scenario: ${line}\n`),
    },
    (result) => {
      if (flags.all === true && flags.json !== true) process.stderr.write(`${summary(result)}\n`);
    },
  );
  if (flags.json === true) console.log(JSON.stringify(flags.all === true ? results : results[0], null, 2));
  else console.log(flags.all === true ? renderScoreboard(results) : summary(results[0]!));
}
