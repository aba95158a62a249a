/**
 * A full-screen view on a terminal with plain ANSI escapes (no dependency): the alternate screen
 * (the user's scrollback is left alone), a hidden cursor, frames redrawn in place from the top
 * left without clearing first (no flicker), and keys read in raw mode (`q`, Ctrl-C). `close()`
 * restores everything; it also runs on process exit, so a crash does not leave the terminal
 * without a cursor or echo.
 */

const ESC = '\u001b[';
const ALT_SCREEN_ON = `${ESC}?1049h`;
const ALT_SCREEN_OFF = `${ESC}?1049l`;
const CURSOR_HIDE = `${ESC}?25l`;
const CURSOR_SHOW = `${ESC}?25h`;
const CURSOR_HOME = `${ESC}H`;
const CLEAR_LINE_END = `${ESC}K`;
const CLEAR_SCREEN_END = `${ESC}J`;

/** Keys that stop the devnet: Ctrl-C (raw mode turns it into a byte, not SIGINT), q, Q. */
const STOP_KEYS = new Set(['\u0003', 'q', 'Q']);

export interface TerminalStreams {
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WriteStream;
}

export class TerminalScreen {
  private open = false;
  private readonly restoreOnExit = () => this.close();
  private readonly onKey = (data: Buffer) => {
    const key = data.toString('utf8');
    if (STOP_KEYS.has(key)) this.onStop?.();
  };
  private onStop: (() => void) | undefined;

  constructor(private readonly streams: TerminalStreams = { input: process.stdin, output: process.stdout }) {}

  /** Whether both ends are a terminal (otherwise use plain output). */
  static available(streams: TerminalStreams = { input: process.stdin, output: process.stdout }): boolean {
    return streams.output.isTTY === true;
  }

  get size(): { columns: number; rows: number } {
    return { columns: this.streams.output.columns ?? 100, rows: this.streams.output.rows ?? 30 };
  }

  /** Enters the alternate screen; `onStop` runs when the user presses q or Ctrl-C. */
  start(onStop: () => void, onResize: () => void): void {
    this.onStop = onStop;
    const { input, output } = this.streams;
    output.write(ALT_SCREEN_ON + CURSOR_HIDE);
    if (input.isTTY === true) {
      input.setRawMode(true);
      input.resume();
      input.on('data', this.onKey);
    }
    output.on('resize', onResize);
    process.once('exit', this.restoreOnExit);
    this.open = true;
  }

  /** Draws a frame: each line overwrites the previous frame's, the rest of the screen is cleared. */
  draw(lines: readonly string[]): void {
    if (!this.open) return;
    const rows = this.size.rows;
    const frame = lines.slice(0, rows).map((line) => line + CLEAR_LINE_END);
    this.streams.output.write(CURSOR_HOME + frame.join('\n') + CLEAR_SCREEN_END);
  }

  /** Leaves the alternate screen, shows the cursor, gives the keyboard back. Idempotent. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    const { input, output } = this.streams;
    process.off('exit', this.restoreOnExit);
    if (input.isTTY === true) {
      input.off('data', this.onKey);
      input.setRawMode(false);
      input.pause();
    }
    output.write(CURSOR_SHOW + ALT_SCREEN_OFF);
  }
}
