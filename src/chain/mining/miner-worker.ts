/**
 * Mining worker thread: runs batches of the nonce search off the main event loop. The miner sends
 * `{ id, headerBytes, target, start, attempts }` and gets `{ id, nonce }` back (nonce null when the
 * batch found nothing). Batches are small, so a new tip can interrupt the search between two.
 */
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
}

parentPort?.on('message', (job: SearchJob) => {
  const nonce = searchNonce(job.headerBytes, job.target, job.start, job.attempts);
  const result: SearchResult = { id: job.id, nonce: nonce ?? null };
  parentPort?.postMessage(result);
});
