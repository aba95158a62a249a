/**
 * `watch` in the REPL: re-runs a command every second and redraws it in the terminal's alternate
 * screen (like watch(1)), until Enter, q or Ctrl-C; the REPL's screen and prompt come back after.
 *
 * While it runs, it takes the terminal's keypresses from readline (the REPL's listeners are
 * detached and restored afterwards), so the keys that stop it are not typed into the prompt.
 */
import { formatTime, type Style } from './format.js';

export interface WatchOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Time between the end of one run and the start of the next (unit: ms). */
  readonly intervalMs: number;
  /** Shown on the header line, e.g. `trustmesh:alice> reputation`. */
  readonly title: string;
  readonly style: Style;
  /** One frame: the command's output (or its error, rendered by the caller). */
  render(): Promise<string>;
}

/** Default redraw interval (unit: ms). */
export const WATCH_INTERVAL_MS = 1_000;

const ALT_SCREEN_ON = '\x1b[?1049h';
const ALT_SCREEN_OFF = '\x1b[?1049l';
const CURSOR_HIDE = '\x1b[?25l';
const CURSOR_SHOW = '\x1b[?25h';
const HOME_AND_CLEAR = '\x1b[H\x1b[2J';

interface Key {
  name?: string;
  ctrl?: boolean;
}

export async function watch(options: WatchOptions): Promise<void> {
  const { input, output, style } = options;
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  let done = false;
  void stopped.then(() => {
    done = true;
  });
  const onKey = (_text: string | undefined, key: Key | undefined) => {
    if (key === undefined) return;
    if (
      key.name === 'return' ||
      key.name === 'enter' ||
      key.name === 'q' ||
      (key.ctrl === true && key.name === 'c')
    ) {
      stop();
    }
  };
  const saved = input.listeners('keypress') as ((...args: unknown[]) => void)[];
  input.removeAllListeners('keypress');
  input.on('keypress', onKey);
  output.write(ALT_SCREEN_ON + CURSOR_HIDE);
  try {
    while (!done) {
      const frame = await options.render();
      if (done) break;
      const header = style.dim(
        `Every ${options.intervalMs / 1000}s: ${options.title}    ${formatTime(Date.now())}    (Enter or Ctrl-C to stop)`,
      );
      output.write(`${HOME_AND_CLEAR}${header}\n\n${frame}\n`);
      await Promise.race([stopped, sleep(options.intervalMs)]);
    }
  } finally {
    output.write(CURSOR_SHOW + ALT_SCREEN_OFF);
    input.off('keypress', onKey);
    for (const listener of saved) input.on('keypress', listener);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
