/**
 * The devnet as a user drives it, with real processes and real TCP on loopback: `scripts/devnet.ts`
 * starts five node processes (a temp definitions file, ports above 17100, a temp data root), each
 * on its own 127.N.0.1 and given only one or two bootstrap nodes, that find the rest by discovery; the
 * CLI sends a payment that another node sees confirmed; `scripts/attacker.ts` runs an
 * invalid-signature attacker that an honest node quarantines with evidence; the REPL runs piped
 * commands; RPC refuses bad cookies; a second launcher and `--reset` are refused while the devnet
 * runs; SIGINT stops every node process and a restart resumes the chain.
 *
 * The steps share one devnet and run in order (each needs the state the previous one left).
 */

import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BalanceInfo, PeerReport, ReputationEntry, TxJson } from '../../src/node/api.js';
import {
  discoveredPeers,
  honestOffences,
  meetsTargets,
  nodeConnections,
  type WatchedNode,
} from '../../src/devnet/discovery-watch.js';
import { dataDirOf, devnetOutboundTargets, rpcUrlOf } from '../../src/node/devnet-definitions.js';
import {
  type Child,
  createTempDevnet,
  isAlive,
  Processes,
  reportedNodePids,
  rpcClient,
  type TempDevnet,
  waitFor,
} from './helpers.js';

/** Launcher start: five tsx processes on two busy cores (unit: ms). */
const START_MS = 120_000;
/** Waits for the network to do something: blocks, relay, quarantine (unit: ms). */
const NETWORK_MS = 60_000;

const processes = new Processes();
let net: TempDevnet;
let launcher: Child;

/** Starts `scripts/devnet.ts` on the temp devnet; resolves once all nodes are up. */
async function startLauncher(...extra: string[]): Promise<Child> {
  const child = processes.spawnScript([
    '--import',
    './src/devnet/orphan-guard.ts',
    'scripts/devnet.ts',
    '--devnet',
    net.file,
    '--no-ui',
    ...extra,
  ]);
  await child.waitForStdout(/all 5 nodes up/, START_MS);
  for (const pid of reportedNodePids(child.stdout()).values()) processes.track(pid);
  return child;
}

