/**
 * Mining CPU pacing: the pause after a batch, the `--mining-cpu` syntax, and the node option
 * (config file and flag) that carries it.
 */
import { describe, expect, it } from 'vitest';
import {
  FULL_MINING_CPU,
  MiningCpuError,
  paceBatch,
  parseMiningCpu,
  pauseAfterBatch,
  STALLED_TIP_INTERVALS,
  tipStalled,
} from '../../../src/chain/mining/pacing.js';
import { ConfigError, validateConfig } from '../../../src/node/config.js';
import { resolveConfig } from '../../../src/node/main.js';

describe('pauseAfterBatch', () => {
  it('makes busy time the given share of busy plus pause', () => {
    for (const percent of [1, 10, 25, 50, 99]) {
      for (const busy of [1, 70, 333.3]) {
        const pause = pauseAfterBatch(busy, percent);
        expect((100 * busy) / (busy + pause)).toBeCloseTo(percent, 9);
      }
    }
    expect(pauseAfterBatch(70, 10)).toBeCloseTo(630, 9);
  });

  it('does not pause at 100% or after a batch that took no time', () => {
    expect(pauseAfterBatch(70, FULL_MINING_CPU)).toBe(0);
    expect(pauseAfterBatch(0, 10)).toBe(0);
  });

  it('refuses a share outside 1-100%', () => {
    for (const bad of [0, 0.5, 101, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => pauseAfterBatch(70, bad)).toThrow(MiningCpuError);
    }
  });
});

describe('paceBatch', () => {
  it('takes a batch from the start-up burst first and paces only the rest', () => {
    expect(paceBatch(70, 10, 250)).toEqual({ pauseMs: 0, burstLeftMs: 180 });
    const straddling = paceBatch(70, 10, 20);
    expect(straddling.burstLeftMs).toBe(0);
    expect(straddling.pauseMs).toBeCloseTo(450, 9); // the 50 ms beyond the burst, at 10%
    const after = paceBatch(70, 10, 0);
    expect(after).toEqual({ pauseMs: pauseAfterBatch(70, 10), burstLeftMs: 0 });
  });

  it('keeps busy time within burst + share x wall time over a run of batches', () => {
    let burst = 250;
    let busy = 0;
    let wall = 0;
    for (let i = 0; i < 100; i++) {
      const batch = 40 + (i % 7) * 10;
      const { pauseMs, burstLeftMs } = paceBatch(batch, 10, burst);
      burst = burstLeftMs;
      busy += batch;
      wall += batch + pauseMs;
      expect(busy).toBeLessThanOrEqual(250 + 0.1 * wall + 1e-9);
    }
    expect(busy / wall).toBeGreaterThan(0.1);
    expect(busy / wall).toBeLessThan(0.11);
  });
});

describe('a stalled tip', () => {
  it('is one older than STALLED_TIP_INTERVALS block intervals', () => {
    const interval = 5_000;
    const limit = STALLED_TIP_INTERVALS * interval;
    expect(tipStalled(1_000_000, 1_000_000 + limit, interval)).toBe(false);
    expect(tipStalled(1_000_000, 1_000_000 + limit + 1, interval)).toBe(true);
    expect(tipStalled(1_000_000, 1_000_000 - 60_000, interval)).toBe(false); // a tip from the future
    // A fresh devnet: its genesis (2026-01-01) against a clock a day later.
    expect(tipStalled(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2), interval)).toBe(true);
  });

  it('is hashed unpaced, leaving the start-up burst untouched', () => {
    expect(paceBatch(70, 10, 250, true)).toEqual({ pauseMs: 0, burstLeftMs: 250 });
    expect(paceBatch(70, 10, 0, true)).toEqual({ pauseMs: 0, burstLeftMs: 0 });
    expect(paceBatch(70, 10, 0, false).pauseMs).toBeCloseTo(630, 9);
    expect(() => paceBatch(70, 0, 0, true)).toThrow(MiningCpuError);
  });
});

describe('parseMiningCpu', () => {
  it('reads 10%, 10, 2.5% and 100%', () => {
    expect(parseMiningCpu('10%')).toBe(10);
    expect(parseMiningCpu('10')).toBe(10);
    expect(parseMiningCpu(' 2.5 % ')).toBe(2.5);
    expect(parseMiningCpu('100%')).toBe(100);
  });

  it('refuses anything else, naming the value', () => {
    for (const bad of ['', '%', '0%', '0.5', '101%', '-10', '10%%', 'ten', '1e1', '10 percent']) {
      expect(() => parseMiningCpu(bad), bad).toThrow(MiningCpuError);
    }
    expect(() => parseMiningCpu('150%')).toThrow(/"150%"/);
  });
});

describe('the miningCpu node option', () => {
  it('defaults to 100% (no pacing) on every network', () => {
    expect(validateConfig({ dataDir: '/tmp/x' }).miningCpu).toBe(100);
    expect(validateConfig({ dataDir: '/tmp/x', network: 'regtest' }).miningCpu).toBe(100);
  });

  it('takes a number or a "10%" string from a config file, and refuses other values', () => {
    expect(validateConfig({ dataDir: '/tmp/x', miningCpu: 25 }).miningCpu).toBe(25);
    const fromFile = JSON.parse('{"dataDir": "/tmp/x", "miningCpu": "10%"}') as { dataDir: string };
    expect(validateConfig(fromFile).miningCpu).toBe(10);
    expect(() => validateConfig({ dataDir: '/tmp/x', miningCpu: 0 })).toThrow(ConfigError);
    expect(() => validateConfig({ dataDir: '/tmp/x', miningCpu: 200 })).toThrow(/miningCpu/);
  });

  it('comes from --mining-cpu, with or without %', async () => {
    const flags = { devnet: 'nodes/devnet.json', dataDir: '/tmp/x' };
    expect((await resolveConfig(undefined, { ...flags, miningCpu: '10%' })).miningCpu).toBe(10);
    expect((await resolveConfig(undefined, { ...flags, miningCpu: '50' })).miningCpu).toBe(50);
    expect((await resolveConfig(undefined, flags)).miningCpu).toBe(100);
    await expect(resolveConfig(undefined, { ...flags, miningCpu: '0%' })).rejects.toThrow(/--mining-cpu/);
  });
});
