import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../../src/cli/format.js';
import { watch } from '../../../src/cli/watch.js';

describe('watch', () => {
  it('redraws until Enter, then restores the screen and the REPL key listeners', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let written = '';
    output.on('data', (d: Buffer) => {
      written += d.toString();
    });
    const replListener = () => {};
    input.on('keypress', replListener);
    let frames = 0;
    const done = watch({
      input,
      output,
      intervalMs: 10,
      title: 'trustmesh:alice> status',
      style: PLAIN,
      render: async () => `frame ${++frames}`,
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(input.listeners('keypress')).not.toContain(replListener);
    input.emit('keypress', '\r', { name: 'return' });
    await done;
    expect(frames).toBeGreaterThanOrEqual(2);
    expect(written.startsWith('\x1b[?1049h')).toBe(true);
    expect(written).toContain('Every 0.01s: trustmesh:alice> status');
    expect(written).toContain('frame 2');
    expect(written.endsWith('\x1b[?1049l')).toBe(true);
    expect(input.listeners('keypress')).toEqual([replListener]);
  });

  it('stops on Ctrl-C too', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const done = watch({
      input,
      output,
      intervalMs: 1_000,
      title: 't',
      style: PLAIN,
      render: async () => 'x',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    input.emit('keypress', '\x03', { name: 'c', ctrl: true });
    await done;
  });
});
