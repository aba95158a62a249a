/**
 * The membership attack kinds (catalogue 20 and 21) against whole honest nodes, each on its own
 * loopback /16 so the real netgroup rules and gossipsub's IP-colocation penalty apply:
 * - sybil: 64 fresh identities against the victim h1 (32 on their own addresses, then 32 on h0's
 *   address) plus the attacker's own, each pushing one badly signed transaction: every identity is
 *   quarantined by the victim it reached (the attacker's own by both), the honest nodes hold nothing
 *   against each other, h0 (which shares its address with 32 Sybils) should stay above gossipsub's
 *   graylist threshold at h1, and honest payments and blocks still cross during and after the flood.
 * - eclipse: 64 identities in 8 netgroups fill the inbound slots of a victim that finds its peers by
 *   discovery, flood its address book and answer sync with a stale chain: the victim keeps an honest
 *   outbound peer throughout, follows the honest tip and receives an honest payment, also after a
 *   restart in the middle of the attack (its anchors and tried addresses bring it back, and its
 *   eager push peers include its honest outbound full-relay peer when it has one, whoever reconnected
 *   first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYBILS_PER_PHASE } from '../../../src/attacks/kinds/sybil.js';
import type { TrustmeshNode } from '../../../src/node/trustmesh-node.js';
import { MAX_INBOUND_PER_NETGROUP } from '../../../src/p2p/membership/constants.js';
import { SCORE_THRESHOLDS } from '../../../src/p2p/node/gossip-config.js';
import { line, mineBlocks, mineOn, sendPayment, TestNetwork, waitFor } from '../../helpers/index.js';
import { type LogLine, readLog } from '../reputation/observe.js';
import { addAttacker, type Attacker, type Stage, victimsTrustEachOther } from './harness.js';

let net: TestNetwork | undefined;

/** Waits for the attacker's log lines that `match` accepts until `enough` of them are there. */
async function attackerLines(
  attacker: Attacker,
  match: (line: LogLine) => boolean,
  enough: (lines: LogLine[]) => boolean,
  timeoutMs: number,
  what: string,
): Promise<LogLine[]> {
  let found: LogLine[] = [];
  await waitFor(
    async () => {
      found = (await readLog(attacker.node.config.dataDir)).filter(match);
      return enough(found);
    },
    timeoutMs,
    what,
  );
  return found;
}

/** An honest payment from `from` reaches `to`. */
async function paymentDelivered(from: TrustmeshNode, to: TrustmeshNode, what: string): Promise<void> {
  const txid = sendPayment(from, to, 1_000n);
  await waitFor(() => to.chain.mempool.has(txid), 15_000, what);
}

/** A block mined at `from` becomes `to`'s tip. */
async function blockDelivered(from: TrustmeshNode, to: TrustmeshNode, what: string): Promise<void> {
  const id = await mineOn(from);
  await waitFor(() => to.chain.tip().idHex === id, 15_000, what);
}

/** The IPv4 address of a connection's remote multiaddr. */
function remoteIp(addr: { toString(): string }): string {
  return addr.toString().split('/')[2] ?? '';
}

/** What the Sybil flood left behind, collected once and asserted on by the tests below. */
interface SybilOutcome {
  readonly stage: Stage;
  readonly attacker: Attacker;
  /** The attacker's `identity` lines: one per Sybil identity. */
  readonly lines: LogLine[];
  /** h0's lowest gossipsub score at h1 while the Sybils came (h0's address is the one they share). */
  readonly minScore: number;
  /** Most peers h1 was connected to on the shared address at once. */
  readonly maxOnShared: number;
  /** Peers gossipsub at h1 scores on the shared address after the flood (connected or retained). */
  readonly scoredOnShared: number;
  /** Offences h1 recorded against the Sybil identities, by kind. */
  readonly offenceKinds: Record<string, number>;
}

