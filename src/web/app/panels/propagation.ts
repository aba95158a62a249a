/**
 * Propagation of the latest transaction and block: which nodes have it and how long after its
 * creation the page's server first saw it there (polls about once a second, so an upper bound).
 */
import type { PropagationView } from '../../protocol.js';
import { el, shortHash } from '../format.js';

export function renderPropagation(
  container: HTMLElement,
  tx: PropagationView | undefined,
  block: PropagationView | undefined,
): void {
  container.replaceChildren(
    el('h2', {}, 'Propagation'),
    section('Latest transaction', tx),
    section('Latest block', block),
  );
}

function section(title: string, view: PropagationView | undefined): HTMLElement {
  if (view === undefined)
    return el('div', { class: 'prop' }, el('h3', {}, title), el('p', { class: 'hint' }, 'none seen yet'));
  const entries = Object.entries(view.seenAt);
  const have = entries.filter(([, at]) => at !== null);
  const slowest = have.length === 0 ? null : Math.max(...have.map(([, at]) => at! - view.createdAt));
  const name = `${view.kind === 'block' ? `block ${view.height} ` : 'tx '}${shortHash(view.id)}…`;
  const summary = `${name}: ${have.length}/${entries.length} nodes${have.length === entries.length && slowest !== null ? `, all within ${seconds(slowest)}` : ''}`;
  return el(
    'div',
    { class: 'prop', 'data-kind': view.kind },
    el('h3', {}, title),
    el('p', {}, summary),
    el(
      'ul',
      { class: 'seen' },
      ...entries.map(([node, at]) =>
        el(
          'li',
          { class: at === null ? 'missing' : 'have' },
          `${node} ${at === null ? '—' : `✓ ≤${seconds(at - view.createdAt)}`}`,
        ),
      ),
    ),
  );
}

function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}
