/**
 * Measured runs over a network of node processes, the same for trustmesh and the baseline:
 *
 *   prepare: ready (every topology link up, gossipsub meshes formed) -> warm-up messages (not
 *   measured) -> idle window (background traffic);
 *   then one or more slices: messages at `rate` per second from the senders in turn, until every
 *   node has every message (or the timeout), plus a settle time for trailing announcements.
 *
 * The driver alternates slices of the two networks (both stay up, the idle one costs little), so
 * that a change in the load of this shared machine hits both sides alike.
 *
 * Arrival times are recorded inside the node processes (see events.ts); a message's origin is the
 * time its sender had it (trustmesh: the sender's own mempool acceptance; baseline: just before
 * publish). Bytes are the kernel's per-socket counters (socket-bytes.ts), sampled right before
 * the first message of the load window and right after it.
 */
import { type CpuDelta, cpuDelta, sampleCpu, waitQuiet } from './cpu.js';
import { type Child, childPids } from './processes.js';
import { type SocketDelta, sampleSockets, socketDelta } from './socket-bytes.js';

/** Poll interval (ms) while waiting for readiness or for messages to arrive everywhere. */
const POLL_MS = 50;
/** Poll interval (ms) of the readiness check (it costs RPC calls). */
const READY_POLL_MS = 500;
/** Gossipsub gossips about a message for 3 heartbeats of 1 s (mcache history): wait this long (ms). */
const GOSSIP_HISTORY_MS = 4_000;
/**
 * Mesh peers each node needs to count as ready (at most its network's Dlo). With 40 ms links a
 * well-connected node prunes grafts beyond Dhi and the pruned peers wait out gossipsub's one-minute
 * backoff, so a few nodes sit below Dlo for a while although every message reaches them.
 */
const READY_MESH_PEERS = 2;
/** Length (ms) of the idle window: covers one round of libp2p's connection-monitor pings (every 10 s). */
const IDLE_WINDOW_MS = 10_000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface NodeStatus {
  peers: number;
  mesh: number;
}

/** What a phase needs from a network of running nodes. */
export interface BenchNetwork {
  readonly label: string;
  /** The network's gossipsub Dlo: a node with at least this many peers has at least this many in its mesh. */
  readonly meshLow: number;
  /**
   * Peers a node must have to count as ready, given its topology degree: the degree itself for
   * nodes that only keep their static peers (the baseline); trustmesh nodes choose their own peers
   * (the membership layer's connection manager), so fewer may be required of them.
   */
  readonly requiredPeers?: (degree: number) => number;
  readonly children: readonly Child[];
  /** P2P listen ports of the nodes (socket accounting leaves everything else out). */
  readonly p2pPorts: readonly number[];
  /** Network namespaces the nodes run in (namespace hosts); undefined on 127.0.0.1. */
  readonly namespaces?: readonly string[];
  status(node: number): Promise<NodeStatus>;
  /** Has `sender` originate message number `seq`; resolves with the message's key. */
  inject(sender: number, seq: number): Promise<string>;
  readonly arrivals: ArrivalLog;
}

/** First arrival time of each message key at each node. */
export class ArrivalLog {
  private readonly times = new Map<string, Map<number, number>>();
  /** Encoded sizes seen (trustmesh: transaction bytes), by key. */
  readonly sizes = new Map<string, number>();

  record(key: string, node: number, t: number): void {
    let byNode = this.times.get(key);
    if (byNode === undefined) {
      byNode = new Map();
      this.times.set(key, byNode);
    }
    if (!byNode.has(node)) byNode.set(node, t);
  }

  count(key: string): number {
    return this.times.get(key)?.size ?? 0;
  }

  at(key: string): ReadonlyMap<number, number> {
    return this.times.get(key) ?? new Map();
  }
}

export interface PhaseOptions {
  nodes: number;
  senders: readonly number[];
  /** Expected number of peers of each node (its topology degree). */
  degrees: readonly number[];
  rate: number;
  warmup: number;
  readyTimeoutMs: number;
  /** Measure even when the network is not ready after readyTimeoutMs (logs the lagging nodes). */
  proceedUnready: boolean;
  /** After the last message is sent, how long (ms) to wait for stragglers. */
  drainTimeoutMs: number;
  /** Time (ms) after the last arrival before the closing byte sample. */
  settleMs: number;
  /** Before each slice, wait (at most quietWaitMs) until other processes use at most this CPU share. */
  quietBusy: number;
  quietWaitMs: number;
  log: (line: string) => void;
}

export interface Injected {
  key: string;
  seq: number;
  sender: number;
  /** Driver clock when it asked the sender (ms). */
  requestedAt: number;
}

