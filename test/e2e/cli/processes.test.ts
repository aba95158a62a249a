/**
 * The CLI and the REPL as operators run them: child processes talking to an RPC server (serving
 * the in-memory FakeNodeApi) in this process.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { freePorts } from '../../../src/devnet/free-ports.js';
import { REPO_ROOT } from '../../../src/node/devnet-definitions.js';
import { type RpcServer, startRpcServer } from '../../../src/node/rpc/index.js';
import { FakeNodeApi, PEER_BAD, PEER_OK1 } from '../../unit/rpc/fake-node-api.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(script: 'cli' | 'repl', args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** A TCP port nobody listens on (outside the ephemeral range, so nothing takes it meanwhile). */
const freePort = async (): Promise<number> => (await freePorts(1))[0]!;

let dir: string;
let api: FakeNodeApi;
let server: RpcServer;
let rpcArgs: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trustmesh-cli-'));
  api = new FakeNodeApi();
  // The devnet file below puts alice's data dir at <dir>/data/alice, where this server writes its cookie.
  server = await startRpcServer({ api, dataDir: join(dir, 'data', 'alice'), port: 0 });
  rpcArgs = ['--rpc', server.url, '--cookie', server.cookiePath];
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('cli (child process)', () => {
  it('reputation --json prints the JSON array', async () => {
    const { code, stdout, stderr } = await run('cli', [...rpcArgs, 'reputation', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const entries = JSON.parse(stdout) as { peerId: string; state: string; score: number }[];
    expect(entries).toHaveLength(4);
    for (const e of entries)
      expect(e).toMatchObject({ peerId: expect.any(String), state: expect.any(String) });
    expect(entries.find((e) => e.peerId === PEER_BAD)).toMatchObject({ state: 'quarantined', score: -100 });
  });

  it('reputation prints a table, worst first, without colour when piped', async () => {
    const { code, stdout } = await run('cli', [...rpcArgs, 'reputation']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PEER\s+STATE\s+SCORE/);
    expect(lines[1]).toMatch(/^12D3KooWQx7bR1…\s+quarantined\s+-100\s+2\s+INVALID_SIGNATURE/);
    expect(lines).toHaveLength(5);
    expect(stdout).not.toContain('\x1b[');
  });

  it('exit codes: 2 for usage, 1 for node errors, one line on stderr', async () => {
    const [usage, unknownPeer, down] = await Promise.all([
      run('cli', [...rpcArgs, 'mine', 'lots']),
      run('cli', [...rpcArgs, 'why', 'zzz']),
      run('cli', ['--rpc', `http://127.0.0.1:${await freePort()}`, '--cookie', server.cookiePath, 'status']),
    ]);
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(usage.stderr).toMatch(/^error: invalid <n> 'lots'.*\n$/);
    expect(unknownPeer.code).toBe(1);
    expect(unknownPeer.stderr).toBe(
      "error: no known peer id starts with 'zzz' (see `reputation` or `peers`)\n",
    );
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /^error: no node is running at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)\n$/,
    );
  });

  it('nodes --json: running (authenticated status within 1 s) or not', async () => {
    const devnetFile = join(dir, 'devnet.json');
    const node = (name: string, i: number, rpcPort: number) => ({
      name,
      roles: [i === 0 ? 'miner' : 'relay'],
      p2pPort: 47_100 + i,
      rpcPort,
      metricsPort: 49_100 + i,
      peers: i === 0 ? [] : ['alice'],
      devAccount: i + 1,
    });
    const json = {
      network: 'devnet',
      dataRoot: join(dir, 'data'),
      nodes: [node('alice', 0, server.port), node('bob', 1, await freePort())],
    };
    await writeFile(devnetFile, JSON.stringify(json));
    await mkdir(join(dir, 'data', 'bob'), { recursive: true });

    const { code, stdout } = await run('cli', ['nodes', '--json', '--devnet', devnetFile]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      {
        name: 'alice',
        roles: ['miner'],
        rpc: server.url,
        running: true,
        height: 42,
        peerId: expect.stringMatching(/^12D3KooW/),
        peers: 3,
        quarantined: 1,
      },
      { name: 'bob', roles: ['relay'], rpc: `http://127.0.0.1:${json.nodes[1]!.rpcPort}`, running: false },
    ]);

    // The same devnet by node name, in process (fast): alice answers, bob is not running.
    const out = { stdout: '', stderr: '' };
    const io = {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      env: {},
    };
    expect(await runCli(['--devnet', devnetFile, 'alice', 'why', '12D3KooWAb'], io)).toBe(0);
    expect(out.stdout).toContain(`Peer ${PEER_OK1}`);
    expect(await runCli(['--devnet', devnetFile, 'bob', 'status'], io)).toBe(1);
    expect(out.stderr).toMatch(/error: node bob is not running \(no RPC cookie at .*rpc\.cookie\)\n$/);
    expect(await runCli(['--devnet', devnetFile, 'carol', 'status'], io)).toBe(2);
    expect(out.stderr).toContain("unknown node 'carol' (nodes: alice, bob)");
  });
});

describe('repl (child process, piped stdin)', () => {
  it('runs commands line by line, keeps going after an error, exits 0 at EOF', async () => {
    const input = [
      'status',
      'why 12D3KooWQ',
      'reputation',
      'frobnicate',
      'ban 12D3KooWAb 5 "spam blocks"',
      '',
    ].join('\n');
    const { code, stdout, stderr } = await run('repl', rpcArgs, input);
    expect(code).toBe(0);
    // status
    expect(stdout).toMatch(/alice \(devnet\)\s+12D3KooWSelf/);
    expect(stdout).toMatch(/height\s+42/);
    // why: offence kind and evidence
    expect(stdout).toContain(`Peer ${PEER_BAD}`);
    expect(stdout).toMatch(
      /INVALID_SIGNATURE\s+110\s+-100\s+tx 9f2c7d01 TX_BAD_SIGNATURE: input 0 signature does not verify/,
    );
    // reputation rows
    expect(stdout).toMatch(/12D3KooWQx7bR1…\s+quarantined\s+-100/);
    expect(stdout).toMatch(/12D3KooWLs3pYv…\s+throttled\s+-25/);
    expect(stdout).toMatch(/12D3KooWAb9cKp…\s+healthy\s+4\.5/);
    // the error, then the next command still ran
    expect(stderr).toBe("error: unknown command 'frobnicate'; try `help`\n");
    expect(api.calls.at(-1)).toEqual({ method: 'ban', args: [PEER_OK1, 300_000, 'spam blocks'] });
    expect(stdout.indexOf('Peer ')).toBeLessThan(stdout.indexOf('PEER '));
  });
});
