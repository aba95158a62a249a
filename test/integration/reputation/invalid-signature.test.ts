/**
 * One forged transaction is enough: an attacker node (misbehaviour 'invalid-signature') connected to
 * honest H1 and H2 of the chain H1 - H2 - H3 is quarantined by both neighbours on its first invalid
 * signature, logged once, hung up on, refused by the gater until the ban expires (also across a
 * restart of H1), and its transaction reaches no honest mempool and never H3.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeTransaction } from '../../../src/chain/encoding/codec.js';
import { txidOf } from '../../../src/chain/objects/transaction.js';
import { REGTEST } from '../../../src/chain/params.js';
import { checkTransactionSignatures } from '../../../src/chain/rules/transaction.js';
import { fromHex, toHex } from '../../../src/crypto/hash.js';
import type { TrustmeshNode } from '../../../src/node/trustmesh-node.js';
import { InvType } from '../../../src/p2p/wire/codec.js';
import { line, sleep, TestNetwork, waitFor } from '../../helpers/index.js';
import { hasOpenConnection, quarantineLines, readLog, timeToQuarantine, waitForLog } from './observe.js';

/** First ban of every honest node: short, so the test sees it expire (but leaves time for a restart). */
const BAN_BASE_MS = 8_000;

let net: TestNetwork | undefined;
afterEach(async () => {
  await net?.cleanup();
  net = undefined;
});

/** True when a dial from `from` to `to` ends without an open connection on either side. */
async function dialIsRefused(from: TrustmeshNode, to: TrustmeshNode): Promise<boolean> {
  const connection = await from.p2p.libp2p.dial(to.p2p.multiaddrs()[0]!).catch(() => null);
  // The gater closes the connection on the refused side; the dialer's side may resolve first.
  await sleep(300);
  const open = connection !== null && connection.status === 'open';
  return !open && !hasOpenConnection(from, to) && !hasOpenConnection(to, from);
}

/** In the mempool or in any stored block of the node's recent chain (active or not). */
function inMempoolOrChain(node: TrustmeshNode, txidHex: string): boolean {
  return node.chain.mempool.has(txidHex) || node.chain.findTransaction(txidHex) !== undefined;
}

