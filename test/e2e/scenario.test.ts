/**
 * `npm run scenario -- invalid-signature --json --duration 20`: a 6-node honest devnet of separate
 * processes with payments and mining, one invalid-signature attacker process, and one JSON object
 * with exactly the fields of the scoreboard, in which every honest neighbour of the attacker
 * quarantined it and no node crashed. Time targets are printed, not asserted: they depend on the
 * machine's load, and the scenario itself reports each missed target in `notes`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Processes } from './helpers.js';

const processes = new Processes();
afterAll(() => processes.killAll());

const FIELDS = [
  'attack',
  'class',
  'honestNodes',
  'attackers',
  'neighbours',
  'quarantinedBy',
  'timeToQuarantineMs',
  'honestTxSent',
  'honestTxDeliveredToAll',
  'honestP50Ms',
  'baselineP50Ms',
  'falsePositives',
  'crashes',
  'peakRssMb',
  'notes',
];

describe('npm run scenario', () => {
  it(
    'invalid-signature --json: quarantined by every honest neighbour, one JSON object',
    { timeout: 240_000 },
    async () => {
      const { code, stdout, stderr } = await processes.run(
        ['scripts/scenario.ts', 'invalid-signature', '--json', '--duration', '20'],
        { timeoutMs: 220_000 },
      );
      expect(code, stderr).toBe(0);
      const result = JSON.parse(stdout) as Record<string, unknown>;
      console.log(JSON.stringify(result, null, 2));
      expect(Object.keys(result)).toEqual(FIELDS);
      expect(result.attack).toBe('invalid-signature');
      expect(result.class).toBe('flagrant');
      expect(result.honestNodes).toBe(6);
      expect(result.attackers).toBe(1);
      expect(result.neighbours).toBeGreaterThan(0);
      expect(result.quarantinedBy).toBe(result.neighbours);
      expect(typeof result.timeToQuarantineMs).toBe('number');
      expect(result.honestTxSent).toBeGreaterThan(0);
      expect(result.honestTxDeliveredToAll).toBeLessThanOrEqual(result.honestTxSent as number);
      expect(result.crashes).toBe(0);
      expect(result.peakRssMb).toBeGreaterThan(0);
      expect(Array.isArray(result.notes)).toBe(true);
    },
  );
});
