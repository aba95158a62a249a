/**
 * `BanList`: the persisted quarantine list, keyed by libp2p peer id (never by IP: peers on one
 * devnet host, or behind one NAT, share addresses, and `denyInboundConnection` sees no peer id
 * anyway). It owns three things:
 *
 * - Active bans: `{ peerId, reason, manual, bannedAt, until, banCount }`. A ban ends at `until`;
 *   expired bans are not banned, are dropped from `list()` and from the file, and are pruned.
 * - Escalation: each ban's default duration is `baseBanMs * 2^priorBans`, capped at `maxBanMs`
 *   (10 min, 20 min, 40 min ... 24 h). The prior-ban count outlives the ban itself and restarts;
 *   it is forgotten `BAN_MEMORY_MS` (7 days) after the peer's last ban ended.
 * - Persistence: a JSON file `<dataDir>/banlist.json`, rewritten atomically (temp file, fsync,
 *   rename) after every change, so a crash leaves either the old or the new list, never half of one.
 *   Mutations are synchronous (they sit on the message path); writes are serialised and coalesced
 *   (at most one queued), and `flush()` waits for them. A write failure is reported through
 *   `onPersistError` and by the next `flush()`; the in-memory list stays authoritative.
 *
 * A corrupt file makes `open()` throw `BanListCorruptError` rather than start empty: the file may
 * hold manual bans an operator set on purpose, and the atomic write means corruption only comes
 * from outside (a hand edit, a disk fault), which an operator should look at. Fix or delete it.
 *
 * Bounded: peer ids cost an attacker nothing, so automatic bans are capped at `maxBans`; beyond it
 * the automatic ban ending soonest is forgotten first (like Bitcoin Core's rolling discouragement
 * filter). Manual bans are never evicted. Prior-ban counters are capped at `maxHistory`, least
 * recently banned forgotten first.
 *
 * @example
 * ```ts
 * const bans = new BanList({ dataDir: '.devnet/node1' });
 * await bans.open();
 * bans.ban('12D3KooW...', { reason: 'INVALID_POW (flagrant)' }); // 10 min, then 20 min, 40 min...
 * bans.isBanned('12D3KooW...'); // true
 * await bans.close();
 * ```
 */
