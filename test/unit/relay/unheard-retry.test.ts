/** UnheardRetry: an Inv heard by nobody is published again until a peer hears it, within bounds. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnnouncementChannel } from '../../../src/p2p/relay/ports.js';
import {
  MAX_UNHEARD,
  UNHEARD_RETRIES,
  UNHEARD_RETRY_MS,
  UnheardRetry,
} from '../../../src/p2p/relay/unheard-retry.js';
import { InvType } from '../../../src/p2p/wire/codec.js';

/** A channel whose mesh has `peers()` peers at each publish. */
function channel(peers: () => number): AnnouncementChannel & { published: number } {
  const c = {
    published: 0,
    async publish() {
      c.published++;
      return peers();
    },
  };
  return c;
}

const ITEMS = [{ type: InvType.TX, hash: new Uint8Array(32).fill(7) }];

afterEach(() => {
  vi.useRealTimers();
});

describe('UnheardRetry', () => {
  it('publishes an unheard Inv again each heartbeat until a peer hears it, then stops', async () => {
    vi.useFakeTimers();
    let meshPeers = 0;
    const inner = channel(() => meshPeers);
    const retry = new UnheardRetry(inner);
    expect(await retry.publish(ITEMS)).toBe(0);
    await vi.advanceTimersByTimeAsync(UNHEARD_RETRY_MS);
    expect(inner.published).toBe(2);
    meshPeers = 3; // the heartbeat grafted the new peers
    await vi.advanceTimersByTimeAsync(UNHEARD_RETRY_MS);
    expect(inner.published).toBe(3);
    await vi.advanceTimersByTimeAsync(10 * UNHEARD_RETRY_MS);
    expect(inner.published).toBe(3);
    expect(retry.pending).toBe(0);
  });

  it('gives up after UNHEARD_RETRIES, and never retries a heard Inv', async () => {
    vi.useFakeTimers();
    const alone = channel(() => 0);
    await new UnheardRetry(alone).publish(ITEMS);
    await vi.advanceTimersByTimeAsync(20 * UNHEARD_RETRY_MS);
    expect(alone.published).toBe(1 + UNHEARD_RETRIES);

    const heard = channel(() => 2);
    await new UnheardRetry(heard).publish(ITEMS);
    await vi.advanceTimersByTimeAsync(20 * UNHEARD_RETRY_MS);
    expect(heard.published).toBe(1);
  });

  it('holds at most MAX_UNHEARD Invs, and stop() drops them', async () => {
    vi.useFakeTimers();
    const alone = channel(() => 0);
    const retry = new UnheardRetry(alone);
    for (let i = 0; i < MAX_UNHEARD + 10; i++) await retry.publish(ITEMS);
    expect(retry.pending).toBe(MAX_UNHEARD);
    retry.stop();
    expect(retry.pending).toBe(0);
    await vi.advanceTimersByTimeAsync(20 * UNHEARD_RETRY_MS);
    expect(alone.published).toBe(MAX_UNHEARD + 10);
  });
});
