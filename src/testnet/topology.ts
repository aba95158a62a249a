/**
 * Who dials whom in a testnet or benchmark network, fixed by a seed so that trustmesh and the
 * benchmark's baseline run over the same graph, and every run with the same seed over the same
 * graph again.
 *
 * Each node dials `dials` others (fewer only when the network is too small), chosen at random among
 * the nodes it is not yet linked to, least-linked first, so degrees stay close to 2 x dials
 * ("random-regular-ish"). No pair is linked twice (nobody dials a node that already dialed it). If
 * the result is not connected, the components are chained together with extra dials.
 */

/** mulberry32: a small, fast, seedable PRNG; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Topology {
  readonly nodes: number;
  /** `dials[i]`: the nodes node i dials (its outbound peers). */
  readonly dials: number[][];
  /** Undirected neighbours of each node. */
  readonly neighbours: number[][];
}

export function buildTopology(nodes: number, dials: number, seed: number): Topology {
  if (!Number.isInteger(nodes) || nodes < 2) throw new RangeError('a topology needs at least 2 nodes');
  const random = seededRandom(seed);
  const out: number[][] = Array.from({ length: nodes }, () => []);
  const adjacent: Set<number>[] = Array.from({ length: nodes }, () => new Set());
  const link = (from: number, to: number): void => {
    out[from]!.push(to);
    adjacent[from]!.add(to);
    adjacent[to]!.add(from);
  };
  const order = shuffle([...Array(nodes).keys()], random);
  for (const i of order) {
    const want = Math.min(dials, nodes - 1);
    while (out[i]!.length < want) {
      const candidates = [...Array(nodes).keys()].filter((j) => j !== i && !adjacent[i]!.has(j));
      if (candidates.length === 0) break;
      const least = Math.min(...candidates.map((j) => adjacent[j]!.size));
      const pool = candidates.filter((j) => adjacent[j]!.size <= least + 1);
      link(i, pool[Math.floor(random() * pool.length)]!);
    }
  }
  // Chain the components together, should the random choice have split the graph.
  for (let components = componentsOf(adjacent); components.length > 1; components = componentsOf(adjacent)) {
    const [a, b] = components as [number[], number[]];
    link(a[Math.floor(random() * a.length)]!, b[Math.floor(random() * b.length)]!);
  }
  return { nodes, dials: out, neighbours: adjacent.map((set) => [...set].sort((x, y) => x - y)) };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function componentsOf(adjacent: readonly Set<number>[]): number[][] {
  const seen = new Set<number>();
  const components: number[][] = [];
  for (let start = 0; start < adjacent.length; start++) {
    if (seen.has(start)) continue;
    const component: number[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const node = stack.pop()!;
      component.push(node);
      for (const next of adjacent[node]!) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    components.push(component);
  }
  return components;
}

/** Longest shortest path (in hops) from `source` to any node. */
export function eccentricity(topology: Topology, source: number): number {
  const depth = new Map([[source, 0]]);
  const queue = [source];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of topology.neighbours[node]!) {
      if (!depth.has(next)) {
        depth.set(next, depth.get(node)! + 1);
        queue.push(next);
      }
    }
  }
  return Math.max(...depth.values());
}
