/**
 * Mining worker thread: runs batches of the nonce search off the main event loop. The miner sends
 * `{ id, headerBytes, target, start, attempts }` and gets `{ id, nonce, busyMs }` back (nonce null
 * when the batch found nothing; busyMs the batch's hashing time, which the miner's CPU pacing
 * needs). Batches are small, so a new tip can interrupt the search between two.
 */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { searchNonce } from './nonce-search.js';

export interface SearchJob {
  readonly id: number;
  readonly headerBytes: Uint8Array;
  readonly target: bigint;
  readonly start: bigint;
  readonly attempts: number;
}

export interface SearchResult {
  readonly id: number;
  readonly nonce: bigint | null;
  /** Wall time (ms) the worker spent hashing this batch. */
  readonly busyMs: number;
}

parentPort?.on('message', (job: SearchJob) => {
  const started = performance.now();
  const nonce = searchNonce(job.headerBytes, job.target, job.start, job.attempts);
  const result: SearchResult = { id: job.id, nonce: nonce ?? null, busyMs: performance.now() - started };
  parentPort?.postMessage(result);
});
