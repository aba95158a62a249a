/**
 * An in-process trustmesh network for integration tests: real `TrustmeshNode`s (LevelDB, libp2p over
 * TCP on 127.0.0.1, gossipsub, getdata, sync, reputation) on the regtest network, each with its own
 * temp data dir under os.tmpdir() and an OS-chosen port. Nothing is mocked.
 *
 * Topology: undirected edges `[a, b]` between node indexes (`ring`, `ringWithChord`, `line`). Of the
 * two, the node started later has the earlier one in its static `peers`: it dials (so for the earlier
 * node it is an inbound peer), and its dialer re-dials after a restart. The harness waits until every
 * edge is an open connection on both sides with push subscriptions both ways, and every node's
 * gossipsub mesh of the inventory topic is formed.
 *
 * Partitions are made with manual bans in both directions (the gater then refuses every connection
 * between the halves, whoever dials) and healed with unbans plus explicit dials. The harness counts
 * the manual bans it makes, so `automaticQuarantines(node)` reports only the quarantines the node
 * decided on by itself.
 *
 * Logs: each node writes NDJSON to `<dataDir>/node.log` at TRUSTMESH_TEST_LOG_LEVEL (default 'info');
 * set TRUSTMESH_TEST_KEEP_DIRS=1 to keep the data dirs (their paths are printed) after cleanup.
 *
 * @example
 * ```ts
 * const net = await TestNetwork.start({ count: 3, edges: [[0, 1], [1, 2]] });
 * const txid = sendPayment(net.node(0), net.node(2), 1_000n);
 * await waitFor(() => net.nodes.every((n) => n.chain.mempool.has(txid)), 10_000, 'tx everywhere');
 * await mineOn(net.node(1));
 * await net.cleanup();
 * ```
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NodeConfig, validateConfig } from '../../src/node/config.js';
import { startAttackerNode } from '../../src/attacks/node.js';
import type { NodeHooks } from '../../src/node/compose.js';
import { TrustmeshNode } from '../../src/node/trustmesh-node.js';
import { INV_MESH } from '../../src/p2p/node/gossip-config.js';
import { sleep, waitFor } from './wait.js';

/** A connection between two node indexes; the later-started node dials the earlier one. */
export type Edge = readonly [number, number];

/** Ring 0-1-...-(n-1)-0. */
export function ring(count: number): Edge[] {
  if (count < 3) throw new RangeError('a ring needs at least 3 nodes');
  return Array.from({ length: count }, (_, i) => [i, (i + 1) % count] as const);
}

/** A ring plus one chord from node 0 to node floor(n/2): connected, not complete, diameter < n/2. */
export function ringWithChord(count: number): Edge[] {
  return [...ring(count), [0, Math.floor(count / 2)]];
}

/** Line 0-1-...-(n-1): node i is i hops from node 0. */
export function line(count: number): Edge[] {
  return Array.from({ length: count - 1 }, (_, i) => [i, i + 1] as const);
}

/**
 * Options of one node: any NodeConfig field except the ones the harness owns, and `misbehaviour`:
 * an attack kind, to start it as an attacker node (src/attacks/node.ts) instead of an honest one.
 */
export type TestNodeOptions = Partial<Omit<NodeConfig, 'dataDir' | 'port' | 'peers'>> & {
  misbehaviour?: string;
  /** Composition hooks (src/node/compose.ts): a node with wrapped ports, e.g. one that withholds. */
  hooks?: NodeHooks;
};

export interface TestNetworkOptions {
  /** Number of nodes to start. */
  count: number;
  /** Connections to make; default `ring(count)` (a line for fewer than 3 nodes). */
  edges?: readonly Edge[];
  /** Per-node options by index (name defaults to `n<i>`, devAccount to i). */
  nodeOptions?: (index: number) => TestNodeOptions;
  /** Wait until every edge is connected (default true). */
  waitForConnections?: boolean;
}

/** What the harness remembers about a node so it can stop and restart it on the same dir and port. */
interface Slot {
  readonly index: number;
  readonly dataDir: string;
  config: NodeConfig;
  /** Attack kind of an attacker node; undefined for honest ones. */
  readonly misbehaviour: string | undefined;
  readonly hooks: NodeHooks | undefined;
  node: TrustmeshNode | undefined;
  /** Manual bans this node holds because of `partition()`. */
  manualBans: number;
}

