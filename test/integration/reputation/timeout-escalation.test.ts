/**
 * Escalating REQUEST_TIMEOUT through the real blame module and a real Reputation (ban list on disk):
 * transaction timeouts in a row escalate (2, 4, 6, ...) and quarantine the 7th; a delivery ends the
 * streak; block timeouts are charged the flat 2 and neither join nor end a streak, so an honest node
 * that is too starved to serve its block announcements is not quarantined by a handful of them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REGTEST } from '../../../src/chain/params.js';
import { createLogger } from '../../../src/node/logger.js';
import { Blame } from '../../../src/p2p/reputation/blame.js';
import { PeerFault } from '../../../src/p2p/reputation/faults.js';
import { RateLimiter } from '../../../src/p2p/reputation/rate-limiter.js';
import { Reputation } from '../../../src/p2p/reputation/reputation.js';
import { type FakeClock, fakeClock } from '../../unit/reputation/fake-clock.js';

const PEER = '12D3KooWPeerUnderTest';
const hex = (n: number): string => n.toString(16).padStart(64, '0');

let dir: string;
let clock: FakeClock;
let reputation: Reputation;
let blame: Blame;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trustmesh-escalation-'));
  clock = fakeClock();
  reputation = await Reputation.open({ dataDir: dir, now: clock.now });
  blame = new Blame({
    reputation,
    limiter: new RateLimiter({ now: clock.now }),
    uploads: new RateLimiter({ now: clock.now }),
    params: REGTEST,
    metrics: null,
    logger: createLogger({ name: 'test', level: 'silent' }),
    gossipVerdicts: () => undefined,
  });
});

afterEach(async () => {
  await reputation.close();
  await rm(dir, { recursive: true, force: true });
});

/** The sweep's fault for `keys` of one peer, as src/p2p/relay/inv-relay.ts raises it. */
function timeout(keys: string[]): PeerFault {
  const more = keys.length > 1 ? ` and ${keys.length - 1} more` : '';
  return new PeerFault('REQUEST_TIMED_OUT', `${keys[0]}${more} not served in time`);
}

const penalties = (): number[] => reputation.report(PEER).offences.map((o) => o.penalty);

describe('escalating REQUEST_TIMEOUT through blame', () => {
  it('quarantines a peer on its 7th transaction timeout in a row, 0.5 s apart', () => {
    for (let i = 0; i < 7; i++) {
      expect(reputation.isQuarantined(PEER)).toBe(false);
      blame.punish(PEER, timeout([`tx:${hex(5 * i)}`, `tx:${hex(5 * i + 1)}`]));
      clock.advance(500);
    }
    expect(penalties()).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(reputation.isQuarantined(PEER)).toBe(true);
    expect(reputation.report(PEER).ban?.reason).toContain('REQUEST_TIMEOUT x7');
  });

  it('starts over after a good delivery', () => {
    for (let i = 0; i < 3; i++) blame.punish(PEER, timeout([`tx:${hex(i)}`]));
    blame.goodDelivery(PEER);
    blame.punish(PEER, timeout([`tx:${hex(9)}`]));
    expect(penalties()).toEqual([2, 4, 6, 2]);
  });

  it('charges block timeouts the flat penalty, outside the transaction streak', () => {
    for (let i = 0; i < 12; i++) {
      blame.punish(PEER, timeout([`block:${hex(i)}`]));
      clock.advance(5_000); // one per block interval
    }
    expect(penalties()).toEqual(Array(12).fill(2));
    expect(reputation.isQuarantined(PEER)).toBe(false);
    blame.punish(PEER, timeout([`tx:${hex(1)}`]));
    blame.punish(PEER, timeout([`block:${hex(99)}`]));
    blame.punish(PEER, timeout([`tx:${hex(2)}`]));
    expect(penalties().slice(-3)).toEqual([2, 2, 4]);
  });

  it('escalates a fault naming its items only when every one is a transaction', () => {
    blame.punish(PEER, new PeerFault('REQUEST_TIMED_OUT', 'x', ['tx:01', 'tx:02']));
    blame.punish(PEER, new PeerFault('REQUEST_TIMED_OUT', 'x', ['tx:03', 'block:04']));
    blame.punish(PEER, new PeerFault('REQUEST_TIMED_OUT', 'x', ['tx:05']));
    expect(penalties()).toEqual([2, 2, 4]);
  });
});
