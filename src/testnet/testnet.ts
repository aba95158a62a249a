/**
 * One testnet run: hosts in network namespaces (host-network.ts), one trustmesh node per host
 * (nodes.ts), an honest payment load, the given attackers, an optional partition and heal, then
 * the report (report.ts). Everything it created is removed at the end, on `abort()` (Ctrl-C), and,
 * after a crash of the launcher, at the next start.
 *
 * Phases:
 * 1. hosts and nodes start (regtest: trivial proof of work); the run waits until every honest node
 *    has its topology's peers;
 * 2. attackers start, each dialing a few honest hosts;
 * 3. the load runs for `durationS`: `txRate` payments per second from the funded honest hosts in
 *    turn, and one block every `blockIntervalS` mined on request by the miners in turn (one on
 *    each side while partitioned), so no node grinds nonces on this machine's few cores; a
 *    partition cuts the honest hosts into two halves (each with a miner) at `partitionAtS` and
 *    heals at `healAtS`; every second the run polls each node's status (tip, and
 *    `partitionSuspected` where the node reports it);
 * 4. drain: until every payment reached every honest node and all tips agree (or `drainS`);
 * 5. final state: the common chain, every mempool and peer list, /metrics, the node logs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeStatus } from '../node/api.js';
import { HostNetwork } from './host-network.js';
import { METRICS_PORT, type NodePlan, prepareNodes, type TestnetNode } from './nodes.js';
import { Observer } from './observer.js';
import type { TestnetOptions } from './options.js';
import {
  buildReport,
  type FinalState,
  type PartitionRecord,
  type PeerView,
  type SentTx,
  type TestnetReport,
} from './report.js';
import { buildTopology } from './topology.js';

/** How long honest nodes may take to reach their topology's peers (unit: ms). */
const READY_TIMEOUT_MS = 120_000;
/** The node's log file inside its data dir. */
const NODE_LOG_FILE = 'node.log';
/** Status polling period during the load (unit: ms). */
const POLL_MS = 1_000;
/** Convergence polling period after a heal (unit: ms): resolution of healToConvergedMs. */
const CONVERGE_POLL_MS = 250;
/** Honest hosts each attacker dials. */
const ATTACKER_DIALS = 3;

/** The run was aborted (Ctrl-C); everything was torn down. */
export class TestnetAbortedError extends Error {
  override readonly name = 'TestnetAbortedError';
}

export class TestnetRun {
  private network: HostNetwork | undefined;
  private nodes: TestnetNode[] = [];
  private root: string | undefined;
  private aborted = false;
  private abortWake: (() => void) | undefined;
  private readonly abortSignal = new Promise<void>((resolve) => (this.abortWake = resolve));
  private tornDown: Promise<void> | undefined;
  readonly observer = new Observer();

