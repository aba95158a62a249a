/**
 * Every form of the malformed and oversize kinds, each sent by its own attacker (a fresh identity)
 * to two honest victims sharing one network: each form alone gets its sender quarantined by both
 * on the first offence, MALFORMED_MESSAGE or OVERSIZE_MESSAGE, on every topic and stream protocol.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MALFORMED_FORMS,
  misbehaviour as malformed,
  sendMalformed,
} from '../../../src/attacks/kinds/malformed.js';
import {
  misbehaviour as oversize,
  OVERSIZE_FORMS,
  sendOversize,
} from '../../../src/attacks/kinds/oversize.js';
import {
  addAttacker,
  decisiveOffence,
  removeAttacker,
  type Stage,
  startStage,
  victimsTrustEachOther,
  waitForQuarantine,
} from './harness.js';
import { waitFor } from '../../helpers/index.js';
import { readLog } from '../reputation/observe.js';

/** The fresh identities an attacker logged (`identity`), once there are `count`. */
async function loggedIdentities(dataDir: string, count: number): Promise<string[]> {
  let ids: string[] = [];
  await waitFor(
    async () => {
      ids = [
        ...new Set(
          (await readLog(dataDir)).flatMap((l) => (typeof l.identity === 'string' ? [l.identity] : [])),
        ),
      ];
      return ids.length >= count;
    },
    20_000,
    'the fresh identities',
  );
  return ids.slice(0, count);
}

let stage: Stage;
beforeAll(async () => {
  stage = await startStage();
}, 60_000);
afterAll(async () => {
  await stage?.net.cleanup();
});

const CASES = [
  ...MALFORMED_FORMS.map(([form], i) => ({
    form,
    offence: 'MALFORMED_MESSAGE',
    attack: { ...malformed, act: (ctx: Parameters<typeof malformed.act>[0]) => sendMalformed(ctx, i) },
  })),
  ...OVERSIZE_FORMS.map(([form], i) => ({
    form,
    offence: 'OVERSIZE_MESSAGE',
    attack: { ...oversize, act: (ctx: Parameters<typeof oversize.act>[0]) => sendOversize(ctx, i) },
  })),
];

describe('each malformed and oversize form alone is a flagrant offence', () => {
  for (const { form, offence, attack } of CASES) {
    it(`${form} -> ${offence}`, { timeout: 40_000 }, async () => {
      const attacker = await addAttacker(stage, attack.kind, attack);
      // A form sent from fresh identities (one per victim) is judged on those identities.
      const senders = form.includes('(new identity)')
        ? await loggedIdentities(attacker.node.config.dataDir, stage.victims.length)
        : [attacker.peerId];
      for (const sender of senders) {
        const verdicts = await waitForQuarantine(stage, sender, 20_000, form.includes('(new identity)'));
        for (const { report } of verdicts) {
          expect(decisiveOffence(report)).toBe(offence);
          expect(report.offences).toHaveLength(1);
        }
      }
      await removeAttacker(stage, attacker);
      expect(victimsTrustEachOther(stage)).toBe(true);
    });
  }
});
