import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Lifecycle, MIN_STOP_SLICE_MS, type Startable } from '../../../src/node/lifecycle.js';

const silent = pino({ level: 'silent' });

function recorder(log: string[], name: string, stop: () => Promise<void> = async () => undefined): Startable {
  return {
    async start() {
      log.push(`start ${name}`);
    },
    async stop() {
      log.push(`stop ${name}`);
      await stop();
    },
  };
}

describe('Lifecycle', () => {
  it('starts services in order and stops them, opened resources included, in reverse', async () => {
    const log: string[] = [];
    const lifecycle = new Lifecycle(silent);
    lifecycle.opened('db', 'handle', async () => {
      log.push('close db');
    });
    await lifecycle.start('a', recorder(log, 'a'));
    await lifecycle.start('b', recorder(log, 'b'));
    const report = await lifecycle.stopAll(1_000);
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a', 'close db']);
    expect(report).toEqual({ failed: [], timedOut: [] });
  });

  it('abandons a stuck stop at the budget and still stops everything started before it', async () => {
    const log: string[] = [];
    const lifecycle = new Lifecycle(silent);
    await lifecycle.start('first', recorder(log, 'first'));
    await lifecycle.start(
      'stuck',
      recorder(log, 'stuck', () => new Promise<void>(() => undefined)),
    );
    const started = Date.now();
    const report = await lifecycle.stopAll(0);
    expect(Date.now() - started).toBeLessThan(10 * MIN_STOP_SLICE_MS);
    expect(report.timedOut).toEqual(['stuck']);
    expect(log).toEqual(['start first', 'start stuck', 'stop stuck', 'stop first']);
  });

  it('reports a failing stop and goes on', async () => {
    const log: string[] = [];
    const lifecycle = new Lifecycle(silent);
    await lifecycle.start('ok', recorder(log, 'ok'));
    await lifecycle.start(
      'broken',
      recorder(log, 'broken', async () => {
        throw new Error('disk gone');
      }),
    );
    const report = await lifecycle.stopAll(1_000);
    expect(report).toEqual({ failed: ['broken'], timedOut: [] });
    expect(log.at(-1)).toBe('stop ok');
  });

  it('does not register a service whose start failed (nothing to stop)', async () => {
    const log: string[] = [];
    const lifecycle = new Lifecycle(silent);
    await lifecycle.start('ok', recorder(log, 'ok'));
    await expect(
      lifecycle.start('bad', {
        start: async () => {
          throw new Error('port in use');
        },
        stop: async () => {
          log.push('stop bad');
        },
      }),
    ).rejects.toThrow('port in use');
    await lifecycle.stopAll(1_000);
    expect(log).toEqual(['start ok', 'stop ok']);
  });
});