  constructor(
    readonly options: TestnetOptions,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Stops the run: kills the nodes, removes the hosts; `run()` then rejects with TestnetAbortedError. */
  async abort(): Promise<void> {
    this.aborted = true;
    this.abortWake?.();
    await this.teardown();
  }

  /** Synchronous last resort for process 'exit': kills the node processes (namespaces go at the next start). */
  killNow(): void {
    for (const node of this.nodes) node.process.killNow();
  }

  async run(): Promise<TestnetReport> {
    try {
      return await this.execute();
    } catch (err) {
      if (this.aborted) throw new TestnetAbortedError('aborted');
      throw err;
    } finally {
      await this.teardown();
    }
  }

  private async execute(): Promise<TestnetReport> {
    const { options, log } = this;
    const attackers = options.attackers.flatMap((spec) =>
      Array.from({ length: spec.count }, () => spec.kind),
    );
    const honest = Array.from({ length: options.hosts }, (_, i) => i + 1);
    this.network = await HostNetwork.create(options.hosts + attackers.length, options.link);
    this.check();
    const { slot } = this.network;
    log(
      `hosts: ${options.hosts} honest + ${attackers.length} attackers in namespaces ${slot.bridge.replace('-br', '-h*')}, network ${slot.network}`,
    );
    this.root = await mkdtemp(join(tmpdir(), 'trustmesh-testnet-'));
    const topology = buildTopology(options.hosts, Math.min(options.dials, options.hosts - 1), options.seed);
    const miners = new Set(
      Array.from({ length: options.miners }, (_, m) => 1 + Math.floor((m * options.hosts) / options.miners)),
    );
    const plans: NodePlan[] = [
      ...honest.map((index) => ({
        index,
        attackKind: null,
        miner: miners.has(index),
        dials: topology.dials[index - 1]!.map((j) => j + 1),
      })),
      ...attackers.map((kind, a) => ({
        index: options.hosts + a + 1,
        attackKind: kind,
        miner: false,
        dials: Array.from(
          { length: Math.min(ATTACKER_DIALS, options.hosts) },
          (_, k) => 1 + ((a + k * Math.ceil(options.hosts / ATTACKER_DIALS)) % options.hosts),
        ),
      })),
    ];
    this.nodes = await prepareNodes(this.network, plans, this.root, options.seed, true);
    for (const node of this.nodes) node.process.onLine((line) => this.observer.record(node.host.index, line));
    const honestNodes = this.nodes.filter((node) => node.attackKind === null);
    const attackerNodes = this.nodes.filter((node) => node.attackKind !== null);

    log(
      `starting ${honestNodes.length} honest nodes (miners: ${[...miners].map((m) => `h${m}`).join(', ') || 'none'})`,
    );
    await this.race(Promise.all(honestNodes.map((node) => node.process.start())));
    const readyMs = await this.waitReady(
      honestNodes,
      topology.neighbours.map((list) => list.length),
    );
    log(`honest nodes connected after ${(readyMs / 1000).toFixed(1)} s`);
    if (attackerNodes.length > 0) {
      await this.race(Promise.all(attackerNodes.map((node) => node.process.start())));
      log(
        `attackers started: ${attackerNodes.map((n) => `${n.name} (${n.attackKind}) ${n.peerId.slice(0, 16)}…`).join(', ')}`,
      );
    }

    // The miners do not send: their wallets hold their young coinbases, and a payment spending the
    // coinbase of a block that loses at a partition's heal dies with it, as in Bitcoin (regtest
    // matures a coinbase after 3 blocks, fewer than a 20 s cut's branch). That is consensus, not
    // relay, and would be counted as a payment the network lost.
    // (When every funded host mines, they send all the same.)
    const funded = honestNodes.filter((node) => node.devAccount !== null);
    const nonMiners = funded.filter((node) => !node.miner);
    const senders = nonMiners.length > 0 ? nonMiners : funded;
    const payees = await this.race(
      Promise.all(senders.map(async (node) => (await node.rpc!.call('balance')).address)),
    );
    const sent: SentTx[] = [];
    const partition = this.partitionPlan(honest);
    const statuses = new Map<number, NodeStatus>();
    const loadStart = Date.now();
    log(
      `load: ${options.txRate} tx/s for ${options.durationS} s from ${senders.map((s) => s.name).join(', ')}`,
    );
    const polling = this.poll(honestNodes, statuses, partition);
    const mining = this.mineOnSchedule(
      honestNodes.filter((node) => node.miner),
      partition,
    );
    const schedule =
      partition === undefined
        ? Promise.resolve()
        : this.runPartition(partition, honestNodes, statuses, sent, loadStart);
    await this.race(this.load(senders, payees, sent, loadStart));
    await this.race(schedule);
    log(`load done: ${sent.length} payments sent; draining`);
    const drainStart = Date.now();
    const converged = await this.waitConverged(honestNodes, sent, statuses, this.options.drainS * 1000);
    polling.stop();
    await mining.stop();
    log(
      converged
        ? `converged ${Date.now() - drainStart} ms after the load`
        : `not converged ${this.options.drainS} s after the load`,
    );
    const final = await this.race(this.finalState(honestNodes, converged));
    return buildReport({
      options,
      nodes: this.nodes,
      observer: this.observer,
      sent,
      final,
      partition,
      readyMs,
    });
  }

  private check(): void {
    if (this.aborted) throw new TestnetAbortedError('aborted');
  }

  /** Resolves like `work`, or rejects as soon as the run is aborted. */
  private race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([
      work,
      this.abortSignal.then(() => Promise.reject(new TestnetAbortedError('aborted'))),
    ]);
  }

  private sleep(ms: number): Promise<void> {
    return this.race(new Promise((resolve) => setTimeout(resolve, ms)));
  }

  private async statusOf(node: TestnetNode): Promise<NodeStatus | undefined> {
    try {
      return await node.rpc!.call('status');
    } catch {
      return undefined;
    }
  }

  private async waitReady(nodes: readonly TestnetNode[], degrees: readonly number[]): Promise<number> {
    const start = Date.now();
    while (Date.now() - start < READY_TIMEOUT_MS) {
      const statuses = await Promise.all(nodes.map((node) => this.statusOf(node)));
      if (statuses.every((status, i) => status !== undefined && status.peers >= degrees[i]!))
        return Date.now() - start;
      await this.sleep(POLL_MS);
    }
    this.log(`not every honest node reached its peers within ${READY_TIMEOUT_MS / 1000} s; going on`);
    return Date.now() - start;
  }

