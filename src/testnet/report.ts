/**
 * The testnet's result: the figures the issue asks for (`hosts`, `txSent`, `txDeliveredToAll`,
 * `p50Ms`, `p95Ms`, `blocks`, `forks`, `quarantines`, `falsePositives`, and for a partition run its
 * detection and `healToConvergedMs`), how they were obtained, and whether the goals were met.
 *
 * Definitions:
 * - a payment is delivered to a node when the node accepted it into its mempool or connected a
 *   block confirming it (the host probe's `acc`/`cfm` lines); `p50Ms`/`p95Ms` are over the time
 *   from the sender's acceptance to the last honest node's;
 * - `txLost`: payments neither on the final common chain nor in some honest node's mempool;
 * - `blocks`: height of the final chain; `forks`: blocks mined during the run that are not on it;
 * - `quarantines`: (honest node, attacker) pairs where the node quarantined the attacker;
 * - a partition run also fails when no node reported `partitionSuspected` in its status;
 *   `falsePositives`: (honest node, honest peer) pairs quarantined.
 */
import type { LinkShape } from './link-shaping.js';
import type { TestnetNode } from './nodes.js';
import type { Observer } from './observer.js';
import type { AttackerSpec, TestnetOptions } from './options.js';

/** Undelivered payments listed in the report (diagnostics). */
const UNDELIVERED_SHOWN = 10;

/** Goals of a run: heal to converged within this long (unit: ms). */
export const HEAL_GOAL_MS = 10_000;

export interface SentTx {
  readonly txid: string;
  /** Host index of the sender. */
  readonly origin: number;
  readonly requestedAt: number;
}

export interface PartitionRecord {
  readonly atS: number;
  readonly healAtS: number;
  readonly groups: number[][];
  cutAt: number | null;
  healedAt: number | null;
  /** Host index -> ms from the cut until its status said partitionSuspected. */
  readonly detection: Map<number, number>;
  /** Whether the nodes' status carries `partitionSuspected` at all. */
  detectionReported: boolean;
  healToConvergedMs: number | null;
  sentBeforeHeal: number;
  /** The transaction that reached its last node latest after the heal, and that node. */
  lastArrival: { txid: string; origin: number; host: number; msAfterHeal: number } | null;
}

/** A node's view of its peers at the end (diagnostics). */
export interface PeerView {
  readonly height: number;
  readonly peers: number;
  /** Lowest trust score among its connected peers (0 when all are clean). */
  readonly minTrustScore: number;
  /** Lowest gossipsub score among them (below -80 a peer is graylisted). */
  readonly minGossipsubScore: number;
}

export interface FinalState {
  readonly converged: boolean;
  readonly height: number;
  readonly tip: string;
  readonly blockIds: ReadonlySet<string>;
  readonly chainTxids: ReadonlySet<string>;
  readonly mempools: ReadonlyMap<number, ReadonlySet<string>>;
  readonly tips: ReadonlyMap<number, string>;
  readonly peers: ReadonlyMap<number, PeerView>;
  readonly metricsQuarantines: number;
}

export interface TestnetReport {
  hosts: number;
  attackers: readonly AttackerSpec[];
  link: LinkShape;
  durationS: number;
  txRate: number;
  txSent: number;
  txDeliveredToAll: number;
  txLost: number;
  p50Ms: number | null;
  p95Ms: number | null;
  blocks: number;
  forks: number;
  reorgs: number;
  quarantines: number;
  falsePositives: number;
  /** Per attacker: the honest hosts that quarantined it. */
  attackersQuarantinedBy: Record<string, string[]>;
  /** Sum of trustmesh_quarantines_total over the honest nodes' /metrics. */
  metricsQuarantinesTotal: number;
  converged: boolean;
  /** Up to UNDELIVERED_SHOWN payments that missed some honest node: sender, send time, where missing. */
  undelivered: Array<{ txid: string; from: string; sentAtS: number; missingAt: string[]; lost: boolean }>;
  /** Per honest node at the end: height, connected peers, lowest trust and gossipsub scores among them. */
  nodesAtEnd: Record<string, PeerView>;
  readyMs: number;
  partition?: {
    atS: number;
    healAtS: number;
    groups: string[][];
    detection: { reported: boolean; nodes: Array<{ host: string; afterCutMs: number }> };
    healToConvergedMs: number | null;
    txSentBeforeHeal: number;
    /** What convergence waited for last: a transaction, its sender and the last node to get it. */
    lastArrival: { txid: string; origin: string; host: string; msAfterHeal: number } | null;
  };
  pass: boolean;
  failures: string[];
}

