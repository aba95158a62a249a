/**
 * The trust map drawn with cytoscape.js. Each update replaces the elements' data in place (no
 * redraw from scratch) and lays out only what is new: existing vertices are locked while a
 * force-directed layout (`cose`) places the newcomers, so the picture stays still as nodes come
 * and go. An edge's half near each end is coloured by the trust score that end gives the other
 * (grey where that end is not polled); the arrow points from the side that dialed; a thick line is
 * an eager (push-everything) link, a dotted one block-relay-only, a thin one a feeler; a dashed red
 * line is a cut link (quarantine).
 */
import cytoscape, { type Core, type ElementDefinition, type StylesheetJson } from 'cytoscape';
import type { EdgeData, GraphModel, VertexData } from './graph-model.js';
import { score } from './format.js';
import { scoreColour } from './score-color.js';

export interface GraphEvents {
  onVertex(vertex: VertexData): void;
  onEdge(edge: EdgeData): void;
}

/** Radius of the circle the first honest nodes are placed on before the layout (unit: px). */
const START_RADIUS = 160;

const STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-size': 13,
      'text-valign': 'bottom',
      'text-margin-y': 6,
      color: '#1d2733',
      width: 34,
      height: 34,
      'border-width': 2,
      'border-color': '#ffffff',
    },
  },
  { selector: 'node.honest', style: { 'background-color': '#2f6fb3', shape: 'ellipse' } },
  {
    selector: 'node.down',
    style: {
      'background-color': '#b9c1ca',
      'border-style': 'dashed',
      'border-color': '#6b7785',
      color: '#6b7785',
    },
  },
  { selector: 'node.external', style: { 'background-color': '#e0a030', shape: 'diamond' } },
  {
    selector: 'node.attacker',
    style: { 'background-color': '#d62828', shape: 'diamond', 'border-color': '#7a0010', 'border-width': 3 },
  },
  { selector: 'node:selected', style: { 'border-color': '#111111', 'border-width': 4 } },
  {
    selector: 'edge',
    style: {
      width: 3,
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 1.1,
      'line-fill': 'linear-gradient',
      'source-label': 'data(sourceLabel)',
      'target-label': 'data(targetLabel)',
      'source-text-offset': 28,
      'target-text-offset': 28,
      'font-size': 10,
      color: '#33414f',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.8,
      'text-background-padding': '1px',
    },
  },
  { selector: 'edge.eager', style: { width: 6 } },
  { selector: 'edge.conn-block-relay', style: { 'line-style': 'dotted' } },
  { selector: 'edge.conn-feeler', style: { width: 1 } },
  {
    selector: 'edge.cut',
    style: {
      'line-fill': 'solid',
      'line-color': '#7a0010',
      'line-style': 'dashed',
      'target-arrow-shape': 'tee',
      'target-arrow-color': '#7a0010',
      width: 2,
      label: 'quarantined',
      'font-size': 10,
      color: '#7a0010',
    },
  },
  { selector: 'edge:selected', style: { 'overlay-color': '#111111', 'overlay-opacity': 0.15 } },
];

export class TrustGraph {
  readonly cy: Core;
  #laidOut = false;

  constructor(container: HTMLElement, events: GraphEvents) {
    this.cy = cytoscape({ container, style: STYLE, minZoom: 0.2, maxZoom: 3 });
    this.cy.on('tap', 'node', (e) => events.onVertex(e.target.data('vertex') as VertexData));
    this.cy.on('tap', 'edge', (e) => events.onEdge(e.target.data('edge') as EdgeData));
  }

