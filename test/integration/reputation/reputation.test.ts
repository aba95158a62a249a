import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BASE_BAN_MS,
  MANUAL_BAN_DEFAULT_MS,
  QUARANTINED_APP_SCORE,
  SCORE_HALF_LIFE_MS,
} from '../../../src/p2p/reputation/constants.js';
import {
  InvalidBanError,
  InvalidPeerIdError,
  UnknownOffenceError,
} from '../../../src/p2p/reputation/errors.js';
import type { OffenceKind } from '../../../src/p2p/reputation/offences.js';
import {
  type QuarantineEvent,
  Reputation,
  type ReputationOptions,
} from '../../../src/p2p/reputation/reputation.js';
import { type FakeClock, fakeClock, HOUR, MINUTE } from '../../unit/reputation/fake-clock.js';

let dir: string;
let clock: FakeClock;
let events: QuarantineEvent[];
const opened: Reputation[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trustmesh-reputation-'));
  clock = fakeClock();
  events = [];
});

afterEach(async () => {
  for (const reputation of opened.splice(0)) await reputation.close();
  await rm(dir, { recursive: true, force: true });
});

async function open(options: Partial<ReputationOptions> = {}): Promise<Reputation> {
  const reputation = await Reputation.open({
    dataDir: dir,
    now: clock.now,
    onQuarantine: (event) => events.push(event),
    ...options,
  });
  opened.push(reputation);
  return reputation;
}

