/**
 * The address book: which peers exist and where, in Bitcoin Core's addrman shape. Pure and
 * in-memory (persistence is address-book-store.ts); time and randomness are passed in.
 *
 * Two tables of buckets x slots: `new` (1,024 x 64) holds addresses we heard of, `tried` (256 x 64)
 * addresses we connected to. Every position is a keyed hash (HMAC-SHA-256 with a per-node random
 * secret), so nobody outside can aim at a slot:
 * - new bucket  = H(srcGroup, H(addrGroup, srcGroup) mod 64) mod 1,024: addresses from one source
 *   netgroup spread over at most 64 new buckets, and all addresses of one netgroup from one source
 *   land in ONE bucket. A single source, however many identities it mints, fills at most
 *   64 x 64 = 4,096 of 65,536 new slots (6.25%), and at most 64 with addresses of one netgroup;
 * - tried bucket = H(addrGroup, H(addrKey) mod 8) mod 256: one netgroup reaches at most 8 tried buckets;
 * - slot = H(table, bucket, addrKey) mod 64.
 * An address (ip/port) belongs to one peer id at a time: another identity claiming a known address is
 * ignored unless the known entry is terrible, so Sybils cannot overwrite honest entries.
 *
 * A new address whose slot is taken replaces the occupant only if the occupant is terrible (Core).
 * Moving a new entry to `tried` onto an occupied slot is a collision, resolved by test-before-evict:
 * the connection manager's feeler dials the occupant (`triedCollisionToTest`) and
 * `resolveCollision` keeps whichever is alive.
 *
 * Selection (`select`) is Core's: first a table (50/50 when both have candidates), then a bucket
 * uniformly among those holding an eligible entry, then an entry of that bucket weighted by Core's
 * chance (0.66^attempts, x0.01 if tried in the last 10 minutes). Picking buckets first is what keeps
 * a flood of Sybil entries (few buckets) from dominating the choice.
 *
 * @example
 * ```ts
 * const book = new AddressBook({ secret: randomBytes(32), netgroup: netgroupFunction('ipv4-16') });
 * book.add({ peerId, addrs: ['/ip4/127.5.0.1/tcp/9000'], lastSeen: now }, { group: 'ipv4:127.9' }, now);
 * const pick = book.select({ filter: (e) => !connected.has(e.peerId), random: Math.random, now });
 * book.attempt(pick.peerId, now); // then book.good(pick.peerId, now) once connected
 * ```
 */
import { createHmac } from 'node:crypto';
import { multiaddr } from '@multiformats/multiaddr';
import {
  ADDRESS_HORIZON_MS,
  BUCKET_SIZE,
  GETADDR_MAX_ENTRIES,
  GETADDR_MAX_PERCENT,
  GETADDR_SMALL_BOOK,
  MAX_ADDRS_PER_ENTRY,
  MAX_FAILURES,
  MAX_FUTURE_SKEW_MS,
  MAX_RETRIES,
  MAX_TRIED_COLLISIONS,
  NEW_BUCKET_COUNT,
  NEW_BUCKETS_PER_SOURCE_GROUP,
  PENALISED_LAST_SEEN_MS,
  TRIED_BUCKET_COUNT,
  TRIED_BUCKETS_PER_GROUP,
} from './constants.js';
import { type NetgroupFn, netgroupOfAddr, UNROUTABLE } from './netgroup.js';

export type AddrTable = 'new' | 'tried';

/** An address as heard: a peer, its listen multiaddrs (no /p2p), when it was last seen (ms). */
export interface AddrRecord {
  peerId: string;
  addrs: readonly string[];
  lastSeen: number;
}

/** Who told us: the netgroup of the connection it came over (`self` for our config and seeds). */
export interface AddrSource {
  group: string;
  /** The peer that told us, if any (kept for the `addrbook` view). */
  peerId?: string;
}

export interface AddrEntry {
  readonly peerId: string;
  readonly addrs: readonly string[];
  /** Netgroup of `addrs[0]`. */
  readonly netgroup: string;
  /** Netgroup of the source. */
  readonly source: string;
  readonly sourcePeer: string | undefined;
  table: AddrTable;
  bucket: number;
  slot: number;
  lastSeen: number;
  lastTry: number | undefined;
  lastSuccess: number | undefined;
  /** Failed attempts since the last success. */
  attempts: number;
}

/** Outcome of `add`. */
export type AddResult =
  'added' | 'updated' | 'stale' | 'unroutable' | 'address-taken' | 'peer-moved' | 'slot-taken';

export interface AddressBookOptions {
  /** 32 random bytes, kept across restarts (persisted with the book). */
  secret: Uint8Array;
  netgroup: NetgroupFn;
}