/** One measured window. */
export interface Window {
  bytes: SocketDelta;
  windowMs: number;
  cpu: CpuDelta;
  /** CPU time (ms) of the driver itself in the window. */
  driverCpuMs: number;
  monoStartUs: bigint;
  monoEndUs: bigint;
}

export interface Slice extends Window {
  injected: Injected[];
  sendErrors: string[];
}

export interface PhaseResult {
  injected: Injected[];
  sendErrors: string[];
  /** Per complete message: time its last node had it minus its origin (ms). */
  lastNodeMs: number[];
  /** Per (message, node other than its sender): arrival minus origin (ms). */
  perNodeMs: number[];
  /** Per complete message: last arrival minus the driver's request time (ms); includes RPC/IPC cost. */
  fromRequestMs: number[];
  delivered: number;
  expected: number;
  incomplete: number;
  slices: Slice[];
  /** lastNodeMs of each slice. */
  sliceLastNodeMs: number[][];
  idle: Window;
  readyAfterMs: number;
  /** Peers and gossipsub mesh peers of each node when the network was found ready. */
  ready: NodeStatus[];
}

/** Drives one network: preparation, then measured slices; `result()` aggregates them. */
export class PhaseRunner {
  private nextSeq = 0;
  private readonly slices: Slice[] = [];
  private idle: Window | undefined;
  private readyAfterMs = 0;
  private ready: NodeStatus[] = [];
  private readonly pids: Set<number>;
  private readonly ports: Set<number>;

  constructor(
    readonly network: BenchNetwork,
    private readonly options: PhaseOptions,
  ) {
    this.pids = new Set(network.children.map((child) => child.pid));
    this.ports = new Set(network.p2pPorts);
  }

  /** Waits for the links and meshes, sends the warm-up messages, measures the idle traffic. */
  async prepare(): Promise<void> {
    const { network, options } = this;
    const readyStart = Date.now();
    this.ready = await waitReady(network, options);
    this.readyAfterMs = Date.now() - readyStart;
    options.log(
      `${network.label}: all links up and meshes formed after ${(this.readyAfterMs / 1000).toFixed(1)} s`,
    );
    if (options.warmup > 0) {
      const warm = await this.send(options.warmup);
      await waitArrivals(network, options, warm.injected, options.drainTimeoutMs);
      options.log(`${network.label}: ${options.warmup} warm-up messages sent`);
    }
    // Idle traffic: after gossipsub's gossip about the warm-up died down (3 heartbeats of history).
    await sleep(GOSSIP_HISTORY_MS);
    this.idle = await this.measure(() => sleep(IDLE_WINDOW_MS));
  }

  /** Sends `count` messages at the rate and measures their window. */
  async slice(count: number): Promise<Slice> {
    const { network, options } = this;
    if (options.quietWaitMs > 0)
      await waitQuiet(childPids, options.quietBusy, options.quietWaitMs, options.log);
    options.log(`${network.label}: sending ${count} messages at ${options.rate}/s`);
    let sent: { injected: Injected[]; sendErrors: string[] } = { injected: [], sendErrors: [] };
    const window = await this.measure(async () => {
      sent = await this.send(count);
      await waitArrivals(network, options, sent.injected, options.drainTimeoutMs);
      await sleep(options.settleMs);
    });
    const slice = { ...window, ...sent };
    this.slices.push(slice);
    // Monotonic bounds (µs, the clock of V8's CPU profiles) to cut node profiles to this slice.
    options.log(`${network.label}: slice done (monotonic ${window.monoStartUs}..${window.monoEndUs} µs)`);
    return slice;
  }

  private async measure(during: () => Promise<void>): Promise<Window> {
    const cpuBefore = await sampleCpu(this.pids);
    const driverBefore = process.cpuUsage();
    const before = await sampleSockets(this.pids, this.ports, this.network.namespaces);
    const t0 = performance.now();
    const monoStartUs = process.hrtime.bigint() / 1000n;
    await during();
    const monoEndUs = process.hrtime.bigint() / 1000n;
    const after = await sampleSockets(this.pids, this.ports, this.network.namespaces);
    const windowMs = performance.now() - t0;
    const driver = process.cpuUsage(driverBefore);
    const cpuAfter = await sampleCpu(this.pids);
    return {
      bytes: socketDelta(before, after),
      windowMs,
      cpu: cpuDelta(cpuBefore, cpuAfter),
      driverCpuMs: (driver.user + driver.system) / 1000,
      monoStartUs,
      monoEndUs,
    };
  }

