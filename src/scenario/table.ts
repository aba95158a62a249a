/** The scoreboard: scenario results as one text table (`--all` without `--json`). */
import type { ScenarioResult } from './result.js';

const COLUMNS: ReadonlyArray<readonly [string, (r: ScenarioResult) => string]> = [
  ['attack', (r) => r.attack],
  ['class', (r) => r.class],
  ['Q by', (r) => `${r.quarantinedBy}/${r.neighbours}`],
  ['time to Q', (r) => (r.timeToQuarantineMs === null ? '-' : `${r.timeToQuarantineMs} ms`)],
  ['delivered', (r) => `${r.honestTxDeliveredToAll}/${r.honestTxSent}`],
  ['p50', (r) => (r.honestP50Ms === null ? '-' : `${r.honestP50Ms} ms`)],
  ['baseline', (r) => (r.baselineP50Ms === null ? '-' : `${r.baselineP50Ms} ms`)],
  ['FP', (r) => String(r.falsePositives)],
  ['crashes', (r) => String(r.crashes)],
  ['RSS', (r) => `${r.peakRssMb} MB`],
  [
    'missed',
    (r) =>
      r.notes
        .filter((n) => n.startsWith('MISSED: '))
        .map((n) => n.slice(8))
        .join('; ') || 'none',
  ],
];

export function renderScoreboard(results: readonly ScenarioResult[]): string {
  const rows = [COLUMNS.map(([title]) => title), ...results.map((r) => COLUMNS.map(([, cell]) => cell(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .join('\n');
}
