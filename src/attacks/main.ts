import '../polyfill.js';
/**
 * `tsx src/attacks/main.ts --kind <kind> [node options]`: runs one attacker node in this process
 * (what `npm run attacker` starts). The options are the honest node's (src/node/main.ts); the node
 * is the honest one composed with the misbehaviour, so honest nodes face the real protocol.
 */
import { Option } from 'commander';
import { nodeProgram, runNodeProcess } from '../node/main.js';
import { MISBEHAVIOURS } from './kinds.js';
import { startAttackerNode } from './node.js';

const program = nodeProgram()
  .name('attacker')
  .description('Run one trustmesh attacker node')
  .addOption(
    new Option('--kind <kind>', 'the misbehaviour (see `npm run attacker -- --list`)')
      .choices(MISBEHAVIOURS.map((m) => m.kind))
      .makeOptionMandatory(),
  );
await runNodeProcess(program, (config) => startAttackerNode(config, program.opts<{ kind: string }>().kind));
