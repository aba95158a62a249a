/**
 * PROTOCOL.md states every number a rule depends on, so that no source file needs to be read. This
 * test keeps it honest: each constant of the reference code below must appear in PROTOCOL.md in the
 * sentence or table row that states it. A failure means the code changed a rule: update the
 * document (and `npm run vectors`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_BLOCK_BYTES,
  MAX_BLOCK_TXS,
  MAX_TX_BYTES,
  MAX_TX_INPUTS,
  MAX_TX_OUTPUTS,
} from '../../../src/chain/encoding/limits.js';
import { DEV_OUTPUT_AMOUNT } from '../../../src/chain/genesis.js';
import { MAX_MEMPOOL_BYTES, MAX_MEMPOOL_TXS, MEMPOOL_EXPIRY_MS } from '../../../src/chain/mempool/mempool.js';
import { DEVNET, MAX_MONEY, MEDIAN_TIME_SPAN, REGTEST, UNITS_PER_COIN } from '../../../src/chain/params.js';
import { MAX_ORPHAN_BYTES, MAX_ORPHANS } from '../../../src/chain/state/orphan-pool.js';
import { MAX_RECENT_TXS } from '../../../src/chain/state/recent-txs.js';
import {
  NOTFOUND_GRACE_MS,
  PENDING_REPORT_TIMEOUT_MS,
  PUSH_MAX_AGE_MS,
  TX_ANNOUNCE_INTERVAL_MS,
  TX_RETRIES,
  TX_RETRY_DELAY_MS,
} from '../../../src/p2p/relay/inv-relay.js';
import {
  INBOUND_DELAY_MS,
  MAX_PEER_ANNOUNCEMENTS,
  MAX_PEER_IN_FLIGHT,
  REQUEST_TIMEOUT_MS,
} from '../../../src/p2p/relay/request-tracker.js';
import { CLOCK_SKEW_LIMIT_MS, REPLAY_GRACE_MS } from '../../../src/p2p/reputation/blame.js';
import {
  BASE_BAN_MS,
  DEFAULT_RATE_LIMITS,
  ESCALATION_WINDOW_MS,
  MAX_BAN_MS,
  QUARANTINE_THRESHOLD,
  THROTTLE_THRESHOLD,
  TOTAL_SERVED_LIMIT,
} from '../../../src/p2p/reputation/constants.js';
import { escalatedPenalty, OFFENCES, offencesToQuarantine } from '../../../src/p2p/reputation/offences.js';
import {
  GETDATA_CLIENT_IDLE_MS,
  GETDATA_SERVER_IDLE_MS,
  MAX_BLOCKS_PER_REQUEST,
  MAX_DATA_BYTES,
  MAX_DATA_FRAME_BYTES,
  MAX_GETDATA_BYTES,
  MAX_GETDATA_ITEMS,
  MAX_INV_BYTES,
  MAX_INV_ITEMS,
  MAX_LOCATOR_HASHES,
  MAX_MEMPOOL_INV_ITEMS,
  MAX_PENDING_GETDATA,
  MAX_PUSH_FRAME_BYTES,
  MAX_PUSH_SUBSCRIBE_BYTES,
  MAX_PUSH_TXS,
  MAX_SYNC_REQUEST_BYTES,
  MAX_SYNC_RESPONSE_BYTES,
  MAX_COMPACT_BLOCK_BYTES,
  MAX_BLOCK_TXN_INDEXES,
  MAX_BLOCK_TXN_RESPONSE_BYTES,
  SHORT_ID_BYTES,
  COMPACT_NONCE_BYTES,
  PUSH_SUBSCRIBE_TIMEOUT_MS,
  SYNC_TIMEOUT_MS,
} from '../../../src/p2p/wire/constants.js';

const PROTOCOL = readFileSync(join(import.meta.dirname, '..', '..', '..', 'PROTOCOL.md'), 'utf8').replace(
  /\s+/g,
  ' ',
);

/** A number as PROTOCOL.md writes it: thousands separated by commas. */
const n = (value: number | bigint): string => value.toLocaleString('en-US');

