/**
 * Text building blocks for human output: colours (only on a TTY, never with NO_COLOR), aligned
 * tables, durations, times, sizes and short ids. Pure functions; the commands compose them.
 */
import { stripVTControlCharacters, styleText } from 'node:util';
import type { PeerState } from '../node/api.js';

export interface Style {
  readonly ok: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly bad: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly accent: (text: string) => string;
}

/** Colours when writing to a terminal and NO_COLOR is not set (https://no-color.org). */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env.NO_COLOR === undefined;
}

export function createStyle(enabled: boolean): Style {
  const paint =
    (format: Parameters<typeof styleText>[0]) =>
    (text: string): string =>
      // We decide (TTY, NO_COLOR) per output stream; styleText must not second-guess with stdout.
      enabled ? styleText(format, text, { validateStream: false }) : text;
  return {
    ok: paint('green'),
    warn: paint('yellow'),
    bad: paint('red'),
    dim: paint('dim'),
    bold: paint('bold'),
    accent: paint('cyan'),
  };
}

export const PLAIN: Style = createStyle(false);

/** Visible width of text that may hold colour codes. */
export function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}

export type Align = 'left' | 'right';

/** Columns padded to their widest cell; `right` for numbers. The header is dimmed. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  style: Style,
  align: readonly Align[] = [],
): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((row) => visibleLength(row[c] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => {
        const pad = ' '.repeat(Math.max(0, (widths[c] ?? 0) - visibleLength(cell)));
        if (c === cells.length - 1 && align[c] !== 'right') return cell;
        return align[c] === 'right' ? pad + cell : cell + pad;
      })
      .join('  ');
  return [style.dim(line(headers)), ...rows.map(line)].join('\n');
}

/** `label  value` lines with the labels aligned. */
export function keyValues(
  pairs: readonly (readonly [string, string])[],
  style: Style,
  indent = '  ',
): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${indent}${style.dim(k.padEnd(width))}  ${v}`).join('\n');
}

const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** The two largest units of a duration: `9m 12s`, `2h 5m`, `3d`; under a second, `0s`. */
export function formatDuration(ms: number): string {
  let rest = Math.floor(Math.abs(ms));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    if (parts.length === 0 && rest < size) continue;
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
    else parts.push('');
    if (parts.length === 2) break;
  }
  const shown = parts.filter((p) => p !== '');
  return shown.length === 0 ? '0s' : shown.join(' ');
}

/** `in 9m 12s` for a future time, `3m 2s ago` for a past one. */
export function formatRelative(time: number, now: number): string {
  return time >= now ? `in ${formatDuration(time - now)}` : `${formatDuration(now - time)} ago`;
}

/** Local wall-clock time `YYYY-MM-DD HH:MM:SS`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Scores as integers when they are, else with up to two decimals. */
export function formatScore(score: number): string {
  if (Number.isInteger(score)) return String(score);
  return score.toFixed(2).replace(/\.?0+$/, '');
}

/**
 * Characters of a peer id shown in tables. Ed25519 libp2p ids share the prefix `12D3KooW`, so 14
 * characters keep 6 distinguishing ones; what is shown is always a valid prefix to type back.
 */
export const SHORT_PEER_ID_LENGTH = 14;

export function shortPeerId(peerId: string): string {
  return peerId.length <= SHORT_PEER_ID_LENGTH + 1 ? peerId : `${peerId.slice(0, SHORT_PEER_ID_LENGTH)}…`;
}

/** Hashes in tables: the first 16 hex characters. */
export function shortHash(hash: string): string {
  return hash.length <= 17 ? hash : `${hash.slice(0, 16)}…`;
}

export function formatState(state: PeerState, style: Style): string {
  if (state === 'healthy') return style.ok(state);
  if (state === 'throttled') return style.warn(state);
  return style.bad(state);
}

/** Plural: `1 block`, `3 blocks`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
