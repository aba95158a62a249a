/**
 * Coin amounts typed by people and shown to them. The node speaks base units (decimal strings);
 * people type coins: `1.5` = 150000000 base units. Parsing is exact (no floating point).
 */
import { MAX_MONEY, UNITS_PER_COIN } from '../chain/params.js';
import { UsageError } from './errors.js';

/** Decimal places of a coin amount (UNITS_PER_COIN = 10^8). */
export const COIN_DECIMALS = UNITS_PER_COIN.toString().length - 1;

const COIN_AMOUNT = /^(\d*)(?:\.(\d*))?$/;

/** Base units of a coin amount like `1`, `1.5` or `.25`; a `UsageError` saying what is wrong otherwise. */
export function parseCoins(text: string): bigint {
  const match = COIN_AMOUNT.exec(text.trim());
  const whole = match?.[1] ?? '';
  const fraction = match?.[2] ?? '';
  if (match === null || (whole === '' && fraction === '')) {
    throw new UsageError(`invalid amount '${text}': expected coins, like 1 or 1.5`);
  }
  if (fraction.length > COIN_DECIMALS) {
    throw new UsageError(
      `invalid amount '${text}': at most ${COIN_DECIMALS} decimal places (1 coin = ${UNITS_PER_COIN} base units)`,
    );
  }
  const units = BigInt(whole || '0') * UNITS_PER_COIN + BigInt(fraction.padEnd(COIN_DECIMALS, '0') || '0');
  if (units === 0n) throw new UsageError(`invalid amount '${text}': must be more than 0`);
  if (units > MAX_MONEY) {
    throw new UsageError(
      `invalid amount '${text}': more than the ${formatCoins(MAX_MONEY)} coins that can exist`,
    );
  }
  return units;
}

/**
 * Base units as coins: `150000000` → `1.5`, no trailing zeros; `parseCoins` reads it back. With
 * `group`, thousands are separated (`1,000,000.5`), for display only.
 */
export function formatCoins(units: bigint | string, options: { group?: boolean } = {}): string {
  const value = typeof units === 'bigint' ? units : BigInt(units);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  let whole = (abs / UNITS_PER_COIN).toString();
  if (options.group === true) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (abs % UNITS_PER_COIN).toString().padStart(COIN_DECIMALS, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}
