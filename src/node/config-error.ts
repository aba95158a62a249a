/**
 * The one error of configuration: a node config or a devnet definition with an invalid value.
 * Its message names the source and the field, in one line, e.g.
 * `nodes/devnet.json: nodes[2].rpcPort: 8101 is already used by nodes[0].rpcPort`.
 */

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${source}: ${field}: ${detail}`);
  }
}