export interface SelectOptions {
  now: number;
  /** Uniform random number in [0, 1). */
  random: () => number;
  /** Only entries passing it are candidates. */
  filter?: (entry: AddrEntry) => boolean;
  /** Only the new table (feelers). */
  newOnly?: boolean;
}

/** `ip/port` of a multiaddr string (the key an address is known by), or undefined if it has none. */
export function addrKey(addr: string): string | undefined {
  try {
    const options = multiaddr(addr).toOptions();
    return `${options.host}/${options.port}`;
  } catch {
    return undefined;
  }
}

export class AddressBook {
  /** The key of every bucket position; persisted with the book, never sent. */
  readonly secret: Uint8Array;
  private readonly group: NetgroupFn;
  private readonly entries = new Map<string, AddrEntry>();
  /** addrKey -> peer id. */
  private readonly byAddr = new Map<string, string>();
  /** table -> bucket -> slot -> peer id. */
  private readonly tables: Record<AddrTable, Map<number, Map<number, string>>> = {
    new: new Map(),
    tried: new Map(),
  };
  /** New entries that connected but whose tried slot is taken, waiting for test-before-evict. */
  private readonly collisions = new Set<string>();

  constructor(options: AddressBookOptions) {
    if (options.secret.length < 16) throw new RangeError('address book secret must be at least 16 bytes');
    this.secret = options.secret;
    this.group = options.netgroup;
  }

  get size(): number {
    return this.entries.size;
  }

  count(table: AddrTable): number {
    let n = 0;
    for (const bucket of this.tables[table].values()) n += bucket.size;
    return n;
  }

  get(peerId: string): AddrEntry | undefined {
    return this.entries.get(peerId);
  }

  entriesList(): AddrEntry[] {
    return [...this.entries.values()];
  }

  /** The keyed hash of `parts`, reduced modulo `mod`. */
  private hash(mod: number, ...parts: (string | number)[]): number {
    const mac = createHmac('sha256', this.secret).update(parts.join('\u0000')).digest();
    return mac.readUInt32BE(0) % mod;
  }

  /** New bucket of an address of netgroup `addrGroup` heard from `srcGroup`. */
  newBucket(addrGroup: string, srcGroup: string): number {
    const k = this.hash(NEW_BUCKETS_PER_SOURCE_GROUP, 'new1', addrGroup, srcGroup);
    return this.hash(NEW_BUCKET_COUNT, 'new2', srcGroup, k);
  }

  /** Tried bucket of address `key` of netgroup `addrGroup`. */
  triedBucket(key: string, addrGroup: string): number {
    const k = this.hash(TRIED_BUCKETS_PER_GROUP, 'tried1', key);
    return this.hash(TRIED_BUCKET_COUNT, 'tried2', addrGroup, k);
  }

  slotOf(table: AddrTable, bucket: number, key: string): number {
    return this.hash(BUCKET_SIZE, 'slot', table, bucket, key);
  }

  /** A keyed hash of a netgroup (inbound eviction protects the highest: nobody can aim at them). */
  keyedNetgroup(group: string): number {
    return this.hash(0x1_0000_0000, 'netgroup', group);
  }

  /** Core's IsTerrible: an entry that may be replaced. */
  isTerrible(entry: AddrEntry, now: number): boolean {
    if (entry.lastTry !== undefined && now - entry.lastTry < 60_000) return false;
    if (entry.lastSeen > now + MAX_FUTURE_SKEW_MS) return true;
    if (now - entry.lastSeen > ADDRESS_HORIZON_MS) return true;
    if (entry.lastSuccess === undefined && entry.attempts >= MAX_RETRIES) return true;
    return entry.attempts >= MAX_FAILURES;
  }

  /** Core's GetChance: relative selection weight. */
  chance(entry: AddrEntry, now: number): number {
    let chance = 0.66 ** Math.min(entry.attempts, 8);
    if (entry.lastTry !== undefined && now - entry.lastTry < 10 * 60_000) chance *= 0.01;
    return chance;
  }

