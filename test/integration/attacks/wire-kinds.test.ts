/**
 * The wire attack kinds against two honest victims sharing one network: malformed and oversize
 * messages are flagrant (quarantine on the first), a well-formed request flood is refused by the
 * rate limits until the refusals quarantine it (throttled first). The victims keep trusting each
 * other and keep relaying: a payment made after each attack reaches both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendPayment, waitFor } from '../../helpers/index.js';
import {
  addAttacker,
  decisiveOffence,
  removeAttacker,
  type Stage,
  startStage,
  victimsTrustEachOther,
  waitForQuarantine,
} from './harness.js';

/** Bound (ms) on first offence -> quarantine for flagrant kinds: the 1 s target plus room for load. */
const FLAGRANT_BOUND_MS = 3_000;
/** Bound (ms) for graduated kinds: the 10 s target plus room for load. */
const GRADUATED_BOUND_MS = 15_000;

let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
}, 60_000);
afterAll(async () => {
  await stage?.net.cleanup();
});

const CASES = [
  { kind: 'malformed', offences: ['MALFORMED_MESSAGE'], bound: FLAGRANT_BOUND_MS },
  { kind: 'oversize', offences: ['OVERSIZE_MESSAGE'], bound: FLAGRANT_BOUND_MS },
  { kind: 'request-flood', offences: ['RATE_LIMIT_EXCEEDED'], bound: GRADUATED_BOUND_MS },
] as const;

describe('wire attack kinds are quarantined', () => {
  for (const { kind, offences, bound } of CASES) {
    it(`${kind} -> ${offences.join(' | ')}`, { timeout: 60_000 }, async () => {
      const attacker = await addAttacker(stage, kind);
      const verdicts = await waitForQuarantine(stage, attacker.peerId, 30_000);
      for (const { victim, report, msToQuarantine } of verdicts) {
        const kinds = report.offences.map((o) => o.kind);
        console.log(
          `${kind} on ${victim}: ${kinds.length} offence(s) ${[...new Set(kinds)].join(',')}, quarantined in ${msToQuarantine} ms`,
        );
        expect(offences).toContain(decisiveOffence(report));
        expect(msToQuarantine).toBeLessThanOrEqual(bound);
      }
      await removeAttacker(stage, attacker);
      expect(victimsTrustEachOther(stage)).toBe(true);
      const [h0, h1] = stage.victims;
      const txid = sendPayment(h0!, h1!, 1_000n);
      await waitFor(() => h1!.chain.mempool.has(txid), 10_000, 'a payment from h0 to reach h1');
    });
  }
});
