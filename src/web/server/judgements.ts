/**
 * Feed events from two consecutive readings of one node's `reputation`: a new offence (the
 * offence count grew), a quarantine (the state became `quarantined`), a release (it stopped being
 * quarantined). Pure: readings in, events out. The first reading of a node yields nothing (what
 * it already holds is shown on the map, not replayed as news).
 */
import type { ReputationEntry } from '../../node/api.js';
import type { NewFeedEvent } from './feed.js';

/** Longest evidence quoted in a feed line (unit: characters). */
const MAX_EVIDENCE_CHARS = 100;

export function judgementEvents(
  node: string,
  at: number,
  before: readonly ReputationEntry[] | undefined,
  after: readonly ReputationEntry[],
  labelOf: (peerId: string) => string,
): NewFeedEvent[] {
  if (before === undefined) return [];
  const previous = new Map(before.map((e) => [e.peerId, e]));
  const events: NewFeedEvent[] = [];
  for (const entry of after) {
    const old = previous.get(entry.peerId);
    const who = labelOf(entry.peerId);
    const peerId = entry.peerId;
    const offence = entry.lastOffence;
    if (offence !== null && entry.offences > (old?.offences ?? 0)) {
      const evidence = shorten(offence.evidence);
      events.push({
        time: offence.time || at,
        kind: 'offence',
        node,
        peerId,
        text: `${offence.kind} by ${who}: ${evidence} (penalty ${offence.penalty}, score ${round(entry.score)})`,
      });
    }
    if (entry.state === 'quarantined' && old?.state !== 'quarantined') {
      const until = entry.bannedUntil === null ? '' : ` until ${new Date(entry.bannedUntil).toISOString()}`;
      const why = offence === null ? '' : ` after ${offence.kind}`;
      events.push({ time: at, kind: 'quarantine', node, peerId, text: `quarantined ${who}${until}${why}` });
    }
    if (old?.state === 'quarantined' && entry.state !== 'quarantined') {
      events.push({ time: at, kind: 'release', node, peerId, text: `released ${who} (now ${entry.state})` });
    }
  }
  return events;
}

function shorten(text: string): string {
  return text.length > MAX_EVIDENCE_CHARS ? `${text.slice(0, MAX_EVIDENCE_CHARS)}…` : text;
}

function round(score: number): number {
  return Math.round(score * 100) / 100;
}
