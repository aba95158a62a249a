/**
 * The `devnet` network is a local one: a node started by hand with `--network devnet` (or no
 * network at all: devnet is the default) gets the same loopback allowances and short bans as the
 * launcher's nodes, unless its config sets them; other networks keep the public defaults.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, DEVNET_BAN_BASE_MS, validateConfig } from '../../../src/node/config.js';
import { BASE_BAN_MS } from '../../../src/p2p/reputation/constants.js';

describe('network defaults', () => {
  it('a devnet node, started by hand, allows loopback and bans for a minute', () => {
    for (const input of [{ network: 'devnet' }, {}]) {
      const config = validateConfig({ ...input, dataDir: '/tmp/x' });
      expect(config.devnetLoopback).toBe(true);
      expect(config.banBaseMs).toBe(DEVNET_BAN_BASE_MS);
    }
  });

  it('what the config says wins over the network defaults', () => {
    const config = validateConfig({
      network: 'devnet',
      dataDir: '/tmp/x',
      devnetLoopback: false,
      banBaseMs: 5_000,
    });
    expect(config.devnetLoopback).toBe(false);
    expect(config.banBaseMs).toBe(5_000);
  });

  it('other networks keep the public defaults', () => {
    const config = validateConfig({ network: 'regtest', dataDir: '/tmp/x' });
    expect(config.devnetLoopback).toBe(DEFAULT_CONFIG.devnetLoopback);
    expect(config.banBaseMs).toBe(BASE_BAN_MS);
  });
});
