/**
 * The trust map as the server knows it: one entry per polled node (`node:<name>`), its peers
 * (`peers:<name>`), the latest transaction and block (`prop:tx`, `prop:block`), the attackers
 * started from the page (`attacker:<kind>`) and fixed facts (`meta:server`). Polls fold into it;
 * `flushNode()` (after each node's poll, so a verdict reaches the page without waiting for the
 * slowest node) and `endRound()` (everything, after a round) return the entries that changed since
 * they were last returned (the `patch` the event stream sends) and the new feed events. Bounded: entries exist only for polled nodes, attackers
 * (at most `MAX_ATTACKERS` kinds) and the fixed ones; every history is a ring buffer.
 */
import type { ReputationEntry } from '../../node/api.js';
import type { AttackerView, FeedEvent, MetaView, NodeView, Patch, PeerView, Snapshot } from '../protocol.js';
import { MARKED_PEERS, PEERS_PER_NODE, SLOW_POLLS_TOLERATED } from './constants.js';
import { FeedLog } from './feed.js';
import { judgementEvents } from './judgements.js';
import type { NodeReading } from './node-reader.js';
import { type HonestNode, PartitionWatch } from './partition.js';
import { PeerHistory } from './peer-history.js';
import { PropagationTracker } from './propagation.js';
import { BoundedMap } from './ring-buffer.js';

/** Characters of a peer id shown in feed lines (unique in any devnet). */
const SHORT_ID_CHARS = 16;

interface NodeMemory {
  view: NodeView;
  reputation: readonly ReputationEntry[] | undefined;
  connected: readonly string[];
  /** Polls in a row that timed out while the node was shown up. */
  slowPolls: number;
}

export class TrustMapState {
  readonly feed = new FeedLog();
  readonly history = new PeerHistory();
  readonly propagation = new PropagationTracker();
  readonly #partition = new PartitionWatch();
  readonly #nodes = new Map<string, NodeMemory>();
  readonly #entries = new Map<string, unknown>();
  /** JSON of each entry as last sent, to find what changed. */
  readonly #sent = new Map<string, string>();
  readonly #attackerLabels = new Map<string, string>();
  readonly #seenBlocks = new Set<string>();
  /** Peers some polled node quarantined: marked as attackers on the map from then on. */
  readonly #marked = new BoundedMap<string, true>(MARKED_PEERS);

  constructor(meta: MetaView) {
    this.#entries.set('meta:server', meta);
    this.#entries.set('marked:attackers', { peerIds: [] });
  }

