import '../src/polyfill.js';
/**
 * `npm run attacker -- <kind>`: runs one misbehaving node against the running devnet, in the
 * foreground, and shows the honest nodes quarantine it. `--list` shows the kinds.
 *
 *   npm run attacker -- --list
 *   npm run attacker -- invalid-signature
 *
 * See src/devnet/launch-attacker.ts.
 */
import { Command } from 'commander';
import { listKinds, runAttacker } from '../src/devnet/launch-attacker.js';
import { DEFAULT_DEVNET_FILE } from '../src/node/devnet-definitions.js';

interface Flags {
  list?: boolean;
  devnet?: string;
  logLevel?: string;
}

const program = new Command('attacker')
  .description('Run one attacker node against the running devnet and watch the honest nodes quarantine it.')
  .argument('[kind]', 'misbehaviour (see --list)')
  .option('--list', 'list the kinds of attack with what each does')
  .option('--devnet <file>', `node definitions file of the running devnet (default: ${DEFAULT_DEVNET_FILE})`)
  .option('--log-level <level>', "the attacker's log level: debug shows each round", 'info')
  .addHelpText('after', `\nKinds:\n${listKinds()}\n\nExample:\n  npm run attacker -- invalid-signature`);
program.parse();
const flags = program.opts<Flags>();
const [kind] = program.args;
if (flags.list === true) {
  console.log(`Kinds of attack (npm run attacker -- <kind>):\n${listKinds()}`);
} else if (kind === undefined) {
  console.error(`attacker: missing <kind>; the kinds are:\n${listKinds()}`);
  process.exitCode = 2;
} else {
  process.exitCode = await runAttacker({
    kind,
    ...(flags.devnet === undefined ? {} : { devnet: flags.devnet }),
    ...(flags.logLevel === undefined ? {} : { logLevel: flags.logLevel }),
  });
}
