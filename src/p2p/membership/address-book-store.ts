/**
 * Persistence of the address book and the anchors in the data dir, as JSON written atomically
 * (temp file + rename, so a crash never leaves half a file):
 * - `addrbook.json`: the secret that keys bucket positions, and every entry. A file that does not
 *   parse is set aside as `addrbook.json.corrupt` and the node starts with a fresh book (the
 *   addresses are relearnt; refusing to start over them would be worse).
 * - `anchors.json`: the block-relay-only peers we had at a clean shutdown (Core's anchors.dat).
 *   Read once at start-up and deleted, so a crash loop does not keep dialling the same peers.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AddrEntry, AddressBook } from './address-book.js';
import { MAX_ANCHORS } from './constants.js';
import type { NetgroupFn } from './netgroup.js';

export const ADDRBOOK_FILE = 'addrbook.json';
export const ANCHORS_FILE = 'anchors.json';

/** Version of the file format. */
const FORMAT = 1;

/** A peer to dial first at start-up. */
export interface Anchor {
  peerId: string;
  addr: string;
}

type StoredEntry = Omit<AddrEntry, 'bucket' | 'slot' | 'netgroup'>;

interface StoredBook {
  format: number;
  secret: string;
  entries: StoredEntry[];
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Loads the book from `dataDir`, or creates an empty one with a fresh secret. */
export async function loadAddressBook(dataDir: string, netgroup: NetgroupFn): Promise<AddressBook> {
  const path = join(dataDir, ADDRBOOK_FILE);
  const text = await readOptional(path);
  if (text !== undefined) {
    try {
      const stored = JSON.parse(text) as StoredBook;
      if (stored.format !== FORMAT || typeof stored.secret !== 'string') throw new Error('unknown format');
      const book = new AddressBook({ secret: Buffer.from(stored.secret, 'hex'), netgroup });
      // Tried entries first: they are worth more if positions collide under a new netgroup mode.
      const entries = [...stored.entries].sort((a, b) =>
        a.table === b.table ? 0 : a.table === 'tried' ? -1 : 1,
      );
      for (const entry of entries) book.restore({ ...entry, netgroup: '' });
      return book;
    } catch {
      await rename(path, `${path}.corrupt`).catch(() => undefined);
    }
  }
  return new AddressBook({ secret: randomBytes(32), netgroup });
}

export async function saveAddressBook(dataDir: string, book: AddressBook): Promise<void> {
  const entries: StoredEntry[] = book.entriesList().map((e) => ({
    peerId: e.peerId,
    addrs: e.addrs,
    source: e.source,
    sourcePeer: e.sourcePeer,
    table: e.table,
    lastSeen: e.lastSeen,
    lastTry: e.lastTry,
    lastSuccess: e.lastSuccess,
    attempts: e.attempts,
  }));
  const stored: StoredBook = { format: FORMAT, secret: Buffer.from(book.secret).toString('hex'), entries };
  await writeAtomic(join(dataDir, ADDRBOOK_FILE), JSON.stringify(stored));
}

/** Reads and deletes the anchors file; [] when there is none or it does not parse. */
export async function takeAnchors(dataDir: string): Promise<Anchor[]> {
  const path = join(dataDir, ANCHORS_FILE);
  const text = await readOptional(path);
  if (text === undefined) return [];
  await rm(path, { force: true });
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((a): a is Anchor => typeof a?.peerId === 'string' && typeof a?.addr === 'string')
      .slice(0, MAX_ANCHORS);
  } catch {
    return [];
  }
}

export async function saveAnchors(dataDir: string, anchors: readonly Anchor[]): Promise<void> {
  await writeAtomic(join(dataDir, ANCHORS_FILE), JSON.stringify(anchors.slice(0, MAX_ANCHORS)));
}
