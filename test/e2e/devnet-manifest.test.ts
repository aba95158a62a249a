/**
 * A generated devnet reached by name, as a new user would: `scripts/devnet.ts --nodes 7` starts
 * seven node processes (alice … erin, node6, node7); its manifest lets `cli nodes`, `cli node7`,
 * the REPL and the attacker find node6 and node7, which the definitions file does not name.
 * After Ctrl-C no node shows as running, and a stale manifest (a killed launcher's) misleads
 * no one.
 *
 * Isolation: `--devnet <template>` gives the generated devnet its data root (a temp dir) and its
 * ports (above 27100); the template names only alice … erin, so every node6/node7 hit below comes
 * from the manifest.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeProbe } from '../../src/cli/nodes.js';
import type { DevnetManifest } from '../../src/devnet/manifest.js';
import { manifestPathOf } from '../../src/devnet/manifest-file.js';
import { NODE_ENV_TUNING, NODE_V8_FLAGS } from '../../src/devnet/process-tuning.js';
import type { NodeStatus } from '../../src/node/api.js';
import { type Child, isAlive, Processes, reportedNodePids, waitFor } from './helpers.js';
import { createTemplateDevnet, type TemplateDevnet } from './manifest-helpers.js';

/** Launcher start: seven tsx processes on two busy cores (unit: ms). */
const START_MS = 150_000;
const NODES = 7;
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'node6', 'node7'];

const processes = new Processes();
let net: TemplateDevnet;
let launcher: Child;
let pids: Map<string, number>;
/** The manifest as it stood while the devnet ran (to replay a killed launcher's leftovers). */
let runningManifest: string;

/** `node --import tsx src/cli/<script>.ts --devnet <template> <args>` (what `npm run cli` runs). */
function run(script: 'cli' | 'repl', args: string[], stdin?: string) {
  return processes.run(
    [`src/cli/${script}.ts`, '--devnet', net.file, ...args],
    stdin === undefined ? {} : { stdin },
  );
}