function startNode(slot: Slot): Promise<TrustmeshNode> {
  return slot.misbehaviour === undefined
    ? TrustmeshNode.start(slot.config, slot.hooks)
    : startAttackerNode(slot.config, slot.misbehaviour);
}

/** Time (ms) allowed for a set of connections to open (generous: CI machines may be loaded). */
export const CONNECT_TIMEOUT_MS = 20_000;

const LOG_LEVEL = process.env.TRUSTMESH_TEST_LOG_LEVEL ?? 'info';
const KEEP_DIRS = process.env.TRUSTMESH_TEST_KEEP_DIRS === '1';

export class TestNetwork {
  private readonly slots: Slot[] = [];
  private readonly edges: Edge[] = [];

  /** Starts `count` nodes, connects them along `edges`, and waits for the connections. */
  static async start(options: TestNetworkOptions): Promise<TestNetwork> {
    const net = new TestNetwork();
    try {
      const edges = options.edges ?? (options.count >= 3 ? ring(options.count) : line(options.count));
      for (let i = 0; i < options.count; i++) {
        const earlier = edges.filter(([a, b]) => Math.max(a, b) === i).map(([a, b]) => Math.min(a, b));
        await net.addNode({ ...options.nodeOptions?.(i), connectTo: earlier, waitForConnections: false });
      }
      if (options.waitForConnections !== false) await net.waitForEdges(edges);
    } catch (err) {
      await net.cleanup();
      throw err;
    }
    return net;
  }

  /** The running nodes, by index (a stopped node is left out). */
  get nodes(): TrustmeshNode[] {
    return this.slots.flatMap((slot) => (slot.node === undefined ? [] : [slot.node]));
  }

  /** Number of nodes ever added (running or stopped). */
  get size(): number {
    return this.slots.length;
  }

  /** The running node at `index`; throws when it is stopped. */
  node(index: number): TrustmeshNode {
    const node = this.slot(index).node;
    if (node === undefined) throw new Error(`node ${index} is stopped`);
    return node;
  }

  /** Index of a node of this network (by peer id, so it survives restarts). */
  indexOf(node: TrustmeshNode): number {
    const index = this.slots.findIndex((slot) => slot.node === node);
    if (index >= 0) return index;
    const peerId = node.peerIdString;
    const byId = this.slots.findIndex((slot) => slot.node?.peerIdString === peerId);
    if (byId < 0) throw new Error(`node ${peerId} is not part of this network`);
    return byId;
  }

  /**
   * Starts one more node that dials `connectTo` (indexes of running nodes), waits for those
   * connections, and returns it. Its name defaults to `n<index>` and its wallet to dev account index.
   */
  async addNode(
    options: TestNodeOptions & { connectTo?: readonly number[]; waitForConnections?: boolean } = {},
  ): Promise<TrustmeshNode> {
    const { connectTo = [], waitForConnections = true, misbehaviour, hooks, ...nodeOptions } = options;
    const index = this.slots.length;
    const dataDir = await mkdtemp(join(tmpdir(), `trustmesh-net-${index}-`));
    const config = validateConfig({
      name: `n${index}`,
      network: 'regtest',
      host: '127.0.0.1',
      rpcPort: -1,
      metricsPort: -1,
      devnetLoopback: true,
      devAccount: index,
      logLevel: LOG_LEVEL,
      ...nodeOptions,
      dataDir,
      port: 0,
      peers: connectTo.map((i) => this.addressOf(i)),
    });
    const slot: Slot = { index, dataDir, config, misbehaviour, hooks, node: undefined, manualBans: 0 };
    this.slots.push(slot);
    slot.node = await startNode(slot);
    // Restarts reuse the port, so peers that have the node in their static list find it again.
    slot.config = { ...config, port: portOf(slot.node) };
    const edges = connectTo.map((i) => [i, index] as const);
    this.edges.push(...edges);
    if (waitForConnections) await this.waitForEdges(edges);
    return slot.node;
  }

  /** `/ip4/127.0.0.1/tcp/<port>/p2p/<peer id>` of a running node. */
  addressOf(index: number): string {
    const addr = this.node(index).p2p.multiaddrs()[0];
    if (addr === undefined) throw new Error(`node ${index} has no listen address`);
    return addr.toString();
  }

  /** Stops node `index` (its data dir and port are kept for `restartNode`). */
  async stopNode(index: number): Promise<void> {
    const slot = this.slot(index);
    const node = slot.node;
    slot.node = undefined;
    await node?.stop();
  }

