/**
 * Zero false positives: five honest nodes with skewed clocks (-2 s ... +2 s) relay a steady stream of
 * transactions (each from its own dev account, ~3 tx/s in total, 0-100 ms of jitter between sends)
 * while two of them mine a block every 1-2 s, one node restarts mid-run and two miners fork the chain
 * (each mines at the same height while they have banned each other by hand), forcing a reorg.
 *
 * Afterwards no honest node may have quarantined (or even throttled) another one, in memory or in
 * its log, apart from the two operator bans, and every transaction sent must be on every node
 * (mempool or active chain). Prints a summary: offences by kind, lowest score, traffic.
 *
 * Duration of the traffic: `TRUSTMESH_SOAK_MS` (default 150000 ms = 2.5 min, to keep CI reasonable;
 * the whole test then takes about 2.6 minutes with setup and convergence).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { devAccount } from '../../../src/chain/genesis.js';
import { UNITS_PER_COIN } from '../../../src/chain/params.js';
import { toHex } from '../../../src/crypto/hash.js';
import type { TrustmeshNode } from '../../../src/node/trustmesh-node.js';
import { THROTTLE_THRESHOLD } from '../../../src/p2p/reputation/index.js';
import { type Edge, sleep, TestNetwork, waitFor } from '../../helpers/index.js';
import { isManualQuarantineLine, offenceLines, quarantineLines, readLog } from './observe.js';

const SOAK_MS = Number(process.env.TRUSTMESH_SOAK_MS ?? 150_000);
const SKEWS_MS = [-2_000, -1_000, 0, 1_000, 2_000] as const;
/** Every node has 3-4 links, and the graph stays connected without any one node or link. */
const EDGES: readonly Edge[] = [
  [0, 1],
  [0, 2],
  [1, 2],
  [1, 3],
  [2, 3],
  [0, 4],
  [2, 4],
  [3, 4],
];
/** The two miners (directly linked, so they must ban each other to fork) and the node restarted. */
const MINERS = [1, 3] as const;
const RESTARTED = 2;
/** Mean gap between two sends (ms), plus 0-100 ms of jitter: ~3 tx/s in total. */
const SEND_GAP_MS = 280;
const AMOUNT = 1n * UNITS_PER_COIN;

let net: TestNetwork | undefined;
afterEach(async () => {
  await net?.cleanup();
  net = undefined;
});

const randomInt = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

interface Sent {
  readonly txidHex: string;
  readonly from: number;
  readonly at: number;
}

