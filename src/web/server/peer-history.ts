/**
 * What the server remembers of each (node, peer) pair across polls: the peer's trust score as the
 * node saw it at each poll (for the score chart when the node has no `scoreHistory` of its own)
 * and when the node last had it connected (liveness). Bounded twice: `samplesPerPeer` samples per
 * pair, and `maxPairs` pairs, the pair touched longest ago forgotten first.
 */
import type { ScorePoint } from './node-reader.js';
import { SCORE_SAMPLES_PER_PEER, SCORED_PAIRS } from './constants.js';
import { BoundedMap, RingBuffer } from './ring-buffer.js';

interface PairRecord {
  readonly samples: RingBuffer<ScorePoint>;
  lastConnectedAt: number | null;
}

export class PeerHistory {
  readonly #pairs: BoundedMap<string, PairRecord>;

  constructor(
    private readonly samplesPerPeer = SCORE_SAMPLES_PER_PEER,
    maxPairs = SCORED_PAIRS,
  ) {
    this.#pairs = new BoundedMap(maxPairs);
  }

  record(node: string, peerId: string, at: number, score: number, connected: boolean): void {
    const pair = this.#pairs.upsert(key(node, peerId), () => ({
      samples: new RingBuffer<ScorePoint>(this.samplesPerPeer),
      lastConnectedAt: null,
    }));
    pair.samples.push({ at, score });
    if (connected) pair.lastConnectedAt = at;
  }

  samples(node: string, peerId: string): ScorePoint[] {
    return this.#pairs.get(key(node, peerId))?.samples.toArray() ?? [];
  }

  lastConnectedAt(node: string, peerId: string): number | null {
    return this.#pairs.get(key(node, peerId))?.lastConnectedAt ?? null;
  }

  /** For the boundedness test: pairs kept and the largest sample count of any pair. */
  stats(): { pairs: number; maxSamples: number } {
    let maxSamples = 0;
    for (const k of this.#pairs.keys()) maxSamples = Math.max(maxSamples, this.#pairs.get(k)!.samples.size);
    return { pairs: this.#pairs.size, maxSamples };
  }
}

function key(node: string, peerId: string): string {
  return `${node}\u0000${peerId}`;
}
