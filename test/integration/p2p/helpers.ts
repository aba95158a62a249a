/**
 * Helpers for the p2p integration tests: real libp2p nodes over TCP on 127.0.0.1 in temp dirs, and
 * an in-memory InventorySource (the application's data, not a network mock).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createP2PNode, type P2PNode, type P2PNodeOptions } from '../../../src/p2p/node/index.js';
import { type InvItem, InvType, invKey } from '../../../src/p2p/wire/codec.js';
import type { InventorySource } from '../../../src/p2p/wire/inventory-source.js';
import type { ViolationKind } from '../../../src/p2p/wire/violations.js';

export const NETWORK = 'testnet';

/** Tracks every node and temp dir a test file creates, so afterEach/afterAll can clean up. */
export class TestNet {
  readonly nodes: P2PNode[] = [];
  readonly dirs: string[] = [];

  async tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'trustmesh-p2p-'));
    this.dirs.push(dir);
    return dir;
  }

  async node(options: Partial<P2PNodeOptions> = {}): Promise<P2PNode> {
    const node = await createP2PNode({
      network: NETWORK,
      dataDir: options.dataDir ?? (await this.tempDir()),
      host: '127.0.0.1',
      port: 0,
      devnetLoopback: true,
      redial: { initialDelayMs: 200, maxDelayMs: 2_000 },
      ...options,
    });
    this.nodes.push(node);
    return node;
  }

  async stopAll(): Promise<void> {
    const nodes = this.nodes.splice(0);
    await Promise.all(nodes.map((node) => node.stop()));
  }

  async cleanup(): Promise<void> {
    await this.stopAll();
    const dirs = this.dirs.splice(0);
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** The first multiaddr of `node`, with /p2p/<id>, as a string. */
export function addrOf(node: P2PNode): string {
  const addr = node.multiaddrs()[0];
  if (addr === undefined) throw new Error('node has no listen address');
  return addr.toString();
}

export async function waitFor(
  condition: () => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function isConnected(a: P2PNode, b: P2PNode): boolean {
  return a.libp2p.getConnections(b.peerId).some((c) => c.status === 'open');
}

/** A deterministic 32-byte hash for tests. */
export function hashOf(label: string): Uint8Array {
  const out = new Uint8Array(32);
  const bytes = new TextEncoder().encode(label);
  out.set(bytes.subarray(0, 32));
  out[31] = bytes.length;
  return out;
}

export function item(type: InvType, label: string): InvItem {
  return { type, hash: hashOf(label) };
}

/** In-memory mempool + chain. `delayMs` slows getObject; `hang` holds hashes whose lookup never ends. */
export class MemoryInventory implements InventorySource {
  readonly objects = new Map<string, Uint8Array>();
  readonly chain: Uint8Array[] = [];
  /** Header bytes by block id hex (served for the ids of `chain` that have one). */
  readonly headers = new Map<string, Uint8Array>();
  readonly mempool: Uint8Array[] = [];
  readonly hang = new Set<string>();
  delayMs = 0;
  lookups = 0;

  add(type: InvType, label: string, payload: Uint8Array): InvItem {
    const it = item(type, label);
    this.objects.set(invKey(type, it.hash), payload);
    if (type === InvType.TX) this.mempool.push(it.hash);
    return it;
  }

  /** Holds no real blocks: answers no `getBlockTxn`. */
  async blockTransactions(_blockId?: Uint8Array, _indexes?: readonly number[]): Promise<Uint8Array[]> {
    return [];
  }

  async getObject(type: InvType, hash: Uint8Array): Promise<Uint8Array | undefined> {
    this.lookups++;
    const key = invKey(type, hash);
    if (this.hang.has(key)) return new Promise(() => {});
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return this.objects.get(key);
  }

  status() {
    const genesis = this.chain[0] ?? new Uint8Array(32);
    return {
      genesis,
      tip: this.chain.at(-1) ?? genesis,
      height: Math.max(0, this.chain.length - 1),
      cumulativeWork: 0x0102_0304_0506_0708_090an,
    };
  }

  blocksAfter(locator: Uint8Array[], max: number): Uint8Array[] {
    const keys = this.chain.map((id) => Buffer.from(id).toString('hex'));
    let start = 1; // nothing known: after genesis
    for (const hash of locator) {
      const index = keys.indexOf(Buffer.from(hash).toString('hex'));
      if (index >= 0) {
        start = index + 1;
        break;
      }
    }
    return this.chain.slice(start, start + max);
  }

  async headersAfter(locator: Uint8Array[], max: number): Promise<Uint8Array[]> {
    return this.blocksAfter(locator, max).flatMap((id) => {
      const header = this.headers.get(Buffer.from(id).toString('hex'));
      return header === undefined ? [] : [header];
    });
  }

  mempoolTxids(max: number): Uint8Array[] {
    return this.mempool.slice(0, max);
  }
}

/** Records protocol violations reported by a server or client. */
export class ViolationLog {
  readonly entries: { peerId: string; kind: ViolationKind; detail: string }[] = [];
  readonly handler = (peerId: string, kind: ViolationKind, detail: string): void => {
    this.entries.push({ peerId, kind, detail });
  };
}
