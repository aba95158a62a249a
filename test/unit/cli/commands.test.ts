import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type CommandContext, closest, prepareCommand, runCommand } from '../../../src/cli/commands.js';
import { complete, splitWords } from '../../../src/cli/console.js';
import { PeerResolutionError, UsageError } from '../../../src/cli/errors.js';
import { createStyle, formatDuration, formatRelative, PLAIN, table } from '../../../src/cli/format.js';
import type { RpcCaller, RpcParams } from '../../../src/cli/rpc-client.js';
import { RPC_METHODS, resolveParams } from '../../../src/node/rpc/methods.js';
import {
  FakeNodeApi,
  PEER_BAD,
  PEER_OK1,
  PEER_OK2,
  PEER_SLOW,
  TIP_ID,
  WALLET,
} from '../rpc/fake-node-api.js';

/** An RpcCaller that checks params like the server does and round-trips results through JSON. */
function callerFor(api: FakeNodeApi): RpcCaller {
  return {
    async call(method, params: RpcParams = []) {
      const spec = RPC_METHODS[method];
      const result = await spec.invoke(api, resolveParams(method, spec, params));
      return JSON.parse(JSON.stringify(result));
    },
  };
}

function setup(color = false) {
  const api = new FakeNodeApi();
  const ctx: CommandContext = { client: callerFor(api), style: createStyle(color), now: () => api.now };
  const run = (line: string, json = false) => runCommand(ctx, splitWords(line), { json, repl: true });
  return { api, ctx, run };
}

describe('reputation', () => {
  it('is a table sorted by score ascending with states, offences and ban expiry', async () => {
    const { run } = setup();
    const lines = (await run('reputation')).split('\n');
    expect(lines[0]).toMatch(/^PEER\s+STATE\s+SCORE\s+OFFENCES\s+LAST OFFENCE\s+BAN EXPIRES\s+CONNECTED$/);
    expect(lines.slice(1).map((l) => l.slice(0, 12))).toEqual(
      [PEER_BAD, PEER_SLOW, PEER_OK2, PEER_OK1].map((id) => id.slice(0, 12)),
    );
    expect(lines[1]).toMatch(/quarantined\s+-100\s+2\s+INVALID_SIGNATURE \(2m ago\)\s+in 9m 12s\s+no/);
    expect(lines[2]).toMatch(/throttled\s+-25\s+5\s+REQUEST_TIMEOUT \(1m ago\)\s+-\s+yes/);
  });

  it('with --json is the raw result with full ids', async () => {
    const { run } = setup();
    const json = JSON.parse(await run('reputation', true));
    expect(json.map((e: { peerId: string }) => e.peerId)).toEqual([PEER_OK1, PEER_BAD, PEER_OK2, PEER_SLOW]);
  });

  it('colours states only when asked', async () => {
    const coloured = await setup(true).run('reputation');
    expect(coloured).toContain('\x1b[31mquarantined');
    expect(coloured).toContain('\x1b[33mthrottled');
    expect(coloured).toContain('\x1b[32mhealthy');
    expect(stripVTControlCharacters(coloured)).toBe(await setup(false).run('reputation'));
    expect(await setup(false).run('reputation')).not.toContain('\x1b[');
  });
});

describe('why', () => {
  it('explains a quarantine: history with evidence, ban reason and expiry', async () => {
    const { run, api } = setup();
    const text = await run('why 12D3KooWQ');
    expect(api.calls.at(-1)).toEqual({ method: 'why', args: [PEER_BAD] });
    expect(text).toContain(`Peer ${PEER_BAD}`);
    expect(text).toMatch(/ban reason\s+INVALID_SIGNATURE: tx 9f2c7d01/);
    expect(text).toMatch(/banned until .*\(in 9m 12s\)/);
    expect(text).toMatch(
      /INVALID_SIGNATURE\s+110\s+-100\s+tx 9f2c7d01 TX_BAD_SIGNATURE: input 0 signature does not verify/,
    );
    expect(text).toMatch(/REQUEST_TIMEOUT\s+2\s+-2\s+getdata for tx/);
    expect(text.indexOf('REQUEST_TIMEOUT  ')).toBeLessThan(text.indexOf('INVALID_SIGNATURE  '));
    expect(text).toContain('Gossipsub score: not connected');
  });

  it('shows gossipsub score components of a connected peer', async () => {
    const text = await setup().run('why 12D3KooWL');
    expect(text).toMatch(
      /Gossipsub score components\n\s+score\s+-3\.25\n\s+topics\n\s+trustmesh\/devnet\/tx\n\s+P1\s+0\.5/,
    );
  });

  it('refuses an ambiguous or unknown prefix', async () => {
    const { run } = setup();
    await expect(run('why 12D3KooWA')).rejects.toThrow(PeerResolutionError);
    await expect(run('why nobody')).rejects.toThrow(/no known peer id starts with 'nobody'/);
  });
});

