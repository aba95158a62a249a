/**
 * Colours of trust: a score below zero goes from grey to red (full red at -50 and below, where
 * quarantine has long struck), above zero from grey to green (full at +10, a peer with a good
 * record). Quarantined is always dark red. Pure, shared by the graph and the tables.
 */
import type { PeerState } from '../protocol.js';

/** Score at which the colour is fully red (unit: trust score points). */
const FULL_RED_AT = -50;
/** Score at which the colour is fully green (unit: trust score points). */
const FULL_GREEN_AT = 10;

const NEUTRAL = [154, 165, 177] as const;
const RED = [214, 40, 40] as const;
const GREEN = [42, 157, 90] as const;
export const QUARANTINED_COLOUR = '#7a0010';
export const UNKNOWN_COLOUR = '#c8ced6';

export function scoreColour(score: number | null, state?: PeerState): string {
  if (state === 'quarantined') return QUARANTINED_COLOUR;
  if (score === null) return UNKNOWN_COLOUR;
  const [to, t] =
    score < 0 ? [RED, Math.min(1, score / FULL_RED_AT)] : [GREEN, Math.min(1, score / FULL_GREEN_AT)];
  const channel = (i: 0 | 1 | 2) =>
    Math.round(NEUTRAL[i] + (to[i] - NEUTRAL[i]) * t)
      .toString(16)
      .padStart(2, '0');
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}
