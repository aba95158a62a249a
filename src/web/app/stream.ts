/**
 * The page's one connection to its server: an EventSource on `events` (relative, so it carries
 * the URL token). Every (re)connect starts with a `snapshot`; `patch` and `feed` follow. The
 * browser reconnects by itself after a drop (the server says `retry: 2000`).
 */
import { type FeedEvent, type Patch, type Snapshot, STREAM_EVENTS } from '../protocol.js';
import type { ViewStore } from './store.js';

export function connect(store: ViewStore, onStatus: (live: boolean) => void): EventSource {
  const source = new EventSource('events');
  source.addEventListener(STREAM_EVENTS.snapshot, (e) => {
    onStatus(true);
    store.applySnapshot(JSON.parse((e as MessageEvent<string>).data) as Snapshot);
  });
  source.addEventListener(STREAM_EVENTS.patch, (e) =>
    store.applyPatch(JSON.parse((e as MessageEvent<string>).data) as Patch),
  );
  source.addEventListener(STREAM_EVENTS.feed, (e) =>
    store.addFeed(JSON.parse((e as MessageEvent<string>).data) as FeedEvent[]),
  );
  source.addEventListener('error', () => onStatus(false));
  return source;
}
