/**
 * The devnet status view shows each node's outbound connections against its discovery target, its
 * inbound connections and a suspected partition, in the terminal table and the plain lines.
 */
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../../src/cli/format.js';
import { type DashboardModel, renderDashboard, renderPlainStatus } from '../../../src/devnet/status-view.js';
import type { NodeStatus } from '../../../src/node/api.js';

const NOW = Date.UTC(2026, 11, 3, 12, 0, 5);

function status(name: string, extra: Partial<NodeStatus>): NodeStatus {
  return {
    name,
    network: 'devnet',
    peerId: `12D3KooW${name}`,
    listen: [],
    height: 42,
    tip: '0000ab12cd34ef56',
    tipTimestamp: NOW,
    peers: 7,
    mempool: 0,
    mempoolBytes: 0,
    quarantined: 0,
    mining: false,
    txPerSec: 0,
    uptimeMs: 60_000,
    ...extra,
  };
}

const model: DashboardModel = {
  network: 'devnet',
  startedAt: NOW - 60_000,
  now: NOW,
  hints: [],
  events: [],
  load: null,
  nodes: [
    {
      name: 'alice',
      roles: ['miner'],
      process: 'running',
      outboundTarget: 5,
      poll: {
        status: status('alice', {
          outbound: 5,
          inbound: 3,
          partitionSuspected: false,
          partitionReason: null,
        }),
        quarantined: 0,
        updatedAt: NOW,
      },
    },
    {
      name: 'bob',
      roles: ['relay'],
      process: 'running',
      outboundTarget: 5,
      poll: {
        status: status('bob', {
          outbound: 2,
          inbound: 0,
          partitionSuspected: true,
          partitionReason: 'stale-tip',
        }),
        quarantined: 0,
        updatedAt: NOW,
      },
    },
    {
      name: 'carol',
      roles: ['relay'],
      process: 'running',
      poll: { status: status('carol', { outbound: 2, inbound: 1 }), quarantined: 0, updatedAt: NOW },
    },
  ],
};

describe('devnet status view', () => {
  it('the table has OUT (against the target), IN and PARTITION columns', () => {
    const lines = renderDashboard(model, PLAIN, { columns: 200, rows: 30 });
    const header = lines.find((l) => l.startsWith('NODE'))!;
    expect(header).toMatch(/\bOUT\s+IN\s+PARTITION\b/);
    expect(lines.find((l) => l.startsWith('alice'))).toMatch(/\s5\/5\s+3\s+no\s/);
    expect(lines.find((l) => l.startsWith('bob'))).toMatch(/\s2\/5\s+0\s+SUSPECTED \(stale-tip\)\s/);
    // A node with static peers only has no target: its outbound count alone.
    expect(lines.find((l) => l.startsWith('carol'))).toMatch(/\s2\s+1\s+-\s/);
  });

  it('the plain lines say out/target, in, and the suspected partition', () => {
    const [alice, bob, carol] = renderPlainStatus(model);
    expect(alice).toMatch(/alice\s+up\s+height 42 .* out 5\/5 {2}in 3 .* not mining$/);
    expect(bob).toMatch(/out 2\/5 {2}in 0 .* partition SUSPECTED \(stale-tip\)$/);
    expect(carol).toMatch(/out 2 {2}in 1 /);
  });
});
