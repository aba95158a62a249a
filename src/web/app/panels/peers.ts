/**
 * The selected node's peers table: state, trust score, gossipsub score, offences (with the last
 * one), ban expiry, connection direction and push scope, liveness. A row click opens the peer's
 * `why`.
 */
import type { PeerView } from '../../protocol.js';
import { el, relative, score } from '../format.js';
import { scoreColour } from '../score-color.js';

export function renderPeers(
  container: HTMLElement,
  node: string | null,
  peers: readonly PeerView[],
  labelOf: (peerId: string) => string,
  onPick: (peerId: string) => void,
): void {
  const title = el('h2', {}, node === null ? 'Peers' : `Peers of ${node}`);
  if (node === null) {
    container.replaceChildren(title, el('p', { class: 'hint' }, 'Click a node on the map.'));
    return;
  }
  const now = Date.now();
  const head = el(
    'tr',
    {},
    ...['peer', 'state', 'score', 'gossipsub', 'offences', 'ban expires', 'conn', 'liveness'].map((h) =>
      el('th', {}, h),
    ),
  );
  const rows = peers.map((p) => {
    const row = el(
      'tr',
      { class: `peer-row state-${p.state}`, 'data-peer': p.peerId, title: p.peerId },
      el('td', {}, labelOf(p.peerId)),
      el('td', { class: 'state' }, p.state),
      el(
        'td',
        { class: 'num' },
        el('span', { class: 'chip', style: `background:${scoreColour(p.score, p.state)}` }),
        score(p.score),
      ),
      el('td', { class: 'num' }, score(p.gossipsubScore)),
      el('td', {}, p.offences === 0 ? '0' : `${p.offences} (${p.lastOffence?.kind ?? '?'})`),
      el('td', {}, p.bannedUntil === null ? '-' : relative(p.bannedUntil, now)),
      el('td', {}, p.direction === null ? '-' : connection(p)),
      el(
        'td',
        {},
        p.connected
          ? `${p.liveness ?? 'connected'}${p.rttMs === null ? '' : ` · ${Math.round(p.rttMs)} ms`}`
          : p.lastConnectedAt === null
            ? 'not seen connected'
            : `seen ${relative(p.lastConnectedAt, now)}`,
      ),
    );
    row.addEventListener('click', () => onPick(p.peerId));
    return row;
  });
  const table = el('table', { class: 'peers' }, el('thead', {}, head), el('tbody', {}, ...rows));
  container.replaceChildren(
    title,
    peers.length === 0 ? el('p', { class: 'hint' }, 'No peers (or the node is down).') : table,
  );
}

/** `out · outbound-full · eager`: who dialed, the connection type the node reports, eager pushes. */
function connection(p: PeerView): string {
  const parts = [p.direction === 'outbound' ? 'out' : 'in'];
  if (p.connectionType !== null && p.connectionType !== 'inbound') parts.push(p.connectionType);
  if (p.pushesUs === 'all' || p.wePush === 'all') parts.push('eager');
  return parts.join(' · ');
}