  private partitionPlan(honest: readonly number[]): PartitionRecord | undefined {
    const { partitionAtS, healAtS } = this.options;
    if (partitionAtS === null || healAtS === null) return undefined;
    const half = Math.floor(honest.length / 2);
    const attackers = this.nodes.filter((n) => n.attackKind !== null).map((n) => n.host.index);
    return {
      atS: partitionAtS,
      healAtS,
      groups: [[...honest.slice(0, half), ...attackers], honest.slice(half)],
      cutAt: null,
      healedAt: null,
      detection: new Map(),
      detectionReported: false,
      healToConvergedMs: null,
      sentBeforeHeal: 0,
      lastArrival: null,
    };
  }

  /** Payments at the rate, senders in turn, each to the next sender's wallet. */
  private async load(
    senders: readonly TestnetNode[],
    payees: readonly string[],
    sent: SentTx[],
    start: number,
  ): Promise<void> {
    const { txRate, durationS } = this.options;
    const total = Math.floor(txRate * durationS);
    const pending: Promise<void>[] = [];
    for (let k = 0; k < total && !this.aborted; k++) {
      const wait = start + (k * 1000) / txRate - Date.now();
      if (wait > 0) await this.sleep(wait);
      const from = senders[k % senders.length]!;
      const to = payees[(k + 1) % payees.length]!;
      const requestedAt = Date.now();
      pending.push(
        from.rpc!.call('send', [to, '100000']).then(
          ({ txid }) => void sent.push({ txid, origin: from.host.index, requestedAt }),
          (err: Error) => this.log(`send from ${from.name} failed: ${err.message}`),
        ),
      );
    }
    const end = start + durationS * 1000 - Date.now();
    if (end > 0) await this.sleep(end);
    await Promise.all(pending);
  }