describe('sybil (catalogue 20)', () => {
  const sharedIp = '127.110.0.1';
  let outcome: SybilOutcome;
  beforeAll(async () => {
    net = await TestNetwork.start({
      count: 2,
      edges: line(2),
      nodeOptions: (i) => ({ name: `h${i}`, host: `127.${110 + i}.0.1` }),
    });
    const [h0, h1] = [net.node(0), net.node(1)];
    const stage: Stage = { net, victims: [h0, h1] };
    const attacker = await addAttacker(stage, 'sybil');
    let minScore = Number.POSITIVE_INFINITY;
    let maxOnShared = 0;
    const sampler = setInterval(() => {
      minScore = Math.min(minScore, h1.p2p.gossipsub.getScore(h0.peerIdString));
      const onShared = h1.p2p.libp2p.getConnections().filter((c) => remoteIp(c.remoteAddr) === sharedIp);
      maxOnShared = Math.max(maxOnShared, new Set(onShared.map((c) => c.remotePeer.toString())).size);
    }, 100);
    try {
      await attackerLines(
        attacker,
        (l) => typeof l.identity === 'string' && l.phase === 'own-address',
        (lines) => lines.length >= 1,
        60_000,
        'the first Sybil of its own address',
      );
      await paymentDelivered(h0, h1, 'an honest payment during the Sybil flood');
      await blockDelivered(h1, h0, 'an honest block during the Sybil flood');
      const lines = await attackerLines(
        attacker,
        (l) => typeof l.identity === 'string',
        (found) => found.length >= 2 * SYBILS_PER_PHASE,
        90_000,
        'every Sybil identity to report',
      );
      await paymentDelivered(h1, h0, 'an honest payment after the Sybil flood');
      await blockDelivered(h0, h1, 'an honest block after the Sybil flood');
      const stats = h1.p2p.gossipsub.dumpPeerScoreStats();
      const scoredOnShared = Object.values(stats).filter((s) => [...s.knownIPs].includes(sharedIp)).length;
      const kinds = new Map<string, number>();
      for (const l of lines)
        for (const o of h1.reputation.report(l.identity as string).offences)
          kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
      const offenceKinds = Object.fromEntries(kinds);
      outcome = { stage, attacker, lines, minScore, maxOnShared, scoredOnShared, offenceKinds };
      console.log(`sybil: offences at h1 ${JSON.stringify(offenceKinds)}`);
      console.log(
        `sybil: ${lines.length} identities, ` +
          `${lines.filter((l) => (l.offendedAt as string[]).length > 0).length} reached the victim h1; ` +
          `h0's gossipsub score at h1 min ${minScore.toFixed(2)}; at most ${maxOnShared} peers connected on ` +
          `${sharedIp} at h1, ${scoredOnShared} scored there by h1's gossipsub after the flood`,
      );
    } finally {
      clearInterval(sampler);
    }
  }, 180_000);
  afterAll(async () => {
    await net?.cleanup();
    net = undefined;
  });

  it('quarantines every identity at every victim it reached; honest payments and blocks still cross', () => {
    const { stage, attacker, lines } = outcome;
    expect(lines.length).toBe(2 * SYBILS_PER_PHASE);
    // The victim is the attacker's last target: h1.
    for (const line of lines) expect(line.offendedAt).toEqual([stage.victims[1]!.peerIdString]);
    const victims = new Map(stage.victims.map((v) => [v.peerIdString, v]));
    const notQuarantined: string[] = [];
    for (const line of lines) {
      const offendedAt = line.offendedAt as string[];
      expect(offendedAt.length, `${line.identity as string} reached a victim`).toBeGreaterThan(0);
      for (const victimId of offendedAt) {
        const victim = victims.get(victimId)!;
        const report = victim.reputation.report(line.identity as string);
        if (report.state !== 'quarantined')
          notQuarantined.push(
            `${line.identity as string} at ${victim.config.name}: ${report.state}, offences ${report.offences.map((o) => o.kind).join(',')}`,
          );
      }
    }
    expect(notQuarantined).toEqual([]);
    // One offence each, the one its object meets: a signature that does not verify.
    expect(outcome.offenceKinds).toEqual({ INVALID_SIGNATURE: 2 * SYBILS_PER_PHASE });
    for (const v of victims.values()) expect(v.reputation.isQuarantined(attacker.peerId)).toBe(true);
    expect(lines.filter((l) => l.phase === 'shared-address').every((l) => l.host === sharedIp)).toBe(true);
    expect(victimsTrustEachOther(stage)).toBe(true);
    // The netgroup cap: never more connected on one address than MAX_INBOUND_PER_NETGROUP + the honest peer.
    expect(outcome.maxOnShared).toBeLessThanOrEqual(MAX_INBOUND_PER_NETGROUP + 1);
  });

  // Gossipsub retains a disconnected peer's non-positive score, and its IP, for an hour: with
  // IP colocation on (P6), the 32 quarantined Sybils still counted against the honest h0 on their
  // address after they were gone ((33 - 10)^2 x -5 = -2645). P6 is off (gossip-config.ts).
  it("keeps the honest peer on the Sybils' address above the graylist threshold", () => {
    expect(outcome.minScore).toBeGreaterThan(SCORE_THRESHOLDS.graylistThreshold);
  });
});

