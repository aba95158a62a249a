/**
 * From the view to the graph's elements (pure, so it is unit-tested without a browser):
 * - a vertex per polled node (`n:<name>`, class `honest`, plus `down` when it does not answer);
 * - a vertex per other peer any node reports (`p:<peerId>`): `attacker` once any polled node has
 *   quarantined it, else `external`; labelled with its attack kind when started from the page;
 * - an edge per live connection (`c:<a>|<b>`), from the side that dialed to the side that
 *   listened, carrying each side's trust score of the other (null where that side is not polled)
 *   and `eager` when either pushes the other every transaction (a txpush subscription `all`), and
 *   the connection type the dialer reports (outbound-full, block-relay, feeler, manual);
 * - an edge per cut link (`x:<node>|<peer>`): the node holds the peer in quarantine (its connection
 *   is closed or closing); a live edge between the same two is then not drawn.
 */
import type { AttackerView, NodeView, PeerState, PeerView } from '../protocol.js';
import { shortId } from './format.js';

export interface VertexData {
  readonly id: string;
  readonly label: string;
  readonly kind: 'honest' | 'attacker' | 'external';
  readonly up: boolean;
  /** The peer id, when known. */
  readonly peerId: string | null;
  /** The polled node's name, for honest vertices. */
  readonly node: string | null;
}

export interface EdgeData {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly cut: boolean;
  /** The source's score of the target, and the target's of the source (null: not polled). */
  readonly sourceScore: number | null;
  readonly targetScore: number | null;
  readonly sourceState: PeerState | null;
  readonly targetState: PeerState | null;
  readonly eager: boolean;
  /** The dialer's connection type, when a polled dialer reports one. */
  readonly connectionType: string | null;
}

export interface GraphModel {
  readonly vertices: VertexData[];
  readonly edges: EdgeData[];
}

export interface GraphInput {
  readonly nodes: readonly NodeView[];
  readonly peersOf: (node: string) => readonly PeerView[];
  readonly attackers: readonly AttackerView[];
  readonly marked: ReadonlySet<string>;
}

interface Side {
  score: number;
  state: PeerState;
}

export function buildGraph(input: GraphInput): GraphModel {
  const vertexOfPeer = new Map<string, string>();
  for (const node of input.nodes) if (node.peerId !== null) vertexOfPeer.set(node.peerId, `n:${node.name}`);
  const kindOf = new Map(input.attackers.filter((a) => a.peerId !== null).map((a) => [a.peerId!, a.kind]));
  const vertices: VertexData[] = input.nodes.map((node) => ({
    id: `n:${node.name}`,
    label: node.up ? node.name : `${node.name} (down)`,
    kind: 'honest',
    up: node.up,
    peerId: node.peerId,
    node: node.name,
  }));
  const others = new Map<string, VertexData>();
  const vertexFor = (peerId: string): string => {
    const known = vertexOfPeer.get(peerId);
    if (known !== undefined) return known;
    const id = `p:${peerId}`;
    if (!others.has(id)) {
      const kind = kindOf.get(peerId);
      others.set(id, {
        id,
        label: kind === undefined ? shortId(peerId) : `attacker ${kind}`,
        kind: input.marked.has(peerId) ? 'attacker' : 'external',
        up: true,
        peerId,
        node: null,
      });
    }
    return id;
  };

  const links = new Map<
    string,
    { dialer: string; listener: string; judges: Map<string, Side>; eager: boolean; type: string | null }
  >();
  const cuts: EdgeData[] = [];
  for (const node of input.nodes) {
    if (!node.up) continue;
    const self = `n:${node.name}`;
    for (const peer of input.peersOf(node.name)) {
      const other = vertexFor(peer.peerId);
      if (other === self) continue;
      // Quarantined is a cut link even while the connection is still being closed.
      if (!peer.connected || peer.state === 'quarantined') {
        if (peer.state === 'quarantined') {
          cuts.push({
            id: `x:${self}|${other}`,
            source: self,
            target: other,
            cut: true,
            sourceScore: peer.score,
            targetScore: null,
            sourceState: peer.state,
            targetState: null,
            eager: false,
            connectionType: null,
          });
        }
        continue;
      }
      const [a, b] = self < other ? [self, other] : [other, self];
      const key = `c:${a}|${b}`;
      const dialer = peer.direction === 'inbound' ? other : self;
      let link = links.get(key);
      if (link === undefined) {
        link = {
          dialer,
          listener: dialer === self ? other : self,
          judges: new Map(),
          eager: false,
          type: null,
        };
        links.set(key, link);
      }
      link.judges.set(self, { score: peer.score, state: peer.state });
      link.eager ||= peer.pushesUs === 'all' || peer.wePush === 'all';
      if (peer.direction === 'outbound' && peer.connectionType !== null) link.type = peer.connectionType;
    }
  }
  for (const attacker of input.attackers) {
    if (attacker.peerId !== null && attacker.state !== 'exited') vertexFor(attacker.peerId);
  }
  // A pair one side has cut shows the cut, not the other side's view of a closing connection.
  const cutPairs = new Set(cuts.flatMap((c) => [`${c.source}|${c.target}`, `${c.target}|${c.source}`]));
  const live = [...links].filter(([, link]) => !cutPairs.has(`${link.dialer}|${link.listener}`));
  const edges: EdgeData[] = live.map(([id, link]) => {
    const fromSource = link.judges.get(link.dialer);
    const fromTarget = link.judges.get(link.listener);
    return {
      id,
      source: link.dialer,
      target: link.listener,
      cut: false,
      sourceScore: fromSource?.score ?? null,
      targetScore: fromTarget?.score ?? null,
      sourceState: fromSource?.state ?? null,
      targetState: fromTarget?.state ?? null,
      eager: link.eager,
      connectionType: link.type,
    };
  });
  return { vertices: [...vertices, ...others.values()], edges: [...edges, ...cuts] };
}
