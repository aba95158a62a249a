/**
 * Scenario: transaction push (txpush). Every node subscribes to each neighbour's pushes (its own
 * transactions), and to every fresh transaction of up to two eager neighbours.
 *
 * 1. Along a line of 4 nodes (every neighbour eager), a payment sent at one end reaches the other
 *    end by pushes alone: each node counts it as delivered by push, none fetched it with getdata,
 *    and the announcements (inv) still follow.
 * 2. A raw peer that answers a subscription with a malformed push frame is quarantined by the node
 *    (MALFORMED_MESSAGE, flagrant), which keeps running and relaying.
 * Pushing invalid transactions and push floods are in the attack-kind tests (push-invalid,
 * push-flood).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrustmeshNode } from '../../../src/node/trustmesh-node.js';
import { createP2PNode, type P2PNode } from '../../../src/p2p/node/index.js';
import { decodeInv, PushMode } from '../../../src/p2p/wire/codec.js';
import { txPushProtocol } from '../../../src/p2p/wire/constants.js';
import { frameStream } from '../../../src/p2p/wire/framing.js';
import { line, offencesAgainst, sendPayment, TestNetwork, waitFor } from '../../helpers/index.js';

/** Transactions `node` accepted from peers over `path` (its deliveries metric). */
async function deliveries(node: TrustmeshNode, path: 'push' | 'getdata'): Promise<number> {
  const metric = await node.metrics.deliveries.get();
  return metric.values.find((v) => v.labels.type === 'tx' && v.labels.path === path)?.value ?? 0;
}

/** Every tx hash (hex) announced to `node`, from any neighbour. */
function recordAnnounced(node: TrustmeshNode): Set<string> {
  const seen = new Set<string>();
  node.p2p.gossipsub.addEventListener('gossipsub:message', (event) => {
    for (const item of decodeInv(event.detail.msg.data)) seen.add(Buffer.from(item.hash).toString('hex'));
  });
  return seen;
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('transaction push', { timeout: 60_000 }, () => {
  it('carries a payment along a line of 4 nodes without a single getdata', async () => {
    const net = await TestNetwork.start({ count: 4, edges: line(4) });
    cleanups.push(() => net.cleanup());
    const nodes = net.nodes;
    for (const node of nodes) {
      // Degree <= 2 here, so every neighbour is eager (ALL) and subscribed to us as such.
      expect(node.eagerPeers().length).toBe(node.pushSubscribers().length);
      expect(node.pushSubscribers().every((s) => s.mode === PushMode.ALL)).toBe(true);
    }
    const announcedAtEnd = recordAnnounced(nodes[3]!);
    const txid = sendPayment(nodes[0]!, nodes[3]!, 100_000_000n);
    await waitFor(() => nodes.every((n) => n.chain.mempool.has(txid)), 10_000, 'the payment everywhere');
    for (const node of nodes.slice(1)) {
      expect(await deliveries(node, 'push'), node.config.name).toBe(1);
      expect(await deliveries(node, 'getdata'), node.config.name).toBe(0);
    }
    // Pushed or not, every node still announces what it accepted.
    await waitFor(() => announcedAtEnd.has(txid), 5_000, "node 2's announcement at node 3");
    for (const node of nodes) expect(node.reputation.list().every((r) => r.totalOffences === 0)).toBe(true);
  });

  it('quarantines a peer that pushes a malformed frame, and keeps relaying', async () => {
    const net = await TestNetwork.start({ count: 2, edges: line(2) });
    cleanups.push(() => net.cleanup());
    const [h1, h2] = [net.node(0), net.node(1)];
    const dataDir = await mkdtemp(join(tmpdir(), 'trustmesh-raw-push-'));
    const raw: P2PNode = await createP2PNode({
      network: 'regtest',
      dataDir,
      host: '127.0.0.1',
      port: 0,
      devnetLoopback: true,
    });
    cleanups.push(async () => {
      await raw.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
    // On H2's subscription, the raw peer pushes a TxPush holding one empty transaction.
    await raw.libp2p.handle(txPushProtocol('regtest'), ({ stream }) => {
      void frameStream(stream, 1024)
        .write(Uint8Array.of(0x0a, 0x00))
        .catch(() => undefined);
    });
    await h2.p2p.libp2p.dial(raw.multiaddrs()[0]!);
    const rawId = raw.peerId.toString();
    await waitFor(() => h2.reputation.isQuarantined(rawId), 10_000, 'H2 quarantining the raw peer');
    expect(offencesAgainst(h2, rawId, 'MALFORMED_MESSAGE')).toBe(1);
    await waitFor(
      () => raw.libp2p.getConnections(h2.p2p.peerId).length === 0,
      5_000,
      'H2 hanging up on the raw peer',
    );
    const txid = sendPayment(h1, h2, 100_000_000n);
    await waitFor(() => h2.chain.mempool.has(txid), 5_000, 'a payment from H1 at H2');
  });
});
