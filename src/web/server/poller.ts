/**
 * Polls every node's RPC about once a second and folds the answers into the `TrustMapState`.
 * A round reads the nodes `POLL_CONCURRENCY` at a time, each call with a short timeout, so a dead
 * or hanging node costs one failed read, and rounds never overlap (the next starts `intervalMs`
 * after the previous one started, or at once if it ran longer). After each node's poll, and again
 * after the round, `onChange` gets what changed (a patch, or null) and the new feed events.
 */
import type { FeedEvent, Patch } from '../protocol.js';
import { POLL_CONCURRENCY, POLL_INTERVAL_MS } from './constants.js';
import { NodeReader, NodeSlowError, type NodeTarget } from './node-reader.js';
import type { TrustMapState } from './view-state.js';

export interface PollerOptions {
  readonly nodes: () => readonly NodeTarget[];
  readonly state: TrustMapState;
  readonly onChange: (patch: Patch | null, feed: FeedEvent[]) => void;
  readonly intervalMs?: number;
  /** How a reader is made for a target (tests pass fakes). */
  readonly readerFor?: (target: NodeTarget) => NodeReader;
  readonly now?: () => number;
}

export class Poller {
  readonly #readers = new Map<string, { target: NodeTarget; reader: NodeReader }>();
  #running = false;
  #wake: (() => void) | undefined;
  #loop: Promise<void> = Promise.resolve();

  constructor(private readonly options: PollerOptions) {}

  /** The reader of the node called `name`, if it is polled. */
  reader(name: string): NodeReader | undefined {
    return this.#readers.get(name)?.reader;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** One round: every node read once (each one's changes handed on at once), then the rest. */
  async round(): Promise<void> {
    const now = this.options.now ?? Date.now;
    const { state } = this.options;
    const targets = this.options.nodes();
    this.#syncReaders(targets);
    state.setNodes(
      targets.map((t) => t.name),
      (name) => this.#readers.get(name)!.target.rpcUrl,
      now(),
    );
    const queue = targets.map((t) => t.name);
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) await this.#pollOne(name);
    };
    await Promise.all(Array.from({ length: Math.min(POLL_CONCURRENCY, queue.length) }, worker));
    const { patch, feed } = state.endRound(now());
    this.options.onChange(patch, feed);
  }

  async #run(): Promise<void> {
    const interval = this.options.intervalMs ?? POLL_INTERVAL_MS;
    while (this.#running) {
      const started = Date.now();
      try {
        await this.round();
      } catch {
        // A bug in folding one round must not end the map; the next round starts afresh.
      }
      const wait = Math.max(0, interval - (Date.now() - started));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async #pollOne(name: string): Promise<void> {
    await this.#read(name);
    const { patch, feed } = this.options.state.flushNode(name);
    if (patch !== null || feed.length > 0) this.options.onChange(patch, feed);
  }

  async #read(name: string): Promise<void> {
    const now = this.options.now ?? Date.now;
    const { state } = this.options;
    const reader = this.#readers.get(name)?.reader;
    if (reader === undefined) return;
    try {
      const reading = await reader.read();
      const before = state.lastTip(name);
      let reorgedFrom: string | null = null;
      const { tip } = reading;
      const extends_ = before === null || tip.id === before.id || tip.parent === before.id;
      if (!extends_ && before !== null) {
        // Not a plain extension: the old tip was replaced unless it is still on the active chain.
        const stillThere =
          tip.height > before.height && (await reader.blockIdAt(before.height)) === before.id;
        if (!stillThere) reorgedFrom = before.id;
      }
      state.nodeAnswered(name, now(), reading, reorgedFrom);
      const txid = state.propagation.txToCheck(name);
      if (txid !== null) {
        try {
          const tx = await reader.tx(txid);
          state.propagation.txFound(name, txid, now(), tx.timestamp);
        } catch {
          // Not there yet (or the node went away): asked again next round.
        }
      }
    } catch (err) {
      state.nodeFailed(name, now(), (err as Error).message, err instanceof NodeSlowError);
    }
  }

  #syncReaders(targets: readonly NodeTarget[]): void {
    const readerFor = this.options.readerFor ?? ((t: NodeTarget) => NodeReader.forTarget(t));
    const names = new Set(targets.map((t) => t.name));
    for (const name of this.#readers.keys()) if (!names.has(name)) this.#readers.delete(name);
    for (const target of targets) {
      const known = this.#readers.get(target.name)?.target;
      if (known?.rpcUrl === target.rpcUrl && known.cookiePath === target.cookiePath) continue;
      this.#readers.set(target.name, { target, reader: readerFor(target) });
    }
  }
}
