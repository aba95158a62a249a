/**
 * One scenario's result, exactly the fields issue 13 lists, and the targets it is held to: flagrant
 * kinds quarantined by every honest neighbour within 1 s of the first offence, graduated kinds
 * within 10 s, contained kinds harmless; honest delivery 100%; honest p50 during the attack at most
 * twice the same network's p50 before it; no false positives; no crashes; no honest node's resident
 * memory above MAX_HONEST_RSS_MB. Every missed target becomes a note with its measured value.
 */
import type { AttackClass } from '../attacks/attack.js';

export interface ScenarioResult {
  attack: string;
  class: AttackClass;
  honestNodes: number;
  /** Attacker identities: each process's own, plus those it spawned and logged (Sybils, eclipse peers). */
  attackers: number;
  /** Honest nodes that an attacker reached. */
  neighbours: number;
  /** Of those, how many quarantined every attacker that reached them. */
  quarantinedBy: number;
  /** Max over honest neighbours, from an attacker's first offence to its quarantine; null for contained kinds. */
  timeToQuarantineMs: number | null;
  honestTxSent: number;
  honestTxDeliveredToAll: number;
  honestP50Ms: number | null;
  baselineP50Ms: number | null;
  /** Honest peers quarantined by anyone. */
  falsePositives: number;
  crashes: number;
  peakRssMb: number;
  notes: string[];
}

/** Quarantine targets (ms from the first offence) per class. */
export const QUARANTINE_TARGET_MS: Readonly<Record<AttackClass, number | null>> = {
  flagrant: 1_000,
  graduated: 10_000,
  contained: null,
};
/** Honest p50 during an attack may be at most this multiple of the baseline p50. */
export const LATENCY_FACTOR = 2;
/**
 * Largest resident memory (MB) of an honest node during an attack: a node idles at ~210-245 MB
 * (docs/attacks.md scoreboard); twice that would mean an attack made it hold per-peer or
 * per-identity state it should not.
 */
export const MAX_HONEST_RSS_MB = 512;

/** The targets `result` misses, one line each with the measured value. */
export function missedTargets(result: ScenarioResult): string[] {
  const missed: string[] = [];
  const target = QUARANTINE_TARGET_MS[result.class];
  if (target !== null) {
    if (result.quarantinedBy < result.neighbours) {
      missed.push(`quarantined by ${result.quarantinedBy} of ${result.neighbours} honest neighbours`);
    }
    if (result.timeToQuarantineMs === null) missed.push('never quarantined');
    else if (result.timeToQuarantineMs > target) {
      missed.push(`quarantine took ${result.timeToQuarantineMs} ms (target ${target} ms)`);
    }
  }
  if (result.honestTxDeliveredToAll < result.honestTxSent) {
    missed.push(`honest delivery ${result.honestTxDeliveredToAll}/${result.honestTxSent}`);
  }
  if (
    result.honestP50Ms !== null &&
    result.baselineP50Ms !== null &&
    result.honestP50Ms > LATENCY_FACTOR * Math.max(result.baselineP50Ms, 1)
  ) {
    missed.push(
      `honest p50 ${result.honestP50Ms} ms > ${LATENCY_FACTOR}x baseline ${result.baselineP50Ms} ms`,
    );
  }
  if (result.falsePositives > 0) missed.push(`${result.falsePositives} false positive(s)`);
  if (result.peakRssMb > MAX_HONEST_RSS_MB)
    missed.push(`peak honest RSS ${result.peakRssMb} MB > ${MAX_HONEST_RSS_MB} MB`);
  if (result.crashes > 0) missed.push(`${result.crashes} crash(es)`);
  return missed;
}
