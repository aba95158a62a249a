/**
 * Which peers are known to have which recent objects (Bitcoin Core's per-peer
 * `m_tx_inventory_known_filter`, kept per object instead of per peer): a peer that announced an
 * object, pushed it, served it, or was pushed it by us has it. The relay pushes a new transaction
 * only to peers not known to have it, so a body rarely crosses a link twice.
 *
 * Bounded: at most `capacity` objects, the oldest forgotten first, and at most
 * MAX_KNOWN_PEERS_PER_OBJECT peers per object. Forgetting is always safe: at worst we push a body
 * the peer already has, which it drops as a duplicate.
 */
import { BoundedMap } from '../../collections/bounded-map.js';

/**
 * Most peers remembered per object (unit: peers): above any honest connection count we keep
 * (DEFAULT_MAX_CONNECTIONS is 100), so an attacker cannot grow one entry past this.
 */
export const MAX_KNOWN_PEERS_PER_OBJECT = 128;

export class KnownInventory {
  /** Object key -> peers known to have it; the object first recorded is forgotten first. */
  private readonly entries: BoundedMap<string, Set<string>>;

  /** `capacity`: objects remembered (unit: objects); throws RangeError unless a positive integer. */
  constructor(capacity: number) {
    this.entries = new BoundedMap(capacity);
  }

  /** Records that `peer` has the object `key`. */
  add(key: string, peer: string): void {
    let peers = this.entries.get(key);
    if (peers === undefined) {
      peers = new Set();
      this.entries.set(key, peers);
    }
    if (peers.size < MAX_KNOWN_PEERS_PER_OBJECT) peers.add(peer);
  }

  /** Whether `peer` is known to have `key`. */
  has(key: string, peer: string): boolean {
    return this.entries.get(key)?.has(peer) ?? false;
  }

  /** Objects remembered. */
  get size(): number {
    return this.entries.size;
  }
}
