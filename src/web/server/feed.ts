/**
 * The event feed: offences, quarantines, blocks, reorgs, partition suspicions, nodes going down
 * and coming back, attackers started. A ring buffer of the last `FEED_EVENTS` events (what a newly
 * connected page is sent) plus the events not yet broadcast.
 */
import type { FeedEvent, FeedKind } from '../protocol.js';
import { FEED_EVENTS } from './constants.js';
import { RingBuffer } from './ring-buffer.js';

export type NewFeedEvent = Omit<FeedEvent, 'seq'>;

export class FeedLog {
  readonly #events: RingBuffer<FeedEvent>;
  #pending: FeedEvent[] = [];
  #seq = 0;

  constructor(capacity = FEED_EVENTS) {
    this.#events = new RingBuffer(capacity);
  }

  push(event: NewFeedEvent): void {
    const numbered: FeedEvent = { seq: ++this.#seq, ...event };
    this.#events.push(numbered);
    this.#pending.push(numbered);
    // Between two broadcasts at most a buffer's worth is pending, whatever happens.
    if (this.#pending.length > this.#events.capacity) this.#pending.shift();
  }

  add(time: number, kind: FeedKind, node: string, text: string, peerId?: string): void {
    this.push({ time, kind, node, text, ...(peerId === undefined ? {} : { peerId }) });
  }

  /** Every kept event, oldest first. */
  all(): FeedEvent[] {
    return this.#events.toArray();
  }

  get size(): number {
    return this.#events.size;
  }

  /** The events pushed since the last call. */
  takePending(): FeedEvent[] {
    const pending = this.#pending;
    this.#pending = [];
    return pending;
  }
}