import { mkdir, open as openFile, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { BoundedMap } from '../../collections/bounded-map.js';
import {
  BAN_ESCALATION_FACTOR,
  BAN_FILE_NAME,
  BAN_FILE_VERSION,
  BAN_MEMORY_MS,
  BASE_BAN_MS,
  MAX_BAN_HISTORY,
  MAX_BAN_MS,
  MAX_BANS,
  MAX_PEER_ID_LENGTH,
  MAX_REASON_LENGTH,
} from './constants.js';
import {
  BanListCorruptError,
  BanListNotOpenError,
  BanListPersistError,
  InvalidBanError,
  InvalidPeerIdError,
  ReputationError,
} from './errors.js';

/** One active ban. Plain data, as stored in the file and returned to the RPC. */
export interface BanEntry {
  readonly peerId: string;
  readonly reason: string;
  /** Set by an operator (never evicted) rather than by an offence. */
  readonly manual: boolean;
  /** When the ban started and ends (clock ms). */
  readonly bannedAt: number;
  readonly until: number;
  /** 1 for a first ban, 2 for the second within the escalation memory, and so on. */
  readonly banCount: number;
}

/** Arguments of `BanList.ban`. */
export interface BanOptions {
  /** Why, in one line; truncated to `MAX_REASON_LENGTH`. */
  reason: string;
  /** End of the ban (clock ms). Default: now + `nextBanDuration(peerId)` (escalating). */
  until?: number;
  /** Operator ban (never evicted). Default false. */
  manual?: boolean;
  /**
   * When the ban started (clock ms), at most now: the caller's time of the decision (e.g. the offence
   * that crossed the line), so `bannedAt` and the offence history agree. Default: now.
   */
  at?: number;
}

/** Options of `BanList`; every field but `dataDir` has a documented default. */
export interface BanListOptions {
  /** Directory holding `banlist.json`; created by `open()` if missing. */
  dataDir: string;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
  /** First ban's duration (ms). Default `BASE_BAN_MS` (10 min); a devnet may use seconds. */
  baseBanMs?: number;
  /** Longest automatic ban (ms). Default `MAX_BAN_MS` (24 h). */
  maxBanMs?: number;
  /** How long prior bans count after the last one ended (ms). Default `BAN_MEMORY_MS` (7 days). */
  banMemoryMs?: number;
  /** Cap on active bans. Default `MAX_BANS` (10 000). */
  maxBans?: number;
  /** Cap on prior-ban counters. Default `MAX_BAN_HISTORY` (10 000). */
  maxHistory?: number;
  /** Called when a background write fails. Default: none (the next `flush()` rethrows). */
  onPersistError?: (error: BanListPersistError) => void;
}

/** What the escalation remembers about a peer once its bans have ended. */
interface OffenderRecord {
  banCount: number;
  /** End of the peer's last ban (clock ms); the memory window starts here. */
  lastUntil: number;
}

interface BanFile {
  version: number;
  bans: BanEntry[];
  offenders: ({ peerId: string } & OffenderRecord)[];
}

let tempFileSequence = 0;

/** Throws `InvalidPeerIdError` unless `peerId` is a non-empty string of at most 128 characters. */
export function assertPeerId(peerId: unknown): asserts peerId is string {
  if (typeof peerId !== 'string' || peerId.length === 0 || peerId.length > MAX_PEER_ID_LENGTH) {
    throw new InvalidPeerIdError(peerId);
  }
}

/** The persisted, escalating quarantine list. See the module comment. */
export class BanList {
  /** Absolute or relative path of the JSON file. */
  readonly path: string;
  private readonly now: () => number;
  private readonly baseBanMs: number;
  private readonly maxBanMs: number;
  private readonly banMemoryMs: number;
  private readonly maxBans: number;
  private readonly onPersistError: ((error: BanListPersistError) => void) | undefined;
  private readonly bans = new Map<string, BanEntry>();
  /** Prior-ban counters, least recently banned first (every ban re-sets); capped at `maxHistory`. */
  private readonly offenders: BoundedMap<string, OffenderRecord>;
  private state: 'new' | 'open' | 'closed' = 'new';
  private writing: Promise<void> | null = null;
  private dirty = false;
  private persistError: BanListPersistError | null = null;

  constructor(options: BanListOptions) {
    this.path = join(options.dataDir, BAN_FILE_NAME);
    this.now = options.now ?? Date.now;
    this.baseBanMs = positive('baseBanMs', options.baseBanMs ?? BASE_BAN_MS);
    this.maxBanMs = positive('maxBanMs', options.maxBanMs ?? MAX_BAN_MS);
    this.banMemoryMs = positive('banMemoryMs', options.banMemoryMs ?? BAN_MEMORY_MS);
    this.maxBans = positive('maxBans', options.maxBans ?? MAX_BANS);
    const maxHistory = positive('maxHistory', options.maxHistory ?? MAX_BAN_HISTORY);
    // A fractional cap keeps its integer part, and always at least the counter just written.
    this.offenders = new BoundedMap(Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, Math.floor(maxHistory))));
    this.onPersistError = options.onPersistError;
  }

  /**
   * Creates the data directory if needed and loads the file (a missing file is an empty list).
   * Throws `BanListCorruptError` for an unreadable file and `BanListPersistError` for I/O errors.
   */
  async open(): Promise<this> {
    if (this.state === 'open') return this;
    const dir = join(this.path, '..');
    let text: string | null = null;
    try {
      await mkdir(dir, { recursive: true });
      await removeStaleTempFiles(dir);
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new BanListPersistError(this.path, { cause: error });
    }
    this.bans.clear();
    this.offenders.clear();
    if (text !== null) this.load(parseBanFile(this.path, text), this.now());
    this.state = 'open';
    return this;
  }

  /** Waits for pending writes, then refuses further use. */
  async close(): Promise<void> {
    if (this.state !== 'open') return;
    try {
      await this.flush();
    } finally {
      this.state = 'closed';
    }
  }

  /** Number of active bans (expired ones included until pruned). */
  get size(): number {
    return this.bans.size;
  }

  /**
   * Bans a peer. A new ban counts toward escalation; banning an already banned peer updates its
   * reason and can extend (never shorten) it, without counting as another ban.
   */
  ban(peerId: string, options: BanOptions): BanEntry {
    this.assertOpen();
    assertPeerId(peerId);
    const now = this.now();
    const reason = truncate(String(options.reason), MAX_REASON_LENGTH);
    const manual = options.manual === true;
    if (options.until !== undefined && !(Number.isFinite(options.until) && options.until > now)) {
      throw new InvalidBanError(`ban of ${peerId} must end after now (${now}), got until=${options.until}`);
    }
    if (options.at !== undefined && !(Number.isFinite(options.at) && options.at <= now)) {
      throw new InvalidBanError(
        `ban of ${peerId} must start at or before now (${now}), got at=${options.at}`,
      );
    }
    const bannedAt = options.at ?? now;

    const existing = this.active(peerId, now);
    let entry: BanEntry;
    if (existing !== null) {
      entry = {
        ...existing,
        reason,
        manual: existing.manual || manual,
        until: Math.max(existing.until, options.until ?? existing.until),
      };
    } else {
      const prior = this.priorBanCount(peerId, now);
      entry = {
        peerId,
        reason,
        manual,
        bannedAt,
        until: options.until ?? bannedAt + this.durationAfter(prior),
        banCount: prior + 1,
      };
      if (this.bans.size >= this.maxBans) this.evictBan(now);
    }
    this.bans.set(peerId, Object.freeze(entry));
    this.offenders.set(peerId, { banCount: entry.banCount, lastUntil: entry.until });
    this.schedulePersist();
    return entry;
  }

  /** Lifts a peer's ban (its prior-ban count stays for escalation). Returns whether it was banned. */
  unban(peerId: string): boolean {
    this.assertOpen();
    const now = this.now();
    const wasBanned = this.active(peerId, now) !== null;
    if (this.bans.delete(peerId)) {
      const record = this.offenders.get(peerId);
      if (record !== undefined && wasBanned) record.lastUntil = now;
      this.schedulePersist();
    }
    return wasBanned;
  }

  /** Whether `peerId` is banned at `now` (default: the clock). */
  isBanned(peerId: string, now: number = this.now()): boolean {
    const entry = this.bans.get(peerId);
    return entry !== undefined && entry.until > now;
  }

  /** The peer's active ban, or null. */
  get(peerId: string, now: number = this.now()): BanEntry | null {
    const entry = this.bans.get(peerId);
    return entry !== undefined && entry.until > now ? { ...entry } : null;
  }

  /** Active bans, soonest to end first, as plain copies. */
  list(now: number = this.now()): BanEntry[] {
    return [...this.bans.values()]
      .filter((entry) => entry.until > now)
      .map((entry) => ({ ...entry }))
      .sort((a, b) => a.until - b.until || a.peerId.localeCompare(b.peerId));
  }

  /** Bans of this peer still remembered for escalation (including an active one). */
  priorBanCount(peerId: string, now: number = this.now()): number {
    const record = this.offenders.get(peerId);
    if (record === undefined || now >= record.lastUntil + this.banMemoryMs) return 0;
    return record.banCount;
  }

  /** Duration (ms) the peer's next ban would get: base x 2^priorBans, capped. */
  nextBanDuration(peerId: string, now: number = this.now()): number {
    return this.durationAfter(this.priorBanCount(peerId, now));
  }

  /** Drops expired bans and forgotten counters; persists if anything changed. Returns bans dropped. */
  prune(now: number = this.now()): number {
    this.assertOpen();
    let dropped = 0;
    for (const [peerId, entry] of this.bans) {
      if (entry.until <= now) {
        this.bans.delete(peerId);
        dropped++;
      }
    }
    let forgotten = 0;
    for (const [peerId, record] of this.offenders) {
      if (now >= record.lastUntil + this.banMemoryMs && !this.bans.has(peerId)) {
        this.offenders.delete(peerId);
        forgotten++;
      }
    }
    if (dropped + forgotten > 0) this.schedulePersist();
    return dropped;
  }

  /** Resolves once every change so far is on disk; rejects with the last write's error, if any. */
  async flush(): Promise<void> {
    while (this.writing !== null) await this.writing;
    if (this.persistError !== null) throw this.persistError;
  }

  private durationAfter(priorBans: number): number {
    return Math.min(this.maxBanMs, this.baseBanMs * BAN_ESCALATION_FACTOR ** priorBans);
  }

  /** The active ban, dropping it if expired. */
  private active(peerId: string, now: number): BanEntry | null {
    const entry = this.bans.get(peerId);
    if (entry === undefined) return null;
    if (entry.until > now) return entry;
    this.bans.delete(peerId);
    return null;
  }

  /** Makes room for one ban: expired bans first, then the automatic ban ending soonest. */
  private evictBan(now: number): void {
    for (const [peerId, entry] of this.bans) if (entry.until <= now) this.bans.delete(peerId);
    if (this.bans.size < this.maxBans) return;
    let victim: BanEntry | null = null;
    for (const entry of this.bans.values()) {
      if (!entry.manual && (victim === null || entry.until < victim.until)) victim = entry;
    }
    // With only manual bans left the list may exceed the cap: it then grows by operator action only.
    if (victim !== null) this.bans.delete(victim.peerId);
  }

  private load(file: BanFile, now: number): void {
    const offenders = [...file.offenders].sort((a, b) => a.lastUntil - b.lastUntil);
    for (const { peerId, banCount, lastUntil } of offenders) {
      if (now < lastUntil + this.banMemoryMs) this.offenders.set(peerId, { banCount, lastUntil });
    }
    for (const entry of file.bans) {
      if (entry.until <= now) continue;
      this.bans.set(entry.peerId, Object.freeze({ ...entry }));
      const record = this.offenders.get(entry.peerId);
      if (record === undefined || record.banCount < entry.banCount) {
        this.offenders.set(entry.peerId, { banCount: entry.banCount, lastUntil: entry.until });
      }
    }
  }

  private serialize(): string {
    const now = this.now();
    const file: BanFile = {
      version: BAN_FILE_VERSION,
      bans: [...this.bans.values()].filter((entry) => entry.until > now),
      offenders: [...this.offenders].map(([peerId, record]) => ({ peerId, ...record })),
    };
    return `${JSON.stringify(file, null, 2)}\n`;
  }

  private schedulePersist(): void {
    this.dirty = true;
    if (this.writing === null) this.writing = this.writeLoop();
  }

  /** Writes until no change is pending. Never rejects: errors go to `persistError`/`onPersistError`. */
  private async writeLoop(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        await writeAtomically(this.path, this.serialize());
        this.persistError = null;
      }
    } catch (error) {
      this.persistError =
        error instanceof BanListPersistError ? error : new BanListPersistError(this.path, { cause: error });
      this.onPersistError?.(this.persistError);
    } finally {
      this.writing = null;
    }
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new BanListNotOpenError();
  }
}