describe('honest nodes under clock skew, restarts and reorgs', () => {
  it(`never penalise each other (soak ${SOAK_MS} ms)`, { timeout: SOAK_MS + 180_000 }, async () => {
    // --- the network -----------------------------------------------------------------------------
    const network = await TestNetwork.start({
      count: SKEWS_MS.length,
      edges: EDGES,
      nodeOptions: (i) => ({ name: `honest${i}`, clockSkewMs: SKEWS_MS[i], devAccount: i }),
    });
    net = network;
    const count = SKEWS_MS.length;
    const ids = network.nodes.map((node) => node.peerIdString);
    const dataDirs = network.nodes.map((node) => node.config.dataDir);
    /** Nodes stopped for the restart: nothing is sent to or sampled from them meanwhile. */
    const down = new Set<number>();
    const running = (): { index: number; node: TrustmeshNode }[] =>
      ids.flatMap((_, index) => (down.has(index) ? [] : [{ index, node: network.node(index) }]));
    let reorgs = 0;
    const watchReorgs = (node: TrustmeshNode): void => {
      node.chain.on('reorg', () => reorgs++);
    };
    network.nodes.forEach(watchReorgs);

    // --- observers: scores and states of honest peers, sampled all along ------------------------
    let minScore = 0;
    let minGossipScore = Number.POSITIVE_INFINITY;
    const badStates: string[] = [];
    const sample = (): void => {
      for (const { node } of running()) {
        for (const report of node.reputation.list()) {
          if (!ids.includes(report.peerId)) continue;
          minScore = Math.min(minScore, report.score);
          const automaticBan = report.ban !== null && !report.ban.manual;
          if (report.state === 'throttled' || automaticBan) {
            badStates.push(
              `${node.config.name} -> ${report.peerId}: ${report.state} ${report.quarantineReason}`,
            );
          }
        }
        for (const peer of node.p2p.libp2p.getPeers()) {
          if (ids.includes(peer.toString())) {
            minGossipScore = Math.min(minGossipScore, node.p2p.gossipsub.getScore(peer.toString()));
          }
        }
      }
    };
    const sampler = setInterval(sample, 250);

    const startedAt = Date.now();
    const endAt = startedAt + SOAK_MS;
    const sent: Sent[] = [];
    const sendFailures = new Map<string, number>();
    let blocksMined = 0;
    let stopping = false;
    /** Held while the miners fork the chain: nothing is sent (see `forceReorg`). */
    let sendingPaused = false;

    // --- transactions: round robin over the nodes, each paying the next node's dev account -------
    const sender = (async () => {
      let turn = 0;
      while (!stopping && Date.now() < endAt) {
        await sleep(SEND_GAP_MS - 50 + randomInt(0, 100));
        if (sendingPaused) continue;
        const from = turn++ % count;
        if (down.has(from)) continue;
        const node = network.node(from);
        try {
          const payment = node.wallet.createPayment(devAccount((from + 1) % count).address, AMOUNT);
          node.submitTransaction(payment.bytes);
          sent.push({ txidHex: payment.txidHex, from, at: Date.now() });
        } catch (err) {
          // Not a relay matter: the node could not build or accept its own payment (e.g. funds).
          const reason = `${node.config.name}: ${(err as Error).message.split(':')[0]}`;
          sendFailures.set(reason, (sendFailures.get(reason) ?? 0) + 1);
        }
      }
    })();

    // --- blocks: the two miners take turns every 1-2 s; once, they fork the chain ---------------
    const allTipsEqual = (): boolean => {
      const tips = running().map(({ node }) => node.chain.tip().idHex);
      return tips.every((tip) => tip === tips[0]);
    };

    /**
     * The miners ban each other (operator action), each mines a block at the same height, then the
     * first extends its branch: every node that followed the second branch reorganises. Sending is
     * paused meanwhile so no transaction spends an output of the losing branch (which a reorg would
     * legitimately drop). Returns whether some node reorganised.
     */
    const forceReorg = async (): Promise<boolean> => {
      const [a, b] = [network.node(MINERS[0]), network.node(MINERS[1])];
      sendingPaused = true;
      try {
        const before = reorgs;
        await waitFor(allTipsEqual, 15_000, 'equal tips before the fork');
        await network.partition([MINERS[0]], [MINERS[1]], 'soak test: fork the chain');
        const height = a.chain.tip().height;
        const [idA, idB] = await Promise.all([a.miner.mineOne(), b.miner.mineOne()]);
        blocksMined += 2;
        const heights = [a.chain.getEntry(toHex(idA))?.height, b.chain.getEntry(toHex(idB))?.height];
        // (If one miner saw the other's block first, it mined on top of it instead: no fork this time.)
        console.log(`fork: competing blocks at heights ${heights.join(' and ')} (tip was ${height})`);
        await sleep(1_000);
        await a.miner.mineOne();
        blocksMined++;
        await waitFor(allTipsEqual, 20_000, 'every node on the longer branch');
        await network.heal([MINERS[0]], [MINERS[1]]);
        return reorgs > before;
      } finally {
        sendingPaused = false;
      }
    };

    let forkAttempts = 0;
    const miner = (async () => {
      let turn = 0;
      while (!stopping && Date.now() < endAt) {
        await sleep(randomInt(1_000, 2_000));
        if (Date.now() - startedAt > 0.6 * SOAK_MS && reorgs === 0 && forkAttempts < 3) {
          forkAttempts++;
          const reorged = await forceReorg();
          console.log(`fork attempt ${forkAttempts}: ${reorged ? 'reorg observed' : 'no reorg'}`);
          continue;
        }
        const index = MINERS[turn++ % MINERS.length]!;
        if (down.has(index)) continue;
        await network.node(index).miner.mineOne();
        blocksMined++;
      }
    })();

    // --- one restart, about a third of the way through -------------------------------------------
    const restarter = (async () => {
      await sleep(0.35 * SOAK_MS);
      if (stopping) return;
      down.add(RESTARTED);
      await sleep(1_000); // let its last transactions be announced
      await network.stopNode(RESTARTED);
      await sleep(2_000);
      watchReorgs(await network.restartNode(RESTARTED));
      down.delete(RESTARTED);
    })();

    try {
      await Promise.all([sender, miner, restarter]);
    } finally {
      stopping = true;
      await Promise.allSettled([sender, miner, restarter]);
    }

    // --- convergence: every transaction on every node --------------------------------------------
    const holds = (node: TrustmeshNode, txidHex: string): boolean => {
      if (node.chain.mempool.has(txidHex)) return true;
      const location = node.chain.findTransaction(txidHex);
      return location !== undefined && node.chain.isActive(location.blockIdHex);
    };
    const nodes = network.nodes;
    const missing = (): string[] =>
      nodes.flatMap((node) =>
        sent.filter((tx) => !holds(node, tx.txidHex)).map((tx) => `${node.config.name} lacks ${tx.txidHex}`),
      );
    await waitFor(() => missing().length === 0, 30_000, 'every transaction on every node').catch(() => {
      expect(missing()).toEqual([]);
    });
    sample();
    clearInterval(sampler);

    // --- what happened: every node's own record of offences and quarantines ----------------------
    const reports = nodes.flatMap((node) =>
      node.reputation
        .list()
        .filter((report) => ids.includes(report.peerId))
        .map((report) => ({ node: node.config.name, report })),
    );
    const finalHeight = nodes[0]!.chain.tip().height;
    await network.stopAll(); // flushes the logs
    const logs = await Promise.all(dataDirs.map((dir) => readLog(dir)));
    const offences = logs.flatMap((lines) => offenceLines(lines));
    const automaticQuarantines = logs.map((lines) =>
      quarantineLines(lines).filter((line) => !isManualQuarantineLine(line)),
    );
    for (const line of offences) minScore = Math.min(minScore, line.score as number);
    const byKind = new Map<string, number>();
    for (const line of offences) byKind.set(String(line.kind), (byKind.get(String(line.kind)) ?? 0) + 1);
    const refused = [...sendFailures.values()].reduce((a, b) => a + b, 0);
    console.log(
      [
        `soak summary (${SOAK_MS} ms of traffic, ${((Date.now() - startedAt) / 1_000).toFixed(0)} s in all):`,
        `  transactions sent: ${sent.length} (${(sent.length / (SOAK_MS / 1_000)).toFixed(2)} tx/s), ` +
          `all of them on all ${nodes.length} nodes; payments the sender's own node refused: ${refused}` +
          [...sendFailures].map(([reason, n]) => `\n    ${n} x ${reason}`).join(''),
        `  blocks mined: ${blocksMined}, final height ${finalHeight}, reorg events: ${reorgs} ` +
          `(fork attempts: ${forkAttempts}), restarts: 1 (honest${RESTARTED})`,
        `  offences recorded against honest peers: ${offences.length}` +
          (byKind.size > 0 ? ` (${[...byKind].map(([kind, n]) => `${kind} x${n}`).join(', ')})` : ''),
        `  lowest trust score observed: ${minScore} (throttle at ${THROTTLE_THRESHOLD})`,
        `  lowest gossipsub score observed between honest peers: ${minGossipScore.toFixed(2)}`,
        `  automatic quarantines: ${automaticQuarantines.flat().length}; manual bans (the forced fork): 2`,
      ].join('\n'),
    );

    // --- nobody penalised an honest peer beyond the occasional judgement call --------------------
    for (const { node, report } of reports) {
      expect(report.state, `${node} -> ${report.peerId}`).not.toBe('quarantined');
      expect(report.ban, `${node} -> ${report.peerId}`).toBeNull();
      expect(report.score, `${node} -> ${report.peerId}`).toBeGreaterThan(THROTTLE_THRESHOLD);
    }
    expect(badStates).toEqual([]);
    automaticQuarantines.forEach((lines, i) => {
      expect(lines, `automatic quarantines in honest${i}'s log`).toEqual([]);
    });
    // Every offence in the logs was against an honest peer (there is nobody else): none may have
    // pushed a score to the throttle threshold.
    for (const line of offences) expect(line.state, JSON.stringify(line)).toBe('healthy');
    expect(minScore).toBeGreaterThan(THROTTLE_THRESHOLD);

    expect(reorgs).toBeGreaterThan(0);
    expect(sent.length).toBeGreaterThan(SOAK_MS / 1_000);
    for (const i of SKEWS_MS.keys()) expect(sent.some((tx) => tx.from === i)).toBe(true);
  });
});
