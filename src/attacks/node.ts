/**
 * An attacker node: the honest node (src/node) composed with a misbehaviour. The runner wraps the
 * node's inventory source (to serve bad bytes or none) and runs as one more service with direct
 * handles on the announcement and push channels. Tests and `npm run attacker` start it the same way.
 */
import type { NodeHooks } from '../node/compose.js';
import { ConfigError } from '../node/config-error.js';
import type { NodeConfig } from '../node/config.js';
import { TrustmeshNode } from '../node/trustmesh-node.js';
import { MISBEHAVIOURS, misbehaviourOf } from './kinds.js';
import type { Misbehaviour } from './attack.js';
import { AttackRunner } from './runner.js';

/** Starts a node that attacks with the misbehaviour named `kind`; `ConfigError` for an unknown kind. */
export async function startAttackerNode(config: NodeConfig, kind: string): Promise<TrustmeshNode> {
  const misbehaviour = misbehaviourOf(kind);
  if (misbehaviour === undefined) {
    throw new ConfigError(
      'attacker',
      'kind',
      `must be one of ${MISBEHAVIOURS.map((m) => m.kind).join(', ')}`,
    );
  }
  return TrustmeshNode.start(config, attackHooks(misbehaviour));
}

/**
 * The composition hooks that make a node attack with `misbehaviour`. Its announcements are flooded
 * to every peer it is connected to (an honest node's reach only its mesh): an attacker wants every
 * neighbour to fetch what it offers.
 */
export function attackHooks(misbehaviour: Misbehaviour): NodeHooks {
  const runner = new AttackRunner(misbehaviour);
  return {
    decorateInventory: (honest) => runner.decorateInventory(honest),
    extensions: (services) => [{ name: `attack:${misbehaviour.kind}`, service: runner.attach(services) }],
    floodPublish: true,
  };
}
