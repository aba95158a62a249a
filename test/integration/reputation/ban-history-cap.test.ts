/** BanList: prior-ban counters are capped at `maxHistory`, the least recently banned forgotten first. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BanList } from '../../../src/p2p/reputation/ban-list.js';
import { type FakeClock, fakeClock, MINUTE } from '../../unit/reputation/fake-clock.js';

let dir: string;
let clock: FakeClock;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trustmesh-banhistory-'));
  clock = fakeClock();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('BanList prior-ban history cap', () => {
  it('forgets the least recently banned peer first, a re-ban counting as recent', async () => {
    const bans = await new BanList({ dataDir: dir, now: clock.now, maxHistory: 2 }).open();
    bans.ban('p1', { reason: 'x' });
    bans.ban('p2', { reason: 'x' });
    bans.ban('p1', { reason: 'again', until: clock.now() + 60 * MINUTE }); // p1 is now the most recent
    bans.ban('p3', { reason: 'x' }); // over the cap: p2 goes
    expect(bans.priorBanCount('p1')).toBe(1);
    expect(bans.priorBanCount('p2')).toBe(0);
    expect(bans.priorBanCount('p3')).toBe(1);
    await bans.close();
  });

  it('keeps the integer part of a fractional cap, and at least one counter', async () => {
    const bans = await new BanList({ dataDir: dir, now: clock.now, maxHistory: 0.5 }).open();
    bans.ban('p1', { reason: 'x' });
    bans.ban('p2', { reason: 'x' });
    expect(bans.priorBanCount('p1')).toBe(0);
    expect(bans.priorBanCount('p2')).toBe(1);
    await bans.close();
  });
});
