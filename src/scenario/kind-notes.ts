/**
 * What a scenario says about a kind beyond the common fields, from the attackers' own log records
 * and the honest nodes' RPC: the double spends' outcome, whether dust is throttled or outbid, the
 * redials refused during a ban and the new identity's standing, the malformed and oversize forms
 * sent, the Sybil identities and the lowest score of an honest peer, the eclipse victim's honest
 * outbound peers and tip, and the offences the honest nodes recorded. A target a kind misses beyond
 * the common ones (a graylisted honest peer, an eclipsed victim) is a note starting `MISSED: `.
 */
import type { LogRecord } from '../devnet/node-log.js';
import { SCORE_THRESHOLDS } from '../p2p/node/gossip-config.js';
import type { HonestNode } from './honest-devnet.js';
import type { PeerWatch } from './peer-watch.js';
import type { PairVerdict } from './verdicts.js';

/** Blocks an eclipse victim's tip may trail the best honest tip when read (one may be in flight). */
const ECLIPSE_TIP_LAG_BLOCKS = 1;

export interface NoteInput {
  readonly kind: string;
  readonly honest: readonly HonestNode[];
  readonly records: readonly LogRecord[];
  readonly verdicts: readonly PairVerdict[];
  /** The honest nodes' connections while the attack ran. */
  readonly peers: PeerWatch;
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

function sybilNotes(input: NoteInput): string[] {
  const sybils = input.records.filter((r) => typeof r.identity === 'string' && typeof r.phase === 'string');
  const byPhase = [...new Set(sybils.map((r) => `${r.phase as string}`))].map((phase) => {
    const of = sybils.filter((r) => r.phase === phase);
    const hosts = [...new Set(of.map((r) => r.host as string))];
    const reached = of.filter((r) => Array.isArray(r.offendedAt) && r.offendedAt.length > 0).length;
    return `${of.length} from ${phase === 'shared-address' ? `the honest address ${hosts.join(', ')}` : `${hosts.length} own addresses`} (${reached} reached a victim)`;
  });
  const notes = [`sybil identities: ${byPhase.join('; ') || 'none logged'}`];
  const lowest = input.peers.lowestHonestScore;
  const threshold = SCORE_THRESHOLDS.graylistThreshold;
  if (lowest === undefined) notes.push('no gossipsub score of an honest peer was sampled');
  else {
    const text = `lowest gossipsub score of an honest peer: ${lowest.score.toFixed(1)} (${lowest.peer} at ${lowest.node}; graylist threshold ${threshold})`;
    notes.push(lowest.score < threshold ? `MISSED: ${text}` : text);
  }
  return notes;
}

async function eclipseNotes(input: NoteInput): Promise<string[]> {
  const start = input.records.find((r) => typeof r.eclipseVictim === 'string');
  const victim = input.honest.find((n) => n.peerId === start?.eclipseVictim);
  if (start === undefined || victim === undefined) return ['MISSED: the eclipse never started'];
  const name = victim.def.name;
  const fewest = input.peers.fewestHonestOutboundOf(name);
  const rounds = input.records.filter((r) => typeof r.eclipseConnected === 'number');
  const addrSent = Math.max(0, ...rounds.map((r) => r.addrSent as number));
  const heights = await Promise.all(
    input.honest.map((n) =>
      n.rpc.call('status').then(
        (s) => s.height,
        () => -1,
      ),
    ),
  );
  const victimHeight = heights[input.honest.indexOf(victim)]!;
  const best = Math.max(...heights);
  const book = await victim.rpc.call('addrbook').catch(() => undefined);
  const identities = new Set((start.identities as string[] | undefined) ?? []);
  const bookText =
    book === undefined
      ? ''
      : `; ${book.filter((e: { peerId: string }) => identities.has(e.peerId)).length} of its ${book.length} address book entries are attacker identities`;
  const notes = [
    `eclipse victim ${name}: at most ${input.peers.mostAttackersAt(name)} attacker identities connected at once, ${addrSent} addr messages sent${bookText}; stale chain at height ${start.staleHeight as number}`,
  ];
  const outbound = `fewest honest outbound peers at the victim: ${fewest ?? 'never sampled'}`;
  notes.push(fewest === undefined || fewest < 1 ? `MISSED: ${outbound}` : outbound);
  const tip = `victim height ${victimHeight}, best honest height ${best}`;
  notes.push(victimHeight < best - ECLIPSE_TIP_LAG_BLOCKS ? `MISSED: ${tip} (held behind)` : tip);
  return notes;
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
    case 'sybil':
      notes.push(...sybilNotes(input));
      break;
    case 'eclipse':
      notes.push(...(await eclipseNotes(input)));
      break;
    case 'honest-under-stress':
      notes.push('the "attacker" is honest: any quarantine of it counts as a false positive');
      break;
  }
  return notes;
}