/** Honest peers `node` has chosen as outbound (full-relay or block-relay-only). */
function honestOutbound(node: TrustmeshNode, honest: ReadonlySet<string>): string[] {
  return node.services.membership
    .peers()
    .filter(
      (p) =>
        (p.connectionType === 'outbound-full' || p.connectionType === 'block-relay') && honest.has(p.peerId),
    )
    .map((p) => p.peerId);
}

describe('eclipse (catalogue 21)', () => {
  /** Honest nodes, each on 127.(120 + i).0.1, finding their peers by discovery; the victim is the last. */
  const NODES = 5;
  const VICTIM = NODES - 1;
  /** The victim's inbound slots: few, so 64 identities fill them (the default 114 needs 15 netgroups). */
  const VICTIM_MAX_INBOUND = 24;
  let eclipseNet: TestNetwork | undefined;
  afterAll(async () => {
    await eclipseNet?.cleanup();
  });

  it('the victim keeps an honest outbound peer, the honest tip and honest payments, also across a restart', async () => {
    eclipseNet = await TestNetwork.start({ count: 0, edges: [] });
    const n = eclipseNet;
    const options = (i: number) => ({
      name: `e${i}`,
      host: `127.${120 + i}.0.1`,
      devAccount: i,
      outboundFullRelay: 2,
      blockRelayOnly: 1,
      ...(i === VICTIM ? { maxInbound: VICTIM_MAX_INBOUND } : {}),
    });
    await n.addNode(options(0));
    for (let i = 1; i < NODES; i++) await n.addNode({ ...options(i), bootstrap: [n.addressOf(0)] });
    const honest = new Set(n.nodes.map((node) => node.peerIdString));
    const victim = () => n.node(VICTIM);
    await waitFor(
      () => honestOutbound(victim(), honest).length >= 3,
      30_000,
      'the victim at its outbound targets',
    );
    // A chain longer than the stale depth, so the attacker's stale chain is really behind.
    const ids = await mineBlocks(n.node(0), 14);
    await waitFor(
      () => n.nodes.every((x) => x.chain.tip().idHex === ids.at(-1)),
      20_000,
      'every node at the tip',
    );

    const attackerIndex = n.size;
    const attackerNode = await n.addNode({
      name: 'attacker-eclipse',
      misbehaviour: 'eclipse',
      devAccount: 9,
      connectTo: [VICTIM],
      waitForConnections: false,
    });
    const attacker: Attacker = {
      index: attackerIndex,
      node: attackerNode,
      peerId: attackerNode.peerIdString,
    };
    let minHonestOutbound = Number.POSITIVE_INFINITY;
    let sampling = true;
    const sampler = setInterval(() => {
      if (sampling) minHonestOutbound = Math.min(minHonestOutbound, honestOutbound(victim(), honest).length);
    }, 100);
    try {
      const [start] = await attackerLines(
        attacker,
        (l) => typeof l.eclipseVictim === 'string',
        (lines) => lines.length > 0,
        60_000,
        'the eclipse to start',
      );
      expect(start!.eclipseVictim).toBe(victim().peerIdString);
      const identities = new Set(start!.identities as string[]);
      await waitFor(
        () => victim().services.membership.status().inbound >= VICTIM_MAX_INBOUND - 2,
        30_000,
        'the identities to fill the victim inbound slots',
      );
      await attackerLines(
        attacker,
        (l) => typeof l.addrSent === 'number' && l.addrSent >= 64,
        (lines) => lines.length > 0,
        30_000,
        'the address flood',
      );
      const inboundAttackers = () =>
        victim()
          .services.membership.peers()
          .filter((p) => p.direction === 'inbound' && identities.has(p.peerId)).length;
      const bookShare = () => {
        const book = victim().services.membership.addressBook();
        const attackerGroups = book.filter((e) => /^ipv4:127\.(2[0-3]\d)$/.test(e.netgroup)).length;
        return `${attackerGroups}/${book.length}`;
      };
      const mesh = victim().p2p.gossipsub.getMeshPeers(victim().p2p.invTopic);
      console.log(
        `eclipse: ${mesh.filter((p) => identities.has(p)).length} of the ${mesh.length} peers of the victim's gossipsub mesh are attackers; ` +
          `${inboundAttackers()} attacker identities inbound at the victim ` +
          `(${victim().services.membership.status().inbound} inbound in all), attacker addresses in its book ${bookShare()}`,
      );
      expect(inboundAttackers()).toBeGreaterThan(0);
      const book = victim().services.membership.addressBook();
      expect(book.filter((e) => identities.has(e.peerId)).length).toBeGreaterThan(0);
      await blockDelivered(n.node(0), victim(), 'an honest block at the victim during the eclipse');
      await paymentDelivered(n.node(1), victim(), 'an honest payment at the victim during the eclipse');

      // A restart under attack: the victim comes back with its book full of attacker addresses.
      sampling = false;
      await n.stopNode(VICTIM);
      await n.restartNode(VICTIM);
      await waitFor(
        () => honestOutbound(victim(), honest).length >= 1,
        30_000,
        'an honest outbound peer after the restart',
      );
      sampling = true;
      await blockDelivered(n.node(0), victim(), 'an honest block at the victim after its restart');
      const label = (peer: string) =>
        honest.has(peer) ? 'honest' : identities.has(peer) ? 'attacker' : 'other';
      const peersNow = () =>
        victim()
          .services.membership.peers()
          .map((p) => `${p.connectionType}:${label(p.peerId)}`)
          .sort()
          .join(' ');
      const eagerNow = () => victim().eagerPeers().map(label).join(' ');
      // Both outbound full-relay slots may land on identities (the book is mostly theirs) while no
      // honest node has dialed in: then payments wait for the stale-tip eviction to replace them
      // (4 block intervals of 5 s, then 10 s of grace).
      const txid = sendPayment(n.node(2), victim(), 1_000n);
      await waitFor(
        () => victim().chain.mempool.has(txid),
        45_000,
        'an honest payment at the victim after its restart',
      ).catch((err: Error) => {
        const mesh = victim().p2p.gossipsub.getMeshPeers(victim().p2p.invTopic).map(label).join(' ');
        const holders = n.nodes.filter((x) => x.chain.mempool.has(txid)).map((x) => x.config.name);
        throw new Error(
          `${err.message}; held by ${holders.join(' ')}; the victim's peers: ${peersNow()}; eager: ${eagerNow()}; mesh: ${mesh}`,
        );
      });
      // The identities redial at once and connect before the victim's own dials complete: an honest
      // outbound full-relay peer, when the victim has one, still gets an eager push place.
      const honestOutboundFull = () =>
        victim()
          .services.membership.peers()
          .filter((p) => p.connectionType === 'outbound-full' && honest.has(p.peerId))
          .map((p) => p.peerId);
      await waitFor(
        () => {
          const ours = honestOutboundFull();
          return (
            ours.length === 0 ||
            victim()
              .eagerPeers()
              .some((p) => ours.includes(p))
          );
        },
        15_000,
        'an honest outbound full-relay peer among the eager peers after the restart',
      ).catch((err: Error) => {
        throw new Error(`${err.message}; eager: ${eagerNow()}; peers: ${peersNow()}`);
      });
      const after = honestOutbound(victim(), honest).length;
      const attackerOutbound = victim()
        .services.membership.peers()
        .filter(
          (p) =>
            (p.connectionType === 'outbound-full' || p.connectionType === 'block-relay') &&
            identities.has(p.peerId),
        ).length;
      console.log(
        `eclipse: after the restart ${after} honest and ${attackerOutbound} attacker outbound, ${inboundAttackers()} attacker identities inbound, ` +
          `attacker addresses in the book ${bookShare()}; least honest outbound while attacked ${minHonestOutbound}`,
      );
      expect(minHonestOutbound).toBeGreaterThanOrEqual(1);
      expect(victim().chain.tip().cumulativeWork).toBe(n.node(0).chain.tip().cumulativeWork);
      for (const node of n.nodes)
        for (const other of honest) expect(node.reputation.isQuarantined(other)).toBe(false);
    } finally {
      clearInterval(sampler);
    }
  }, 180_000);
});
