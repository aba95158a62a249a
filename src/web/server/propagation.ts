/**
 * Propagation of the latest transaction and the latest block: which nodes have it and when this
 * server first saw each have it. The latest block is the highest tip any node reports; the latest
 * transaction is the newest id to appear in any node's mempool (its creation time comes from the
 * node, `tx`). A node has the transaction when it is in its mempool or, once mined, when `tx`
 * finds it on its chain. Times are those of the poll that saw it (about one a second), so the
 * delays shown are upper bounds at poll resolution.
 */
import type { PropagationView } from '../protocol.js';
import { SEEN_TXS } from './constants.js';
import { BoundedMap } from './ring-buffer.js';

interface Tracked {
  readonly id: string;
  readonly height: number | null;
  createdAt: number;
  readonly seenAt: Map<string, number>;
}

export interface TipFacts {
  readonly id: string;
  readonly height: number;
  readonly timestamp: number;
}

export class PropagationTracker {
  #block: Tracked | null = null;
  #tx: Tracked | null = null;
  readonly #knownTxs = new BoundedMap<string, true>(SEEN_TXS);

  /** Folds in one node's tip and mempool ids at poll time `at`. */
  observe(node: string, at: number, tip: TipFacts, mempool: readonly string[]): void {
    if (this.#block === null || tip.height > (this.#block.height ?? -1)) {
      this.#block = { id: tip.id, height: tip.height, createdAt: tip.timestamp, seenAt: new Map() };
    }
    if (tip.id === this.#block.id && !this.#block.seenAt.has(node)) this.#block.seenAt.set(node, at);
    let newest: string | undefined;
    for (const txid of mempool) {
      if (this.#knownTxs.get(txid) === undefined) {
        this.#knownTxs.upsert(txid, () => true);
        newest = txid;
      }
    }
    if (newest !== undefined) this.#tx = { id: newest, height: null, createdAt: 0, seenAt: new Map() };
    if (this.#tx !== null && !this.#tx.seenAt.has(node) && mempool.includes(this.#tx.id)) {
      this.#tx.seenAt.set(node, at);
    }
  }

  /** The latest transaction id if `node` has not been seen with it yet (ask the node with `tx`). */
  txToCheck(node: string): string | null {
    if (this.#tx === null) return null;
    return this.#tx.seenAt.has(node) && this.#tx.createdAt !== 0 ? null : this.#tx.id;
  }

  /** `node` answered `tx(txid)`: it has the transaction, made at `timestamp`. */
  txFound(node: string, txid: string, at: number, timestamp: number): void {
    if (this.#tx === null || this.#tx.id !== txid) return;
    this.#tx.createdAt = timestamp;
    if (!this.#tx.seenAt.has(node)) this.#tx.seenAt.set(node, at);
  }

  views(nodes: readonly string[]): { tx: PropagationView | null; block: PropagationView | null } {
    const view = (kind: 'tx' | 'block', t: Tracked | null): PropagationView | null =>
      t === null || t.createdAt === 0
        ? null
        : {
            kind,
            id: t.id,
            height: t.height,
            createdAt: t.createdAt,
            seenAt: Object.fromEntries(nodes.map((n) => [n, t.seenAt.get(n) ?? null])),
          };
    return { tx: view('tx', this.#tx), block: view('block', this.#block) };
  }

  /** For the boundedness test. */
  get knownTxCount(): number {
    return this.#knownTxs.size;
  }
}