  /**
   * Mines one block every `blockIntervalS`, by the miners in turn; while the hosts are
   * partitioned, one block on each side (by that side's miners in turn).
   */
  private mineOnSchedule(
    miners: readonly TestnetNode[],
    partition: PartitionRecord | undefined,
  ): { stop(): Promise<void> } {
    let turn = 0;
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      const groups =
        this.network?.partitioned === true && partition !== undefined
          ? partition.groups
          : [miners.map((m) => m.host.index)];
      const chosen = groups
        .map((group) => miners.filter((m) => group.includes(m.host.index)))
        .filter((side) => side.length > 0)
        .map((side) => side[turn % side.length]!);
      turn++;
      running = Promise.all(
        chosen.map((miner) =>
          miner.rpc!.call('mine', [1]).then(
            ({ blocks }) => blocks.forEach((id) => this.observer.mined.add(id)),
            (err: Error) => this.log(`mining on ${miner.name} failed: ${err.message}`),
          ),
        ),
      );
    }, this.options.blockIntervalS * 1000);
    return {
      stop: async () => {
        clearInterval(timer);
        await running;
      },
    };
  }

  /** Polls statuses every second (tips, partition detection) until stopped. */
  private poll(
    nodes: readonly TestnetNode[],
    statuses: Map<number, NodeStatus>,
    partition: PartitionRecord | undefined,
  ): { stop(): void } {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void Promise.all(
        nodes.map(async (node) => {
          const status = await this.statusOf(node);
          if (status === undefined) return;
          statuses.set(node.host.index, status);
          const suspected = (status as unknown as Record<string, unknown>).partitionSuspected;
          if (partition === undefined || suspected === undefined) return;
          partition.detectionReported = true;
          if (suspected === true && partition.cutAt !== null && !partition.detection.has(node.host.index)) {
            partition.detection.set(node.host.index, Date.now() - partition.cutAt);
          }
        }),
      ).finally(() => (busy = false));
    }, POLL_MS);
    return { stop: () => clearInterval(timer) };
  }

  private async runPartition(
    partition: PartitionRecord,
    nodes: readonly TestnetNode[],
    statuses: Map<number, NodeStatus>,
    sent: SentTx[],
    start: number,
  ): Promise<void> {
    const network = this.network!;
    await this.sleep(start + partition.atS * 1000 - Date.now());
    await network.partition(partition.groups);
    partition.cutAt = Date.now();
    this.log(`partition: ${partition.groups.map((g) => g.map((i) => `h${i}`).join(' ')).join(' | ')}`);
    await this.sleep(start + partition.healAtS * 1000 - Date.now());
    await network.heal();
    partition.healedAt = Date.now();
    const before = sent.filter((tx) => tx.requestedAt < partition.healedAt!);
    partition.sentBeforeHeal = before.length;
    this.log('healed; waiting for convergence');
    if (await this.waitConverged(nodes, before, statuses, this.options.drainS * 1000, CONVERGE_POLL_MS)) {
      partition.healToConvergedMs = Date.now() - partition.healedAt;
      this.log(`converged ${partition.healToConvergedMs} ms after the heal`);
      const hosts = nodes.map((node) => node.host.index);
      for (const tx of before) {
        const last = this.observer.lastArrival(tx.txid, hosts);
        const msAfterHeal = last === undefined ? 0 : last.t - partition.healedAt;
        if (last !== undefined && msAfterHeal > (partition.lastArrival?.msAfterHeal ?? 0)) {
          partition.lastArrival = { txid: tx.txid, origin: tx.origin, host: last.host, msAfterHeal };
        }
      }
    }
  }

  /** Waits until every honest node has every tx of `txs` and all tips agree; false on timeout. */
  private async waitConverged(
    nodes: readonly TestnetNode[],
    txs: readonly SentTx[],
    statuses: Map<number, NodeStatus>,
    timeoutMs: number,
    pollMs = POLL_MS,
  ): Promise<boolean> {
    const hosts = nodes.map((node) => node.host.index);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (txs.every((tx) => this.observer.deliveredToAll(tx.txid, hosts))) {
        const tips = await Promise.all(nodes.map((node) => this.statusOf(node)));
        tips.forEach((status, i) => status !== undefined && statuses.set(hosts[i]!, status));
        if (tips.every((status) => status !== undefined && status.tip === tips[0]!.tip)) return true;
      }
      await this.sleep(pollMs);
    }
    return false;
  }

  /** The common chain (from the first honest node), every mempool, the /metrics quarantine counters. */
  private async finalState(nodes: readonly TestnetNode[], converged: boolean): Promise<FinalState> {
    // Quarantines and reorgs come from the node logs (NDJSON, <dataDir>/node.log).
    for (const node of nodes) {
      const text = await readFile(join(node.dataDir, NODE_LOG_FILE), 'utf8').catch(() => '');
      for (const line of text.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          this.observer.record(node.host.index, JSON.parse(line) as Record<string, unknown>);
        } catch {
          // a line cut short by a concurrent write: skip it
        }
      }
    }
    const first = nodes[0]!.rpc!;
    const tip = await first.call('status');
    const blockIds = new Set<string>();
    const chainTxids = new Set<string>();
    for (let height = 1; height <= tip.height; height++) {
      const block = await first.call('block', [String(height)]);
      blockIds.add(block.id);
      for (const txid of block.txids) chainTxids.add(txid);
    }
    const mempools = new Map<number, Set<string>>();
    const tips = new Map<number, string>();
    const peers = new Map<number, PeerView>();
    const counted = await Promise.all(
      nodes.map(async (node) => {
        mempools.set(node.host.index, new Set((await node.rpc!.call('mempool')).txids));
        const status = await node.rpc!.call('status');
        tips.set(node.host.index, status.tip);
        const list = await node.rpc!.call('peers');
        peers.set(node.host.index, {
          height: status.height,
          peers: list.length,
          minTrustScore: Math.min(0, ...list.map((p) => p.score)),
          minGossipsubScore: Math.min(0, ...list.map((p) => p.gossipsubScore)),
        });
        return scrapeQuarantines(node);
      }),
    );
    const metricsQuarantines = counted.reduce((sum, n) => sum + n, 0);
    return {
      converged,
      height: tip.height,
      tip: tip.tip,
      blockIds,
      chainTxids,
      mempools,
      tips,
      peers,
      metricsQuarantines,
    };
  }

  private async teardown(): Promise<void> {
    this.tornDown ??= (async () => {
      await Promise.all(this.nodes.map((node) => node.process.stop()));
      await this.network?.destroy();
      if (this.root !== undefined && !this.options.keep)
        await rm(this.root, { recursive: true, force: true });
      else if (this.root !== undefined) this.log(`node data and logs kept in ${this.root}`);
    })();
    await this.tornDown;
  }
}

/** `trustmesh_quarantines_total` from a node's /metrics (through the gateway); 0 when unreachable. */
async function scrapeQuarantines(node: TestnetNode): Promise<number> {
  try {
    const response = await fetch(`http://${node.host.address}:${METRICS_PORT}/metrics`, {
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    const match = /^trustmesh_quarantines_total(?:\{[^}]*\})?\s+(\d+(?:\.\d+)?)/m.exec(text);
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}
