/**
 * A peer's `why` as one node sees it (asked through the page's server): state, score, ban reason
 * and expiry, offence counts, the offence history with evidence, the gossipsub score components,
 * and the score over time (the node's own `scoreHistory`, or the server's samples).
 */
import type { WhyAnswer } from '../../protocol.js';
import { clock, el, relative, score } from '../format.js';
import { ScoreChart } from './score-chart.js';

interface Offence {
  time: number;
  kind: string;
  evidence: string;
  penalty: number;
  scoreAfter: number;
}

interface Report {
  peerId: string;
  state: string;
  score: number;
  connected: boolean;
  bannedUntil: number | null;
  banReason: string | null;
  offenceCounts: Record<string, number>;
  history: Offence[];
  gossipsub: Record<string, unknown> | null;
}

export class WhyPanel {
  #target: { node: string; peerId: string; label: string } | null = null;
  #loading = false;
  readonly #body: HTMLElement;
  readonly #chart: ScoreChart;
  readonly #chartBox: HTMLElement;

  constructor(private readonly container: HTMLElement) {
    this.#body = el('div', { class: 'why-body' });
    this.#chartBox = el('div', { class: 'chart' });
    this.#chart = new ScoreChart(this.#chartBox);
    container.replaceChildren(
      el('h2', {}, 'Why'),
      el('p', { class: 'hint' }, 'Click a peer, a link or a peer row.'),
    );
  }

  get target(): { node: string; peerId: string } | null {
    return this.#target;
  }

  show(node: string, peerId: string, label: string): void {
    const same = this.#target?.node === node && this.#target.peerId === peerId;
    this.#target = { node, peerId, label };
    if (!same) {
      this.#chart.clear();
      this.#body.replaceChildren(el('p', { class: 'hint' }, 'asking…'));
      this.container.replaceChildren(
        el('h2', {}, `Why: ${label} as ${node} sees it`),
        this.#body,
        this.#chartBox,
      );
    }
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const target = this.#target;
    if (target === null || this.#loading) return;
    this.#loading = true;
    try {
      const res = await fetch(
        `api/why?node=${encodeURIComponent(target.node)}&peer=${encodeURIComponent(target.peerId)}`,
      );
      if (this.#target !== target) return;
      if (!res.ok) {
        this.#body.replaceChildren(el('p', { class: 'error' }, (await res.text()).trim()));
        return;
      }
      this.#render((await res.json()) as WhyAnswer);
    } catch (err) {
      this.#body.replaceChildren(
        el('p', { class: 'error' }, `cannot reach the map's server: ${(err as Error).message}`),
      );
    } finally {
      this.#loading = false;
    }
  }

  #render(answer: WhyAnswer): void {
    if (answer.report === null) {
      this.#body.replaceChildren(
        el('p', { class: 'error' }, answer.error ?? 'no answer'),
        this.#historyNote(answer),
      );
      this.#chart.show(answer.points);
      return;
    }
    const r = answer.report as Report;
    const now = Date.now();
    const facts = el(
      'dl',
      { class: 'facts' },
      el('dt', {}, 'peer'),
      el('dd', { class: 'mono' }, r.peerId),
      el('dt', {}, 'state'),
      el(
        'dd',
        { class: `state-${r.state}` },
        `${r.state} · score ${score(r.score)} · ${r.connected ? 'connected' : 'disconnected'}`,
      ),
      el('dt', {}, 'banned until'),
      el(
        'dd',
        {},
        r.bannedUntil === null
          ? '-'
          : `${new Date(r.bannedUntil).toLocaleString()} (${relative(r.bannedUntil, now)})`,
      ),
      el('dt', {}, 'ban reason'),
      el('dd', { class: 'ban-reason' }, r.banReason ?? '-'),
      el('dt', {}, 'offences'),
      el(
        'dd',
        {},
        Object.entries(r.offenceCounts)
          .map(([k, n]) => `${k} ×${n}`)
          .join(', ') || 'none',
      ),
    );
    const history =
      r.history.length === 0
        ? el('p', { class: 'hint' }, 'No offences recorded.')
        : el(
            'table',
            { class: 'offences' },
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ...['time', 'kind', 'penalty', 'score after', 'evidence'].map((h) => el('th', {}, h)),
              ),
            ),
            el(
              'tbody',
              {},
              ...r.history
                .slice()
                .reverse()
                .map((o) =>
                  el(
                    'tr',
                    { class: 'offence' },
                    el('td', {}, clock(o.time)),
                    el('td', {}, o.kind),
                    el('td', { class: 'num' }, String(o.penalty)),
                    el('td', { class: 'num' }, score(o.scoreAfter)),
                    el('td', { class: 'evidence mono' }, o.evidence),
                  ),
                ),
            ),
          );
    const gossip =
      r.gossipsub === null
        ? el('p', { class: 'hint' }, 'Gossipsub score components: not connected.')
        : el(
            'details',
            {},
            el('summary', {}, 'Gossipsub score components'),
            el('pre', {}, JSON.stringify(r.gossipsub, null, 1)),
          );
    const source = this.#historyNote(answer);
    this.#body.replaceChildren(facts, el('h3', {}, 'Offence history'), history, gossip, source);
    this.#chart.show(answer.points);
  }

  #historyNote(answer: WhyAnswer): HTMLElement {
    const from =
      answer.historySource === 'node' ? "the node's own history" : "this page server's samples, one per poll";
    return el('p', { class: 'hint' }, `Score over time (${answer.points.length} points, ${from})`);
  }
}