describe('PROTOCOL.md states the reference numbers', () => {
  const statements: Array<[string, string]> = [
    ['MAX_INV_ITEMS', `\`MAX_INV_ITEMS\` = ${n(MAX_INV_ITEMS)}`],
    ['MAX_INV_BYTES', `\`MAX_INV_BYTES\` = ${n(MAX_INV_BYTES)}`],
    ['MAX_GETDATA_BYTES', `\`MAX_GETDATA_BYTES\` = ${n(MAX_GETDATA_BYTES)}`],
    ['MAX_GETDATA_ITEMS', `\`MAX_GETDATA_ITEMS\` = ${n(MAX_GETDATA_ITEMS)}`],
    ['MAX_DATA_BYTES', `\`MAX_DATA_BYTES\` = ${n(MAX_DATA_BYTES)}`],
    ['MAX_DATA_FRAME_BYTES', `\`MAX_DATA_FRAME_BYTES\` = ${n(MAX_DATA_FRAME_BYTES)}`],
    ['MAX_PENDING_GETDATA', `\`MAX_PENDING_GETDATA\` = ${n(MAX_PENDING_GETDATA)}`],
    ['MAX_PUSH_SUBSCRIBE_BYTES', `\`MAX_PUSH_SUBSCRIBE_BYTES\` = ${n(MAX_PUSH_SUBSCRIBE_BYTES)}`],
    ['MAX_PUSH_FRAME_BYTES', `\`MAX_PUSH_FRAME_BYTES\` = ${n(MAX_PUSH_FRAME_BYTES)}`],
    ['MAX_PUSH_TXS', `\`MAX_PUSH_TXS\` = ${n(MAX_PUSH_TXS)}`],
    ['MAX_LOCATOR_HASHES', `\`MAX_LOCATOR_HASHES\` = ${n(MAX_LOCATOR_HASHES)}`],
    ['MAX_BLOCKS_PER_REQUEST', `\`MAX_BLOCKS_PER_REQUEST\` = ${n(MAX_BLOCKS_PER_REQUEST)}`],
    ['MAX_MEMPOOL_INV_ITEMS', `\`MAX_MEMPOOL_INV_ITEMS\` = ${n(MAX_MEMPOOL_INV_ITEMS)}`],
    ['MAX_SYNC_REQUEST_BYTES', `\`MAX_SYNC_REQUEST_BYTES\` = ${n(MAX_SYNC_REQUEST_BYTES)}`],
    ['MAX_SYNC_RESPONSE_BYTES', `\`MAX_SYNC_RESPONSE_BYTES\` = ${n(MAX_SYNC_RESPONSE_BYTES)}`],
    ['MAX_COMPACT_BLOCK_BYTES', `\`MAX_COMPACT_BLOCK_BYTES\` = ${n(MAX_COMPACT_BLOCK_BYTES)}`],
    ['MAX_BLOCK_TXN_INDEXES', `\`MAX_BLOCK_TXN_INDEXES\` = ${n(MAX_BLOCK_TXN_INDEXES)}`],
    ['MAX_BLOCK_TXN_RESPONSE_BYTES', `\`MAX_BLOCK_TXN_RESPONSE_BYTES\` = ${n(MAX_BLOCK_TXN_RESPONSE_BYTES)}`],
    ['SHORT_ID_BYTES', `first ${SHORT_ID_BYTES} bytes of`],
    ['COMPACT_NONCE_BYTES', `exactly ${COMPACT_NONCE_BYTES} bytes, chosen by the sender`],
    ['SYNC_TIMEOUT_MS', `\`SYNC_TIMEOUT_MS\` = ${n(SYNC_TIMEOUT_MS)} ms`],
    ['TX_ANNOUNCE_INTERVAL_MS', `\`TX_ANNOUNCE_INTERVAL_MS\` = ${n(TX_ANNOUNCE_INTERVAL_MS)} ms`],
    ['PUSH_MAX_AGE_MS', `\`PUSH_MAX_AGE_MS\` = ${n(PUSH_MAX_AGE_MS)} ms`],
    ['PENDING_REPORT_TIMEOUT_MS', `at the latest ${PENDING_REPORT_TIMEOUT_MS / 1000} s after receipt`],
    ['transaction size', `transaction ${n(MAX_TX_BYTES)} bytes, block ${n(MAX_BLOCK_BYTES)} bytes`],
    [
      'repeated fields',
      `${n(MAX_TX_INPUTS)} inputs, ${n(MAX_TX_OUTPUTS)} outputs, ${n(MAX_BLOCK_TXS)} transactions per block`,
    ],
    ['UNITS_PER_COIN', `1 coin = 10^${UNITS_PER_COIN.toString().length - 1} base units`],
    ['MAX_MONEY', `= ${n(MAX_MONEY / UNITS_PER_COIN)} coins = ${n(MAX_MONEY)} base units`],
    ['subsidy', `| subsidy at height 1 | ${n(DEVNET.initialSubsidy)} (50 coins) | same |`],
    ['halving', `| halving interval | ${n(DEVNET.halvingInterval)} blocks | same |`],
    [
      'maturity',
      `| coinbase maturity | ${DEVNET.coinbaseMaturity} blocks | ${REGTEST.coinbaseMaturity} blocks |`,
    ],
    [
      'genesis timestamp',
      `| genesis timestamp | ${n(DEVNET.genesisTimestamp)} (2026-01-01T00:00:00Z) | same |`,
    ],
    ['block future limit', `| block future limit | ${n(DEVNET.maxBlockFutureDriftMs)} ms | same |`],
    ['tx after block', `| transaction after its block | at most ${n(DEVNET.maxTxAfterBlockMs)} ms | same |`],
    [
      'relay window',
      `| relay window (policy) | ${n(DEVNET.txMaxAgeMs)} ms old to ${n(DEVNET.txMaxFutureDriftMs)} ms ahead | same |`,
    ],
    [
      'min relay fee',
      `| minimum relay fee (policy) | ${DEVNET.minRelayFeePerByte} base unit per byte | same |`,
    ],
    ['block interval', `| target block interval | ${n(DEVNET.blockIntervalMs)} ms |`],
    ['retarget window', `| retargeting | on, window ${DEVNET.retargetWindow} |`],
    ['median time span', `the last ${MEDIAN_TIME_SPAN} blocks ending at the parent`],
    ['genesis outputs', `100 outputs of ${n(DEV_OUTPUT_AMOUNT / UNITS_PER_COIN)} coins`],
    ['replay grace', `up to ${n(DEVNET.txMaxAgeMs + REPLAY_GRACE_MS)} ms (15 minutes`],
    [
      'implausible age',
      `up to ${n(DEVNET.txMaxAgeMs + REPLAY_GRACE_MS + CLOCK_SKEW_LIMIT_MS)} ms (25 minutes: plus 10 minutes`,
    ],
    [
      'implausible ahead',
      `up to ${n(DEVNET.txMaxFutureDriftMs + CLOCK_SKEW_LIMIT_MS)} ms ahead (12 minutes: the drift plus 10 minutes`,
    ],
    [
      'implausible block ahead',
      `\`BLOCK_TIME_TOO_NEW\` more than ${n(DEVNET.maxBlockFutureDriftMs + CLOCK_SKEW_LIMIT_MS)} ms ahead`,
    ],
    [
      'implausible blame row',
      `(the ${n(DEVNET.txMaxFutureDriftMs)} ms drift plus \`CLOCK_SKEW_LIMIT_MS\` = ${n(CLOCK_SKEW_LIMIT_MS)} ms)`,
    ],
    ['escalation window', `\`ESCALATION_WINDOW_MS\` = ${n(ESCALATION_WINDOW_MS)} ms`],
    [
      'timeouts in a row',
      `| REQUEST_TIMEOUT | judgement | ${OFFENCES.REQUEST_TIMEOUT.penalty} | ${offencesToQuarantine('REQUEST_TIMEOUT')} in a row (escalating: 2 + 4 + ... + ${escalatedPenalty('REQUEST_TIMEOUT', offencesToQuarantine('REQUEST_TIMEOUT'))} =`,
    ],
    ['escalation step', `The k-th timeout of a streak costs ${OFFENCES.REQUEST_TIMEOUT.penalty}k points`],
    ['mempool capacity', `at most ${n(MAX_MEMPOOL_TXS)} transactions and ${n(MAX_MEMPOOL_BYTES)} bytes`],
    ['mempool expiry', `or ${MEMPOOL_EXPIRY_MS / 60_000} minutes after it entered`],
    ['recent txids', `the last ${n(MAX_RECENT_TXS)} confirmed txids`],
    ['orphans', `at most ${MAX_ORPHANS} blocks and ${n(MAX_ORPHAN_BYTES)} bytes`],
    ['inbound delay', `| inbound announcement delay **(policy)** | ${INBOUND_DELAY_MS} ms |`],
    ['request timeout', `| request timeout (relay) | ${n(REQUEST_TIMEOUT_MS)} ms from the request`],
    [
      'fetch timeout',
      `| getdata request timeout (transport) | ${n(2 * REQUEST_TIMEOUT_MS)} ms from the call |`,
    ],
    ['tracker cap', `per peer at most ${n(MAX_PEER_ANNOUNCEMENTS)} announced items`],
    ['in flight', `At most ${MAX_PEER_IN_FLIGHT} requests in flight per peer`],
    [
      'thresholds',
      `throttled** at ${THROTTLE_THRESHOLD} or below and **quarantined** at ${QUARANTINE_THRESHOLD}`,
    ],
    ['ban base', `\`banBaseMs\` is ${n(BASE_BAN_MS)} (10 minutes)`],
    ['max ban', `at most ${MAX_BAN_MS / 3_600_000} h`],
    ['server idle', `\`GETDATA_SERVER_IDLE_MS\` = ${n(GETDATA_SERVER_IDLE_MS)} ms`],
    ['client idle', `\`GETDATA_CLIENT_IDLE_MS\` = ${n(GETDATA_CLIENT_IDLE_MS)} ms`],
    ['push subscribe', `\`PUSH_SUBSCRIBE_TIMEOUT_MS\` = ${n(PUSH_SUBSCRIBE_TIMEOUT_MS)} ms`],
    ['notfound grace', `\`NOTFOUND_GRACE_MS\` = ${n(NOTFOUND_GRACE_MS)} ms`],
    [
      'tx retries',
      `\`TX_RETRIES\` = ${TX_RETRIES} times, \`TX_RETRY_DELAY_MS\` = ${n(TX_RETRY_DELAY_MS)} ms`,
    ],
    [
      'total upload',
      `(${n(TOTAL_SERVED_LIMIT.ratePerSecond)} bytes per second, burst ${n(TOTAL_SERVED_LIMIT.burst)})`,
    ],
  ];

  it.each(statements)('%s', (_, text) => {
    expect(PROTOCOL).toContain(text);
  });

  it.each(Object.entries(DEFAULT_RATE_LIMITS))('rate limit %s', (cls, limit) => {
    const row = PROTOCOL.split('| `').find((r) => r.startsWith(`${cls}\``));
    expect(row, `a table row for the ${cls} bucket`).toBeDefined();
    expect(row).toContain(`| ${n(limit.ratePerSecond)}`);
    expect(row).toContain(`| ${n(limit.burst)}`);
  });

  it('names every flagrant offence in the flagrant row', () => {
    const flagrant = Object.values(OFFENCES).filter((o) => o.class === 'flagrant');
    const end = PROTOCOL.indexOf(`| flagrant | ${flagrant[0]!.penalty} | 1 | - |`);
    expect(end).toBeGreaterThan(0);
    const cell = PROTOCOL.slice(PROTOCOL.lastIndexOf('| ', end - 1) + 2, end).trim();
    expect(cell.split(', ').sort()).toEqual(flagrant.map((o) => o.kind).sort());
  });

  it.each(Object.values(OFFENCES).filter((o) => o.class === 'judgement'))('offence $kind', (offence) => {
    expect(PROTOCOL).toContain(`| ${offence.kind} | judgement | ${offence.penalty} |`);
  });
});