  update(model: GraphModel): void {
    const cy = this.cy;
    const wanted = new Set([...model.vertices.map((v) => v.id), ...model.edges.map((e) => e.id)]);
    cy.batch(() => {
      cy.elements()
        .filter((e) => !wanted.has(e.id()))
        .remove();
      for (const vertex of model.vertices) {
        const existing = cy.getElementById(vertex.id);
        const classes = [vertex.kind, vertex.up ? '' : 'down'].filter(Boolean).join(' ');
        if (existing.nonempty()) {
          existing.data({ label: vertex.label, vertex });
          existing.classes(classes);
        } else {
          cy.add({
            group: 'nodes',
            data: { id: vertex.id, label: vertex.label, vertex },
            classes,
            position: this.#startPosition(vertex, model),
          });
        }
      }
      for (const edge of model.edges) {
        const data = edgeData(edge);
        const existing = cy.getElementById(edge.id);
        const classes = [
          edge.cut ? 'cut' : '',
          edge.eager ? 'eager' : '',
          edge.connectionType === null ? '' : `conn-${edge.connectionType}`,
        ]
          .filter(Boolean)
          .join(' ');
        // Direction can flip after a reconnect: then the edge is replaced.
        if (
          existing.nonempty() &&
          (existing.data('source') !== edge.source || existing.data('target') !== edge.target)
        ) {
          existing.remove();
        }
        const current = cy.getElementById(edge.id);
        const element = current.nonempty()
          ? current
          : cy.add({ group: 'edges', data: { ...data, shownAt: Date.now() }, classes } as ElementDefinition);
        element.data(data);
        element.classes(classes);
        if (!edge.cut) element.style(gradientOf(edge));
      }
    });
    this.#layoutNewcomers();
  }

  /** What the graph shows, for tests and debugging in the console. */
  summary(): {
    vertices: Array<{ id: string; label: string; classes: string[]; at: { x: number; y: number } }>;
    edges: Array<{ id: string; source: string; target: string; classes: string[]; shownAt: number }>;
  } {
    return {
      vertices: this.cy.nodes().map((n) => ({
        id: n.id(),
        label: String(n.data('label')),
        classes: n.classes(),
        // Where it is drawn, relative to the graph's box (a test clicks there).
        at: n.renderedPosition(),
      })),
      edges: this.cy.edges().map((e) => ({
        id: e.id(),
        source: e.data('source'),
        target: e.data('target'),
        classes: e.classes(),
        // When the page first drew it (ms since the epoch).
        shownAt: Number(e.data('shownAt')),
      })),
    };
  }

  #startPosition(vertex: VertexData, model: GraphModel): { x: number; y: number } {
    // Honest nodes start on a circle; a peer starts next to a vertex it is linked to.
    if (vertex.kind === 'honest') {
      const honest = model.vertices.filter((v) => v.kind === 'honest');
      const i = honest.findIndex((v) => v.id === vertex.id);
      const angle = (2 * Math.PI * i) / Math.max(1, honest.length) - Math.PI / 2;
      return { x: START_RADIUS * Math.cos(angle), y: START_RADIUS * Math.sin(angle) };
    }
    const edge = model.edges.find((e) => e.source === vertex.id || e.target === vertex.id);
    const anchorId = edge === undefined ? undefined : edge.source === vertex.id ? edge.target : edge.source;
    const anchor = anchorId === undefined ? undefined : this.cy.getElementById(anchorId);
    const base = anchor?.nonempty() ? anchor.position() : { x: 0, y: 0 };
    return { x: base.x * 1.6 + 40, y: base.y * 1.6 + 40 };
  }

  #layoutNewcomers(): void {
    const cy = this.cy;
    const fresh = cy.nodes().filter((n) => n.scratch('placed') !== true);
    if (fresh.empty()) return;
    const old = cy.nodes().filter((n) => n.scratch('placed') === true);
    old.lock();
    cy.layout({
      name: 'cose',
      randomize: false,
      animate: false,
      fit: !this.#laidOut,
      padding: 40,
      nodeRepulsion: () => 400_000,
      idealEdgeLength: () => 110,
    }).run();
    old.unlock();
    fresh.scratch('placed', true);
    if (this.#laidOut) cy.fit(undefined, 40);
    this.#laidOut = true;
  }
}

/** Each half of the line in the colour of the trust its end gives the other end. */
function gradientOf(edge: EdgeData): Record<string, string> {
  const from = scoreColour(edge.sourceScore, edge.sourceState ?? undefined);
  const to = scoreColour(edge.targetScore, edge.targetState ?? undefined);
  return {
    'line-gradient-stop-colors': `${from} ${from} ${to} ${to}`,
    'line-gradient-stop-positions': '0% 48% 52% 100%',
    'target-arrow-color': to,
  };
}

function edgeData(edge: EdgeData): Record<string, unknown> {
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    edge,
    sourceLabel: edge.cut ? '' : score(edge.sourceScore),
    targetLabel: edge.cut ? '' : score(edge.targetScore),
  };
}
