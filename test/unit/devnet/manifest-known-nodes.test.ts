/**
 * Name resolution with a manifest (src/devnet/known-nodes.ts), the `cli nodes` summary line
 * (src/cli/nodes.ts) and the generated devnet's layout from a template (src/devnet/prepare.ts):
 * a live launch's nodes come first, a stopped one only adds names, and the summary says plainly
 * whether a devnet runs.
 */
import { describe, expect, it } from 'vitest';
import { describeDevnet, type NodeReport } from '../../../src/cli/nodes.js';
import { type KnownNodes, mergeKnownNodes } from '../../../src/devnet/known-nodes.js';
import { buildManifest, type DevnetManifest, type LaunchState } from '../../../src/devnet/manifest.js';
import { resolveDevnet } from '../../../src/devnet/prepare.js';
import { generateDevnet, loadDevnet, REPO_ROOT } from '../../../src/node/devnet-definitions.js';

const definitions = loadDevnet('nodes/devnet.json', REPO_ROOT);
/** A 7-node launch in the same data root, its RPC ports moved so the two sources differ. */
const launched = generateDevnet(7, 2, { dataRoot: definitions.dataRoot });
const launchedDevnet = {
  ...launched,
  nodes: launched.nodes.map((n) => ({ ...n, rpcPort: n.rpcPort + 1_000 })),
};

function manifestOf(state: LaunchState): DevnetManifest {
  return buildManifest({
    state,
    devnet: launchedDevnet,
    definitions: `${definitions.dataRoot}/devnet.json`,
    launcher: { pid: 4_000, startedAt: Date.UTC(2026, 0, 1, 12) },
    nodes: launchedDevnet.nodes.map((def, i) => ({ def, pid: 5_000 + i, peerId: `12D3KooWPeer${i}` })),
    now: Date.UTC(2026, 0, 1, 13),
  });
}

describe('mergeKnownNodes', () => {
  it('without a manifest: the definitions, as before', () => {
    const nodes = mergeKnownNodes(definitions, null);
    expect(nodes.map((n) => n.name)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    expect(nodes[0]).toEqual({
      name: 'alice',
      roles: ['miner'],
      rpc: 'http://127.0.0.1:8101',
      cookiePath: `${definitions.dataRoot}/alice/rpc.cookie`,
    });
  });

  it('a live launch: its nodes first, with the pid and peer id to check', () => {
    for (const state of ['starting', 'running'] as const) {
      const nodes = mergeKnownNodes(definitions, manifestOf(state));
      expect(nodes.map((n) => n.name)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'node6', 'node7']);
      expect(nodes.find((n) => n.name === 'alice')).toMatchObject({
        rpc: 'http://127.0.0.1:9101',
        pid: 5_000,
      });
      expect(nodes.find((n) => n.name === 'node7')).toEqual({
        name: 'node7',
        roles: ['relay'],
        rpc: 'http://127.0.0.1:9107',
        cookiePath: `${definitions.dataRoot}/node7/rpc.cookie`,
        pid: 5_006,
        peerId: '12D3KooWPeer6',
      });
    }
  });

  it('a stopped launch: the definitions win, the manifest adds its other names, no pids', () => {
    const nodes = mergeKnownNodes(definitions, manifestOf('stopped'));
    expect(nodes.map((n) => n.name)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'node6', 'node7']);
    expect(nodes.find((n) => n.name === 'alice')).toMatchObject({ rpc: 'http://127.0.0.1:8101' });
    expect(nodes.find((n) => n.name === 'node7')).toMatchObject({ rpc: 'http://127.0.0.1:9107' });
    expect(nodes.some((n) => n.pid !== undefined)).toBe(false);
  });

  it('a manifest with fewer nodes than the definitions keeps the definitions’ other names', () => {
    const small = generateDevnet(2, 1, { dataRoot: definitions.dataRoot });
    const manifest = buildManifest({
      state: 'running',
      devnet: small,
      definitions: '/x.json',
      launcher: { pid: 1, startedAt: 1 },
      nodes: small.nodes.map((def) => ({ def, pid: 7 })),
      now: 1,
    });
    const nodes = mergeKnownNodes(definitions, manifest);
    expect(nodes.map((n) => [n.name, n.pid])).toEqual([
      ['alice', 7],
      ['bob', 7],
      ['carol', undefined],
      ['dave', undefined],
      ['erin', undefined],
    ]);
  });
});

describe('describeDevnet', () => {
  const known = (manifest: DevnetManifest | null, problem?: string): KnownNodes => ({
    nodes: mergeKnownNodes(definitions, manifest),
    manifest,
    manifestPath: '/data/devnet-manifest.json',
    ...(problem === undefined ? {} : { problem }),
  });
  const reports = (running: number, total = 7): NodeReport[] =>
    Array.from({ length: total }, (_, i) => ({
      probe: { name: `n${i}`, roles: ['relay'], rpc: 'http://127.0.0.1:1', running: i < running },
      liveness: i < running ? { running: true } : { running: false, state: 'gone' },
    }));
  const alive = () => true;
  const dead = () => false;

  it('says when no devnet is running, and why', () => {
    expect(describeDevnet(known(null), reports(0, 5), alive)).toBe(
      'no devnet is running (start one: npm run devnet)',
    );
    expect(describeDevnet(known(manifestOf('stopped')), reports(0), alive)).toMatch(
      /^no devnet is running; the last 7-node devnet stopped at 2026-01-01 \d\d:00:00$/,
    );
    expect(describeDevnet(known(manifestOf('running')), reports(0), dead)).toBe(
      'no devnet is running: its launcher pid 4000 is gone without stopping it (stale /data/devnet-manifest.json)',
    );
    expect(describeDevnet(known(null, 'm.json: not valid JSON'), reports(0, 5), alive)).toBe(
      'no devnet is running (start one: npm run devnet) (ignored the manifest: m.json: not valid JSON)',
    );
  });

  it('says how many nodes of a live launch run', () => {
    expect(describeDevnet(known(manifestOf('running')), reports(7), alive)).toMatch(
      /^7-node devnet running: 7 of 7 nodes running \(launcher pid 4000, since 2026-01-01 \d\d:00:00\)$/,
    );
    expect(describeDevnet(known(manifestOf('starting')), reports(3), alive)).toMatch(
      /^7-node devnet starting: 3 of 7 nodes running/,
    );
    expect(describeDevnet(known(null), reports(2, 5), alive)).toBe(
      '2 of 5 nodes running, not started by a devnet launcher',
    );
  });
});

describe('resolveDevnet with --nodes', () => {
  it('lays a generated devnet out from the default file: its data root, ports from 7101/8101/9101', () => {
    const resolved = resolveDevnet({ nodes: 7 });
    expect(resolved).toMatchObject({ generated: true, isDefault: true });
    expect(resolved.cliFile).toBe(`${REPO_ROOT}nodes/devnet.json`);
    expect(resolved.file).toBe(`${definitions.dataRoot}/devnet.json`);
    expect(resolved.devnet.dataRoot).toBe(definitions.dataRoot);
    expect(resolved.devnet.nodes.map((n) => [n.name, n.p2pPort, n.rpcPort, n.metricsPort])).toEqual(
      generateDevnet(7).nodes.map((n) => [n.name, n.p2pPort, n.rpcPort, n.metricsPort]),
    );
    expect(resolved.devnet.nodes.at(-1)).toMatchObject({ name: 'node7', rpcPort: 8107 });
  });
});
