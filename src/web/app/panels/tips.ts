/**
 * The chain tip of every node, so a fork shows: nodes on the same tip share a colour, and the
 * verdict line says whether they agree, are catching up (tips one block apart on one chain) or
 * disagree (different blocks at the same height, or a tip whose parent no other tip explains).
 */
import type { NodeView } from '../../protocol.js';
import { el, relative, shortHash } from '../format.js';

export function renderTips(container: HTMLElement, nodes: readonly NodeView[]): void {
  const up = nodes.filter((n) => n.up && n.tip !== null);
  const rows = nodes.map((n) =>
    el(
      'tr',
      { class: n.up ? 'up' : 'down', 'data-node': n.name },
      el('td', {}, n.name),
      el('td', { class: 'node-state' }, n.up ? 'up' : 'down'),
      el('td', { class: 'num' }, n.height === null ? '-' : String(n.height)),
      el(
        'td',
        { class: 'mono' },
        n.tip === null ? '-' : el('span', { class: 'chip', style: `background:${hashColour(n.tip)}` }),
        n.tip === null ? '' : shortHash(n.tip),
      ),
      el(
        'td',
        {},
        n.up
          ? `${n.peers ?? 0} peers, ${n.quarantined ?? 0} quarantined${n.mining === true ? ', mining' : ''}` +
              (n.partitionSuspected === true ? `; suspects a partition: ${n.partitionReason ?? '?'}` : '')
          : `since ${relative(n.since)}: ${n.error ?? ''}`,
      ),
    ),
  );
  container.replaceChildren(
    el('h2', {}, 'Chain tips'),
    el('p', { class: `verdict ${verdictClass(up)}` }, verdict(up)),
    el(
      'table',
      { class: 'tips' },
      el('thead', {}, el('tr', {}, ...['node', 'state', 'height', 'tip', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows),
    ),
  );
}

function verdict(up: readonly NodeView[]): string {
  const tips = new Set(up.map((n) => n.tip));
  if (up.length === 0) return 'no node answers';
  if (tips.size === 1) return `all ${up.length} nodes on one tip`;
  return isFork(up) ? `fork: ${tips.size} different tips` : `${tips.size} tips, catching up on one chain`;
}

function verdictClass(up: readonly NodeView[]): string {
  return new Set(up.map((n) => n.tip)).size <= 1 ? 'agree' : isFork(up) ? 'fork' : 'catching-up';
}

/** Two tips at one height, or a lower tip that is not the parent of a higher one one block up. */
function isFork(up: readonly NodeView[]): boolean {
  const byHeight = new Map<number, Set<string>>();
  for (const n of up) byHeight.set(n.height!, (byHeight.get(n.height!) ?? new Set()).add(n.tip!));
  if ([...byHeight.values()].some((s) => s.size > 1)) return true;
  const heights = [...byHeight.keys()].sort((a, b) => a - b);
  for (let i = 0; i + 1 < heights.length; i++) {
    const low = [...byHeight.get(heights[i]!)!][0]!;
    const above = up.filter((n) => n.height === heights[i + 1]);
    if (heights[i + 1] === heights[i]! + 1 && above.every((n) => n.tipParent !== low)) return true;
  }
  return false;
}

/** A stable colour per block id (its first 3 bytes), so equal tips look equal. */
function hashColour(hash: string): string {
  return `#${hash.slice(-6)}`;
}