describe('arguments', () => {
  it('ban: minutes become ms, the rest is the reason; null skips the duration', async () => {
    const { run, api } = setup();
    expect(await run('ban 12D3KooWAb 10 "spam blocks" again')).toMatch(
      /^quarantined 12D3KooWAb9c\S+ until .* \(in 10m\)$/,
    );
    expect(api.calls.at(-1)).toEqual({ method: 'ban', args: [PEER_OK1, 600_000, 'spam blocks again'] });
    await run('ban 12D3KooWAc');
    expect(api.calls.at(-1)).toEqual({ method: 'ban', args: [PEER_OK2, undefined, undefined] });
    await run('ban 12D3KooWAc 0.5');
    expect(api.calls.at(-1)?.args[1]).toBe(30_000);
  });

  it('send converts coins to base units', async () => {
    const { run, api } = setup();
    const to = '22'.repeat(20);
    expect(await run(`send ${to} 1.5`)).toContain(`sent 1.5 coins to ${to}`);
    expect(api.calls.at(-1)).toEqual({ method: 'send', args: [to, '150000000', undefined] });
  });

  it('block takes a height or an id; balance an optional address', async () => {
    const { run, api } = setup();
    await run('block 7');
    expect(api.calls.at(-1)?.args).toEqual([7]);
    await run(`block ${TIP_ID.toUpperCase()}`);
    expect(api.calls.at(-1)?.args).toEqual([TIP_ID]);
    expect(await run('balance')).toMatch(/balance\s+1,000,000 coins/);
    await run(`balance ${WALLET}`);
    expect(api.calls.at(-1)?.args).toEqual([WALLET]);
  });

  it.each([
    ['reputaton', "unknown command 'reputaton' (did you mean 'reputation'?)"],
    ['why', 'missing <peer>; usage: why <peer>'],
    ['status now', 'too many arguments; usage: status'],
    ['ban 12D3KooWQ soon', "invalid <minutes> 'soon'"],
    ['mine 0', "invalid <n> '0'"],
    ['mine 101', 'a whole number 1..100'],
    ['tx abc', "invalid <txid> 'abc'"],
    ['send 22 1', "invalid <address> '22'"],
    [`send ${'22'.repeat(20)} 1.000000001`, 'at most 8 decimal places'],
    [`send ${'22'.repeat(20)} -1`, "invalid amount '-1'"],
    ['watch watch', "invalid <command> 'watch'"],
  ])('%j → UsageError %j, node not asked', async (line, message) => {
    const { run, api } = setup();
    const err = await run(line).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(message);
    expect(api.calls).toEqual([]);
  });

  it('watch is REPL-only', () => {
    expect(() => prepareCommand(['watch'], { repl: false })).toThrow(/only in the REPL/);
    expect(prepareCommand(['watch', 'why', '12D3'], { repl: true }).args.command).toBe('why 12D3');
  });

  it('help lists every command, and one command in detail', async () => {
    const { run } = setup();
    const text = await run('help');
    for (const name of ['status', 'why <peer>', 'ban <peer> [minutes] [reason...]', 'watch [command...]']) {
      expect(text).toContain(name);
    }
    expect(await run('help why')).toContain('RPC method: why');
  });
});

describe('REPL line handling', () => {
  it('splits words with quotes', () => {
    expect(splitWords(' ban  12D3 5 "two words" \'and more\' ')).toEqual([
      'ban',
      '12D3',
      '5',
      'two words',
      'and more',
    ]);
    expect(splitWords('ban x ""')).toEqual(['ban', 'x', '']);
    expect(() => splitWords('ban "open')).toThrow(UsageError);
  });

  it('completes command names, peer ids and watched commands', async () => {
    const ids = [PEER_BAD, PEER_OK1, PEER_OK2];
    const peers = { get: async () => ids };
    expect(await complete('re', peers)).toEqual([['reputation'], 're']);
    expect(await complete('why 12D3KooWA', peers)).toEqual([[PEER_OK1, PEER_OK2], '12D3KooWA']);
    expect(await complete('watch why 12D3KooWQ', peers)).toEqual([[PEER_BAD], '12D3KooWQ']);
    expect(await complete('help qu', peers)).toEqual([['quarantined'], 'qu']);
    expect(await complete('.ex', peers)).toEqual([['.exit'], '.ex']);
    expect(await complete('mine 3', peers)).toEqual([[], '3']);
  });
});

describe('format', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [1_000, '1s'],
    [552_000, '9m 12s'],
    [3_600_000, '1h'],
    [3_720_000, '1h 2m'],
    [90_061_000, '1d 1h'],
  ])('formatDuration(%i) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('relative times and table alignment', () => {
    expect(formatRelative(10_000, 0)).toBe('in 10s');
    expect(formatRelative(0, 65_000)).toBe('1m 5s ago');
    expect(
      table(
        ['A', 'NUM'],
        [
          ['xx', '1'],
          ['y', '100'],
        ],
        PLAIN,
        ['left', 'right'],
      ),
    ).toBe('A   NUM\nxx    1\ny   100');
  });

  it('suggests the closest command', () => {
    expect(closest('quar', ['quarantined', 'peers'])).toBe('quarantined');
    expect(closest('peer', ['peers', 'reputation'])).toBe('peers');
    expect(closest('xyzzy', ['peers'])).toBeUndefined();
  });
});
