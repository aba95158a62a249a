/**
 * The launchers refuse clearly instead of half-starting: the devnet when a port it needs is taken
 * (naming the node and the port), the attacker when no devnet node is running.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDevnet, Processes, type TempDevnet } from './helpers.js';

const processes = new Processes();
let net: TempDevnet;

describe('launcher refusals', () => {
  beforeAll(async () => {
    net = await createTempDevnet();
  });

  afterAll(async () => {
    await processes.killAll();
    await net?.remove();
  }, 30_000);

  it('the devnet refuses to start when a node port is in use, naming the node and its address', async () => {
    // bob's P2P port is on bob's own loopback address (127.2.0.1), not 127.0.0.1.
    const { host, p2pPort: port } = net.node('bob');
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, host, resolve));
    try {
      const result = await processes.run(['scripts/devnet.ts', '--devnet', net.file, '--no-ui']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`port ${host}:${port} (bob p2p) already in use`);
      expect(result.stdout).toBe('');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 30_000);

  it('the attacker refuses when no devnet node is running, and lists kinds', async () => {
    const result = await processes.run(['scripts/attacker.ts', '--devnet', net.file, 'invalid-signature']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no devnet node is running .*start the devnet first: npm run devnet/);

    const list = await processes.run(['scripts/attacker.ts', '--list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /invalid-signature\s+announces and serves transactions whose Ed25519 signature/,
    );

    const unknown = await processes.run(['scripts/attacker.ts', '--devnet', net.file, 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown kind 'nope'");
  }, 30_000);
});