  /**
   * Starts node `index` again on the same data dir, port and static peers, and waits until every
   * edge to a running node is connected again (peers re-dial it, it dials its static peers).
   */
  async restartNode(index: number): Promise<TrustmeshNode> {
    const slot = this.slot(index);
    if (slot.node !== undefined) await this.stopNode(index);
    slot.node = await startNode(slot);
    const edges = this.edges.filter(
      ([a, b]) => (a === index || b === index) && this.slots[a]?.node && this.slots[b]?.node,
    );
    // Dial the neighbours now instead of waiting for their re-dial backoff.
    await Promise.all(edges.map(([a, b]) => this.redialUntilConnected(a, b)));
    await this.waitForEdges(edges);
    return slot.node;
  }

  /** Dials node `to` from node `from` (one-off; not added to the static peers). */
  async dial(from: number, to: number): Promise<void> {
    await this.node(from).p2p.libp2p.dial(this.node(to).p2p.multiaddrs()[0]!);
  }

  /** Dials (the later node dials the earlier one) until the two nodes are connected. */
  async redialUntilConnected(a: number, b: number, timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
    await waitFor(
      async () => {
        if (this.isConnected(a, b)) return true;
        await this.dial(Math.max(a, b), Math.min(a, b)).catch(() => undefined);
        await sleep(100);
        return this.isConnected(a, b);
      },
      timeoutMs,
      `a connection between ${a} and ${b}`,
    );
  }

  /** Connects two running nodes now (the later one dials) and records the edge for restarts and heals. */
  async connect(a: number, b: number): Promise<void> {
    this.edges.push([a, b]);
    await this.redialUntilConnected(a, b);
    await this.waitForEdges([[a, b]]);
  }

  isConnected(a: number, b: number): boolean {
    const na = this.slot(a).node;
    const nb = this.slot(b).node;
    if (na === undefined || nb === undefined) return false;
    const open = (x: TrustmeshNode, y: TrustmeshNode) =>
      x.p2p.libp2p.getConnections(y.p2p.peerId).some((c) => c.status === 'open');
    return open(na, nb) && open(nb, na);
  }

  /**
   * True when the node's gossipsub mesh of the inventory topic is formed: it holds at least
   * min(Dlo, connected peers) peers. With more peers than the mesh degree, not every link is in a
   * mesh (announcements then take other links); a node with at most Dlo peers meshes all of them.
   */
  hasMesh(index: number): boolean {
    const node = this.slot(index).node;
    if (node === undefined) return false;
    const mesh = node.p2p.gossipsub.getMeshPeers(node.p2p.invTopic).length;
    return mesh >= Math.min(INV_MESH.Dlo, node.p2p.libp2p.getPeers().length);
  }

  /** True when each of the two nodes is subscribed to the other's transaction pushes. */
  isSubscribed(a: number, b: number): boolean {
    const na = this.slot(a).node;
    const nb = this.slot(b).node;
    if (na === undefined || nb === undefined) return false;
    const subscribed = (x: TrustmeshNode, y: TrustmeshNode) =>
      x.pushSubscribers().some((s) => s.peer === y.peerIdString);
    return subscribed(na, nb) && subscribed(nb, na);
  }

