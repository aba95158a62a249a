/**
 * The page's copy of the server's view: the keyed entries (replaced by a `snapshot`, updated by
 * each `patch`) and the feed (newest last, at most `MAX_FEED` kept). Listeners hear which keys
 * changed after each update.
 */
import type {
  AttackerView,
  FeedEvent,
  MetaView,
  NodeView,
  Patch,
  PeerView,
  PropagationView,
  Snapshot,
} from '../protocol.js';

/** Feed events kept in the page (unit: events); the server keeps its own 500. */
const MAX_FEED = 300;

export type ChangeListener = (changed: ReadonlySet<string>, feed: readonly FeedEvent[]) => void;

export class ViewStore {
  readonly #entries = new Map<string, unknown>();
  #feed: FeedEvent[] = [];
  readonly #listeners: ChangeListener[] = [];

  onChange(listener: ChangeListener): void {
    this.#listeners.push(listener);
  }

  applySnapshot(snapshot: Snapshot): void {
    const changed = new Set([...this.#entries.keys(), ...Object.keys(snapshot.entries)]);
    this.#entries.clear();
    for (const [key, value] of Object.entries(snapshot.entries)) this.#entries.set(key, value);
    this.#feed = snapshot.feed.slice(-MAX_FEED);
    this.#emit(changed, this.#feed);
  }

  applyPatch(patch: Patch): void {
    const changed = new Set<string>();
    for (const [key, value] of Object.entries(patch.set)) {
      this.#entries.set(key, value);
      changed.add(key);
    }
    for (const key of patch.del) {
      this.#entries.delete(key);
      changed.add(key);
    }
    this.#emit(changed, []);
  }

  addFeed(events: readonly FeedEvent[]): void {
    const last = this.#feed.at(-1)?.seq ?? 0;
    const fresh = events.filter((e) => e.seq > last);
    if (fresh.length === 0) return;
    this.#feed = [...this.#feed, ...fresh].slice(-MAX_FEED);
    this.#emit(new Set(), fresh);
  }

  get feed(): readonly FeedEvent[] {
    return this.#feed;
  }

  meta(): MetaView | undefined {
    return this.#entries.get('meta:server') as MetaView | undefined;
  }

  nodes(): NodeView[] {
    return this.#list<NodeView>('node:').sort((a, b) => a.name.localeCompare(b.name));
  }

  peersOf(node: string): readonly PeerView[] {
    return (this.#entries.get(`peers:${node}`) as PeerView[] | undefined) ?? [];
  }

  attackers(): AttackerView[] {
    return this.#list<AttackerView>('attacker:');
  }

  propagation(kind: 'tx' | 'block'): PropagationView | undefined {
    return this.#entries.get(`prop:${kind}`) as PropagationView | undefined;
  }

  markedAttackers(): ReadonlySet<string> {
    const marked = this.#entries.get('marked:attackers') as { peerIds: string[] } | undefined;
    return new Set(marked?.peerIds ?? []);
  }

  #list<T>(prefix: string): T[] {
    const out: T[] = [];
    for (const [key, value] of this.#entries) if (key.startsWith(prefix)) out.push(value as T);
    return out;
  }

  #emit(changed: ReadonlySet<string>, feed: readonly FeedEvent[]): void {
    for (const listener of this.#listeners) listener(changed, feed);
  }
}
