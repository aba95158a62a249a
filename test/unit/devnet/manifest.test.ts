/**
 * The devnet manifest's format and liveness rule (src/devnet/manifest.ts): what the launcher
 * records survives a JSON round trip, a damaged file is refused with the field named, and a node
 * runs only when its recorded process is alive and its RPC answers as that node.
 */
import { describe, expect, it } from 'vitest';
import {
  buildManifest,
  type DevnetManifest,
  judgeLiveness,
  MANIFEST_VERSION,
  ManifestError,
  parseManifest,
} from '../../../src/devnet/manifest.js';
import { generateDevnet } from '../../../src/node/devnet-definitions.js';

const devnet = generateDevnet(7, 2, { dataRoot: '/tmp/trustmesh-manifest-test' });
const launcher = { pid: 4_000, startedAt: 1_700_000_000_000 };

function manifestOf(state: 'starting' | 'running' | 'stopped'): DevnetManifest {
  return buildManifest({
    state,
    devnet,
    definitions: '/tmp/trustmesh-manifest-test/devnet.json',
    launcher,
    nodes: devnet.nodes.map((def, i) => ({ def, pid: 5_000 + i, peerId: `12D3KooWPeer${i}` })),
    now: 1_700_000_060_000,
  });
}

/** The manifest as the CLI reads it: serialized, parsed, validated. */
function roundTrip(manifest: unknown): DevnetManifest {
  return parseManifest(JSON.parse(JSON.stringify(manifest)), 'devnet-manifest.json');
}

describe('buildManifest / parseManifest', () => {
  it('records every node with its RPC, cookie, pid and peer id, and survives a round trip', () => {
    const manifest = manifestOf('running');
    expect(manifest).toMatchObject({ version: MANIFEST_VERSION, state: 'running', launcher });
    expect(manifest.nodes.map((n) => n.name)).toEqual([
      'alice',
      'bob',
      'carol',
      'dave',
      'erin',
      'node6',
      'node7',
    ]);
    expect(manifest.nodes[6]).toEqual({
      name: 'node7',
      roles: ['relay'],
      rpc: 'http://127.0.0.1:8107',
      cookie: '/tmp/trustmesh-manifest-test/node7/rpc.cookie',
      dataDir: '/tmp/trustmesh-manifest-test/node7',
      p2pPort: 7107,
      metricsPort: 9107,
      pid: 5_006,
      peerId: '12D3KooWPeer6',
    });
    expect(roundTrip(manifest)).toEqual(manifest);
  });

  it('a stopped launch keeps the nodes and peer ids but no pids', () => {
    const stopped = manifestOf('stopped');
    expect(stopped.nodes).toHaveLength(7);
    expect(stopped.nodes.every((n) => n.pid === undefined && n.peerId !== undefined)).toBe(true);
    expect(roundTrip(stopped)).toEqual(stopped);
  });

  it('a node not yet spawned has neither pid nor peer id', () => {
    const starting = buildManifest({
      state: 'starting',
      devnet,
      definitions: '/x/devnet.json',
      launcher,
      nodes: devnet.nodes.map((def) => ({ def })),
      now: 1,
    });
    expect(roundTrip(starting).nodes[0]).not.toHaveProperty('pid');
    expect(roundTrip(starting).nodes[0]).not.toHaveProperty('peerId');
  });

  it.each([
    ['not an object', [], /\(root\): expected an object/],
    ['another version', { ...manifestOf('running'), version: 2 }, /version: expected 1, got 2/],
    ['an unknown state', { ...manifestOf('running'), state: 'paused' }, /state: expected one of/],
    ['no launcher pid', { ...manifestOf('running'), launcher: { startedAt: 1 } }, /launcher\.pid/],
    [
      'a node RPC elsewhere than 127.0.0.1',
      {
        ...manifestOf('running'),
        nodes: [{ ...manifestOf('running').nodes[0], rpc: 'http://10.0.0.1:8101' }],
      },
      /nodes\[0\]\.rpc: expected http:\/\/127\.0\.0\.1:<port>/,
    ],
    [
      'a name twice',
      { ...manifestOf('running'), nodes: [manifestOf('running').nodes[0], manifestOf('running').nodes[0]] },
      /nodes\[1\]\.name: 'alice' appears twice/,
    ],
    [
      'a negative pid',
      { ...manifestOf('running'), nodes: [{ ...manifestOf('running').nodes[0], pid: -1 }] },
      /nodes\[0\]\.pid: expected a positive integer/,
    ],
    [
      'an unknown role',
      { ...manifestOf('running'), nodes: [{ ...manifestOf('running').nodes[0], roles: ['king'] }] },
      /nodes\[0\]\.roles/,
    ],
  ])('refuses %s, naming the field', (_what, json, message) => {
    expect(() => parseManifest(json, 'm.json')).toThrow(ManifestError);
    expect(() => parseManifest(json, 'm.json')).toThrow(message);
  });
});

describe('judgeLiveness', () => {
  const recorded = { name: 'node7', pid: 5_006, peerId: '12D3KooWPeer6' };
  const answer = { name: 'node7', peerId: '12D3KooWPeer6' };

  it('running: the recorded process is alive and its RPC answers as the node', () => {
    expect(judgeLiveness(recorded, { pidAlive: true, answer })).toEqual({ running: true });
  });

  it('a stale manifest: the recorded process is gone, whatever answers on the port', () => {
    expect(judgeLiveness(recorded, { pidAlive: false })).toEqual({ running: false, state: 'gone' });
    expect(judgeLiveness(recorded, { pidAlive: false, answer })).toEqual({ running: false, state: 'gone' });
  });

  it('a reused pid: the process exists but no node answers, or another node does', () => {
    expect(judgeLiveness(recorded, { pidAlive: true })).toEqual({ running: false, state: 'not answering' });
    expect(judgeLiveness(recorded, { pidAlive: true, answer: { ...answer, name: 'alice' } })).toEqual({
      running: false,
      state: 'impostor',
    });
    expect(
      judgeLiveness(recorded, { pidAlive: true, answer: { ...answer, peerId: '12D3KooWOther' } }),
    ).toEqual({ running: false, state: 'impostor' });
  });

  it('no recorded pid (definitions, stopped manifest): the RPC answer with the right name decides', () => {
    expect(judgeLiveness({ name: 'alice' }, { answer: { name: 'alice', peerId: 'x' } })).toEqual({
      running: true,
    });
    expect(judgeLiveness({ name: 'alice' }, {})).toEqual({ running: false, state: 'stopped' });
    expect(judgeLiveness({ name: 'alice' }, { answer: { name: 'bob', peerId: 'x' } })).toEqual({
      running: false,
      state: 'impostor',
    });
  });
});
