/**
 * The miner: builds block templates on the active tip and searches their proof of work in a
 * worker thread (miner-worker.ts), so the event loop keeps serving peers while it hashes.
 *
 * A template pays subsidy plus fees to the miner's address, takes the mempool's best-paying
 * transactions, and is signed once by the miner key; the nonce is the header's last field, so the
 * worker only rewrites the final 8 bytes. The search runs in batches of `batchSize` attempts;
 * between two batches the miner drops the template when the tip changed (a block arrived) or the
 * template is older than TEMPLATE_REFRESH_MS (to pick up new transactions). A found block goes
 * through `chain.processBlock` like any other.
 *
 * CPU pacing (`cpuPercent`, pacing.ts): in the background loop the worker hashes at most that share
 * of one core; after each batch the next one waits `busy * (100 - p) / p` ms, and a stop cuts the
 * wait short. The first `burstMs` of hashing after each start() is not paced (a first block at
 * once), nor is any batch while the tip is stalled (older than STALLED_TIP_INTERVALS block
 * intervals: a fresh chain, or no block for that long; pacing.ts says why). `mineOne` (the `mine` RPC, an explicit request) is never paced.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep, setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { addressOf, publicKeyOf, sign } from '../../crypto/index.js';
import { type BlockHeader, encodeBlock, encodeHeader, type Transaction } from '../encoding/codec.js';
import { MAX_BLOCK_BYTES, MAX_BLOCK_TXS } from '../encoding/limits.js';
import { BLOCK_VERSION, headerSigningHash, merkleRoot, targetToBytes } from '../objects/block.js';
import { createCoinbase, txidOf } from '../objects/transaction.js';
import { blockSubsidy } from '../params.js';
import type { BlockResult, Chain, ChainLogger } from '../state/chain.js';
import type { SearchJob, SearchResult } from './miner-worker.js';
import { MAX_NONCE, searchNonce } from './nonce-search.js';
import {
  FULL_MINING_CPU,
  isMiningCpu,
  MINING_BURST_MS,
  MiningCpuError,
  paceBatch,
  tipStalled,
} from './pacing.js';

/**
 * Nonce attempts per worker message: ~50-100 ms of hashing, so a new tip interrupts the search
 * within about that long, while the per-message overhead stays negligible.
 */
export const NONCE_BATCH = 50_000;
/** A template older than this (ms) is rebuilt so newly pooled transactions get mined. */
export const TEMPLATE_REFRESH_MS = 5_000;
/** Block bytes kept free of mempool transactions: header, coinbase, and each transaction's framing. */
export const BLOCK_RESERVED_BYTES = 50_000;
/** Pause (ms) after a failed attempt in the background loop, so a persistent error does not spin. */
const RETRY_DELAY_MS = 1_000;

export interface BlockTemplate {
  /** Signed header with nonce 1 (so the nonce occupies the last 8 bytes of its encoding). */
  readonly header: BlockHeader;
  readonly headerBytes: Uint8Array;
  readonly transactions: Transaction[];
  readonly target: bigint;
  readonly parentHex: string;
  readonly height: number;
  /** Fees of the included transactions, in base units. */
  readonly fees: bigint;
}

/** A template on the chain's tip, dated max(now, median time past + 1), signed by `secretKey`. */
export function buildBlockTemplate(
  chain: Chain,
  secretKey: Uint8Array,
  payoutAddress: Uint8Array,
): BlockTemplate {
  const params = chain.params;
  const tip = chain.tip();
  const height = tip.height + 1;
  const timestamp = Math.max(chain.now(), chain.medianTimePast() + 1);
  const target = chain.nextTarget();
  const selected = chain.mempool.selectForBlock(MAX_BLOCK_BYTES - BLOCK_RESERVED_BYTES, {
    maxCount: MAX_BLOCK_TXS - 1,
    maxTimestamp: timestamp + params.maxTxAfterBlockMs,
  });
  const fees = selected.reduce((sum, entry) => sum + entry.fee, 0n);
  const reward = blockSubsidy(params, height) + fees;
  if (reward === 0n) throw new Error('nothing to pay the coinbase: no subsidy and no fees');
  const coinbase = createCoinbase(
    height,
    [{ amount: reward, address: payoutAddress as Uint8Array<ArrayBuffer> }],
    timestamp,
  );
  const transactions = [coinbase, ...selected.map((entry) => entry.tx)];
  const header: BlockHeader = {
    version: BLOCK_VERSION,
    height,
    prevHash: tip.id as Uint8Array<ArrayBuffer>,
    merkleRoot: merkleRoot([
      txidOf(coinbase),
      ...selected.map((entry) => entry.txid),
    ]) as Uint8Array<ArrayBuffer>,
    timestamp,
    target: targetToBytes(target),
    minerPublicKey: publicKeyOf(secretKey),
    minerSignature: new Uint8Array(0),
    nonce: 0n,
  };
  header.minerSignature = sign(
    headerSigningHash(header, params.network),
    secretKey,
  ) as Uint8Array<ArrayBuffer>;
  header.nonce = 1n;
  return {
    header,
    headerBytes: encodeHeader(header),
    transactions,
    target,
    parentHex: tip.idHex,
    height,
    fees,
  };
}

