/**
 * The attack kinds that are not offences, or not only offences, against two honest victims sharing
 * one network, each asserting what the catalogue's "pass" column asks: a double spend confirms
 * exactly one side and costs its sender nothing; dust spam does not stop an honest payment;
 * stalled streams and connections do not stop relay; an honest node that stalls and drops its
 * links is never quarantined; a ban is not evaded by redialing, and a new identity from the same
 * address starts from nothing; an attacker that behaved first is still quarantined once it turns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MEMPOOL_TXS } from '../../../src/chain/mempool/mempool.js';
import { offenceSpec } from '../../../src/p2p/reputation/index.js';
import { isConfirmed, mineOn, sendPayment, waitFor } from '../../helpers/index.js';
import { type LogLine, readLog } from '../reputation/observe.js';
import {
  addAttacker,
  type Attacker,
  decisiveOffence,
  removeAttacker,
  type Stage,
  startStage,
  victimsTrustEachOther,
  waitForQuarantine,
} from './harness.js';

let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
}, 60_000);
afterAll(async () => {
  await stage?.net.cleanup();
});

/** Waits for the attacker's first log line that `match` accepts. */
async function attackerLogged(attacker: Attacker, match: (line: LogLine) => boolean, what: string) {
  let found: LogLine | undefined;
  await waitFor(
    async () => {
      found = (await readLog(attacker.node.config.dataDir)).find(match);
      return found !== undefined;
    },
    30_000,
    what,
  );
  return found!;
}

/** An honest payment h0 -> h1 reaches h1. */
async function honestPaymentDelivered(): Promise<void> {
  const [h0, h1] = stage.victims;
  const txid = sendPayment(h0!, h1!, 1_000n);
  await waitFor(() => h1!.chain.mempool.has(txid), 10_000, 'an honest payment from h0 to reach h1');
}

/** Offences of a flagrant kind, or a quarantine, held against `peer` by any victim. */
function condemnedBy(peer: string): string[] {
  return stage.victims.flatMap((v) => {
    const report = v.reputation.report(peer);
    const flagrant = report.offences.filter((o) => offenceSpec(o.kind).class === 'flagrant');
    return report.state === 'quarantined' || flagrant.length > 0 ? [`${v.config.name}: ${report.state}`] : [];
  });
}

