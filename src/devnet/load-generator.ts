/**
 * Steady payment load for a devnet (`--tx-rate`): `ratePerSec` payments per second between the
 * nodes' dev wallets, sent through each node's RPC `send` in turn (node i pays node i+1), so every
 * node originates transactions and every transaction has to be relayed to reach the miners.
 *
 * Rules:
 * - payments are spread evenly in time (a credit accumulates every tick; fractional rates work);
 * - at most `maxInFlight` sends wait for an answer; a payment due while that many are pending is
 *   skipped and counted, so a slow node is visible instead of queueing unbounded work;
 * - failures (e.g. the wallet's coins are all in the mempool) are counted with the last message;
 *   the generator keeps going.
 */
import { type RpcCaller, RpcClient } from '../cli/rpc-client.js';
import { cookiePathOf, type NodeDefinition, rpcUrlOf } from '../node/devnet-definitions.js';

/** Tick of the scheduler (unit: ms). */
const TICK_MS = 100;
/** A send that has not answered after this long counts as failed (unit: ms). */
const SEND_TIMEOUT_MS = 10_000;
/** Each payment's amount (unit: base units; 0.001 coin), small next to the 10,000-coin dev outputs. */
export const PAYMENT_AMOUNT = 100_000n;

export interface LoadTarget {
  readonly name: string;
  readonly client: RpcCaller;
  /** The node wallet's address (hex). */
  readonly address: string;
}

export interface LoadStats {
  readonly ratePerSec: number;
  readonly sent: number;
  readonly failed: number;
  readonly skipped: number;
  readonly lastError?: string;
}

export class LoadGenerator {
  private timer: NodeJS.Timeout | undefined;
  private credit = 0;
  private next = 0;
  private inFlight = new Set<Promise<void>>();
  private sent = 0;
  private failed = 0;
  private skipped = 0;
  private lastError: string | undefined;
  private readonly maxInFlight: number;

  constructor(
    private readonly targets: readonly LoadTarget[],
    readonly ratePerSec: number,
    maxInFlight?: number,
  ) {
    if (!(ratePerSec > 0)) throw new RangeError('ratePerSec must be positive');
    if (targets.length === 0) throw new RangeError('no nodes to send from');
    this.maxInFlight = maxInFlight ?? Math.max(4, Math.ceil(ratePerSec * 2));
  }

  /** A generator over a devnet's nodes: asks each (over RPC, by cookie) for its wallet address. */
  static async forDevnet(defs: readonly NodeDefinition[], ratePerSec: number): Promise<LoadGenerator> {
    const targets = await Promise.all(
      defs.map(async (def) => {
        const client = RpcClient.fromCookie(rpcUrlOf(def), cookiePathOf(def), {
          name: def.name,
          timeoutMs: SEND_TIMEOUT_MS,
        });
        return { name: def.name, client, address: (await client.call('balance')).address };
      }),
    );
    return new LoadGenerator(targets, ratePerSec);
  }

  start(): void {
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      this.credit += (this.ratePerSec * (now - last)) / 1_000;
      last = now;
      while (this.credit >= 1) {
        this.credit -= 1;
        this.sendOne();
      }
    }, TICK_MS);
  }

  /** Stops sending; resolves when the sends in flight have answered. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  stats(): LoadStats {
    return {
      ratePerSec: this.ratePerSec,
      sent: this.sent,
      failed: this.failed,
      skipped: this.skipped,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  private sendOne(): void {
    if (this.inFlight.size >= this.maxInFlight) {
      this.skipped++;
      return;
    }
    const from = this.targets[this.next % this.targets.length]!;
    const to = this.targets[(this.next + 1) % this.targets.length]!;
    this.next++;
    const sending = from.client.call('send', [to.address, PAYMENT_AMOUNT.toString()]).then(
      () => {
        this.sent++;
      },
      (err: Error) => {
        this.failed++;
        this.lastError = `${from.name}: ${err.message}`;
      },
    );
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }
}