/**
 * The worker running miner-worker. A compiled build ships miner-worker.js next to this file; the
 * devnet's bundle (src/devnet/compiled-build.ts), which inlines this module into the node's
 * bundle, writes the worker's own bundle next to that one, so the same relative URL finds it. From
 * TypeScript sources (vitest, tsx) the worker first registers tsx's loader, then imports the .ts
 * file: Node 20 workers do not inherit the parent's loader hooks, and ignore `--import` in a
 * worker's execArgv.
 */
function createSearchWorker(): Worker {
  const compiled = new URL('./miner-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled);
  const source = new URL('./miner-worker.ts', import.meta.url).href;
  // tsx's ESM loader API, resolved from here so the process's cwd does not matter.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `
    import(${JSON.stringify(tsxApi)})
      .then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })
      .catch((err) => { console.error(err); process.exit(1); });`;
  return new Worker(bootstrap, { eval: true });
}

export interface MinerOptions {
  readonly chain: Chain;
  /** Signs block headers; its address is paid unless `payoutAddress` is given. */
  readonly secretKey: Uint8Array;
  readonly payoutAddress?: Uint8Array;
  /** Nonce attempts per batch (default NONCE_BATCH). */
  readonly batchSize?: number;
  /** Search in a worker thread (default) or, when false, on the main thread between event-loop turns. */
  readonly useWorker?: boolean;
  /**
   * Share of one core (percent, 1-100) the background loop's search may use; default 100 (no
   * pacing). See pacing.ts.
   */
  readonly cpuPercent?: number;
  /** Hashing time (ms) not paced after each start(); default MINING_BURST_MS. */
  readonly burstMs?: number;
  readonly logger?: ChainLogger;
}

export type MinerEvents = {
  /** A block this miner found was accepted onto the active chain. */
  block: [BlockResult];
  /** A mining attempt failed (the background loop retries after a pause). */
  failure: [Error];
};

interface PendingSearch {
  resolve: (result: SearchResult) => void;
  reject: (err: Error) => void;
}

export class Miner extends EventEmitter<MinerEvents> {
  readonly payoutAddress: Uint8Array;
  readonly #chain: Chain;
  readonly #secretKey: Uint8Array;
  readonly #batchSize: number;
  readonly #useWorker: boolean;
  readonly #log: ChainLogger | undefined;
  #worker: Worker | undefined;
  readonly #pending = new Map<number, PendingSearch>();
  #nextJob = 0;
  #loop: Promise<void> | undefined;
  #stopRequested = false;
  #closed = false;
  #attempts = 0;
  #cpuPercent: number = FULL_MINING_CPU;
  /** performance.now() before which the background loop sends no batch (the pacing pause). */
  #resumeAt = 0;
  /** Aborted by stop() and close(): cuts a pacing pause short. */
  #wake = new AbortController();
  readonly #burstMs: number;
  /** What is left of the start-up burst (ms of hashing). */
  #burstLeftMs = 0;
  #hashingMs = 0;
  #pausedMs = 0;

  constructor(options: MinerOptions) {
    super();
    this.#chain = options.chain;
    this.#secretKey = options.secretKey;
    this.payoutAddress = options.payoutAddress ?? addressOf(publicKeyOf(options.secretKey));
    this.#batchSize = options.batchSize ?? NONCE_BATCH;
    this.#useWorker = options.useWorker ?? true;
    this.#log = options.logger;
    this.cpuPercent = options.cpuPercent ?? FULL_MINING_CPU;
    this.#burstMs = Math.max(0, options.burstMs ?? MINING_BURST_MS);
  }

  /** Share of one core (percent) the background loop's search may use; 100 = no pacing. */
  get cpuPercent(): number {
    return this.#cpuPercent;
  }

  /** Changes the share; takes effect from the next batch. Throws MiningCpuError outside 1-100. */
  set cpuPercent(percent: number) {
    if (!isMiningCpu(percent)) throw new MiningCpuError(`not a mining CPU share (1-100): ${percent}`);
    this.#cpuPercent = percent;
  }

  /** Time (ms) the worker spent hashing, over every batch so far. */
  get hashingMs(): number {
    return this.#hashingMs;
  }

  /** Time (ms) the background loop spent in pacing pauses so far. */
  get pausedMs(): number {
    return this.#pausedMs;
  }

  /** True while the background loop runs. */
  get running(): boolean {
    return this.#loop !== undefined;
  }

  /** Nonce attempts made so far (for hash-rate metrics). */
  get attempts(): number {
    return this.#attempts;
  }

  /** Starts mining block after block in the background. */
  start(): void {
    if (this.#loop !== undefined || this.#closed) return;
    this.#stopRequested = false;
    this.#wake = new AbortController();
    this.#burstLeftMs = this.#burstMs;
    this.#loop = (async () => {
      while (!this.#stopRequested) {
        try {
          await this.#mineBlock(() => this.#stopRequested || this.#closed, true);
        } catch (err) {
          this.#log?.warn({ err: (err as Error).message }, 'mining attempt failed');
          this.emit('failure', err as Error);
          if (!this.#stopRequested) await sleep(RETRY_DELAY_MS);
        }
      }
    })();
  }

  /** Stops the background loop (after the current batch). */
  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#wake.abort();
    const loop = this.#loop;
    this.#loop = undefined;
    await loop;
  }

  /** Mines one block on the tip now (also while the loop runs); resolves with its id. */
  async mineOne(): Promise<Uint8Array> {
    if (this.#closed) throw new Error('miner is closed');
    const result = await this.#mineBlock(() => this.#closed, false);
    if (result === undefined) throw new Error('miner closed while mining');
    return result.id;
  }

  /** Stops mining and terminates the worker thread. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.stop();
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  /**
   * Mines until a block of ours connects; undefined when `cancelled` turned true first. `paced`:
   * each batch first waits out the pause the previous one earned (the background loop).
   */
  async #mineBlock(cancelled: () => boolean, paced: boolean): Promise<BlockResult | undefined> {
    for (;;) {
      if (cancelled()) return undefined;
      const template = buildBlockTemplate(this.#chain, this.#secretKey, this.payoutAddress);
      const builtAt = performance.now();
      for (let start = 1n; start <= MAX_NONCE - BigInt(this.#batchSize); start += BigInt(this.#batchSize)) {
        if (cancelled()) return undefined;
        if (this.#chain.tip().idHex !== template.parentHex) break;
        if (performance.now() - builtAt > TEMPLATE_REFRESH_MS) break;
        if (paced) {
          await this.#pace();
          if (cancelled()) return undefined;
          if (this.#chain.tip().idHex !== template.parentHex) break;
        }
        const { nonce, busyMs } = await this.#search(
          template.headerBytes,
          template.target,
          start,
          this.#batchSize,
        );
        this.#attempts += this.#batchSize;
        this.#hashingMs += busyMs;
        if (paced) {
          const stalled = tipStalled(
            this.#chain.tip().timestamp,
            this.#chain.now(),
            this.#chain.params.blockIntervalMs,
          );
          const { pauseMs, burstLeftMs } = paceBatch(busyMs, this.#cpuPercent, this.#burstLeftMs, stalled);
          this.#burstLeftMs = burstLeftMs;
          this.#resumeAt = performance.now() + pauseMs;
        }
        if (nonce === null) continue;
        const bytes = encodeBlock({
          header: { ...template.header, nonce },
          transactions: template.transactions,
        });
        const result = await this.#chain.processBlock(bytes);
        if (result.status === 'connected') {
          this.#log?.info(
            { block: result.idHex, height: result.height, txs: template.transactions.length },
            'mined',
          );
          this.emit('block', result);
          return result;
        }
        break; // another block won the height meanwhile: rebuild on the new tip
      }
    }
  }

  /** Waits until the pause earned by the last batch is over, or a stop cuts it short. */
  async #pace(): Promise<void> {
    const waitMs = this.#resumeAt - performance.now();
    if (waitMs <= 0) return;
    const started = performance.now();
    try {
      await sleep(waitMs, undefined, { signal: this.#wake.signal });
    } catch {
      // Aborted by stop() or close(): the caller checks `cancelled` next.
    }
    this.#pausedMs += performance.now() - started;
  }

  async #search(
    headerBytes: Uint8Array,
    target: bigint,
    start: bigint,
    attempts: number,
  ): Promise<Omit<SearchResult, 'id'>> {
    if (!this.#useWorker) {
      await yieldToEventLoop();
      const started = performance.now();
      const nonce = searchNonce(headerBytes, target, start, attempts) ?? null;
      return { nonce, busyMs: performance.now() - started };
    }
    const worker = this.#ensureWorker();
    const id = ++this.#nextJob;
    const job: SearchJob = { id, headerBytes, target, start, attempts };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage(job);
    });
  }

  #ensureWorker(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = createSearchWorker();
    worker.on('message', (result: SearchResult) => {
      const pending = this.#pending.get(result.id);
      this.#pending.delete(result.id);
      // An idle worker must not keep the process alive.
      if (this.#pending.size === 0) worker.unref();
      pending?.resolve(result);
    });
    const fail = (err: Error): void => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const pending of this.#pending.values()) pending.reject(err);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`mining worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }
}
