/**
 * The trust-map page: wires the store (fed by the event stream) to the graph and the panels, and
 * keeps what is selected (a node for the peers table, a node and peer for `why`).
 * `window.trustMap.graph()` returns what the graph shows (tests and the console use it).
 */
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { TrustGraph } from './graph.js';
import { buildGraph } from './graph-model.js';
import { FeedPanel } from './panels/feed.js';
import { InjectPanel } from './panels/inject.js';
import { renderPeers } from './panels/peers.js';
import { renderPropagation } from './panels/propagation.js';
import { renderTips } from './panels/tips.js';
import { WhyPanel } from './panels/why.js';
import { shortId } from './format.js';
import { ViewStore } from './store.js';
import { connect } from './stream.js';

/** Least time between two refreshes of the open `why` (unit: ms). */
const WHY_REFRESH_MS = 2_000;

const byId = (id: string): HTMLElement => document.getElementById(id)!;

const store = new ViewStore();
let selectedNode: string | null = null;
let lastWhyRefresh = 0;

const labelOf = (peerId: string): string => {
  const node = store.nodes().find((n) => n.peerId === peerId);
  if (node !== undefined) return node.name;
  const attacker = store.attackers().find((a) => a.peerId === peerId);
  return attacker === undefined ? shortId(peerId) : `attacker ${attacker.kind}`;
};

const why = new WhyPanel(byId('why'));
const openWhy = (node: string, peerId: string) => {
  why.show(node, peerId, labelOf(peerId));
  lastWhyRefresh = Date.now();
};
/**
 * The answering node with the most to say about `peerId` (for a click on a peer that is not a
 * node): the one that scores it lowest, e.g. one that quarantined it, rather than one that only
 * connected to it; the first such node on ties.
 */
const judgeOf = (peerId: string): string | undefined => {
  let best: { name: string; score: number } | undefined;
  for (const node of store.nodes()) {
    if (!node.up) continue;
    const row = store.peersOf(node.name).find((p) => p.peerId === peerId);
    if (row !== undefined && (best === undefined || row.score < best.score))
      best = { name: node.name, score: row.score };
  }
  return best?.name;
};

const selectNode = (name: string) => {
  selectedNode = name;
  drawPeers();
};
const drawPeers = () =>
  renderPeers(
    byId('peers'),
    selectedNode,
    selectedNode === null ? [] : store.peersOf(selectedNode),
    labelOf,
    (peerId) => {
      if (selectedNode !== null) openWhy(selectedNode, peerId);
    },
  );

const graph = new TrustGraph(byId('graph'), {
  onVertex: (vertex) => {
    if (vertex.node !== null) selectNode(vertex.node);
    else if (vertex.peerId !== null) {
      const judge = judgeOf(vertex.peerId);
      if (judge !== undefined) openWhy(judge, vertex.peerId);
    }
  },
  onEdge: (edge) => {
    // The side that is a polled node judges the other; for two nodes, the dialer's view.
    const [judge, judged] = edge.source.startsWith('n:')
      ? [edge.source, edge.target]
      : [edge.target, edge.source];
    const judgedPeer = judged.startsWith('n:')
      ? store.nodes().find((n) => `n:${n.name}` === judged)?.peerId
      : judged.slice(2);
    if (judgedPeer != null) openWhy(judge.slice(2), judgedPeer);
  },
});
const feed = new FeedPanel(byId('feed'), (event) => {
  if (event.peerId !== undefined && store.nodes().some((n) => n.name === event.node))
    openWhy(event.node, event.peerId);
  else if (event.peerId !== undefined) {
    const judge = judgeOf(event.peerId);
    if (judge !== undefined) openWhy(judge, event.peerId);
  }
});
const inject = new InjectPanel(byId('inject-panel'));

const drawSummary = () => {
  const nodes = store.nodes();
  const up = nodes.filter((n) => n.up).length;
  const summary = graph.summary();
  const links = summary.edges.filter((e) => !e.classes.includes('cut')).length;
  const cut = summary.edges.length - links;
  const attackers = summary.vertices.filter((v) => v.classes.includes('attacker')).length;
  byId('summary').textContent =
    `${up}/${nodes.length} nodes up · ${links} links · ${cut} cut · ${attackers} attackers quarantined`;
};

store.onChange((changed, fresh) => {
  const keys = [...changed];
  const touches = (...prefixes: string[]) => keys.some((k) => prefixes.some((p) => k.startsWith(p)));
  const meta = store.meta();
  if (meta !== undefined) document.title = meta.title;
  if (selectedNode === null && store.nodes().length > 0) selectedNode = store.nodes()[0]!.name;
  if (touches('node:', 'peers:', 'attacker:', 'marked:')) {
    graph.update(
      buildGraph({
        nodes: store.nodes(),
        peersOf: (n) => store.peersOf(n),
        attackers: store.attackers(),
        marked: store.markedAttackers(),
      }),
    );
    drawSummary();
  }
  if (touches('node:', `peers:${selectedNode}`, 'attacker:')) drawPeers();
  if (touches('node:')) renderTips(byId('tips'), store.nodes());
  if (touches('prop:'))
    renderPropagation(byId('propagation'), store.propagation('tx'), store.propagation('block'));
  if (touches('meta:', 'attacker:')) inject.update(meta?.attackKinds ?? [], store.attackers());
  const target = why.target;
  // A node that does not answer has nothing new to say (asking it would only fail).
  if (
    target !== null &&
    changed.has(`peers:${target.node}`) &&
    store.nodes().some((n) => n.name === target.node && n.up) &&
    Date.now() - lastWhyRefresh >= WHY_REFRESH_MS
  ) {
    lastWhyRefresh = Date.now();
    void why.refresh();
  }
  if (changed.size > 0 && fresh === store.feed) feed.reset(store.feed);
  else if (fresh.length > 0) feed.append(fresh);
});

connect(store, (live) => {
  const status = byId('connection');
  status.textContent = live ? 'live' : 'reconnecting…';
  status.className = live ? 'live' : 'lost';
});

declare global {
  interface Window {
    trustMap: { graph: () => ReturnType<TrustGraph['summary']> };
  }
}
window.trustMap = { graph: () => graph.summary() };
