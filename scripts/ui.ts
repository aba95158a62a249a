import '../src/polyfill.js';
/**
 * `npm run ui`: the live trust map in a browser, for nodes outside `npm run devnet` (which serves
 * the same page itself).
 *
 *   npm run ui                                   # every node of the devnet (its manifest, then nodes/devnet.json)
 *   npm run ui -- alice                          # one devnet node and its peers
 *   npm run ui -- --rpc http://127.0.0.1:8200 --cookie ./n1/rpc.cookie
 *
 * Prints the page's URL (127.0.0.1 only, with a random token) and serves until Ctrl-C. See
 * src/web/server/index.ts and docs/trust-map.md.
 */
import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../src/cli/errors.js';
import { knownNodesOf, resolveTarget } from '../src/cli/target.js';
import { ConfigError, DEFAULT_DEVNET_FILE } from '../src/node/devnet-definitions.js';
import { type NodeTarget, startTrustMapServer, TrustMapPortInUseError } from '../src/web/server/index.js';

interface Flags {
  rpc?: string;
  cookie?: string;
  devnet?: string;
  port: number;
}

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65_535)
    throw new InvalidArgumentError('expected a port 0..65535');
  return Number(value);
}

const program = new Command('ui')
  .description('Serve the live trust map of trustmesh nodes on 127.0.0.1 (open the printed URL).')
  .argument('[node]', `a node of the devnet definitions (default: all of ${DEFAULT_DEVNET_FILE})`)
  .option('--rpc <url>', 'the RPC of a node that is not in the definitions')
  .option('--cookie <file>', "that node's rpc.cookie")
  .option('--devnet <file>', `node definitions file (default: ${DEFAULT_DEVNET_FILE})`)
  .option('--port <port>', 'port of the page on 127.0.0.1 (0 = any free port)', port, 0)
  .addHelpText(
    'after',
    '\nExamples:\n  npm run ui\n  npm run ui -- alice\n  npm run ui -- --rpc http://127.0.0.1:8200 --cookie ./n1/rpc.cookie',
  );
program.parse();
const flags = program.opts<Flags>();
const [node] = program.args;

/** How long the devnet's node list is reused before it is read again (unit: ms). */
const NODE_LIST_TTL_MS = 5_000;

/** Every node of the devnet: the running launch's manifest (node6, node7, ...), then the file. */
function devnetNodes(): NodeTarget[] {
  return knownNodesOf(flags.devnet).nodes.map((n) => ({
    name: n.name,
    rpcUrl: n.rpc,
    cookiePath: n.cookiePath,
  }));
}

function targets(): NodeTarget[] {
  if (node === undefined && flags.rpc === undefined) return devnetNodes();
  const target = resolveTarget(node, {
    ...(flags.rpc === undefined ? {} : { rpc: flags.rpc }),
    ...(flags.cookie === undefined ? {} : { cookie: flags.cookie }),
    ...(flags.devnet === undefined ? {} : { devnet: flags.devnet }),
  });
  return [
    { name: target.name ?? new URL(target.url).host, rpcUrl: target.url, cookiePath: target.cookiePath },
  ];
}

try {
  let nodes = targets();
  let readAt = Date.now();
  const all = node === undefined && flags.rpc === undefined;
  const map = await startTrustMapServer({
    // A devnet launched (or relaunched bigger) after this started shows up within seconds.
    nodes: () => {
      if (all && Date.now() - readAt > NODE_LIST_TTL_MS) {
        readAt = Date.now();
        try {
          nodes = devnetNodes();
        } catch {
          // Keep the last list: a definitions file being rewritten is read again next time.
        }
      }
      return nodes;
    },
    port: flags.port,
    title: `trustmesh trust map · ${all ? 'devnet' : nodes.map((n) => n.name).join(', ')}`,
  });
  console.log(`trust map ${map.url}  (${nodes.length} node${nodes.length === 1 ? '' : 's'}; Ctrl-C stops)`);
  const stop = () => {
    void map.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof TrustMapPortInUseError) {
    console.error(`ui: ${err.message}`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
