/**
 * The trust map of a devnet launcher: the page server over every node of the devnet, able to
 * inject attackers (run as `npm run attacker -- <kind> --devnet <file>` runs them). `close()`
 * stops the page server and every attacker started from it.
 *
 * @example
 * ```ts
 * const map = await startDevnetTrustMap({ devnet, devnetFile: '/abs/nodes/devnet.json' });
 * console.log(`map ${map.url}`);
 * await map.close();
 * ```
 */
import { cookiePathOf, type DevnetDefinition, rpcUrlOf } from '../../node/devnet-definitions.js';
import { AttackerFleet } from './attackers.js';
import { startTrustMapServer } from './index.js';

export interface DevnetTrustMapOptions {
  readonly devnet: DevnetDefinition;
  /** The definitions file attackers are given as `--devnet` (absolute). */
  readonly devnetFile: string;
  /** `--ui-port`; 0 or absent for any free port. */
  readonly port?: number;
}

export interface DevnetTrustMap {
  /** The page's address, token included. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startDevnetTrustMap(options: DevnetTrustMapOptions): Promise<DevnetTrustMap> {
  const { devnet } = options;
  const fleet = new AttackerFleet({ devnetFile: options.devnetFile });
  const map = await startTrustMapServer({
    nodes: () =>
      devnet.nodes.map((def) => ({ name: def.name, rpcUrl: rpcUrlOf(def), cookiePath: cookiePathOf(def) })),
    launchAttacker: (kind) => fleet.launch(kind),
    port: options.port ?? 0,
    title: `trustmesh trust map · ${devnet.network} · ${devnet.nodes.length} nodes`,
  });
  return {
    url: map.url,
    close: async () => {
      await map.close();
      await fleet.stopAll();
    },
  };
}
