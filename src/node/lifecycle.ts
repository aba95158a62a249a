/**
 * The lifecycle of a node's services: one ordered list. Services are started in the order they are
 * added (a resource that its factory opened, such as a database or a started libp2p node, counts as
 * started when it is added) and stopped in reverse order, each stop bounded by what is left of the
 * graceful-stop budget, so a stuck service cannot hold the process (the launcher would otherwise
 * have to SIGKILL it and lose the clean shutdown of everything after it).
 */
import type { Logger } from './logger.js';

/** A service with a lifecycle, as in js-libp2p: started once, stopped once, both async. */
export interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Least time (ms) each remaining service gets to stop once the budget is spent: closing a database
 * after a stuck network service still deserves its chance to flush.
 */
export const MIN_STOP_SLICE_MS = 250;

interface Entry {
  readonly name: string;
  stop(): Promise<void>;
}

/** What `stopAll` did: the services whose stop failed or did not finish in time. */
export interface StopReport {
  readonly failed: string[];
  readonly timedOut: string[];
}

export class Lifecycle {
  private readonly entries: Entry[] = [];

  constructor(private readonly logger: Logger) {}

  /** Starts `service` now; `stopAll` stops it before everything started earlier. */
  async start<T extends Startable>(name: string, service: T): Promise<T> {
    await service.start();
    this.entries.push({ name, stop: () => service.stop() });
    return service;
  }

  /** Registers a resource its factory already opened; `close` runs at `stopAll`, in reverse order. */
  opened<T>(name: string, resource: T, close: (resource: T) => Promise<void>): T {
    this.entries.push({ name, stop: () => close(resource) });
    return resource;
  }

  /** Stops everything in reverse order within `timeoutMs` overall; never throws. */
  async stopAll(timeoutMs: number): Promise<StopReport> {
    const deadline = Date.now() + timeoutMs;
    const report: StopReport = { failed: [], timedOut: [] };
    while (this.entries.length > 0) {
      const entry = this.entries.pop()!;
      const sliceMs = Math.max(MIN_STOP_SLICE_MS, deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), sliceMs);
      });
      try {
        const outcome = await Promise.race([entry.stop().then(() => 'stopped' as const), timeout]);
        if (outcome === 'timeout') {
          report.timedOut.push(entry.name);
          this.logger.warn({ service: entry.name, waitedMs: sliceMs }, 'service did not stop in time');
        }
      } catch (err) {
        report.failed.push(entry.name);
        this.logger.warn({ service: entry.name, err: (err as Error).message }, 'service failed to stop');
      } finally {
        clearTimeout(timer);
      }
    }
    return report;
  }
}
