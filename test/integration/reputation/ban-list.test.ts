import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BanList, type BanListOptions } from '../../../src/p2p/reputation/ban-list.js';
import {
  BAN_FILE_NAME,
  BAN_MEMORY_MS,
  BASE_BAN_MS,
  MAX_BAN_MS,
  MAX_REASON_LENGTH,
} from '../../../src/p2p/reputation/constants.js';
import {
  BanListCorruptError,
  BanListNotOpenError,
  BanListPersistError,
  InvalidBanError,
  InvalidPeerIdError,
} from '../../../src/p2p/reputation/errors.js';
import { type FakeClock, fakeClock, HOUR, MINUTE } from '../../unit/reputation/fake-clock.js';

let dir: string;
let clock: FakeClock;
const opened: BanList[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trustmesh-banlist-'));
  clock = fakeClock();
});

afterEach(async () => {
  for (const list of opened.splice(0)) await list.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function openList(options: Partial<BanListOptions> = {}): Promise<BanList> {
  const list = new BanList({ dataDir: dir, now: clock.now, ...options });
  opened.push(list);
  return list.open();
}

/** Bans `peerId` with the default (escalating) duration, waits it out, returns the duration. */
function banAndExpire(list: BanList, peerId: string): number {
  const entry = list.ban(peerId, { reason: 'test' });
  clock.t = entry.until;
  return entry.until - entry.bannedAt;
}

describe('BanList: bans, expiry and escalation', () => {
  it('bans for the base duration, then lets the peer go at `until`', async () => {
    const list = await openList();
    const entry = list.ban('peer', { reason: 'INVALID_POW (flagrant)' });
    expect(entry).toEqual({
      peerId: 'peer',
      reason: 'INVALID_POW (flagrant)',
      manual: false,
      bannedAt: clock.t,
      until: clock.t + BASE_BAN_MS,
      banCount: 1,
    });
    expect(list.isBanned('peer')).toBe(true);
    expect(list.isBanned('other')).toBe(false);
    expect(list.isBanned('peer', entry.until - 1)).toBe(true);
    expect(list.isBanned('peer', entry.until)).toBe(false);
    clock.t = entry.until;
    expect(list.list()).toEqual([]);
    expect(list.get('peer')).toBeNull();
    expect(list.prune()).toBe(1);
    expect(list.size).toBe(0);
  });

  it('doubles the duration of each further ban, up to 24 h', async () => {
    const list = await openList();
    const durations = Array.from({ length: 11 }, () => banAndExpire(list, 'repeat'));
    expect(durations).toEqual([
      BASE_BAN_MS,
      2 * BASE_BAN_MS,
      4 * BASE_BAN_MS,
      8 * BASE_BAN_MS,
      16 * BASE_BAN_MS,
      32 * BASE_BAN_MS,
      64 * BASE_BAN_MS,
      128 * BASE_BAN_MS,
      MAX_BAN_MS,
      MAX_BAN_MS,
      MAX_BAN_MS,
    ]);
    expect(list.priorBanCount('repeat')).toBe(11);
  });

  it('uses a devnet-sized base duration when configured', async () => {
    const list = await openList({ baseBanMs: 5_000 });
    expect(banAndExpire(list, 'p')).toBe(5_000);
    expect(banAndExpire(list, 'p')).toBe(10_000);
    expect(list.nextBanDuration('p')).toBe(20_000);
  });

  it('forgets prior bans a week after the last one ended', async () => {
    const list = await openList();
    banAndExpire(list, 'p');
    banAndExpire(list, 'p');
    clock.advance(BAN_MEMORY_MS - 1);
    expect(list.nextBanDuration('p')).toBe(4 * BASE_BAN_MS);
    clock.advance(1);
    expect(list.priorBanCount('p')).toBe(0);
    expect(banAndExpire(list, 'p')).toBe(BASE_BAN_MS);
  });

  it('does not escalate or shorten when banning an already banned peer', async () => {
    const list = await openList();
    const first = list.ban('p', { reason: 'first' });
    const again = list.ban('p', { reason: 'second', until: clock.t + MINUTE });
    expect(again).toMatchObject({ reason: 'second', until: first.until, banCount: 1 });
    const longer = list.ban('p', { reason: 'third', until: clock.t + HOUR, manual: true });
    expect(longer).toMatchObject({ until: clock.t + HOUR, banCount: 1, manual: true });
    expect(list.nextBanDuration('p')).toBe(2 * BASE_BAN_MS);
  });

  it('unbans early but keeps the escalation count', async () => {
    const list = await openList();
    list.ban('p', { reason: 'x' });
    expect(list.unban('p')).toBe(true);
    expect(list.isBanned('p')).toBe(false);
    expect(list.unban('p')).toBe(false);
    expect(list.nextBanDuration('p')).toBe(2 * BASE_BAN_MS);
  });

  it('lists active bans, soonest to end first, as copies', async () => {
    const list = await openList();
    list.ban('long', { reason: 'x', until: clock.t + HOUR, manual: true });
    list.ban('short', { reason: 'y' });
    const bans = list.list();
    expect(bans.map((b) => b.peerId)).toEqual(['short', 'long']);
    (bans[0] as { reason: string }).reason = 'mutated';
    expect(list.get('short')?.reason).toBe('y');
  });

  it('validates its inputs', async () => {
    const list = await openList();
    expect(() => list.ban('', { reason: 'x' })).toThrow(InvalidPeerIdError);
    expect(() => list.ban('p'.repeat(129), { reason: 'x' })).toThrow(InvalidPeerIdError);
    expect(() => list.ban('p', { reason: 'x', until: clock.t })).toThrow(InvalidBanError);
    expect(() => list.ban('p', { reason: 'x', until: Number.POSITIVE_INFINITY })).toThrow(InvalidBanError);
    expect(list.ban('p', { reason: 'r'.repeat(1000) }).reason).toHaveLength(MAX_REASON_LENGTH);
    expect(() => new BanList({ dataDir: dir, baseBanMs: 0 })).toThrow(/baseBanMs/);
  });

  it('refuses to be used before open() and after close()', async () => {
    const list = new BanList({ dataDir: dir, now: clock.now });
    expect(() => list.ban('p', { reason: 'x' })).toThrow(BanListNotOpenError);
    await list.open();
    list.ban('p', { reason: 'x' });
    await list.close();
    expect(() => list.ban('q', { reason: 'x' })).toThrow(BanListNotOpenError);
  });

  it('bounds automatic bans, forgetting the one that ends soonest, and never evicts manual bans', async () => {
    const list = await openList({ maxBans: 100 });
    for (let i = 0; i < 10; i++)
      list.ban(`manual-${i}`, { reason: 'op', until: clock.t + MINUTE, manual: true });
    for (let i = 0; i < 1000; i++) {
      list.ban(`sybil-${i}`, { reason: 'flood', until: clock.t + HOUR + i });
      expect(list.size).toBeLessThanOrEqual(100);
    }
    for (let i = 0; i < 10; i++) expect(list.isBanned(`manual-${i}`)).toBe(true);
    expect(list.isBanned('sybil-999')).toBe(true);
    expect(list.isBanned('sybil-0')).toBe(false);
  });
});

describe('BanList: persistence', () => {
  it('restores bans and escalation counts in a new instance on the same directory', async () => {
    const first = await openList();
    banAndExpire(first, 'repeat'); // 1st ban of 'repeat', expired
    banAndExpire(first, 'once'); // expired, remembered for escalation only
    const repeat = first.ban('repeat', { reason: 'second offence' }); // 2nd ban: 20 min
    first.ban('operator', { reason: 'manual: spam', until: clock.t + HOUR, manual: true });
    clock.advance(MINUTE);
    await first.close();

    const second = await openList();
    expect(second.isBanned('repeat')).toBe(true);
    expect(second.get('repeat')).toEqual(repeat);
    expect(second.get('operator')).toMatchObject({ manual: true, reason: 'manual: spam' });
    expect(second.isBanned('once')).toBe(false);
    expect(second.priorBanCount('once')).toBe(1);
    expect(second.nextBanDuration('once')).toBe(2 * BASE_BAN_MS);
    clock.t = repeat.until;
    expect(second.isBanned('repeat')).toBe(false);
    expect(banAndExpire(second, 'repeat')).toBe(4 * BASE_BAN_MS); // 3rd ban
  });

  it('starts empty without a file, and creates the data directory', async () => {
    const nested = join(dir, 'a', 'b');
    const list = new BanList({ dataDir: nested, now: clock.now });
    opened.push(list);
    await list.open();
    expect(list.list()).toEqual([]);
    list.ban('p', { reason: 'x' });
    await list.flush();
    expect(await readdir(nested)).toEqual([BAN_FILE_NAME]);
  });

  it('writes a readable JSON file atomically, leaving no temp files, on every change', async () => {
    const list = await openList();
    for (let i = 0; i < 500; i++) list.ban(`peer-${i}`, { reason: `r${i}` });
    list.unban('peer-7');
    await list.flush();
    expect(await readdir(dir)).toEqual([BAN_FILE_NAME]);
    const file = JSON.parse(await readFile(join(dir, BAN_FILE_NAME), 'utf8'));
    expect(file.version).toBe(1);
    expect(file.bans).toHaveLength(499);
    expect(file.offenders).toHaveLength(500);
  });

  it('removes temp files left by a crash', async () => {
    await writeFile(join(dir, `${BAN_FILE_NAME}.123.4.tmp`), '{"half');
    await openList();
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['not JSON', '{"version": 1, "bans": [', /not valid JSON/],
    ['a wrong version', '{"version": 2, "bans": [], "offenders": []}', /unsupported version 2/],
    ['no bans array', '{"version": 1, "offenders": []}', /"bans" is not an array/],
    [
      'a bad field',
      '{"version": 1, "offenders": [], "bans": [{"peerId": "p", "reason": "r", "manual": false, "bannedAt": 1, "until": "soon", "banCount": 1}]}',
      /bans\[0\]\.until is not a finite number/,
    ],
    [
      'a bad count',
      '{"version": 1, "bans": [], "offenders": [{"peerId": "p", "banCount": 0, "lastUntil": 5}]}',
      /offenders\[0\]\.banCount/,
    ],
  ])('refuses to start from a corrupt file (%s) with a clear error', async (_label, text, detail) => {
    await writeFile(join(dir, BAN_FILE_NAME), text);
    const list = new BanList({ dataDir: dir, now: clock.now });
    const error = await list.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BanListCorruptError);
    expect((error as BanListCorruptError).name).toBe('BanListCorruptError');
    expect((error as Error).message).toMatch(detail);
    expect((error as Error).message).toContain(join(dir, BAN_FILE_NAME));
  });

  it('reports write failures through onPersistError and flush(), keeping the list in memory', async () => {
    const errors: Error[] = [];
    const list = await openList({ onPersistError: (e) => errors.push(e) });
    await rm(dir, { recursive: true, force: true });
    await writeFile(dir, 'a file where the directory was');
    list.ban('p', { reason: 'x' });
    await expect(list.flush()).rejects.toBeInstanceOf(BanListPersistError);
    expect(errors).toHaveLength(1);
    expect(list.isBanned('p')).toBe(true);
    await rm(dir, { force: true });
  });

  it('reports an unreadable location at open()', async () => {
    const file = join(dir, 'plain-file');
    await writeFile(file, 'x');
    const list = new BanList({ dataDir: file, now: clock.now });
    await expect(list.open()).rejects.toBeInstanceOf(BanListPersistError);
  });
});
