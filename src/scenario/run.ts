/**
 * Runs scenarios: one honest devnet (separate processes, 2 miners, steady honest payments), a
 * baseline of honest propagation before any attack, then for each kind in turn M attackers of that
 * kind for the duration, and one `ScenarioResult` per kind read from the honest nodes' RPC and
 * processes. Kinds run one after another on the same devnet (each with fresh attacker identities),
 * so `--all` pays for one devnet start and one baseline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Misbehaviour } from '../attacks/attack.js';
import { ATTACKER_ACCOUNTS, Attackers } from './attackers.js';
import { HonestDevnet } from './honest-devnet.js';
import { HonestLoad } from './honest-load.js';
import { kindNotes } from './kind-notes.js';
import { PeerWatch } from './peer-watch.js';
import { missedTargets, type ScenarioResult } from './result.js';
import { collectVerdicts, extraIdentities, falsePositives, ReachWatcher } from './verdicts.js';

export interface ScenarioOptions {
  readonly honest: number;
  /** Attackers per kind (default 1: no implemented kind needs many). */
  readonly attackers: number;
  readonly durationS: number;
  /** Seconds of honest load measured before any attack. */
  readonly baselineS: number;
  /** Honest payments per second across the nodes. */
  readonly txRate: number;
  /** Keep the devnet's data root (logs, chains) after the run. */
  readonly keep: boolean;
  /** Progress lines (stderr in the CLI). */
  readonly progress: (line: string) => void;
}

/** How long (ms) payments of a window may take to reach every node after it closed. */
const SETTLE_MS = 10_000;
/** How long (ms) the devnet may take to connect and mine its first block. */
const READY_TIMEOUT_MS = 90_000;
/** Pause (ms) between two kinds, for the last one's disconnections to settle. */
const BETWEEN_KINDS_MS = 2_000;

async function waitReady(devnet: HonestDevnet): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const statuses = await Promise.all(devnet.nodes.map((n) => n.rpc.call('status').catch(() => undefined)));
    if (statuses.every((s) => s !== undefined && s.peers >= 1 && s.height >= 1)) return;
    if (Date.now() > deadline) throw new Error('the honest devnet did not connect and mine within 90 s');
    await sleep(500);
  }
}

/** Runs each of `kinds` on one shared honest devnet; `onResult` gets each result as it is ready. */
export async function runScenarios(
  kinds: readonly Misbehaviour[],
  options: ScenarioOptions,
  onResult: (result: ScenarioResult) => void,
): Promise<ScenarioResult[]> {
  const say = options.progress;
  say(`starting ${options.honest} honest nodes…`);
  const devnet = await HonestDevnet.start(options.honest);
  const load = new HonestLoad(devnet.nodes, options.txRate);
  const results: ScenarioResult[] = [];
  try {
    await waitReady(devnet);
    await load.start();
    say(`baseline: ${options.baselineS} s of honest load at ${options.txRate} tx/s…`);
    const b0 = load.mark();
    await sleep(options.baselineS * 1_000);
    const b1 = load.mark();
    await load.settle(b0, b1, SETTLE_MS);
    const baseline = load.window(b0, b1);
    say(`baseline p50 ${baseline.p50Ms} ms (${baseline.deliveredToAll}/${baseline.sent} delivered to all)`);
    const honestIds = new Set(devnet.nodes.map((n) => n.peerId));
    const before = new Set(await falsePositives(devnet.nodes, honestIds));
    if (before.size > 0) say(`before any attack: ${[...before].join('; ')}`);
    for (const [i, kind] of kinds.entries()) {
      if (i > 0) await sleep(BETWEEN_KINDS_MS);
      const result = await runOne(kind, i, devnet, load, baseline.p50Ms, before, options);
      results.push(result);
      onResult(result);
    }
  } finally {
    load.stop();
    await devnet.stop(options.keep);
  }
  return results;
}

async function runOne(
  kind: Misbehaviour,
  index: number,
  devnet: HonestDevnet,
  load: HonestLoad,
  baselineP50Ms: number | null,
  beforeAttack: ReadonlySet<string>,
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  const durationS = Math.max(options.durationS, kind.scenarioSeconds ?? 0);
  options.progress(`${kind.kind}: ${options.attackers} attacker(s) for ${durationS} s…`);
  const crashesBefore = devnet.crashes.length;
  devnet.resetPeak();
  const accounts = [...ATTACKER_ACCOUNTS.slice(index % ATTACKER_ACCOUNTS.length), ...ATTACKER_ACCOUNTS];
  const attackers = await Attackers.start(
    kind.kind,
    options.attackers,
    devnet.nodes,
    devnet.dataRoot,
    devnet.devnet.network,
    accounts,
  );
  // Every identity of the attackers: their own, and the ones they spawned and logged (Sybils...).
  const processIds = attackers.list.map((a) => a.peerId);
  const identities = () => [...new Set([...processIds, ...extraIdentities(attackers.records())])];
  const reach = new ReachWatcher(devnet.nodes, identities);
  const peers = new PeerWatch(devnet.nodes, () => new Set(identities()));
  reach.start();
  peers.start();
  const from = load.mark();
  await sleep(durationS * 1_000);
  const to = load.mark();
  reach.stop();
  peers.stop();
  const attackerIds = identities();
  const verdicts = await collectVerdicts(devnet.nodes, attackerIds, reach);
  const honestIds = new Set(devnet.nodes.map((n) => n.peerId));
  if (kind.kind === 'honest-under-stress') for (const id of attackerIds) honestIds.add(id);
  const wrongly = await falsePositives(devnet.nodes, honestIds);
  const notes = await kindNotes({
    kind: kind.kind,
    honest: devnet.nodes,
    records: attackers.records(),
    verdicts,
    peers,
  });
  await attackers.stop();
  await load.settle(from, to, SETTLE_MS);
  const during = load.window(from, to);

  const reachedNodes = new Set(verdicts.filter((v) => v.reached).map((v) => v.node));
  const quarantinedBy = [...reachedNodes].filter((node) =>
    verdicts.filter((v) => v.node === node && v.reached).every((v) => v.quarantined),
  ).length;
  const times = verdicts.filter((v) => v.reached).map((v) => v.msToQuarantine);
  const timeToQuarantineMs =
    kind.class === 'contained' || times.length === 0 || times.some((t) => t === null)
      ? null
      : Math.max(...(times as number[]));
  const crashes = [...devnet.crashes.slice(crashesBefore), ...attackers.crashes];
  const result: ScenarioResult = {
    attack: kind.kind,
    class: kind.class,
    honestNodes: devnet.nodes.length,
    attackers: attackerIds.length,
    neighbours: reachedNodes.size,
    quarantinedBy,
    timeToQuarantineMs,
    honestTxSent: during.sent,
    honestTxDeliveredToAll: during.deliveredToAll,
    honestP50Ms: during.p50Ms,
    baselineP50Ms,
    falsePositives: wrongly.length,
    crashes: devnet.crashes.length - crashesBefore,
    peakRssMb: Math.round(devnet.peakRssMb),
    notes: [
      ...wrongly.map((w) => (beforeAttack.has(w) ? `${w}, before any attack` : w)),
      ...(attackerIds.length > processIds.length
        ? [`${processIds.length} attacker process(es) with ${attackerIds.length} identities in all`]
        : []),
      ...crashes.map((c) => `exited: ${c}`),
      ...notes,
    ],
  };
  result.notes.unshift(...missedTargets(result).map((m) => `MISSED: ${m}`));
  return result;
}