  /** The polled nodes are now `names` (the list may change between rounds). */
  setNodes(names: readonly string[], rpcUrlOf: (name: string) => string, at: number): void {
    for (const name of [...this.#nodes.keys()]) {
      if (!names.includes(name)) {
        this.#nodes.delete(name);
        this.#entries.delete(`node:${name}`);
        this.#entries.delete(`peers:${name}`);
      }
    }
    for (const name of names) {
      if (this.#nodes.has(name)) continue;
      const view: NodeView = {
        name,
        rpcUrl: rpcUrlOf(name),
        up: false,
        since: at,
        error: 'not polled yet',
        peerId: null,
        height: null,
        tip: null,
        tipParent: null,
        peers: null,
        mempool: null,
        quarantined: null,
        mining: null,
        txPerSec: null,
        partitionSuspected: null,
        partitionReason: null,
      };
      this.#nodes.set(name, { view, reputation: undefined, connected: [], slowPolls: 0 });
      this.#entries.set(`node:${name}`, view);
      this.#entries.set(`peers:${name}`, []);
    }
  }

  /** The tip a node reported at its last answered poll. */
  lastTip(name: string): { id: string; height: number } | null {
    const view = this.#nodes.get(name)?.view;
    return view?.tip == null || view.height === null ? null : { id: view.tip, height: view.height };
  }

  /** How the feed names a peer: a polled node's name, an attacker's kind, or its id's start. */
  labelOf(peerId: string): string {
    for (const { view } of this.#nodes.values()) if (view.peerId === peerId) return view.name;
    const kind = this.#attackerLabels.get(peerId);
    return kind === undefined ? peerId.slice(0, SHORT_ID_CHARS) : `attacker ${kind}`;
  }

  nodeAnswered(name: string, at: number, reading: NodeReading, reorgedFrom: string | null): void {
    const memory = this.#nodes.get(name);
    if (memory === undefined) return;
    const { status, tip } = reading;
    const wasUp = memory.view.up;
    if (!wasUp && memory.reputation !== undefined) this.feed.add(at, 'node', name, 'is back up');
    for (const event of judgementEvents(name, at, memory.reputation, reading.reputation, (id) =>
      this.labelOf(id),
    )) {
      this.feed.push(event);
    }
    if (status.partitionSuspected === true && memory.view.partitionSuspected !== true) {
      this.feed.add(
        at,
        'partition',
        name,
        `suspects a partition: ${status.partitionReason ?? 'no reason given'}`,
      );
    }
    if (status.partitionSuspected === false && memory.view.partitionSuspected === true) {
      this.feed.add(at, 'partition', name, 'no longer suspects a partition');
    }
    if (reorgedFrom !== null) {
      this.feed.add(
        at,
        'reorg',
        name,
        `reorganised: tip ${reorgedFrom.slice(0, 12)}… replaced, now ${tip.height} ${tip.id.slice(0, 12)}…`,
      );
    }
    if (!this.#seenBlocks.has(tip.id) && tip.height > 0) {
      if (this.#seenBlocks.size > 0) {
        this.feed.add(
          at,
          'block',
          name,
          `block ${tip.height} ${tip.id.slice(0, 12)}… (${tip.txCount} tx), first seen here`,
        );
      }
      this.#seenBlocks.add(tip.id);
      // Only the newest few ids matter (a tip seen again is old news); forget the oldest.
      if (this.#seenBlocks.size > 256) this.#seenBlocks.delete(this.#seenBlocks.values().next().value!);
    }
    const view: NodeView = {
      name,
      rpcUrl: memory.view.rpcUrl,
      up: true,
      since: wasUp ? memory.view.since : at,
      error: null,
      peerId: status.peerId,
      height: tip.height,
      tip: tip.id,
      tipParent: tip.parent,
      peers: status.peers,
      mempool: status.mempool,
      quarantined: status.quarantined,
      mining: status.mining,
      txPerSec: round(status.txPerSec),
      partitionSuspected: status.partitionSuspected ?? null,
      partitionReason: status.partitionReason ?? null,
    };
    const connected = new Map(reading.peers.map((p) => [p.peerId, p]));
    const rows: PeerView[] = [];
    const known = new Set<string>();
    for (const entry of reading.reputation) {
      known.add(entry.peerId);
      if (entry.state === 'quarantined' && this.#marked.get(entry.peerId) === undefined) {
        this.#marked.upsert(entry.peerId, () => true);
        this.#entries.set('marked:attackers', { peerIds: [...this.#marked.keys()] });
      }
      const live = connected.get(entry.peerId);
      this.history.record(name, entry.peerId, at, entry.score, live !== undefined);
      rows.push({
        peerId: entry.peerId,
        state: entry.state,
        score: round(entry.score),
        gossipsubScore: live === undefined ? null : round(live.gossipsubScore),
        direction: live?.direction ?? null,
        connected: live !== undefined,
        offences: entry.offences,
        lastOffence:
          entry.lastOffence === null
            ? null
            : {
                time: entry.lastOffence.time,
                kind: entry.lastOffence.kind,
                evidence: entry.lastOffence.evidence,
              },
        bannedUntil: entry.bannedUntil,
        pushesUs: live?.pushesUs ?? 'none',
        wePush: live?.wePush ?? 'none',
        allowListed: live?.allowListed ?? false,
        connectionType: live?.connectionType ?? null,
        liveness: live?.liveness ?? null,
        rttMs: live?.rttMs ?? null,
        lastConnectedAt: live === undefined ? this.history.lastConnectedAt(name, entry.peerId) : null,
      });
    }
    // A connected peer missing from `reputation` (a race between the two calls) still shows.
    for (const live of reading.peers) {
      if (known.has(live.peerId)) continue;
      rows.push({
        peerId: live.peerId,
        state: live.state,
        score: round(live.score),
        gossipsubScore: round(live.gossipsubScore),
        direction: live.direction,
        connected: true,
        offences: 0,
        lastOffence: null,
        bannedUntil: null,
        pushesUs: live.pushesUs,
        wePush: live.wePush,
        allowListed: live.allowListed,
        connectionType: live.connectionType ?? null,
        liveness: live.liveness ?? null,
        rttMs: live.rttMs ?? null,
        lastConnectedAt: null,
      });
    }
    rows.sort((a, b) => Number(b.connected) - Number(a.connected) || a.score - b.score);
    memory.view = view;
    memory.slowPolls = 0;
    memory.reputation = reading.reputation;
    memory.connected = reading.peers.map((p) => p.peerId);
    this.#entries.set(`node:${name}`, view);
    this.#entries.set(`peers:${name}`, rows.slice(0, PEERS_PER_NODE));
    this.propagation.observe(name, at, tip, reading.mempool);
  }

  /**
   * A poll of `name` failed. A node that was up and only timed out (`slow`) keeps its last answer
   * for `SLOW_POLLS_TOLERATED` polls, with the error shown; otherwise it is down, without links.
   */
  nodeFailed(name: string, at: number, error: string, slow = false): void {
    const memory = this.#nodes.get(name);
    if (memory === undefined) return;
    if (slow && memory.view.up && memory.slowPolls < SLOW_POLLS_TOLERATED) {
      memory.slowPolls++;
      memory.view = { ...memory.view, error: `slow: ${error}` };
      this.#entries.set(`node:${name}`, memory.view);
      return;
    }
    memory.slowPolls = 0;
    if (memory.view.up) this.feed.add(at, 'node', name, `is down: ${error}`);
    memory.view = { ...memory.view, up: false, since: memory.view.up ? at : memory.view.since, error };
    memory.connected = [];
    this.#entries.set(`node:${name}`, memory.view);
    // A node that does not answer holds no connection the map can vouch for.
    this.#entries.set(`peers:${name}`, []);
  }

  attacker(kind: string): AttackerView | undefined {
    return this.#entries.get(`attacker:${kind}`) as AttackerView | undefined;
  }

  setAttacker(view: AttackerView): void {
    if (view.peerId !== null) this.#attackerLabels.set(view.peerId, view.kind);
    this.#entries.set(`attacker:${view.kind}`, view);
  }

  /** What changed of one node (its view, its peers, the attacker marks) since last sent. */
  flushNode(name: string): { patch: Patch | null; feed: FeedEvent[] } {
    return {
      patch: this.#diff([`node:${name}`, `peers:${name}`, 'marked:attackers']),
      feed: this.feed.takePending(),
    };
  }

  /** Closes a poll round: propagation views, partition check, and what changed since the last. */
  endRound(at: number): { patch: Patch | null; feed: FeedEvent[] } {
    const names = [...this.#nodes.keys()];
    const { tx, block } = this.propagation.views(names);
    this.#setOrDelete('prop:tx', tx);
    this.#setOrDelete('prop:block', block);
    const honest: HonestNode[] = [];
    for (const { view, connected } of this.#nodes.values()) {
      if (view.up && view.peerId !== null) honest.push({ name: view.name, peerId: view.peerId, connected });
    }
    const partition = this.#partition.update(honest);
    if (partition !== null) this.feed.add(at, 'partition', 'network', partition);
    return { patch: this.#diff(), feed: this.feed.takePending() };
  }

  /** Everything, for a page that just connected (also marks it all as sent). */
  snapshot(): Snapshot {
    return { entries: Object.fromEntries(this.#entries), feed: this.feed.all() };
  }

  /** For the boundedness test. */
  get entryCount(): number {
    return this.#entries.size;
  }

  #setOrDelete(key: string, value: unknown): void {
    if (value === null) this.#entries.delete(key);
    else this.#entries.set(key, value);
  }

  /** The entries (all, or those of `keys`) whose JSON differs from what was last returned. */
  #diff(keys?: readonly string[]): Patch | null {
    const set: Record<string, unknown> = {};
    let changed = false;
    for (const key of keys ?? this.#entries.keys()) {
      const value = this.#entries.get(key);
      if (value === undefined) continue;
      const json = JSON.stringify(value);
      if (this.#sent.get(key) !== json) {
        this.#sent.set(key, json);
        set[key] = value;
        changed = true;
      }
    }
    const del = [...(keys ?? this.#sent.keys())].filter(
      (key) => this.#sent.has(key) && !this.#entries.has(key),
    );
    for (const key of del) this.#sent.delete(key);
    return changed || del.length > 0 ? { set, del } : null;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
