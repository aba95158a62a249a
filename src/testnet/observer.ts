/**
 * What the testnet learns from its nodes' stdout: per transaction, when each node first had it
 * (probe `acc`: into the mempool, `cfm`: confirmed by a block it connected), the quarantines each
 * node logged (from its log file), the reorgs, and the blocks the launcher had mined. Pure
 * bookkeeping; the runner feeds it lines.
 */
import type { HostLine } from './host-node.js';

export interface QuarantineSeen {
  /** Host index of the node that quarantined. */
  readonly by: number;
  readonly peer: string;
  readonly kind: string;
  readonly t: number;
}

export class Observer {
  /** txid -> host index -> first time (ms) the host had it. */
  private readonly seen = new Map<string, Map<number, number>>();
  readonly quarantines: QuarantineSeen[] = [];
  /** Ids of the blocks mined on the launcher's request. */
  readonly mined = new Set<string>();
  reorgs = 0;

  /** Handles one stdout line of host `index`. */
  record(index: number, line: HostLine): void {
    if (line.probe === 'acc' && typeof line.id === 'string') this.saw(line.id, index, line.t as number);
    else if (line.probe === 'cfm' && Array.isArray(line.ids)) {
      for (const id of line.ids as string[]) this.saw(id, index, line.t as number);
    } else if (typeof line.msg === 'string') {
      if (line.msg.startsWith('quarantined ') && typeof line.peer === 'string') {
        this.quarantines.push({
          by: index,
          peer: line.peer,
          kind: String(line.kind),
          t: Number(line.time ?? Date.now()),
        });
      } else if (line.msg === 'reorg') this.reorgs++;
    }
  }

  private saw(txid: string, index: number, t: number): void {
    let byHost = this.seen.get(txid);
    if (byHost === undefined) {
      byHost = new Map();
      this.seen.set(txid, byHost);
    }
    if (!byHost.has(index)) byHost.set(index, t);
  }

  /** When each host first had `txid`. */
  arrivals(txid: string): ReadonlyMap<number, number> {
    return this.seen.get(txid) ?? new Map();
  }

  /** Whether every host in `hosts` has had `txid`. */
  deliveredToAll(txid: string, hosts: readonly number[]): boolean {
    const byHost = this.seen.get(txid);
    return byHost !== undefined && hosts.every((h) => byHost.has(h));
  }

  /** The host of `hosts` that had `txid` last, and when (ms); undefined when one never had it. */
  lastArrival(txid: string, hosts: readonly number[]): { host: number; t: number } | undefined {
    const byHost = this.seen.get(txid);
    if (byHost === undefined || !this.deliveredToAll(txid, hosts)) return undefined;
    let last: { host: number; t: number } | undefined;
    for (const host of hosts) {
      const t = byHost.get(host)!;
      if (last === undefined || t > last.t) last = { host, t };
    }
    return last;
  }

  /**
   * Time (ms) from `origin`'s first sight of `txid` to the last of `hosts` having it; undefined
   * when some host never had it.
   */
  spreadMs(txid: string, origin: number, hosts: readonly number[]): number | undefined {
    const byHost = this.seen.get(txid);
    const start = byHost?.get(origin);
    if (byHost === undefined || start === undefined || !this.deliveredToAll(txid, hosts)) return undefined;
    return Math.max(...hosts.map((h) => byHost.get(h)!)) - start;
  }
}