/** The p-th percentile (nearest rank, linear interpolation); null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const value = sorted[low]! + (sorted[Math.ceil(rank)]! - sorted[low]!) * (rank - low);
  return Math.round(value);
}

export interface ReportInput {
  readonly options: TestnetOptions;
  readonly nodes: readonly TestnetNode[];
  readonly observer: Observer;
  readonly sent: readonly SentTx[];
  readonly final: FinalState;
  readonly partition: PartitionRecord | undefined;
  readonly readyMs: number;
}

export function buildReport(input: ReportInput): TestnetReport {
  const { options, nodes, observer, sent, final, partition } = input;
  const honest = nodes.filter((n) => n.attackKind === null);
  const honestHosts = honest.map((n) => n.host.index);
  const nameOf = new Map(nodes.map((n) => [n.host.index, n.name]));
  const attackerIds = new Map(nodes.filter((n) => n.attackKind !== null).map((n) => [n.peerId, n.name]));
  const honestIds = new Set(honest.map((n) => n.peerId));

  const spreads = sent
    .map((tx) => observer.spreadMs(tx.txid, tx.origin, honestHosts))
    .filter((ms): ms is number => ms !== undefined);
  const delivered = sent.filter((tx) => observer.deliveredToAll(tx.txid, honestHosts)).length;
  const isLost = (tx: SentTx): boolean =>
    honestHosts.some(
      (h) => !final.chainTxids.has(tx.txid) && !(final.mempools.get(h)?.has(tx.txid) ?? false),
    );
  const lost = sent.filter(isLost).length;
  const firstSend = Math.min(...sent.map((tx) => tx.requestedAt));
  const undelivered = sent
    .filter((tx) => !observer.deliveredToAll(tx.txid, honestHosts))
    .slice(0, UNDELIVERED_SHOWN)
    .map((tx) => ({
      txid: tx.txid.slice(0, 16),
      from: nameOf.get(tx.origin)!,
      sentAtS: Math.round((tx.requestedAt - firstSend) / 100) / 10,
      missingAt: honestHosts.filter((h) => !observer.arrivals(tx.txid).has(h)).map((h) => nameOf.get(h)!),
      lost: isLost(tx),
    }));

  const pairs = new Set<string>();
  const falsePairs = new Set<string>();
  const caughtBy: Record<string, string[]> = Object.fromEntries(
    [...attackerIds.values()].map((name) => [name, []]),
  );
  for (const q of observer.quarantines) {
    if (!honestHosts.includes(q.by)) continue;
    const key = `${q.by}|${q.peer}`;
    const attacker = attackerIds.get(q.peer);
    if (attacker !== undefined && !pairs.has(key)) {
      pairs.add(key);
      caughtBy[attacker]!.push(nameOf.get(q.by)!);
    } else if (honestIds.has(q.peer)) falsePairs.add(key);
  }
  const forks = [...observer.mined].filter((id) => !final.blockIds.has(id)).length;

  const failures: string[] = [];
  if (delivered < sent.length)
    failures.push(`${sent.length - delivered} of ${sent.length} payments did not reach every honest node`);
  if (lost > 0) failures.push(`${lost} payments lost (neither on the chain nor in every mempool)`);
  if (falsePairs.size > 0) failures.push(`${falsePairs.size} honest peers quarantined by honest nodes`);
  for (const [name, by] of Object.entries(caughtBy))
    if (by.length === 0) failures.push(`${name} was quarantined by no honest node`);
  if (!final.converged) failures.push('the honest nodes did not converge on one tip');
  if (partition !== undefined && !partition.detectionReported)
    failures.push('the nodes do not report partitionSuspected');
  else if (partition !== undefined && partition.detection.size === 0)
    failures.push('no node reported the partition');
  if (
    partition !== undefined &&
    (partition.healToConvergedMs === null || partition.healToConvergedMs > HEAL_GOAL_MS)
  ) {
    failures.push(
      `heal to converged took ${partition.healToConvergedMs ?? 'more than the drain timeout of'} ms (goal ${HEAL_GOAL_MS} ms)`,
    );
  }

  return {
    hosts: options.hosts,
    attackers: options.attackers,
    link: options.link,
    durationS: options.durationS,
    txRate: options.txRate,
    txSent: sent.length,
    txDeliveredToAll: delivered,
    txLost: lost,
    p50Ms: percentile(spreads, 50),
    p95Ms: percentile(spreads, 95),
    blocks: final.height,
    forks,
    reorgs: observer.reorgs,
    quarantines: pairs.size,
    falsePositives: falsePairs.size,
    attackersQuarantinedBy: caughtBy,
    metricsQuarantinesTotal: final.metricsQuarantines,
    converged: final.converged,
    undelivered,
    nodesAtEnd: Object.fromEntries([...final.peers].map(([host, view]) => [nameOf.get(host)!, view])),
    readyMs: input.readyMs,
    ...(partition === undefined
      ? {}
      : {
          partition: {
            atS: partition.atS,
            healAtS: partition.healAtS,
            groups: partition.groups.map((g) => g.map((i) => nameOf.get(i)!)),
            detection: {
              reported: partition.detectionReported,
              nodes: [...partition.detection].map(([host, afterCutMs]) => ({
                host: nameOf.get(host)!,
                afterCutMs,
              })),
            },
            healToConvergedMs: partition.healToConvergedMs,
            txSentBeforeHeal: partition.sentBeforeHeal,
            lastArrival:
              partition.lastArrival === null
                ? null
                : {
                    txid: partition.lastArrival.txid,
                    origin: nameOf.get(partition.lastArrival.origin)!,
                    host: nameOf.get(partition.lastArrival.host)!,
                    msAfterHeal: partition.lastArrival.msAfterHeal,
                  },
          },
        }),
    pass: failures.length === 0,
    failures,
  };
}
