/**
 * Timestamped events between benchmark node processes and the benchmark driver: one JSON object per
 * stdout line. Both the trustmesh nodes (through arrival-probe.ts) and the baseline flood nodes write
 * their events through `EventSink`, so recording costs the same on both sides of the comparison.
 *
 * Timestamps come from `wallClockMs()` (performance.timeOrigin + performance.now()): wall-clock
 * milliseconds with sub-millisecond resolution, comparable between processes on one machine. Each
 * event carries the time it happened, so buffering its line does not bias anything.
 */

/** Wall-clock ms (sub-ms resolution), comparable across the processes of one machine. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** How long (ms) event lines may wait in the buffer: batches the writes, keeps them off the hot path. */
const FLUSH_DELAY_MS = 10;

/** Buffers NDJSON event lines and writes them to stdout in batches. */
export class EventSink {
  private buffer: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly write: (text: string) => void = (text) => process.stdout.write(text)) {
    process.on('exit', () => this.flush());
  }

  emit(event: Record<string, unknown>): void {
    this.buffer.push(JSON.stringify(event));
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.flush(), FLUSH_DELAY_MS);
    this.timer.unref();
  }

  /** Writes an event now (answers to the driver's commands, start-up lines). */
  emitNow(event: Record<string, unknown>): void {
    this.buffer.push(JSON.stringify(event));
    this.flush();
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.write(text);
  }
}

/**
 * Ends this process (with SIGTERM, so the program's own clean shutdown runs) when the driver goes
 * away: the driver holds our stdin open, and a closed stdin means it exited or was killed.
 */
export function exitWithParent(): void {
  process.stdin.on('data', () => {});
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
}
