/**
 * Announcements that reached no peer, published again. Gossipsub sends an Inv to the topic mesh,
 * and right after a (re)connect the mesh is empty until a heartbeat grafts the new peers (about a
 * second): an Inv published then is heard by nobody. That is exactly when it matters most, e.g. the
 * transactions a reorg returns to the mempool as a partition heals. Such an Inv is published again
 * every UNHEARD_RETRY_MS, at most UNHEARD_RETRIES times, until some peer hears it; the periodic
 * mempool exchange (src/p2p/sync) remains the backstop.
 */
import type { InvItem } from '../wire/codec.js';
import type { AnnouncementChannel } from './ports.js';

/** Delay (ms) before an unheard Inv is published again: one gossipsub heartbeat. */
export const UNHEARD_RETRY_MS = 1_000;
/** Times an unheard Inv is published again before it is left to the mempool exchange. */
export const UNHEARD_RETRIES = 5;
/** Invs waiting for a retry at once; beyond it an unheard Inv is not retried (memory bound). */
export const MAX_UNHEARD = 64;

export class UnheardRetry implements AnnouncementChannel {
  private readonly waiting = new Set<NodeJS.Timeout>();
  private stopped = false;

  /** @param channel the gossipsub channel; each publish draws a fresh Inv nonce, so no duplicate */
  constructor(private readonly channel: AnnouncementChannel) {}

  async publish(items: InvItem[]): Promise<number> {
    const heard = await this.channel.publish(items);
    if (heard === 0) this.retry(items, UNHEARD_RETRIES);
    return heard;
  }

  /** Invs waiting for a retry now. */
  get pending(): number {
    return this.waiting.size;
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.waiting) clearTimeout(timer);
    this.waiting.clear();
  }

  private retry(items: InvItem[], left: number): void {
    if (left === 0 || this.stopped || this.waiting.size >= MAX_UNHEARD) return;
    const timer = setTimeout(() => {
      this.waiting.delete(timer);
      if (this.stopped) return;
      this.channel.publish(items).then(
        (heard) => {
          if (heard === 0) this.retry(items, left - 1);
        },
        () => undefined,
      );
    }, UNHEARD_RETRY_MS);
    timer.unref();
    this.waiting.add(timer);
  }
}
