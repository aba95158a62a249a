/**
 * What the honest nodes decided about the attackers, read from their RPC: which honest nodes an
 * attacker reached (it was ever connected, or offended), which of those quarantined it, how long
 * after its first offence, with which offences; and which honest peers anyone quarantined.
 */
import type { LogRecord } from '../devnet/node-log.js';
import type { PeerReport, ReputationEntry } from '../node/api.js';
import { isOffenceKind, offenceSpec, QUARANTINE_THRESHOLD } from '../p2p/reputation/index.js';
import type { HonestNode } from './honest-devnet.js';

/**
 * The identities an attacker spawned besides its own, from its log records: `identity` (one fresh
 * identity: a Sybil, a malformed form's sender) and `identities` (a list: the eclipse's). They are
 * attackers like the process itself: judged the same way, never counted as false positives.
 */
export function extraIdentities(records: readonly LogRecord[]): string[] {
  const ids = new Set<string>();
  for (const r of records) {
    if (typeof r.identity === 'string') ids.add(r.identity);
    if (Array.isArray(r.identities)) for (const id of r.identities) if (typeof id === 'string') ids.add(id);
  }
  return [...ids];
}

/** Interval (ms) between two polls of who is connected to whom. */
const REACH_POLL_MS = 1_000;

/** Records, while an attack runs, which honest nodes each attacker was ever connected to. */
export class ReachWatcher {
  private readonly reached = new Map<string, Set<number>>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly honest: readonly HonestNode[],
    private readonly attackers: () => readonly string[],
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), REACH_POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Indexes of the honest nodes `attacker` was seen connected to. */
  reachedBy(attacker: string): ReadonlySet<number> {
    return this.reached.get(attacker) ?? new Set();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    const attackers = new Set(this.attackers());
    await Promise.allSettled(
      this.honest.map(async (node, index) => {
        const entries: ReputationEntry[] = await node.rpc.call('reputation');
        for (const entry of entries) {
          if (!attackers.has(entry.peerId) || !(entry.connected || entry.offences > 0)) continue;
          const set = this.reached.get(entry.peerId) ?? new Set<number>();
          set.add(index);
          this.reached.set(entry.peerId, set);
        }
      }),
    );
    this.polling = false;
  }
}

/** One honest node's verdict on one attacker. */
export interface PairVerdict {
  readonly node: string;
  readonly attacker: string;
  readonly reached: boolean;
  readonly quarantined: boolean;
  /** From the first recorded offence to the one that quarantined; null when not quarantined. */
  readonly msToQuarantine: number | null;
  readonly offenceKinds: readonly string[];
  /** The offence history was capped: its first entry is not the first offence. */
  readonly historyCapped: boolean;
  readonly state: string;
}

function decisiveIndex(report: PeerReport): number {
  return report.history.findIndex(
    (o) =>
      (isOffenceKind(o.kind) && offenceSpec(o.kind).class === 'flagrant') ||
      o.scoreAfter <= QUARANTINE_THRESHOLD,
  );
}

/** Every honest node's verdict on every attacker. */
export async function collectVerdicts(
  honest: readonly HonestNode[],
  attackers: readonly string[],
  reach: ReachWatcher,
): Promise<PairVerdict[]> {
  const verdicts = await Promise.all(
    honest.flatMap((node, index) =>
      attackers.map(async (attacker): Promise<PairVerdict> => {
        const report = await node.rpc.call('why', [attacker]).catch(() => undefined);
        const reached = reach.reachedBy(attacker).has(index) || (report?.offences ?? 0) > 0;
        if (report === undefined) {
          return {
            node: node.def.name,
            attacker,
            reached,
            quarantined: false,
            msToQuarantine: null,
            offenceKinds: [],
            historyCapped: false,
            state: 'unknown',
          };
        }
        const quarantined = report.state === 'quarantined';
        const decisive = decisiveIndex(report);
        const first = report.history[0];
        return {
          node: node.def.name,
          attacker,
          reached,
          quarantined,
          msToQuarantine:
            quarantined && decisive >= 0 && first !== undefined
              ? report.history[decisive]!.time - first.time
              : null,
          offenceKinds: [...new Set(report.history.map((o) => o.kind))],
          historyCapped: report.history.length < report.offences,
          state: report.state,
        };
      }),
    ),
  );
  return verdicts;
}

/** Honest peers (by id) that some honest node has quarantined: `node -> peer` lines. */
export async function falsePositives(
  honest: readonly HonestNode[],
  honestIds: ReadonlySet<string>,
): Promise<string[]> {
  const lines = await Promise.all(
    honest.map(async (node) => {
      const entries = await node.rpc.call('reputation').catch((): ReputationEntry[] => []);
      return entries
        .filter((e) => e.state === 'quarantined' && honestIds.has(e.peerId))
        .map(
          (e) =>
            `${node.def.name} quarantined honest ${e.peerId.slice(-8)} (${e.lastOffence?.kind ?? 'no offence'})`,
        );
    }),
  );
  return lines.flat();
}