describe('a peer that sends one transaction with an invalid signature', () => {
  it('is quarantined by its neighbours, refused until the ban expires, also after a restart', async () => {
    // H1 - H2 - H3 (indexes 0, 1, 2); the attacker (index 3) dials H1 and H2 only.
    net = await TestNetwork.start({
      count: 3,
      edges: line(3),
      nodeOptions: (i) => ({ name: `h${i + 1}`, banBaseMs: BAN_BASE_MS }),
    });
    let h1 = net.node(0);
    const [h2, h3] = [net.node(1), net.node(2)];
    // Not a harness edge: H1's restart must not wait for a connection its gater refuses.
    const startedAt = Date.now();
    const attacker = await net.addNode({ name: 'attacker', misbehaviour: 'invalid-signature' });
    await Promise.all([net.dial(3, 0), net.dial(3, 1)]);
    const attackerId = attacker.peerIdString;
    expect(hasOpenConnection(h3, attacker)).toBe(false);

    await waitFor(
      () => h1.reputation.isQuarantined(attackerId) && h2.reputation.isQuarantined(attackerId),
      20_000,
      'H1 and H2 to quarantine the attacker',
    );

    const sinceStart = Date.now() - startedAt;

    // Both neighbours: quarantined on the first offence, an INVALID_SIGNATURE naming the txid.
    const txids = new Set<string>();
    const timings: string[] = [];
    for (const node of [h1, h2]) {
      const report = node.reputation.report(attackerId);
      expect(report.state).toBe('quarantined');
      expect(report.totalOffences).toBe(1);
      expect(report.offenceCounts).toEqual({ INVALID_SIGNATURE: 1 });
      const offence = report.offences[0]!;
      expect(offence.kind).toBe('INVALID_SIGNATURE');
      const txid = /^tx:([0-9a-f]{64})\b/.exec(offence.evidence)?.[1];
      expect(txid, `evidence ${offence.evidence} names a txid`).toBeDefined();
      txids.add(txid!);
      expect(report.ban).not.toBeNull();
      expect(report.ban!.manual).toBe(false);
      expect(report.ban!.banCount).toBe(1);
      expect(report.ban!.until - report.ban!.bannedAt).toBe(BAN_BASE_MS);
      expect(report.quarantineReason).toContain('INVALID_SIGNATURE');
      expect(report.applicationScore).toBeLessThan(-80);
      timings.push(`${node.config.name}: ${timeToQuarantine(report)} ms after 1 offence`);
    }
    console.log(
      `invalid-signature -> INVALID_SIGNATURE: ${timings.join('; ')}; ` +
        `attacker start -> both quarantined: ${sinceStart} ms`,
    );

    // The evidence names the transaction the attacker really served, and its signature is bad.
    for (const txidHex of txids) {
      const served = await attacker.services.inventory.getObject(InvType.TX, fromHex(txidHex));
      expect(served).toBeInstanceOf(Uint8Array);
      const tx = decodeTransaction(served as Uint8Array);
      expect(toHex(txidOf(tx))).toBe(txidHex);
      expect(() => checkTransactionSignatures(tx, REGTEST)).toThrow(/TX_BAD_SIGNATURE/);
    }

    // One quarantine line in each neighbour's log, naming the peer, the offence and the txid.
    for (const node of [h1, h2]) {
      const lines = await waitForLog(
        node.config.dataDir,
        (all) => quarantineLines(all, attackerId).length > 0,
        5_000,
        `${node.config.name}'s quarantine line`,
      );
      const quarantined = quarantineLines(lines, attackerId);
      expect(quarantined).toHaveLength(1);
      expect(quarantined[0]!.msg).toMatch(new RegExp(`^quarantined ${attackerId}: INVALID_SIGNATURE`));
      expect(quarantined[0]!.kind).toBe('INVALID_SIGNATURE');
      expect([...txids].some((txid) => String(quarantined[0]!.evidence).includes(txid))).toBe(true);
    }

    // Hung up on by both, and refused by the gater in both directions while banned.
    await waitFor(
      () =>
        !hasOpenConnection(h1, attacker) &&
        !hasOpenConnection(h2, attacker) &&
        !hasOpenConnection(attacker, h1),
      5_000,
      'the hang-up',
    );
    expect(await dialIsRefused(attacker, h1)).toBe(true);
    expect(await dialIsRefused(attacker, h2)).toBe(true);
    await expect(h1.p2p.libp2p.dial(attacker.p2p.multiaddrs()[0]!)).rejects.toThrow();

    // The forged transaction is in no honest node, and H3 never heard of it or of the attacker.
    for (const node of [h1, h2, h3]) {
      for (const txid of txids) expect(inMempoolOrChain(node, txid)).toBe(false);
    }
    expect(h3.reputation.list().map((r) => r.peerId)).not.toContain(attackerId);
    const h3Log = JSON.stringify(await readLog(h3.config.dataDir));
    for (const txid of txids) expect(h3Log).not.toContain(txid);
    expect(quarantineLines(await readLog(h3.config.dataDir))).toHaveLength(0);

    // H1 restarts while the ban is active: the ban list on disk keeps the attacker out.
    const banUntil = h1.reputation.report(attackerId).ban!.until;
    expect(Date.now() + h1.config.clockSkewMs, 'time left to test the ban across a restart').toBeLessThan(
      banUntil - 4_000,
    );
    h1 = await net.restartNode(0); // same data dir, port and identity
    expect(h1.services.now()).toBeLessThan(banUntil);
    const restored = h1.reputation.report(attackerId);
    expect(restored.state).toBe('quarantined');
    expect(restored.ban?.until).toBe(banUntil);
    expect(await dialIsRefused(attacker, h1)).toBe(true);
    expect(hasOpenConnection(h1, attacker)).toBe(false);

    // After expiry the attacker may connect again (and is judged afresh: its next forgery bans it
    // again, for twice as long).
    await waitFor(() => h1.services.now() >= banUntil, BAN_BASE_MS + 1_000, 'the ban to expire');
    expect(h1.reputation.isQuarantined(attackerId)).toBe(false);
    await attacker.p2p.libp2p.dial(h1.p2p.multiaddrs()[0]!);
    await waitFor(
      () => hasOpenConnection(h1, attacker) && hasOpenConnection(attacker, h1),
      5_000,
      'the reconnection',
    );

    await waitFor(() => h1.reputation.isQuarantined(attackerId), 15_000, 'the second quarantine');
    const second = h1.reputation.report(attackerId);
    expect(second.ban?.banCount).toBe(2);
    expect(second.ban!.until - second.ban!.bannedAt).toBe(2 * BAN_BASE_MS);
    const h1Lines = await waitForLog(
      h1.config.dataDir,
      (all) => quarantineLines(all, attackerId).length >= 2,
      5_000,
      "H1's second quarantine line",
    );
    // Exactly one line per quarantine across the restart (the restored ban is not announced again).
    expect(quarantineLines(h1Lines, attackerId).map((line) => line.banCount)).toEqual([1, 2]);
  });
});
