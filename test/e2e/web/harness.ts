/**
 * Harness of the trust-map browser tests: a real 5-node devnet (the launcher's `Supervisor`, every
 * node its own process, on the temp definitions of ../helpers.ts), the trust-map server in this
 * process as the devnet launcher starts it (`startDevnetTrustMap`: attackers run as
 * `npm run attacker` runs them), and Debian's Chromium driven by playwright-core with a fresh
 * profile. Nodes can be stopped and restarted.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { NodeProcess } from '../../../src/devnet/node-process.js';
import { Supervisor } from '../../../src/devnet/supervisor.js';
import { type DevnetTrustMap, startDevnetTrustMap } from '../../../src/web/server/devnet-map.js';
import { createTempDevnet, type TempDevnet } from '../helpers.js';

/** Debian's Chromium (apt package `chromium`). */
export const CHROMIUM = '/usr/bin/chromium';

/** The flags every browser test launches Chromium with (the profile comes from a fresh temp dir). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface WebDevnet {
  readonly net: TempDevnet;
  readonly map: DevnetTrustMap;
  readonly browser: BrowserContext;
  stopNode(name: string): Promise<void>;
  restartNode(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startWebDevnet(): Promise<WebDevnet> {
  const net = await createTempDevnet();
  const supervisor = new Supervisor(net.devnet, net.file);
  const restarted = new Map<string, NodeProcess>();
  let map: DevnetTrustMap | undefined;
  let browser: BrowserContext | undefined;
  const profile = await mkdtemp(join(tmpdir(), 'trustmesh-chromium-'));
  const processOf = (name: string): NodeProcess => {
    const process = restarted.get(name) ?? supervisor.nodes.find((n) => n.def.name === name)?.process;
    if (process === undefined) throw new Error(`no node ${name}`);
    return process;
  };
  const close = async () => {
    await browser?.close();
    await map?.close();
    await Promise.all([supervisor.stop(), ...[...restarted.values()].map((p) => p.stop())]);
    await rm(profile, { recursive: true, force: true });
    await net.remove();
  };
  try {
    await supervisor.start();
    map = await startDevnetTrustMap({ devnet: net.devnet, devnetFile: net.file });
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1600, height: 1000 },
    });
  } catch (err) {
    await close();
    throw err;
  }
  return {
    net,
    map,
    browser,
    stopNode: (name) => processOf(name).stop(),
    restartNode: async (name) => {
      const process = new NodeProcess({ label: name, args: [name, '--devnet', net.file, '--log-stdout'] });
      restarted.set(name, process);
      await process.start();
    },
    close,
  };
}