  private async send(count: number) {
    const sent = await sendAll(this.network, this.options, count, this.nextSeq);
    this.nextSeq += count;
    return sent;
  }

  result(): PhaseResult {
    const injected = this.slices.flatMap((slice) => slice.injected);
    return {
      injected,
      sendErrors: this.slices.flatMap((slice) => slice.sendErrors),
      ...measureLatency(this.network, this.options, injected),
      expected:
        this.slices.reduce((sum, slice) => sum + slice.injected.length + slice.sendErrors.length, 0) *
        this.options.nodes,
      slices: this.slices,
      sliceLastNodeMs: this.slices.map(
        (slice) => measureLatency(this.network, this.options, slice.injected).lastNodeMs,
      ),
      idle: this.idle!,
      readyAfterMs: this.readyAfterMs,
      ready: this.ready,
    };
  }
}

async function waitReady(network: BenchNetwork, options: PhaseOptions): Promise<NodeStatus[]> {
  const deadline = Date.now() + options.readyTimeoutMs;
  let lagging: string[] = [];
  let statuses: NodeStatus[] = [];
  while (Date.now() < deadline) {
    statuses = await Promise.all(
      network.children.map((_, i) => network.status(i).catch(() => ({ peers: 0, mesh: 0 }))),
    );
    lagging = [];
    statuses.forEach((status, i) => {
      const peers = network.requiredPeers?.(options.degrees[i]!) ?? options.degrees[i]!;
      if (status.peers < peers || status.mesh < Math.min(network.meshLow, peers, READY_MESH_PEERS)) {
        lagging.push(`node ${i}: ${status.peers}/${peers} peers, mesh ${status.mesh}`);
      }
    });
    if (lagging.length === 0) return statuses;
    await sleep(READY_POLL_MS);
  }
  const text = `${network.label}: network not ready after ${options.readyTimeoutMs} ms: ${lagging.join('; ')}`;
  if (!options.proceedUnready) throw new Error(text);
  options.log(`${text}; measuring anyway (--proceed-unready)`);
  return statuses;
}

/** Sends `count` messages at the steady rate, senders in turn; each is requested on its schedule. */
async function sendAll(
  network: BenchNetwork,
  options: PhaseOptions,
  count: number,
  firstSeq: number,
): Promise<{ injected: Injected[]; sendErrors: string[] }> {
  const injected: Injected[] = [];
  const sendErrors: string[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let k = 0; k < count; k++) {
    const due = start + (k * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const seq = firstSeq + k;
    const sender = options.senders[seq % options.senders.length]!;
    const requestedAt = performance.timeOrigin + performance.now();
    pending.push(
      network.inject(sender, seq).then(
        (key) => void injected.push({ key, seq, sender, requestedAt }),
        (err: Error) => void sendErrors.push(`message ${seq} from node ${sender}: ${err.message}`),
      ),
    );
  }
  await Promise.all(pending);
  injected.sort((a, b) => a.seq - b.seq);
  for (const error of sendErrors.slice(0, 5)) options.log(`${network.label}: send failed: ${error}`);
  return { injected, sendErrors };
}

async function waitArrivals(
  network: BenchNetwork,
  options: PhaseOptions,
  injected: readonly Injected[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const missing = (): number =>
    injected.reduce((sum, m) => sum + (options.nodes - network.arrivals.count(m.key)), 0);
  while (missing() > 0 && Date.now() < deadline) await sleep(POLL_MS);
  // Event lines are flushed every few ms; give the last ones time to come in.
  await sleep(POLL_MS);
  const left = missing();
  if (left > 0) {
    options.log(
      `${network.label}: ${left} (message, node) arrivals missing ${timeoutMs} ms after the last send`,
    );
  }
}

function measureLatency(network: BenchNetwork, options: PhaseOptions, injected: readonly Injected[]) {
  const lastNodeMs: number[] = [];
  const perNodeMs: number[] = [];
  const fromRequestMs: number[] = [];
  let delivered = 0;
  let incomplete = 0;
  for (const message of injected) {
    const times = network.arrivals.at(message.key);
    delivered += times.size;
    const origin = times.get(message.sender);
    if (times.size < options.nodes || origin === undefined) {
      incomplete++;
      continue;
    }
    let last = origin;
    for (const [node, t] of times) {
      if (node !== message.sender) perNodeMs.push(t - origin);
      last = Math.max(last, t);
    }
    lastNodeMs.push(last - origin);
    fromRequestMs.push(last - message.requestedAt);
  }
  return { lastNodeMs, perNodeMs, fromRequestMs, delivered, incomplete };
}
