/**
 * `watch` in the REPL as the operator sees it: the command's output redrawn under a watch(1)
 * header in the alternate screen, the first frame at once, Enter / q / Ctrl-C stopping it at once
 * (other keys do not), the keys never typed into the prompt, and the terminal and the prompt's key
 * handling restored afterwards. Waits are on events (a frame drawn, a run started), never on time.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../../src/cli/format.js';
import { watch } from '../../../src/cli/watch.js';

/** What the terminal receives around and between frames (xterm private modes 1049 and 25). */
const ENTER_ALT_SCREEN_HIDE_CURSOR = '\x1b[?1049h\x1b[?25l';
const SHOW_CURSOR_LEAVE_ALT_SCREEN = '\x1b[?25h\x1b[?1049l';
const HOME_AND_CLEAR = '\x1b[H\x1b[2J';

interface Key {
  name: string;
  ctrl?: boolean;
}

const ENTER: Key = { name: 'return' };
const Q: Key = { name: 'q' };
const CTRL_C: Key = { name: 'c', ctrl: true };

/** A fake terminal: what was written to it, and a REPL prompt listening to its keys. */
function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (d: Buffer) => {
    screen += d.toString();
  });
  const typedAtPrompt: string[] = [];
  const promptListener = (text: string | undefined) => {
    typedAtPrompt.push(text ?? '');
  };
  input.on('keypress', promptListener);
  return {
    input,
    output,
    typedAtPrompt,
    promptListener,
    screen: () => screen,
    press: (text: string, key: Key) => input.emit('keypress', text, key),
    /** Resolves once `text` has been written to the terminal. */
    shows: (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!screen.includes(text)) return;
          output.off('data', check);
          resolve();
        };
        output.on('data', check);
        check();
      }),
  };
}

/** The watched command: counts its runs and lets the test wait for the n-th to start. */
function command() {
  let runs = 0;
  const waiting = new Map<number, () => void>();
  return {
    runs: () => runs,
    render: async () => {
      runs++;
      waiting.get(runs)?.();
      return `frame ${runs}`;
    },
    /** Resolves when run `n` starts, i.e. once frame n - 1 has been drawn and the interval passed. */
    started: (n: number) =>
      runs >= n ? Promise.resolve() : new Promise<void>((resolve) => waiting.set(n, resolve)),
  };
}

function start(term: ReturnType<typeof terminal>, cmd: ReturnType<typeof command>, intervalMs: number) {
  return watch({
    input: term.input,
    output: term.output,
    intervalMs,
    title: 'trustmesh:alice> status',
    style: PLAIN,
    render: cmd.render,
  });
}

describe('watch', { timeout: 5_000 }, () => {
  it('redraws the output under a header in the alternate screen, and gives the screen back', async () => {
    const term = terminal();
    const cmd = command();
    const done = start(term, cmd, 10);
    await cmd.started(3);
    term.press('\r', ENTER);
    await done;

    const screen = term.screen();
    expect(screen.startsWith(ENTER_ALT_SCREEN_HIDE_CURSOR)).toBe(true);
    expect(screen.endsWith(SHOW_CURSOR_LEAVE_ALT_SCREEN)).toBe(true);
    // Every redraw clears the screen first, so an old frame never shows through a new one.
    const frames = screen.slice(ENTER_ALT_SCREEN_HIDE_CURSOR.length).split(HOME_AND_CLEAR).slice(1);
    expect(frames.length).toBeGreaterThanOrEqual(2);
    frames.forEach((frame, i) => {
      expect(frame).toMatch(
        new RegExp(
          `^Every 0\\.01s: trustmesh:alice> status {4}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d {4}` +
            `\\(Enter or Ctrl-C to stop\\)\\n\\nframe ${i + 1}\\n`,
        ),
      );
    });
  });

  it.each([
    ['Enter', '\r', ENTER],
    ['q', 'q', Q],
    ['Ctrl-C', '\x03', CTRL_C],
  ] as const)('%s stops it; other keys do not', async (_label, text, key) => {
    const term = terminal();
    const cmd = command();
    const done = start(term, cmd, 1);
    await cmd.started(1);
    term.press('x', { name: 'x' });
    term.press('', { name: 'up' });
    const runsAfterOtherKeys = cmd.runs();
    // Still redrawing after those keys: the next run starts.
    await cmd.started(runsAfterOtherKeys + 1);
    term.press(text, key);
    await done;
    expect(term.screen().endsWith(SHOW_CURSOR_LEAVE_ALT_SCREEN)).toBe(true);
  });

  it('draws the first frame at once and stops at once, without waiting out the interval', async () => {
    const term = terminal();
    const cmd = command();
    const anHour = 3_600_000;
    const done = start(term, cmd, anHour);
    await term.shows('frame 1\n');
    term.press('\x03', CTRL_C);
    await done;
    expect(cmd.runs()).toBe(1);
    expect(term.screen().endsWith(SHOW_CURSOR_LEAVE_ALT_SCREEN)).toBe(true);
  });

  it('keeps its keys out of the prompt, and hands the keys back to the prompt when it stops', async () => {
    const term = terminal();
    const cmd = command();
    const done = start(term, cmd, 1);
    await cmd.started(1);
    expect(term.input.listeners('keypress')).not.toContain(term.promptListener);
    term.press('x', { name: 'x' });
    term.press('\r', ENTER);
    await done;
    expect(term.typedAtPrompt).toEqual([]);
    expect(term.input.listeners('keypress')).toEqual([term.promptListener]);
    term.press('a', { name: 'a' });
    expect(term.typedAtPrompt).toEqual(['a']);
  });
});