describe('Reputation', () => {
  it('quarantines on a flagrant offence, announcing it exactly once with who, why and until', async () => {
    const reputation = await open();
    const verdict = reputation.recordOffence('mallory', 'INVALID_SIGNATURE', 'txid-1');
    expect(verdict).toEqual({
      quarantined: true,
      newlyQuarantined: true,
      until: clock.t + BASE_BAN_MS,
      reason: 'INVALID_SIGNATURE (flagrant): signature does not verify [txid-1]',
      kind: 'INVALID_SIGNATURE',
      score: -100,
      state: 'quarantined',
    });
    expect(events).toEqual([
      {
        peerId: 'mallory',
        kind: 'INVALID_SIGNATURE',
        evidence: 'txid-1',
        reason: verdict.reason,
        manual: false,
        at: clock.t,
        until: clock.t + BASE_BAN_MS,
        banCount: 1,
      },
    ]);
    const again = reputation.recordOffence('mallory', 'INVALID_SIGNATURE', 'txid-2');
    expect(again).toMatchObject({ quarantined: true, newlyQuarantined: false, until: verdict.until });
    expect(events).toHaveLength(1);
    expect(reputation.isQuarantined('mallory')).toBe(true);
    expect(reputation.applicationScore('mallory')).toBe(QUARANTINED_APP_SCORE);
  });

  it('escalates: the second quarantine lasts twice as long as the first', async () => {
    const reputation = await open();
    const first = reputation.recordOffence('mallory', 'INVALID_POW', 'b1');
    clock.t = first.until!;
    expect(reputation.isQuarantined('mallory')).toBe(false);
    expect(reputation.state('mallory')).toBe('healthy');
    const second = reputation.recordOffence('mallory', 'INVALID_POW', 'b2');
    expect(second.until! - clock.t).toBe(2 * BASE_BAN_MS);
    expect(events.map((e) => e.banCount)).toEqual([1, 2]);
  });

  it('lets a peer start over once its quarantine ends', async () => {
    const reputation = await open({ baseBanMs: 30_000 });
    for (let i = 0; i < 10; i++) reputation.recordOffence('slow', 'UNSOLICITED_RESPONSE', `o${i}`);
    expect(reputation.isQuarantined('slow')).toBe(true);
    clock.advance(30_000);
    expect(reputation.isQuarantined('slow')).toBe(false);
    expect(reputation.report('slow')).toMatchObject({
      score: 0,
      state: 'healthy',
      bannedUntil: null,
      priorBans: 1,
    });
    expect(reputation.applicationScore('slow')).toBe(0);
    expect(reputation.recordOffence('slow', 'UNSOLICITED_RESPONSE', 'x').quarantined).toBe(false);
  });

  it('explains judgement calls that do not quarantine', async () => {
    const reputation = await open();
    const verdict = reputation.recordOffence('bob', 'REQUEST_TIMEOUT', 'tx-9');
    expect(verdict).toEqual({
      quarantined: false,
      newlyQuarantined: false,
      reason:
        'REQUEST_TIMEOUT: peer announced an object but did not serve it in time; penalty 2, score -2.0 (healthy)',
      kind: 'REQUEST_TIMEOUT',
      score: -2,
      state: 'healthy',
    });
  });

  it('gives gossipsub >= 0 for honest peers, the score for throttled ones, -1000 when quarantined', async () => {
    const reputation = await open();
    expect(reputation.applicationScore('stranger')).toBe(0);
    for (let i = 0; i < 40; i++) reputation.recordGoodDelivery('alice');
    expect(reputation.applicationScore('alice')).toBe(10);
    reputation.recordOffence('alice', 'REQUEST_TIMEOUT', 'h');
    expect(reputation.applicationScore('alice')).toBe(0);
    for (let i = 0; i < 5; i++) reputation.recordOffence('carol', 'STALE_REPLAY', 'old');
    expect(reputation.state('carol')).toBe('throttled');
    expect(reputation.applicationScore('carol')).toBe(-25);
    clock.advance(SCORE_HALF_LIFE_MS);
    expect(reputation.applicationScore('carol')).toBe(0);
    reputation.recordOffence('mallory', 'OVERSIZE_MESSAGE', '5 MB');
    expect(reputation.applicationScore('mallory')).toBe(QUARANTINED_APP_SCORE);
  });

  it('never quarantines allow-listed peers automatically, but records their offences', async () => {
    const reputation = await open({ allowList: ['friend'] });
    reputation.allow('friend2');
    for (const peer of ['friend', 'friend2']) {
      for (let i = 0; i < 20; i++) {
        const verdict = reputation.recordOffence(peer, 'INVALID_OBJECT', `obj-${i}`);
        expect(verdict.quarantined).toBe(false);
        expect(verdict.reason).toContain('allow-listed');
      }
      expect(reputation.isQuarantined(peer)).toBe(false);
      expect(reputation.applicationScore(peer)).toBe(0);
      expect(reputation.report(peer)).toMatchObject({ allowListed: true, totalOffences: 20, score: -100 });
    }
    expect(events).toEqual([]);
    reputation.disallow('friend2');
    expect(reputation.recordOffence('friend2', 'INVALID_OBJECT').quarantined).toBe(true);
  });

  it('supports manual bans (even of allow-listed peers) and early unbans', async () => {
    const reputation = await open({ allowList: ['friend'] });
    const entry = reputation.manualBan('friend', { reason: 'operator says so' });
    expect(entry).toMatchObject({
      manual: true,
      reason: 'manual: operator says so',
      until: clock.t + MANUAL_BAN_DEFAULT_MS,
    });
    expect(reputation.isQuarantined('friend')).toBe(true);
    expect(events).toMatchObject([{ peerId: 'friend', kind: null, manual: true }]);
    reputation.manualBan('friend', { reason: 'again', durationMs: HOUR });
    expect(events).toHaveLength(1); // already quarantined: no second announcement
    expect(reputation.unban('friend')).toBe(true);
    expect(reputation.isQuarantined('friend')).toBe(false);
    expect(reputation.unban('friend')).toBe(false);

    reputation.recordOffence('mallory', 'INVALID_HASH', 'h');
    expect(reputation.unban('mallory')).toBe(true);
    expect(reputation.report('mallory')).toMatchObject({ state: 'healthy', score: 0, priorBans: 1 });
    expect(() => reputation.manualBan('x', { reason: 'r', durationMs: 0 })).toThrow(InvalidBanError);
  });

  it('restores quarantines and their escalation after a restart', async () => {
    const before = await open();
    const verdict = before.recordOffence('mallory', 'MALFORMED_MESSAGE', 'bytes');
    before.manualBan('spammer', { reason: 'spam', durationMs: HOUR });
    await before.close();
    opened.splice(0);

    clock.advance(MINUTE);
    const after = await open();
    expect(after.isQuarantined('mallory')).toBe(true);
    expect(after.applicationScore('mallory')).toBe(QUARANTINED_APP_SCORE);
    expect(after.report('mallory')).toMatchObject({
      state: 'quarantined',
      bannedUntil: verdict.until,
      quarantineReason: verdict.reason,
      priorBans: 1,
      nextBanMs: 2 * BASE_BAN_MS,
    });
    expect(after.isQuarantined('spammer')).toBe(true);
    // A late offence during the restored quarantine is recorded but announces nothing new.
    expect(after.recordOffence('mallory', 'MALFORMED_MESSAGE', 'more').newlyQuarantined).toBe(false);
    clock.t = verdict.until!;
    expect(after.isQuarantined('mallory')).toBe(false);
    expect(after.recordOffence('mallory', 'MALFORMED_MESSAGE', 'again').until! - clock.t).toBe(
      2 * BASE_BAN_MS,
    );
  });

  it('reports every tracked or banned peer as plain JSON, worst first', async () => {
    const reputation = await open();
    reputation.recordGoodDelivery('alice');
    reputation.recordOffence('bob', 'REQUEST_TIMEOUT', 'tx');
    reputation.recordOffence('mallory', 'PROTOCOL_VIOLATION', 'inv of 60000 items');
    const list = reputation.list();
    expect(list.map((r) => r.peerId)).toEqual(['mallory', 'bob', 'alice']);
    expect(JSON.parse(JSON.stringify(list))).toEqual(list);
    expect(list[0]).toMatchObject({
      peerId: 'mallory',
      state: 'quarantined',
      offenceCounts: { PROTOCOL_VIOLATION: 1 },
      lastOffence: { kind: 'PROTOCOL_VIOLATION', evidence: 'inv of 60000 items' },
      ban: { peerId: 'mallory', banCount: 1 },
      applicationScore: QUARANTINED_APP_SCORE,
    });
  });

  it('rejects bad peer ids and offence kinds at the boundary', async () => {
    const reputation = await open();
    expect(() => reputation.recordOffence('', 'INVALID_POW')).toThrow(InvalidPeerIdError);
    expect(() => reputation.recordOffence('p', 'NOT_A_KIND' as OffenceKind)).toThrow(UnknownOffenceError);
    expect(() => reputation.allow('')).toThrow(InvalidPeerIdError);
  });
});
