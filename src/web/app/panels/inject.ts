/**
 * Inject an attacker: pick a kind from the attack catalogue and start it (a POST to the page's
 * server, which runs it as `npm run attacker -- <kind>` does); the attackers started so far and
 * their state are listed below.
 */
import type { AttackerView, AttackKind } from '../../protocol.js';
import { el, shortId } from '../format.js';

export class InjectPanel {
  readonly #select = el('select', { id: 'attack-kind', 'aria-label': 'attack kind' });
  readonly #button = el('button', { id: 'inject', type: 'button' }, 'Start attacker');
  readonly #message = el('span', { class: 'inject-message', role: 'status' });
  readonly #list = el('ul', { class: 'attackers' });
  #kinds = '';

  constructor(container: HTMLElement) {
    this.#button.addEventListener('click', () => void this.#inject());
    container.replaceChildren(
      el('div', { class: 'inject-row' }, this.#select, this.#button, this.#message),
      this.#list,
    );
  }

  update(kinds: readonly AttackKind[], attackers: readonly AttackerView[]): void {
    const key = kinds.map((k) => k.kind).join(',');
    if (key !== this.#kinds) {
      this.#kinds = key;
      this.#select.replaceChildren(
        ...kinds.map((k) => el('option', { value: k.kind, title: k.description }, k.kind)),
      );
    }
    const off = kinds.length === 0;
    this.#select.disabled = off;
    this.#button.disabled = off;
    if (off) this.#button.title = 'Only a trust map started by `npm run devnet` can start attackers.';
    const shown = attackers.find(
      (a) => this.#message.textContent?.startsWith(`${a.kind}: starting`) === true,
    );
    if (shown !== undefined && shown.state !== 'starting') this.#message.textContent = '';
    this.#list.replaceChildren(
      ...attackers.map((a) =>
        el(
          'li',
          { class: `attacker-${a.state}`, 'data-kind': a.kind, 'data-peer': a.peerId ?? '' },
          `${a.kind}: ${a.state}${a.peerId === null ? '' : ` · ${shortId(a.peerId)}`}${a.detail === null ? '' : ` · ${a.detail}`}`,
        ),
      ),
    );
  }

  async #inject(): Promise<void> {
    const kind = this.#select.value;
    this.#button.disabled = true;
    this.#message.textContent = `starting ${kind}…`;
    try {
      const res = await fetch('api/attackers', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ kind }),
      });
      this.#message.textContent = res.ok
        ? `${kind}: starting (a node process; takes a few seconds)`
        : (await res.text()).trim();
    } catch (err) {
      this.#message.textContent = `cannot reach the map's server: ${(err as Error).message}`;
    } finally {
      this.#button.disabled = false;
    }
  }
}
