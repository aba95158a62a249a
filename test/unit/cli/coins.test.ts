import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MONEY, UNITS_PER_COIN } from '../../../src/chain/params.js';
import { formatCoins, parseCoins } from '../../../src/cli/coins.js';
import { UsageError } from '../../../src/cli/errors.js';

describe('parseCoins', () => {
  it.each([
    ['1', 100_000_000n],
    ['1.5', 150_000_000n],
    ['.25', 25_000_000n],
    ['2.', 200_000_000n],
    ['0.00000001', 1n],
    ['21000000', MAX_MONEY],
    [' 3 ', 300_000_000n],
  ])('%s coins = %s base units', (text, units) => {
    expect(parseCoins(text)).toBe(units);
  });

  it.each([
    ['', 'expected coins'],
    ['.', 'expected coins'],
    ['abc', 'expected coins'],
    ['-1', 'expected coins'],
    ['1e3', 'expected coins'],
    ['1,5', 'expected coins'],
    ['0x10', 'expected coins'],
    ['0', 'more than 0'],
    ['0.000000001', 'at most 8 decimal places'],
    ['21000000.00000001', 'can exist'],
  ])('rejects %j (%s)', (text, message) => {
    expect(() => parseCoins(text)).toThrow(UsageError);
    expect(() => parseCoins(text)).toThrow(message);
  });
});

describe('formatCoins', () => {
  it('drops trailing zeros and groups thousands on request', () => {
    expect(formatCoins(150_000_000n)).toBe('1.5');
    expect(formatCoins('100000000')).toBe('1');
    expect(formatCoins(1n)).toBe('0.00000001');
    expect(formatCoins(0n)).toBe('0');
    expect(formatCoins(100_000_000_050_000_000n, { group: true })).toBe('1,000,000,000.5');
  });

  it('round-trips any base-unit amount through parseCoins', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_MONEY }), (units) => {
        expect(parseCoins(formatCoins(units))).toBe(units);
      }),
      { numRuns: 2_000 },
    );
  });

  it('parsing then formatting normalises any valid decimal', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 20_999_999n }),
        fc.bigInt({ min: 1n, max: UNITS_PER_COIN - 1n }),
        (whole, fraction) => {
          const text = `${whole}.${fraction.toString().padStart(8, '0')}`;
          expect(parseCoins(formatCoins(parseCoins(text)))).toBe(parseCoins(text));
        },
      ),
    );
  });
});