  /** Adds or refreshes an address heard from `source`. */
  add(record: AddrRecord, source: AddrSource, now: number): AddResult {
    const addrs = record.addrs.slice(0, MAX_ADDRS_PER_ENTRY);
    const first = addrs[0];
    const key = first === undefined ? undefined : addrKey(first);
    if (first === undefined || key === undefined) return 'unroutable';
    const netgroup = netgroupOfAddr(multiaddr(first), this.group);
    if (netgroup === UNROUTABLE) return 'unroutable';
    let lastSeen = record.lastSeen;
    if (lastSeen > now + MAX_FUTURE_SKEW_MS) lastSeen = now - PENALISED_LAST_SEEN_MS;
    if (now - lastSeen > ADDRESS_HORIZON_MS) return 'stale';

    const existing = this.entries.get(record.peerId);
    if (existing !== undefined) {
      if (existing.addrs[0] !== first) return 'peer-moved';
      existing.lastSeen = Math.max(existing.lastSeen, lastSeen);
      return 'updated';
    }
    const holder = this.byAddr.get(key);
    if (holder !== undefined) {
      const held = this.entries.get(holder)!;
      if (!this.isTerrible(held, now)) return 'address-taken';
      this.remove(holder);
    }
    const bucket = this.newBucket(netgroup, source.group);
    const slot = this.slotOf('new', bucket, key);
    const occupant = this.occupant('new', bucket, slot);
    if (occupant !== undefined) {
      if (!this.isTerrible(occupant, now)) return 'slot-taken';
      this.remove(occupant.peerId);
    }
    const entry: AddrEntry = {
      peerId: record.peerId,
      addrs,
      netgroup,
      source: source.group,
      sourcePeer: source.peerId,
      table: 'new',
      bucket,
      slot,
      lastSeen,
      lastTry: undefined,
      lastSuccess: undefined,
      attempts: 0,
    };
    this.place(entry);
    return 'added';
  }

  private occupant(table: AddrTable, bucket: number, slot: number): AddrEntry | undefined {
    const peerId = this.tables[table].get(bucket)?.get(slot);
    return peerId === undefined ? undefined : this.entries.get(peerId);
  }

  private place(entry: AddrEntry): void {
    this.entries.set(entry.peerId, entry);
    this.byAddr.set(addrKey(entry.addrs[0]!)!, entry.peerId);
    let bucket = this.tables[entry.table].get(entry.bucket);
    if (bucket === undefined) this.tables[entry.table].set(entry.bucket, (bucket = new Map()));
    bucket.set(entry.slot, entry.peerId);
  }

  private unplace(entry: AddrEntry): void {
    const bucket = this.tables[entry.table].get(entry.bucket);
    bucket?.delete(entry.slot);
    if (bucket?.size === 0) this.tables[entry.table].delete(entry.bucket);
  }

  remove(peerId: string): boolean {
    const entry = this.entries.get(peerId);
    if (entry === undefined) return false;
    this.unplace(entry);
    this.entries.delete(peerId);
    this.byAddr.delete(addrKey(entry.addrs[0]!)!);
    this.collisions.delete(peerId);
    return true;
  }

  /** A connection attempt to `peerId` (counted as failed until `good`). */
  attempt(peerId: string, now: number): void {
    const entry = this.entries.get(peerId);
    if (entry === undefined) return;
    entry.lastTry = now;
    entry.attempts++;
  }

  /**
   * A successful connection: the entry moves to `tried`. Returns 'collision' when its tried slot
   * is taken (it stays in `new` until `resolveCollision`), 'unknown' for a peer not in the book.
   */
  good(peerId: string, now: number): 'tried' | 'collision' | 'unknown' {
    const entry = this.entries.get(peerId);
    if (entry === undefined) return 'unknown';
    entry.lastTry = now;
    entry.lastSuccess = now;
    entry.lastSeen = Math.max(entry.lastSeen, now);
    entry.attempts = 0;
    if (entry.table === 'tried') return 'tried';
    const key = addrKey(entry.addrs[0]!)!;
    const bucket = this.triedBucket(key, entry.netgroup);
    const slot = this.slotOf('tried', bucket, key);
    const occupant = this.occupant('tried', bucket, slot);
    if (occupant !== undefined && occupant.peerId !== peerId) {
      if (this.collisions.size < MAX_TRIED_COLLISIONS) this.collisions.add(peerId);
      return 'collision';
    }
    this.unplace(entry);
    entry.table = 'tried';
    entry.bucket = bucket;
    entry.slot = slot;
    this.place(entry);
    return 'tried';
  }

  /** A tried entry whose slot a newer entry wants: the feeler should test it. */
  triedCollisionToTest(): { candidate: AddrEntry; occupant: AddrEntry } | undefined {
    for (const peerId of this.collisions) {
      const candidate = this.entries.get(peerId);
      const occupant = candidate === undefined ? undefined : this.triedOccupantFor(candidate);
      if (candidate === undefined || occupant === undefined || candidate.table === 'tried') {
        this.collisions.delete(peerId);
        continue;
      }
      return { candidate, occupant };
    }
    return undefined;
  }

  private triedOccupantFor(entry: AddrEntry): AddrEntry | undefined {
    const key = addrKey(entry.addrs[0]!)!;
    const bucket = this.triedBucket(key, entry.netgroup);
    return this.occupant('tried', bucket, this.slotOf('tried', bucket, key));
  }