describe('contained and turning attack kinds', () => {
  it(
    'double-spend: exactly one side confirmed, the other gone from every mempool, no offence',
    { timeout: 60_000 },
    async () => {
      const attacker = await addAttacker(stage, 'double-spend');
      const line = await attackerLogged(attacker, (l) => Array.isArray(l.pair), 'a double spend');
      const pair = line.pair as [string, string];
      await waitFor(
        () => stage.victims.every((v) => pair.some((txid) => v.chain.mempool.has(txid))),
        15_000,
        'each victim to hold one side',
      );
      await removeAttacker(stage, attacker);
      await mineOn(stage.victims[0]!);
      await waitFor(
        () => stage.victims.every((v) => pair.filter((txid) => isConfirmed(v, txid)).length === 1),
        15_000,
        'exactly one side confirmed everywhere',
      );
      for (const v of stage.victims) for (const txid of pair) expect(v.chain.mempool.has(txid)).toBe(false);
      expect(condemnedBy(attacker.peerId)).toEqual([]);
      expect(victimsTrustEachOther(stage)).toBe(true);
    },
  );

  it('dust-spam: honest payments still get through; mempools stay bounded', { timeout: 60_000 }, async () => {
    const attacker = await addAttacker(stage, 'dust-spam');
    await waitFor(
      () => stage.victims.every((v) => v.chain.mempool.size >= 50),
      20_000,
      'the victims to hold the spam',
    );
    await honestPaymentDelivered();
    for (const v of stage.victims) {
      expect(v.chain.mempool.size).toBeLessThanOrEqual(MAX_MEMPOOL_TXS);
      const report = v.reputation.report(attacker.peerId);
      console.log(
        `dust-spam on ${v.config.name}: mempool ${v.chain.mempool.size}, spammer ${report.state}, ` +
          `${report.offences.length} offence(s) ${[...new Set(report.offences.map((o) => o.kind))].join(',')}`,
      );
    }
    await removeAttacker(stage, attacker);
    expect(victimsTrustEachOther(stage)).toBe(true);
  });

  it('slowloris: streams and connections stay bounded and relay goes on', { timeout: 60_000 }, async () => {
    const attacker = await addAttacker(stage, 'slowloris');
    await attackerLogged(
      attacker,
      (l) => typeof l.identities === 'number' && l.identities >= 8,
      'extra identities',
    );
    await honestPaymentDelivered();
    for (const v of stage.victims) {
      const connections = v.p2p.libp2p.getConnections();
      const streams = connections.reduce((sum, c) => sum + c.streams.length, 0);
      console.log(`slowloris on ${v.config.name}: ${connections.length} connections, ${streams} streams`);
      // Per connection libp2p admits at most 2 inbound streams per protocol (4 protocols, both ways).
      for (const c of connections) expect(c.streams.length).toBeLessThanOrEqual(24);
    }
    await removeAttacker(stage, attacker);
    expect(victimsTrustEachOther(stage)).toBe(true);
  });

  it(
    'honest-under-stress: stalls and dropped links are never punished by quarantine',
    { timeout: 60_000 },
    async () => {
      const attacker = await addAttacker(stage, 'honest-under-stress');
      await attackerLogged(attacker, (l) => l.msg === 'links dropped', 'a dropped link');
      await waitFor(
        () => stage.victims.every((v) => v.p2p.libp2p.getConnections(attacker.node.p2p.peerId).length > 0),
        20_000,
        'the stressed node to reconnect',
      );
      expect(condemnedBy(attacker.peerId)).toEqual([]);
      await removeAttacker(stage, attacker);
    },
  );

  it(
    'ban-evasion: refused while banned; a new identity from the same address is judged afresh',
    { timeout: 60_000 },
    async () => {
      const attacker = await addAttacker(stage, 'ban-evasion');
      await waitForQuarantine(stage, attacker.peerId, 15_000);
      const fresh = await attackerLogged(
        attacker,
        (l) => typeof l.freshIdentity === 'string',
        'a fresh identity',
      );
      const redials = (await readLog(attacker.node.config.dataDir)).filter(
        (l) => typeof l.redial === 'string',
      );
      expect(redials.length).toBeGreaterThan(0);
      for (const r of redials) expect(r.accepted).toBe(false);
      const freshId = fresh.freshIdentity as string;
      await waitFor(
        () => stage.victims.every((v) => v.p2p.libp2p.getPeers().some((p) => p.toString() === freshId)),
        20_000,
        'the victims to accept the new identity',
      );
      for (const v of stage.victims) {
        expect(v.reputation.isQuarantined(attacker.peerId)).toBe(true);
        const report = v.reputation.report(freshId);
        expect(report.state).toBe('healthy');
        expect(report.offences).toEqual([]);
      }
      await removeAttacker(stage, attacker);
    },
  );

  it(
    'covert-flash: behaves, turns, and is quarantined under the withholding rules',
    { timeout: 90_000 },
    async () => {
      const attacker = await addAttacker(stage, 'covert-flash');
      await attackerLogged(
        attacker,
        (l) => l.msg === 'turning: withholding everything from now on',
        'the turn',
      );
      const verdicts = await waitForQuarantine(stage, attacker.peerId, 45_000);
      for (const { victim, report, msToQuarantine } of verdicts) {
        console.log(
          `covert-flash on ${victim}: ${report.offences.length} offence(s), quarantined ${msToQuarantine} ms after the first`,
        );
        expect(decisiveOffence(report)).toBe('REQUEST_TIMEOUT');
      }
      await removeAttacker(stage, attacker);
      await honestPaymentDelivered();
    },
  );
});
