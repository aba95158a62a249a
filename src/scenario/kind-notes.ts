/**
 * What a scenario says about a kind beyond the common fields, from the attackers' own log records
 * and the honest nodes' RPC: the double spends' outcome, whether dust is throttled or outbid, the
 * redials refused during a ban and the new identity's standing, the malformed and oversize forms
 * sent, and the offences the honest nodes recorded.
 */
import type { LogRecord } from '../devnet/node-log.js';
import type { HonestNode } from './honest-devnet.js';
import type { PairVerdict } from './verdicts.js';

export interface NoteInput {
  readonly kind: string;
  readonly honest: readonly HonestNode[];
  readonly records: readonly LogRecord[];
  readonly verdicts: readonly PairVerdict[];
}

/** Offence kinds the honest nodes recorded against the attackers, and their states. */
function offenceSummary(verdicts: readonly PairVerdict[]): string {
  const kinds = [...new Set(verdicts.flatMap((v) => v.offenceKinds))];
  const states = verdicts.filter((v) => v.reached).map((v) => v.state);
  const counts = [...new Set(states)].map((s) => `${states.filter((x) => x === s).length} ${s}`);
  return `offences: ${kinds.length === 0 ? 'none' : kinds.join(', ')}; attacker seen as ${counts.join(', ') || 'unreached'}`;
}

async function confirmedAt(node: HonestNode, txid: string): Promise<'confirmed' | 'mempool' | 'absent'> {
  try {
    const tx = await node.rpc.call('tx', [txid]);
    return 'blockId' in tx.status ? 'confirmed' : 'mempool';
  } catch {
    return 'absent';
  }
}

async function doubleSpendNote(input: NoteInput): Promise<string> {
  const pairs = input.records.flatMap((r) => (Array.isArray(r.pair) ? [r.pair as [string, string]] : []));
  let exactlyOne = 0;
  let pending = 0;
  let both = 0;
  let loserPooled = 0;
  for (const pair of pairs) {
    const sides = await Promise.all(
      pair.map((txid) => Promise.all(input.honest.map((n) => confirmedAt(n, txid)))),
    );
    const confirmed = sides.map((states) => states.every((s) => s === 'confirmed'));
    if (confirmed[0] && confirmed[1]) both++;
    else if (confirmed[0] || confirmed[1]) {
      exactlyOne++;
      const loser = sides[confirmed[0] ? 1 : 0]!;
      if (loser.some((s) => s !== 'absent')) loserPooled++;
    } else pending++;
  }
  return (
    `double spends: ${pairs.length} pairs; ${exactlyOne} with exactly one side confirmed everywhere ` +
    `(${loserPooled} with the other side still held somewhere), ${both} with both confirmed, ${pending} not yet confirmed everywhere`
  );
}

async function dustNote(input: NoteInput): Promise<string> {
  const pools = await Promise.all(
    input.honest.map((n) =>
      n.rpc.call('status').then(
        (s) => s.mempool,
        () => -1,
      ),
    ),
  );
  const throttled = input.verdicts.some((v) => v.offenceKinds.includes('RATE_LIMIT_EXCEEDED'));
  return (
    `dust: honest mempools hold ${Math.min(...pools)}-${Math.max(...pools)} transactions; the spammer is ` +
    (throttled
      ? 'throttled by the rate limits'
      : 'not throttled (within the rate limits): merely outbid by higher fees')
  );
}

async function banEvasionNote(input: NoteInput): Promise<string> {
  const redials = input.records.filter((r) => typeof r.redial === 'string');
  const accepted = redials.filter((r) => r.accepted === true).length;
  const fresh = input.records.find((r) => typeof r.freshIdentity === 'string')?.freshIdentity as
    string | undefined;
  let freshText = 'no new identity started';
  if (fresh !== undefined) {
    const reports = await Promise.all(
      input.honest.map((n) => n.rpc.call('why', [fresh]).catch(() => undefined)),
    );
    const connected = reports.filter((r) => r?.connected === true).length;
    const offended = reports.filter((r) => (r?.offences ?? 0) > 0).length;
    freshText = `new identity from the same address: connected to ${connected}, offences held by ${offended}`;
  }
  return `ban evasion: ${accepted} of ${redials.length} redials during the ban accepted; ${freshText}`;
}

function formsNote(input: NoteInput): string {
  const forms = [...new Set(input.records.flatMap((r) => (typeof r.form === 'string' ? [r.form] : [])))];
  return `forms sent: ${forms.join('; ') || 'none'} (each attacker is quarantined on its first, so later forms reach no one)`;
}

/** The notes of one scenario beyond its missed targets. */
export async function kindNotes(input: NoteInput): Promise<string[]> {
  const notes = [offenceSummary(input.verdicts)];
  if (input.verdicts.some((v) => v.historyCapped))
    notes.push('offence history capped: time to quarantine from its oldest entry');
  switch (input.kind) {
    case 'double-spend':
      notes.push(await doubleSpendNote(input));
      break;
    case 'dust-spam':
      notes.push(await dustNote(input));
      break;
    case 'ban-evasion':
      notes.push(await banEvasionNote(input));
      break;
    case 'malformed':
    case 'oversize':
      notes.push(formsNote(input));
      break;
    case 'inflation-block': {
      const sealed = input.records.filter((r) => r.sealed === true).length;
      const stale = input.records.filter((r) => r.sealed === false).length;
      notes.push(
        `inflating blocks sent: ${sealed}; abandoned because the tip moved while sealing: ${stale} ` +
          '(each needs real proof of work on the tip, a race against the honest miners)',
      );
      break;
    }
    case 'bad-merkle-block':
      notes.push(
        'the real block behind a mutated list is re-delivered by an honest peer in test/integration/attacks only',
      );
      break;
    case 'honest-under-stress':
      notes.push('the "attacker" is honest: any quarantine of it counts as a false positive');
      break;
  }
  return notes;
}
