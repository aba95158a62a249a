/** Testnet command line, link shaping rules and address plan: pure functions, no namespaces. */
import { describe, expect, it } from 'vitest';
import { hostPlan, slotOfName, slotPlan } from '../../../src/testnet/addressing.js';
import { jitteredDelay, parseNetwork } from '../../../src/testnet/link-delay.js';
import { nftRuleset, tbfArgs } from '../../../src/testnet/link-shaping.js';
import { parseTestnetArgs, TestnetUsageError } from '../../../src/testnet/options.js';

describe('testnet options', () => {
  it('parses the issue command line with tc-style units', () => {
    const options = parseTestnetArgs(
      '--hosts 12 --latency 40ms --jitter 10ms --loss 0.5% --rate 10mbit --attackers invalid-signature=2,replay --duration 60 --partition-at 10 --heal-at 30 --json'.split(
        ' ',
      ),
    );
    expect(options.hosts).toBe(12);
    expect(options.link).toEqual({ latencyMs: 40, jitterMs: 10, lossPercent: 0.5, rateKbit: 10_000 });
    expect(options.attackers).toEqual([
      { kind: 'invalid-signature', count: 2 },
      { kind: 'replay', count: 1 },
    ]);
    expect([options.durationS, options.partitionAtS, options.healAtS, options.json]).toEqual([
      60,
      10,
      30,
      true,
    ]);
  });

  it.each([
    ['--hosts 1', /--hosts/],
    ['--latency fast', /--latency/],
    ['--loss 120%', /--loss/],
    ['--rate 10mb', /--rate/],
    ['--attackers nosuchkind=1', /unknown attack kind/],
    ['--partition-at 10', /go together/],
    ['--partition-at 10 --heal-at 5', /after --partition-at/],
    ['--duration 20 --partition-at 5 --heal-at 25', /within --duration/],
    ['--bogus 1', /unknown option/],
  ])('rejects %s with one line naming the flag', (line, message) => {
    expect(() => parseTestnetArgs(line.split(' '))).toThrow(TestnetUsageError);
    expect(() => parseTestnetArgs(line.split(' '))).toThrow(message);
  });
});

describe('testnet addressing', () => {
  it('gives each host its own /16 in its slot, names within 15 characters', () => {
    const slot = slotPlan(2);
    const host = hostPlan(2, 62);
    expect(host.address).toBe('10.190.0.1');
    expect(slot.driverAddress).toBe('10.191.255.254');
    expect(parseNetwork(slot.network)(host.address)).toBe(true);
    expect(parseNetwork(slot.network)(hostPlan(1, 1).address)).toBe(false);
    for (const name of [host.namespace, host.veth, slot.bridge]) expect(name.length).toBeLessThanOrEqual(15);
    expect(slotOfName(host.veth)).toBe(2);
    expect(slotOfName('eth0')).toBeUndefined();
  });
});

describe('link shaping', () => {
  it('samples delays within latency +- jitter, never negative', () => {
    expect(jitteredDelay(40, 10, 0)).toBe(30);
    expect(jitteredDelay(40, 10, 0.5)).toBe(40);
    expect(jitteredDelay(5, 10, 0)).toBe(0);
  });

  it('matches IPv4 and IPv4-mapped addresses of a network only', () => {
    const inside = parseNetwork('10.0.0.0/10');
    expect(inside('10.63.255.254')).toBe(true);
    expect(inside('::ffff:10.1.0.1')).toBe(true);
    expect(inside('10.64.0.1')).toBe(false);
    expect(inside('127.0.0.1')).toBe(false);
  });

  it('drops received packets at the loss rate, except from the driver, and cut hosts always', () => {
    const rules = nftRuleset(
      { latencyMs: 0, jitterMs: 0, lossPercent: 0.5, rateKbit: null },
      '10.0.0.0/10',
      '10.63.255.254',
    );
    expect(rules).toContain('ip saddr @cut drop');
    expect(rules).toContain('ip saddr != 10.63.255.254 numgen random mod 1000000 < 5000 drop');
    expect(
      nftRuleset(
        { latencyMs: 0, jitterMs: 0, lossPercent: 0, rateKbit: null },
        '10.0.0.0/10',
        '10.63.255.254',
      ),
    ).not.toContain('numgen');
    expect(tbfArgs({ latencyMs: 0, jitterMs: 0, lossPercent: 0, rateKbit: 10_000 }, 'eth0')).toContain(
      '10000kbit',
    );
    expect(tbfArgs({ latencyMs: 0, jitterMs: 0, lossPercent: 0, rateKbit: null }, 'eth0')).toBeNull();
  });
});