  /**
   * Test-before-evict outcome: when the occupant answered, it stays and the candidate stays in
   * `new`; otherwise the occupant goes back to `new` and the candidate takes the tried slot.
   */
  resolveCollision(candidatePeerId: string, occupantAlive: boolean, now: number): void {
    const candidate = this.entries.get(candidatePeerId);
    this.collisions.delete(candidatePeerId);
    if (candidate === undefined || candidate.table === 'tried') return;
    const occupant = this.triedOccupantFor(candidate);
    if (occupant === undefined) {
      this.good(candidatePeerId, now);
      return;
    }
    if (occupantAlive) {
      occupant.lastSuccess = now;
      occupant.attempts = 0;
      return;
    }
    this.remove(occupant.peerId);
    this.add(occupant, { group: occupant.source, peerId: occupant.sourcePeer }, now);
    this.good(candidatePeerId, now);
  }

  get pendingCollisions(): number {
    return this.collisions.size;
  }

  /** Core's Select: a table, a bucket with candidates uniformly, an entry weighted by chance. */
  select(options: SelectOptions): AddrEntry | undefined {
    const { now, random, filter = () => true } = options;
    const byTable = (table: AddrTable): Map<number, AddrEntry[]> => {
      const buckets = new Map<number, AddrEntry[]>();
      for (const [bucket, slots] of this.tables[table]) {
        const eligible = [...slots.values()].map((id) => this.entries.get(id)!).filter(filter);
        if (eligible.length > 0) buckets.set(bucket, eligible);
      }
      return buckets;
    };
    const fresh = byTable('new');
    const tried = options.newOnly === true ? new Map<number, AddrEntry[]>() : byTable('tried');
    let chosen: Map<number, AddrEntry[]>;
    if (fresh.size === 0) chosen = tried;
    else if (tried.size === 0) chosen = fresh;
    else chosen = random() < 0.5 ? tried : fresh;
    if (chosen.size === 0) return undefined;
    const buckets = [...chosen.values()];
    const bucket = buckets[Math.floor(random() * buckets.length)]!;
    const weights = bucket.map((entry) => this.chance(entry, now));
    let point = random() * weights.reduce((a, b) => a + b, 0);
    for (const [i, entry] of bucket.entries()) {
      point -= weights[i]!;
      if (point < 0) return entry;
    }
    return bucket[bucket.length - 1];
  }

  /**
   * Addresses for a getaddr answer: a random sample of non-terrible entries, at most 1,000 and at
   * most 23% of the book (a book of up to 100 entries is answered whole).
   */
  sample(now: number, random: () => number, exclude?: (entry: AddrEntry) => boolean): AddrEntry[] {
    const candidates = [...this.entries.values()].filter(
      (e) => !this.isTerrible(e, now) && exclude?.(e) !== true,
    );
    const limit =
      candidates.length <= GETADDR_SMALL_BOOK
        ? candidates.length
        : Math.floor((candidates.length * GETADDR_MAX_PERCENT) / 100);
    for (let i = candidates.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
    }
    return candidates.slice(0, Math.min(limit, GETADDR_MAX_ENTRIES));
  }

  /** Internal consistency, for tests: every index agrees with every entry. */
  sanityCheck(): void {
    let placed = 0;
    for (const table of ['new', 'tried'] as const) {
      for (const [bucket, slots] of this.tables[table]) {
        if (slots.size === 0) throw new Error(`empty bucket ${table}/${bucket} kept`);
        for (const [slot, peerId] of slots) {
          const entry = this.entries.get(peerId);
          if (entry === undefined) throw new Error(`${table}/${bucket}/${slot} names a missing entry`);
          if (entry.table !== table || entry.bucket !== bucket || entry.slot !== slot)
            throw new Error(`entry ${peerId} is not where its position says`);
          placed++;
        }
      }
    }
    if (placed !== this.entries.size) throw new Error(`${placed} placed, ${this.entries.size} entries`);
    if (this.byAddr.size !== this.entries.size) throw new Error('address index out of sync');
    for (const [key, peerId] of this.byAddr) {
      if (addrKey(this.entries.get(peerId)?.addrs[0] ?? '') !== key) throw new Error(`address ${key} stale`);
    }
  }

  /** Restores an entry from a snapshot at the position this book's secret gives it. */
  restore(entry: Omit<AddrEntry, 'bucket' | 'slot'>): boolean {
    const first = entry.addrs[0];
    const key = first === undefined ? undefined : addrKey(first);
    if (key === undefined || this.entries.has(entry.peerId) || this.byAddr.has(key)) return false;
    const netgroup = netgroupOfAddr(multiaddr(first!), this.group);
    if (netgroup === UNROUTABLE) return false;
    const bucket =
      entry.table === 'tried' ? this.triedBucket(key, netgroup) : this.newBucket(netgroup, entry.source);
    const slot = this.slotOf(entry.table, bucket, key);
    if (this.occupant(entry.table, bucket, slot) !== undefined) return false;
    this.place({ ...entry, netgroup, bucket, slot });
    return true;
  }
}
