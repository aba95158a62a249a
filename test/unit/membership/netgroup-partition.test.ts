import { multiaddr } from '@multiformats/multiaddr';
import { describe, expect, it } from 'vitest';
import { ChainSyncEviction } from '../../../src/p2p/membership/chain-sync-eviction.js';
import {
  netgroupFunction,
  netgroupIpv4Slash16,
  netgroupOfAddr,
  netgroupWholeAddress,
} from '../../../src/p2p/membership/netgroup.js';
import { PartitionDetector } from '../../../src/p2p/membership/partition-detector.js';

describe('netgroups', () => {
  it('groups IPv4 by /16 and IPv6 by /32, mapped IPv4 as IPv4', () => {
    expect(netgroupIpv4Slash16('127.5.0.1')).toBe('ipv4:127.5');
    expect(netgroupIpv4Slash16('127.5.200.9')).toBe('ipv4:127.5');
    expect(netgroupIpv4Slash16('2001:db8:1::1')).toBe('ipv6:2001:db8');
    expect(netgroupIpv4Slash16('::ffff:10.1.2.3')).toBe('ipv4:10.1');
    expect(netgroupIpv4Slash16('not an ip')).toBe('unroutable');
    expect(netgroupWholeAddress('127.5.0.1')).toBe('ip:127.5.0.1');
    expect(netgroupWholeAddress('::1')).toBe('ip:0:0:0:0:0:0:0:1');
    const group = netgroupFunction('ipv4-16');
    expect(netgroupOfAddr(multiaddr('/ip4/127.9.0.1/tcp/1'), group)).toBe('ipv4:127.9');
    expect(netgroupOfAddr(multiaddr('/dns4/example.org/tcp/1'), group)).toBe('unroutable');
  });
});

describe('PartitionDetector', () => {
  const base = {
    targetSpacingMs: 1_000,
    connected: 3,
    outbound: 2,
    peersAhead: 0,
    suspectPeers: 0,
    lastTipChangeAt: 0,
    tipEverChanged: true,
    expectsOutbound: true,
  };

  it('reports no-peers, no-outbound-peers, peers-ahead and stale-tip, first match wins', () => {
    const d = new PartitionDetector({ noOutboundMs: 100, staleIntervals: 6, staleTipIntervals: 3 });
    expect(d.update({ ...base, now: 10 }).suspected).toBe(false);
    expect(d.update({ ...base, now: 3_000 }).staleTip).toBe(true);
    expect(d.update({ ...base, now: 6_000 }).reason).toBe('stale-tip');
    // A network where nobody has mined since we started is quiet, not partitioned.
    expect(d.update({ ...base, now: 6_000, tipEverChanged: false }).suspected).toBe(false);
    expect(d.update({ ...base, now: 6_000, peersAhead: 2 }).reason).toBe('peers-ahead');
    d.update({ ...base, now: 6_000, lastTipChangeAt: 6_000, outbound: 0 });
    expect(d.status.suspected).toBe(false);
    expect(d.update({ ...base, now: 6_100, lastTipChangeAt: 6_000, outbound: 0 }).reason).toBe(
      'no-outbound-peers',
    );
    d.update({ ...base, now: 6_100, lastTipChangeAt: 6_000, outbound: 0, connected: 0 });
    const status = d.update({ ...base, now: 6_250, lastTipChangeAt: 6_000, outbound: 0, connected: 0 });
    expect(status.reason).toBe('no-peers');
    expect(status.detail).toMatch(/no connected peer/);
    expect(d.update({ ...base, now: 6_300, lastTipChangeAt: 6_000 }).suspected).toBe(false);
    // A node that only waits to be dialled (a bootstrap node) is not cut off for lack of outbound peers.
    const root = new PartitionDetector({ noOutboundMs: 100 });
    root.update({ ...base, now: 0, outbound: 0, connected: 0, expectsOutbound: false });
    expect(
      root.update({ ...base, now: 500, outbound: 0, connected: 0, expectsOutbound: false }).suspected,
    ).toBe(false);
  });

  it('reports peers-unreachable when half of the peers (at least 2) stop answering, with blocks arriving', () => {
    const d = new PartitionDetector({ staleIntervals: 6 });
    const fresh = { ...base, connected: 6, lastTipChangeAt: 900 };
    // One silent peer, or fewer than half: a slow peer, not a partition.
    expect(d.update({ ...fresh, now: 1_000, suspectPeers: 1 }).suspected).toBe(false);
    expect(d.update({ ...fresh, now: 1_000, suspectPeers: 2 }).suspected).toBe(false);
    const split = d.update({ ...fresh, now: 1_000, suspectPeers: 3 });
    expect(split.reason).toBe('peers-unreachable');
    expect(split.detail).toBe('3 of 6 peers stopped answering pings');
    // The suspicion keeps its start while it holds, and clears when they answer again.
    expect(d.update({ ...fresh, now: 2_000, suspectPeers: 4 }).since).toBe(1_000);
    expect(d.update({ ...fresh, now: 3_000, suspectPeers: 0 }).suspected).toBe(false);
    // Of two peers, both silent is a partition; one is not.
    expect(d.update({ ...fresh, connected: 2, now: 4_000, suspectPeers: 1 }).suspected).toBe(false);
    expect(d.update({ ...fresh, connected: 2, now: 4_000, suspectPeers: 2 }).reason).toBe(
      'peers-unreachable',
    );
  });
});

describe('ChainSyncEviction', () => {
  it('asks a lagging outbound peer once, then evicts it; catching up clears it', () => {
    const c = new ChainSyncEviction(1_000, 4, 500);
    expect(c.check('a', 5n, 10n, 0)).toBe('behind');
    expect(c.check('a', 5n, 10n, 3_999)).toBe('behind');
    expect(c.check('a', 5n, 10n, 4_000)).toBe('ask-status');
    expect(c.check('a', 5n, 10n, 4_499)).toBe('behind');
    expect(c.check('a', undefined, 10n, 4_500)).toBe('evict');
    expect(c.check('b', 5n, 10n, 0)).toBe('behind');
    expect(c.check('b', 10n, 10n, 10_000)).toBe('ok');
    expect(c.check('b', 5n, 10n, 10_000)).toBe('behind');
  });
});
