/**
 * Steady honest payments through the nodes' RPC `send` (node i pays node i+1, in turn), and when
 * each reached every honest node: each node's mempool is polled, and a payment not seen in a
 * mempool is looked up with `tx` (it may have been mined in between). A payment's latency is the
 * time from its `send` answer to the poll that found it at the last node; the resolution is the
 * poll interval.
 */
import { PAYMENT_AMOUNT } from '../devnet/load-generator.js';
import type { HonestNode } from './honest-devnet.js';

/** Interval (ms) between two mempool polls of a node: the latency measurement's resolution. */
const POLL_MS = 100;
/** A payment not seen at a node this long (ms) after it was sent is looked up with `tx`. */
const LOOKUP_AFTER_MS = 2_000;

interface Payment {
  readonly txid: string;
  readonly sentAt: number;
  /** When each node (by index) was first seen holding it. */
  readonly seenAt: Map<number, number>;
}

export interface LoadWindow {
  readonly sent: number;
  readonly deliveredToAll: number;
  /** Median ms from send to the last node; null when nothing was delivered. */
  readonly p50Ms: number | null;
  readonly failedSends: number;
}

export class HonestLoad {
  private readonly payments: Payment[] = [];
  private sendTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private next = 0;
  private failedSends = 0;
  private polling = false;
  private addresses: string[] = [];

  constructor(
    private readonly nodes: readonly HonestNode[],
    private readonly ratePerSec: number,
  ) {}

  async start(): Promise<void> {
    this.addresses = await Promise.all(this.nodes.map(async (n) => (await n.rpc.call('balance')).address));
    this.sendTimer = setInterval(() => void this.sendOne(), 1_000 / this.ratePerSec);
    this.pollTimer = setInterval(() => void this.poll(), POLL_MS);
  }

  /** A mark in time: `window(mark)` counts the payments sent from it on. */
  mark(): number {
    return this.payments.length;
  }

  /** Stops sending (polling goes on until `stop`). */
  pause(): void {
    clearInterval(this.sendTimer);
  }

  /** Waits until every payment between the marks reached every node, or `graceMs` passed. */
  async settle(from: number, to: number, graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (
      Date.now() < deadline &&
      this.payments.slice(from, to).some((p) => p.seenAt.size < this.nodes.length)
    ) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Payments sent from mark `from` to mark `to` (default: now). */
  window(from: number, to = this.payments.length): LoadWindow {
    const slice = this.payments.slice(from, to);
    const delivered = slice.filter((p) => p.seenAt.size === this.nodes.length);
    const latencies = delivered.map((p) => Math.max(...p.seenAt.values()) - p.sentAt).sort((a, b) => a - b);
    return {
      sent: slice.length,
      deliveredToAll: delivered.length,
      p50Ms: latencies.length === 0 ? null : latencies[Math.floor((latencies.length - 1) / 2)]!,
      failedSends: this.failedSends,
    };
  }

  stop(): void {
    clearInterval(this.sendTimer);
    clearInterval(this.pollTimer);
  }

  private async sendOne(): Promise<void> {
    const from = this.next % this.nodes.length;
    const to = (from + 1) % this.nodes.length;
    this.next++;
    try {
      const { txid } = await this.nodes[from]!.rpc.call('send', [
        this.addresses[to]!,
        PAYMENT_AMOUNT.toString(),
      ]);
      const now = Date.now();
      this.payments.push({ txid, sentAt: now, seenAt: new Map([[from, now]]) });
    } catch {
      this.failedSends++;
    }
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const pending = this.payments.filter((p) => p.seenAt.size < this.nodes.length);
      if (pending.length === 0) return;
      await Promise.all(
        this.nodes.map(async (node, index) => {
          const waiting = pending.filter((p) => !p.seenAt.has(index));
          if (waiting.length === 0) return;
          const pool = new Set((await node.rpc.call('mempool')).txids);
          const now = Date.now();
          for (const p of waiting) {
            if (pool.has(p.txid)) p.seenAt.set(index, now);
            else if (now - p.sentAt > LOOKUP_AFTER_MS) {
              const found = await node.rpc.call('tx', [p.txid]).then(
                () => true,
                () => false,
              );
              if (found) p.seenAt.set(index, Date.now());
            }
          }
        }),
      );
    } catch {
      // a node too busy to answer this poll: the next one tries again
    } finally {
      this.polling = false;
    }
  }
}
