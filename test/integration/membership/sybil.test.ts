/**
 * 30 Sybil identities from one address (127.99.0.1) against a victim on real TCP. The design bound:
 * at most MAX_INBOUND_PER_NETGROUP (8) inbound slots, at most one outbound slot (one per
 * netgroup), at most 64 address book entries per (source netgroup, address netgroup) and 4,096
 * (6.25% of the new table) per source netgroup; an honest peer on the Sybils' address keeps a
 * gossipsub score above the graylist threshold (no IP-colocation penalty: never 10 peers per address).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { multiaddr } from '@multiformats/multiaddr';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeAddrRequest } from '../../../src/p2p/membership/addr-codec.js';
import { addrProtocol } from '../../../src/p2p/membership/addr-relay.js';
import { BUCKET_SIZE, MAX_INBOUND_PER_NETGROUP } from '../../../src/p2p/membership/constants.js';
import { createP2PNode, type P2PNode } from '../../../src/p2p/node/create-node.js';
import { SCORE_THRESHOLDS } from '../../../src/p2p/node/gossip-config.js';
import { frameStream } from '../../../src/p2p/wire/framing.js';
import { waitFor } from '../../helpers/wait.js';
import { MemberNetwork, NETWORK, reachedTargets } from './harness.js';

const SYBILS = 30;
const SYBIL_HOST = '127.99.0.1';

let net: MemberNetwork | undefined;
const sybils: P2PNode[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(sybils.splice(0).map((s) => s.stop().catch(() => undefined)));
  await net?.cleanup();
  net = undefined;
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A Sybil: a bare libp2p host on SYBIL_HOST that dials the victim and advertises fake addresses. */
async function sybil(index: number, victimAddr: string): Promise<P2PNode> {
  const dataDir = await mkdtemp(join(tmpdir(), `trustmesh-sybil-${index}-`));
  dirs.push(dataDir);
  const node = await createP2PNode({
    network: NETWORK,
    dataDir,
    host: SYBIL_HOST,
    port: 0,
    devnetLoopback: true,
  });
  sybils.push(node);
  try {
    const connection = await node.libp2p.dial(multiaddr(victimAddr));
    const self = node.multiaddrs()[0]!.decapsulateCode(421).toString();
    // Itself plus 20 made-up identities on its own address, and 20 in other netgroups.
    const entries = [
      { peerId: node.peerId.toString(), addr: self, lastSeen: Date.now() },
      ...Array.from({ length: 40 }, (_, i) => ({
        peerId: sybils[(index + i + 1) % sybils.length]!.peerId.toString(),
        addr: i < 20 ? `/ip4/${SYBIL_HOST}/tcp/${20_000 + index * 50 + i}` : `/ip4/10.${i}.0.1/tcp/9000`,
        lastSeen: Date.now(),
      })),
    ];
    const stream = await connection.newStream(addrProtocol(NETWORK));
    await frameStream(stream, 1 << 20).write(encodeAddrRequest(entries));
    await stream.close();
  } catch {
    // Refused by the victim's netgroup cap: that is the point.
  }
  return node;
}

describe('membership under a Sybil flood from one address', () => {
  it('bounds the Sybils to their netgroup share and keeps the honest colocated peer healthy', async () => {
    net = new MemberNetwork(60);
    const victim = await net.start(0, { outboundFullRelay: 3, blockRelayOnly: 1 });
    for (let i = 1; i < 6; i++)
      await net.start(i, { bootstrap: [net.addrOf(0)], outboundFullRelay: 2, blockRelayOnly: 0 });
    // An honest node on the Sybils' address, connected before they come.
    const honest = await net.start(99 - 60, {
      bootstrap: [net.addrOf(0)],
      outboundFullRelay: 2,
      blockRelayOnly: 0,
    });
    expect(honest.host).toBe(SYBIL_HOST);
    await waitFor(() => reachedTargets(victim, 3, 1), 20_000, 'victim at its targets');
    await waitFor(
      () => victim.membership.peers().some((p) => p.peerId === honest.p2p.peerId.toString()),
      10_000,
      'honest colocated peer connected to the victim',
    );
    // All at once: the gater refuses what it can before the handshake, the manager the rest.
    const victimAddr = net.addrOf(0);
    await Promise.all(Array.from({ length: SYBILS }, (_, i) => sybil(i, victimAddr)));

    const peers = victim.membership.peers();
    const fromSybilGroup = peers.filter((p) => p.netgroup === 'ipv4:127.99');
    const inboundShare = fromSybilGroup.filter((p) => p.direction === 'inbound').length;
    const outboundInGroup = peers.filter(
      (p) =>
        p.netgroup === 'ipv4:127.99' &&
        (p.connectionType === 'outbound-full' || p.connectionType === 'block-relay'),
    ).length;
    const book = victim.membership.addressBook();
    const sybilSourced = book.filter((e) => e.source === 'ipv4:127.99');
    console.log(
      `sybil bound: ${inboundShare}/${SYBILS + 1} inbound from 127.99/16 (cap ${MAX_INBOUND_PER_NETGROUP}), ` +
        `${outboundInGroup} outbound there, ${sybilSourced.length} book entries sourced there ` +
        `(${new Set(sybilSourced.map((e) => e.netgroup)).size} netgroups), book ${book.length}`,
    );
    expect(inboundShare).toBeLessThanOrEqual(MAX_INBOUND_PER_NETGROUP);
    expect(outboundInGroup).toBeLessThanOrEqual(1);
    // Per (source, address netgroup): one bucket of 64 slots.
    const byGroup = new Map<string, number>();
    for (const e of sybilSourced) byGroup.set(e.netgroup, (byGroup.get(e.netgroup) ?? 0) + 1);
    for (const count of byGroup.values()) expect(count).toBeLessThanOrEqual(BUCKET_SIZE);
    // The victim keeps outbound peers in other netgroups.
    expect(reachedTargets(victim, 3, 1)).toBe(true);
    const outbound = peers.filter(
      (p) => p.connectionType === 'outbound-full' || p.connectionType === 'block-relay',
    );
    expect(outbound.filter((p) => p.netgroup !== 'ipv4:127.99').length).toBeGreaterThanOrEqual(3);
    // The honest colocated peer stays connected and above gossipsub's graylist threshold.
    const honestId = honest.p2p.peerId.toString();
    expect(peers.some((p) => p.peerId === honestId)).toBe(true);
    await new Promise((r) => setTimeout(r, 1_500)); // the score is cached for a heartbeat
    const score = victim.p2p.gossipsub.getScore(honestId);
    console.log(`honest colocated peer's gossipsub score at the victim: ${score}`);
    expect(score).toBeGreaterThan(SCORE_THRESHOLDS.graylistThreshold);
    expect(score).toBeGreaterThanOrEqual(0);
  }, 90_000);
});