/** Temp file in the same directory, fsync, rename over the target: readers see old or new, never half. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${++tempFileSequence}.tmp`;
  try {
    const handle = await openFile(temp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new BanListPersistError(path, { cause: error });
  }
}

/** Removes temp files a crash may have left behind (they are never read). */
async function removeStaleTempFiles(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith(`${BAN_FILE_NAME}.`) && name.endsWith('.tmp')) {
      await unlink(join(dir, name)).catch(() => undefined);
    }
  }
}

/** Parses and validates the file; throws `BanListCorruptError` naming the first bad field. */
function parseBanFile(path: string, text: string): BanFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BanListCorruptError(path, 'not valid JSON', { cause: error });
  }
  const fail = (detail: string): never => {
    throw new BanListCorruptError(path, detail);
  };
  if (!isObject(data)) return fail('top level is not an object');
  if (data.version !== BAN_FILE_VERSION) return fail(`unsupported version ${JSON.stringify(data.version)}`);
  if (!Array.isArray(data.bans)) return fail('"bans" is not an array');
  if (!Array.isArray(data.offenders)) return fail('"offenders" is not an array');
  const bans = data.bans.map((raw: unknown, i: number): BanEntry => {
    const at = `bans[${i}]`;
    if (!isObject(raw)) return fail(`${at} is not an object`);
    return {
      peerId: peerIdField(raw.peerId, `${at}.peerId`, fail),
      reason: typeof raw.reason === 'string' ? raw.reason : fail(`${at}.reason is not a string`),
      manual: typeof raw.manual === 'boolean' ? raw.manual : fail(`${at}.manual is not a boolean`),
      bannedAt: finite(raw.bannedAt, `${at}.bannedAt`, fail),
      until: finite(raw.until, `${at}.until`, fail),
      banCount: count(raw.banCount, `${at}.banCount`, fail),
    };
  });
  const offenders = data.offenders.map((raw: unknown, i: number) => {
    const at = `offenders[${i}]`;
    if (!isObject(raw)) return fail(`${at} is not an object`);
    return {
      peerId: peerIdField(raw.peerId, `${at}.peerId`, fail),
      banCount: count(raw.banCount, `${at}.banCount`, fail),
      lastUntil: finite(raw.lastUntil, `${at}.lastUntil`, fail),
    };
  });
  return { version: BAN_FILE_VERSION, bans, offenders };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function peerIdField(value: unknown, at: string, fail: (detail: string) => never): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PEER_ID_LENGTH) {
    return fail(`${at} is not a valid peer id`);
  }
  return value;
}

function finite(value: unknown, at: string, fail: (detail: string) => never): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fail(`${at} is not a finite number`);
}

function count(value: unknown, at: string, fail: (detail: string) => never): number {
  return Number.isSafeInteger(value) && (value as number) >= 1
    ? (value as number)
    : fail(`${at} is not a count >= 1`);
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new ReputationError(`${name} must be > 0, got ${value}`);
  return value;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
