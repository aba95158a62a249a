/**
 * The event feed, newest on top: offences, quarantines, releases, blocks, reorgs, partition
 * suspicions, nodes down and back, attackers. A line naming a peer opens its `why`.
 */
import type { FeedEvent } from '../../protocol.js';
import { clock, el } from '../format.js';

/** Lines kept in the page (unit: lines). */
const MAX_LINES = 200;

export class FeedPanel {
  readonly #list: HTMLElement;

  constructor(
    container: HTMLElement,
    private readonly onPeer: (event: FeedEvent) => void,
  ) {
    this.#list = el('ol', { class: 'feed', reversed: '' });
    container.replaceChildren(el('h2', {}, 'Events'), this.#list);
  }

  reset(events: readonly FeedEvent[]): void {
    this.#list.replaceChildren();
    this.append(events);
  }

  append(events: readonly FeedEvent[]): void {
    for (const event of events) {
      const line = el(
        'li',
        { class: `feed-${event.kind}`, 'data-kind': event.kind },
        el('span', { class: 'time' }, clock(event.time)),
        el('span', { class: 'who' }, event.node),
        el('span', { class: 'kind' }, event.kind),
        el('span', { class: 'text' }, event.text),
      );
      if (event.peerId !== undefined) {
        line.classList.add('link');
        line.addEventListener('click', () => this.onPeer(event));
      }
      this.#list.prepend(line);
    }
    while (this.#list.children.length > MAX_LINES) this.#list.lastElementChild?.remove();
  }
}