  /**
   * Waits until every edge has an open connection on both sides and, unless `mesh` is false, both
   * nodes subscribed to each other's pushes and both gossipsub meshes formed (`hasMesh`).
   */
  async waitForEdges(
    edges: readonly Edge[],
    { timeoutMs = CONNECT_TIMEOUT_MS, mesh = true }: { timeoutMs?: number; mesh?: boolean } = {},
  ): Promise<void> {
    const missing = () =>
      edges.flatMap(([a, b]) => {
        if (!this.isConnected(a, b)) return [`${a}-${b} (not connected)`];
        if (!mesh) return [];
        if (!this.isSubscribed(a, b)) return [`${a}-${b} (connected, push subscriptions not both up)`];
        return [a, b].filter((i) => !this.hasMesh(i)).map((i) => `${i} (gossipsub mesh not formed)`);
      });
    await waitFor(
      () => missing().length === 0,
      timeoutMs,
      `edges ${edges.map(([a, b]) => `${a}-${b}`).join(', ')}`,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; still missing: ${[...new Set(missing())].join(', ')}`);
    });
  }

  /**
   * Cuts every link between `left` and `right` (node indexes): each node manually bans every node of
   * the other half, which hangs up and makes the gater refuse any new connection between them. Waits
   * until no connection crosses the cut.
   */
  async partition(
    left: readonly number[],
    right: readonly number[],
    reason = 'test partition',
  ): Promise<void> {
    for (const [a, b] of crossPairs(left, right)) {
      this.ban(a, b, reason);
      this.ban(b, a, reason);
    }
    await waitFor(
      () => crossPairs(left, right).every(([a, b]) => !this.anyConnection(a, b)),
      CONNECT_TIMEOUT_MS,
      'partition to close every crossing connection',
    );
  }

  /**
   * Lifts the bans of `partition(left, right)` and reconnects every recorded edge across the cut
   * (the static-peer dialer would only retry after its backoff). Waits for those connections, not
   * for the gossipsub mesh: a heartbeat that ran between a ban and its hang-up PRUNEd the banned
   * peer with gossipsub's 60 s backoff, and until it ends the link carries announcements only
   * through gossip (IHAVE/IWANT) and publish top-ups, which is what a real heal looks like too.
   */
  async heal(left: readonly number[], right: readonly number[]): Promise<void> {
    for (const [a, b] of crossPairs(left, right)) {
      this.node(a).reputation.unban(this.node(b).peerIdString);
      this.node(b).reputation.unban(this.node(a).peerIdString);
    }
    const inLeft = new Set(left);
    const crossing = this.edges.filter(([a, b]) => inLeft.has(a) !== inLeft.has(b));
    await Promise.all(crossing.map(([a, b]) => this.redialUntilConnected(a, b)));
    await this.waitForEdges(crossing, { mesh: false });
  }

  /** Manual bans `partition()` made on node `index` (they fire onQuarantine like any other ban). */
  manualBansOf(index: number): number {
    return this.slot(index).manualBans;
  }

  /**
   * Quarantines node `index` decided on by itself: its `trustmesh_quarantines_total` counter (which
   * counts automatic and manual bans) minus the manual bans the harness made.
   */
  async automaticQuarantines(index: number): Promise<number> {
    const metric = await this.node(index).metrics.quarantines.get();
    const total = metric.values.reduce((sum, v) => sum + v.value, 0);
    return total - this.slot(index).manualBans;
  }

  /** Stops every running node (in parallel). Data dirs are kept until `cleanup`. */
  async stopAll(): Promise<void> {
    await Promise.allSettled(this.slots.map((slot) => this.stopNode(slot.index)));
  }

  /** Stops every node and deletes the data dirs (unless TRUSTMESH_TEST_KEEP_DIRS=1). */
  async cleanup(): Promise<void> {
    await this.stopAll();
    // pino writes asynchronously: give the log files a moment before removing their directory.
    await sleep(20);
    if (KEEP_DIRS) {
      for (const slot of this.slots) console.log(`kept ${slot.config.name}: ${slot.dataDir}`);
      return;
    }
    await Promise.all(this.slots.map((slot) => rm(slot.dataDir, { recursive: true, force: true })));
  }

  private ban(index: number, other: number, reason: string): void {
    const slot = this.slot(index);
    const peerId = this.node(other).peerIdString;
    if (this.node(index).reputation.isQuarantined(peerId)) return;
    slot.manualBans++;
    this.node(index).reputation.manualBan(peerId, { reason, durationMs: 60 * 60_000 });
  }

  private anyConnection(a: number, b: number): boolean {
    const na = this.slot(a).node;
    const nb = this.slot(b).node;
    if (na === undefined || nb === undefined) return false;
    return (
      na.p2p.libp2p.getConnections(nb.p2p.peerId).length > 0 ||
      nb.p2p.libp2p.getConnections(na.p2p.peerId).length > 0
    );
  }

  private slot(index: number): Slot {
    const slot = this.slots[index];
    if (slot === undefined) throw new Error(`no node ${index} in this network`);
    return slot;
  }
}

function crossPairs(left: readonly number[], right: readonly number[]): Array<[number, number]> {
  return left.flatMap((a) => right.map((b) => [a, b] as [number, number]));
}

function portOf(node: TrustmeshNode): number {
  const addr = node.p2p.multiaddrs()[0];
  if (addr === undefined) throw new Error(`${node.config.name} has no listen address`);
  return Number(addr.toOptions().port);
}