/** `npx tsx src/cli/cli.ts --devnet <file> <args> --json`, parsed. */
async function cliJson<T>(...args: string[]): Promise<T> {
  const result = await processes.run(['tsx', 'src/cli/cli.ts', '--devnet', net.file, ...args, '--json'], {
    command: 'npx',
  });
  if (result.code !== 0) throw new Error(`cli ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

async function heights(): Promise<Map<string, { height: number; tip: string }>> {
  const statuses = await Promise.all(net.devnet.nodes.map((def) => rpcClient(def).call('status')));
  return new Map(statuses.map((s) => [s.name, { height: s.height, tip: s.tip }]));
}

function post(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'status', params: [] });
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } });
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.end(body);
  });
}

describe.sequential('devnet end to end', () => {
  beforeAll(async () => {
    net = await createTempDevnet();
    launcher = await startLauncher();
  }, START_MS + 10_000);

  afterAll(async () => {
    await processes.killAll();
    await net?.remove();
  }, 60_000);

  it(
    'starts five node processes that mine and agree on one chain',
    async () => {
      expect(launcher.stdout().split('\n')[0]).toMatch(
        /npm run repl -- .*alice.*npm run cli -- .*alice status/,
      );
      expect(reportedNodePids(launcher.stdout()).size).toBe(5);
      const agreed = await waitFor(
        'all five nodes at the same height > 0',
        async () => {
          const all = [...(await heights()).values()];
          const first = all[0]!;
          return first.height > 0 && all.every((h) => h.height === first.height && h.tip === first.tip)
            ? first
            : undefined;
        },
        NETWORK_MS,
        300,
      );
      expect(agreed.height).toBeGreaterThan(0);
      // The launcher's plain view shows the mining in its event feed and status lines.
      await launcher.waitForStdout(/alice\s+up\s+height \d+.*\bmining\b/, 15_000);
      expect(launcher.stdout()).toMatch(/(alice|carol)\s+mined block \d+/);
    },
    NETWORK_MS + 30_000,
  );

  it(
    'each node listens on its own 127.N.0.1, finds peers it was not given and meets its outbound targets',
    async () => {
      const statuses = await Promise.all(net.devnet.nodes.map((def) => rpcClient(def).call('status')));
      const nodes: WatchedNode[] = net.devnet.nodes.map((def, i) => ({
        def,
        rpc: rpcClient(def),
        peerId: statuses[i]!.peerId,
      }));
      const byName = new Map(nodes.map((n) => [n.def.name, n]));
      net.devnet.nodes.forEach((def, i) => {
        expect(def.host).toBe(`127.${i + 1}.0.1`);
        expect(def.peers).toEqual([]);
        expect(statuses[i]!.listen.some((a) => a.startsWith(`/ip4/${def.host}/tcp/${def.p2pPort}`))).toBe(
          true,
        );
      });
      const count = nodes.length;
      const settled = await waitFor(
        'every node at its outbound targets with a peer it was not given',
        async () => {
          const all = await Promise.all(nodes.map((n) => nodeConnections(n)));
          return all.every(
            (c, i) => meetsTargets(c, count) && discoveredPeers(nodes[i]!, c, byName).length > 0,
          )
            ? all
            : undefined;
        },
        NETWORK_MS,
      );
      const targets = devnetOutboundTargets(count);
      settled.forEach((c, i) => {
        const node = nodes[i]!;
        // More peers than it was given, each in its own /16 (its own netgroup), none on 127.0.x.x.
        expect(c.peerIds.length, c.name).toBeGreaterThan(node.def.bootstrap.length);
        expect(c.fullRelay + c.blockRelay).toBeGreaterThanOrEqual(
          targets.outboundFullRelay + targets.blockRelayOnly,
        );
        const groups = c.netgroups;
        expect(
          groups.every((g) => /^ipv4:127\.[1-9]\d*$/.test(g)),
          groups.join(),
        ).toBe(true);
        expect(new Set(groups).size, groups.join()).toBe(groups.length);
      });
      // No honest node quarantined another on the way.
      const quarantines = (await honestOffences(nodes)).filter((o) => o.state === 'quarantined');
      expect(quarantines).toEqual([]);
      // The launcher's status lines show outbound against target and inbound.
      const outbound = targets.outboundFullRelay + targets.blockRelayOnly;
      await launcher.waitForStdout(
        new RegExp(`alice\\s+up\\s+height \\d+.*out \\d+/${outbound}\\s+in \\d+`),
        15_000,
      );
    },
    NETWORK_MS + 30_000,
  );

  it(
    'a payment sent with the CLI on alice is confirmed on carol',
    async () => {
      const bob = await cliJson<BalanceInfo>('bob', 'balance');
      expect(bob.address).toMatch(/^[0-9a-f]{40}$/);
      const { txid } = await cliJson<{ txid: string }>('alice', 'send', bob.address, '1');
      expect(txid).toMatch(/^[0-9a-f]{64}$/);
      await waitFor(
        `tx ${txid} in a block on carol`,
        async () => {
          const tx = await rpcClient(net.node('carol')).call('tx', [txid]);
          return 'blockId' in tx.status ? tx : undefined;
        },
        NETWORK_MS,
      );
      const seen = await cliJson<TxJson>('carol', 'tx', txid);
      expect(seen.status).toMatchObject({ blockId: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(seen.outputs).toContainEqual({ address: bob.address, amount: '100000000' });
    },
    NETWORK_MS + 30_000,
  );

  it(
    'an invalid-signature attacker is quarantined by an honest node, with evidence and a log line',
    async () => {
      const attacker = processes.spawnScript([
        '--import',
        './src/devnet/orphan-guard.ts',
        'scripts/attacker.ts',
        '--devnet',
        net.file,
        'invalid-signature',
      ]);
      const [, peerId] = await attacker.waitForStdout(/attacker peer id (12D3KooW\w+)/, START_MS);
      expect(attacker.stdout()).toContain(`why ${peerId!.slice(0, 16)}`);

      const judge = await waitFor(
        'an honest node that quarantined the attacker',
        async () => {
          for (const def of net.devnet.nodes) {
            const entries = await rpcClient(def).call('reputation');
            if (entries.some((e) => e.peerId === peerId && e.state === 'quarantined')) return def;
          }
          return undefined;
        },
        NETWORK_MS,
      );
      const reputation = await cliJson<ReputationEntry[]>(judge.name, 'reputation');
      expect(reputation.find((e) => e.peerId === peerId)).toMatchObject({ state: 'quarantined' });

      const report = await cliJson<PeerReport>(judge.name, 'why', peerId!.slice(0, 16));
      expect(report.peerId).toBe(peerId);
      const offence = report.history.find((o) => o.kind === 'INVALID_SIGNATURE');
      expect(offence, JSON.stringify(report.history)).toBeDefined();
      expect(offence!.evidence).toMatch(/signature/i);

      const log = await waitFor(
        `the quarantine line in ${judge.name}'s node.log`,
        async () => {
          const text = await readFile(join(dataDirOf(judge), 'node.log'), 'utf8');
          return text.includes(`"msg":"quarantined ${peerId}`) ? text : undefined;
        },
        10_000,
      );
      const line = log.split('\n').find((l) => l.includes(`"msg":"quarantined ${peerId}`))!;
      expect(JSON.parse(line)).toMatchObject({ peer: peerId, kind: 'INVALID_SIGNATURE', level: 40 });

      // The launcher's feed and the attacker's own output tell the same story.
      await launcher.waitForStdout(new RegExp(`QUARANTINED ${peerId!.slice(0, 14)}`), 10_000);
      await attacker.waitForStdout(/>> \w+: QUARANTINED the attacker/, 15_000);

      attacker.process.kill('SIGINT');
      const { code } = await attacker.exited;
      expect(code, attacker.output()).toBe(0);
      expect(attacker.stdout()).toContain('attacker stopped');
    },
    START_MS + NETWORK_MS,
  );

  it('the REPL runs commands piped to its stdin', async () => {
    const result = await processes.run(['tsx', 'src/cli/repl.ts', '--devnet', net.file, 'alice'], {
      command: 'npx',
      stdin: 'status\nreputation\nquarantined\n',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/error:/);
    expect(result.stdout).toMatch(/alice \(devnet\)/);
    expect(result.stdout).toMatch(/height\s+\d+/);
    expect(result.stdout).toMatch(/PEER\s+STATE\s+SCORE/);
    expect(result.stdout).toMatch(/quarantined|no peer is quarantined/);
  }, 60_000);

  it('RPC refuses a missing and a wrong cookie with HTTP 401', async () => {
    const url = rpcUrlOf(net.node('alice'));
    expect(await post(url, {})).toBe(401);
    const wrong = Buffer.from('__cookie__:not-the-password').toString('base64');
    expect(await post(url, { Authorization: `Basic ${wrong}` })).toBe(401);
    // The right cookie works (so the 401s are about the credentials).
    expect((await rpcClient(net.node('alice')).call('status')).name).toBe('alice');
  });

  it('refuses a second launcher and --reset while the devnet runs', async () => {
    const second = await processes.run(['scripts/devnet.ts', '--devnet', net.file, '--no-ui']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /refusing to start the devnet: alice, bob, carol, dave, erin are already running/,
    );
    const reset = await processes.run(['scripts/devnet.ts', '--devnet', net.file, '--no-ui', '--reset']);
    expect(reset.code).toBe(1);
    expect(reset.stderr).toMatch(/refusing to reset/);
    expect((await rpcClient(net.node('bob')).call('status')).height).toBeGreaterThan(0);
  }, 60_000);

  it(
    'SIGINT stops every node process; a restart (with --tx-rate) resumes at the same or a greater height',
    async () => {
      const pids = reportedNodePids(launcher.stdout());
      expect([...pids.values()].every(isAlive)).toBe(true);
      const before = await heights();
      launcher.process.kill('SIGINT');
      const { code } = await launcher.exited;
      expect(code, launcher.output()).toBe(0);
      expect(launcher.stdout()).toMatch(/stopped 5 nodes at height \d+; state kept in/);
      for (const [name, pid] of pids) expect(isAlive(pid), `${name} (pid ${pid}) still running`).toBe(false);
      for (const def of net.devnet.nodes) {
        await expect(rpcClient(def).call('status')).rejects.toThrow(/not running|closed the connection/);
      }

      launcher = await startLauncher('--tx-rate', '2');
      const after = await heights();
      for (const [name, { height }] of before) {
        expect(after.get(name)!.height, `${name} resumed`).toBeGreaterThanOrEqual(height);
      }
      const [, resumed] = launcher.stdout().match(/alice\s+started at height (\d+)/) ?? [];
      expect(Number(resumed)).toBeGreaterThanOrEqual(before.get('alice')!.height);

      // --tx-rate: payments flow through every node's RPC send.
      await launcher.waitForStdout(/load 2 tx\/s round-robin · [1-9]\d* sent · 0 failed/, 20_000);
    },
    START_MS + 60_000,
  );
});