async function nodesJson(): Promise<{ probes: NodeProbe[]; stderr: string }> {
  const result = await run('cli', ['nodes', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return { probes: JSON.parse(result.stdout) as NodeProbe[], stderr: result.stderr };
}

describe.sequential('a generated devnet reached by name through its manifest', () => {
  beforeAll(async () => {
    net = await createTemplateDevnet(NODES);
    expect(net.template.nodes.map((n) => n.name)).toEqual(NAMES.slice(0, 5));
    launcher = processes.spawnScript([
      '--import',
      './src/devnet/orphan-guard.ts',
      'scripts/devnet.ts',
      '--devnet',
      net.file,
      '--nodes',
      String(NODES),
      '--no-ui',
    ]);
    await launcher.waitForStdout(/all 7 nodes up/, START_MS);
    pids = reportedNodePids(launcher.stdout());
    for (const pid of pids.values()) processes.track(pid);
  }, START_MS + 10_000);

  afterAll(async () => {
    await processes.killAll();
    await net?.remove();
  }, 60_000);

  it('runs every node with the memory settings of process-tuning.ts', async () => {
    for (const [name, pid] of pids) {
      const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      expect(args, name).toEqual(expect.arrayContaining([...NODE_V8_FLAGS]));
      const environ = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
      for (const [key, value] of Object.entries(NODE_ENV_TUNING)) {
        expect(environ, name).toContain(`${key}=${value}`);
      }
    }
  });

  it('cli nodes --json lists the seven running nodes, with their RPC and pid', async () => {
    // A node has 1 s to answer `cli nodes`; on busy cores one may miss it, so ask until all do.
    const probes = await waitFor(
      'cli nodes --json to list seven running nodes',
      async () => {
        const listed = await nodesJson();
        return listed.probes.filter((p) => p.running).length === NODES ? listed.probes : undefined;
      },
      30_000,
    );
    expect(probes.map((p) => p.name)).toEqual(NAMES);
    expect(probes.at(-1)).toMatchObject({
      name: 'node7',
      rpc: `http://127.0.0.1:${net.base + 20 + 6}`,
      pid: pids.get('node7'),
      peerId: expect.stringMatching(/^12D3KooW/),
    });

    // The manifest behind it: written atomically (no temporary file left), state running.
    const dataRoot = net.template.dataRoot;
    runningManifest = await readFile(manifestPathOf(dataRoot), 'utf8');
    const manifest = JSON.parse(runningManifest) as DevnetManifest;
    expect(manifest).toMatchObject({ state: 'running', launcher: { pid: launcher.pid } });
    expect(manifest.nodes.map((n) => [n.name, n.pid])).toEqual(NAMES.map((name) => [name, pids.get(name)]));
    expect((await readdir(dataRoot)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const table = await run('cli', ['nodes']);
    expect(table.stdout).toMatch(/node7\s+relay\s+http:\/\/127\.0\.0\.1:\d+\s+running/);
    expect(table.stdout).toMatch(/7-node devnet running: 7 of 7 nodes running \(launcher pid \d+/);
  }, 60_000);

  it('cli node7 status --json answers as node7', async () => {
    const result = await run('cli', ['node7', 'status', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const status = JSON.parse(result.stdout) as NodeStatus;
    expect(status).toMatchObject({ name: 'node7', network: 'devnet' });
    const manifest = JSON.parse(runningManifest) as DevnetManifest;
    expect(status.peerId).toBe(manifest.nodes.find((n) => n.name === 'node7')?.peerId);
  }, 60_000);

  it('the REPL opens on node7', async () => {
    const result = await run('repl', ['node7'], 'status\n');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/error:/);
    expect(result.stdout).toMatch(/node7 \(devnet\)/);
  }, 60_000);

  it('the attacker aims at every node, node6 and node7 included', async () => {
    const attacker = processes.spawnScript([
      '--import',
      './src/devnet/orphan-guard.ts',
      'scripts/attacker.ts',
      '--devnet',
      net.file,
      'invalid-signature',
    ]);
    const [line] = await attacker.waitForStdout(/dialing .*$/m, 60_000);
    expect(line).toBe(`dialing ${NAMES.join(', ')}`);
    attacker.process.kill('SIGINT');
    await attacker.exited;
  }, 90_000);

  it('after Ctrl-C, cli nodes shows none running and says no devnet runs', async () => {
    launcher.process.kill('SIGINT');
    const { code } = await launcher.exited;
    expect(code, launcher.output()).toBe(0);
    for (const [name, pid] of pids) expect(isAlive(pid), `${name} (pid ${pid}) still running`).toBe(false);

    const { probes, stderr } = await nodesJson();
    expect(probes.map((p) => p.name)).toEqual(NAMES);
    expect(probes.filter((p) => p.running)).toEqual([]);
    expect(stderr).toMatch(/^no devnet is running; the last 7-node devnet stopped at /);
    const manifest = JSON.parse(
      await readFile(manifestPathOf(net.template.dataRoot), 'utf8'),
    ) as DevnetManifest;
    expect(manifest.state).toBe('stopped');

    const table = await run('cli', ['nodes']);
    expect(table.stdout).toMatch(/node7\s+relay\s+http:\/\/127\.0\.0\.1:\d+\s+stopped/);
    expect(table.stdout).toContain('no devnet is running');
    // node7 is still known by name, and said to be down.
    const down = await run('cli', ['node7', 'status']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/node node7 is not running/);
  }, 60_000);

  it('a stale manifest (a killed launcher left it "running") shows every node as gone', async () => {
    await writeFile(manifestPathOf(net.template.dataRoot), runningManifest);
    const { probes, stderr } = await nodesJson();
    expect(probes.filter((p) => p.running)).toEqual([]);
    expect(stderr).toMatch(
      /^no devnet is running: its launcher pid \d+ is gone without stopping it \(stale /,
    );
    const table = await run('cli', ['nodes']);
    expect(table.stdout).toMatch(/node7\s+relay\s+http:\/\/127\.0\.0\.1:\d+\s+gone/);
  }, 60_000);
});
