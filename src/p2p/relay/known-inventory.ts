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

/**
 * Most peers remembered per object (unit: peers): above any honest connection count we keep
 * (DEFAULT_MAX_CONNECTIONS is 100), so an attacker cannot grow one entry past this.
 */
export const MAX_KNOWN_PEERS_PER_OBJECT = 128;

export class KnownInventory {
  private readonly entries = new Map<string, Set<string>>();

  /** `capacity`: objects remembered (unit: objects). */
  constructor(private readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`KnownInventory capacity must be a positive integer, got ${capacity}`);
    }
  }

  /** Records that `peer` has the object `key`. */
  add(key: string, peer: string): void {
    let peers = this.entries.get(key);
    if (peers === undefined) {
      peers = new Set();
      this.entries.set(key, peers);
      if (this.entries.size > this.capacity) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
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
