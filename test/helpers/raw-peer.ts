/**
 * A bare libp2p peer that speaks the trustmesh wire protocol by hand, for adversarial tests: it
 * joins the inventory topic, publishes whatever Inv the test asks for, and accepts getdata streams
 * that it never answers (a withholding announcer). No chain, no relay, no reputation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stream } from '@libp2p/interface';
import type { TrustmeshNode } from '../../src/node/trustmesh-node.js';
import { createP2PNode, type P2PNode } from '../../src/p2p/node/index.js';
import { encodeInv, type InvItem } from '../../src/p2p/wire/codec.js';
import { getDataProtocol } from '../../src/p2p/wire/constants.js';
import { waitFor } from './wait.js';

export class WithholdingPeer {
  /** getdata streams opened to us; read, never answered. */
  readonly getDataStreams: Stream[] = [];
  /** Chunks of getdata request bytes received (non-zero once somebody asked us for something). */
  requestChunks = 0;

  private constructor(
    readonly p2p: P2PNode,
    private readonly dataDir: string,
  ) {}

  /** Starts the peer on 127.0.0.1 (network `regtest` by default) with a silent getdata handler. */
  static async start(network = 'regtest'): Promise<WithholdingPeer> {
    const dataDir = await mkdtemp(join(tmpdir(), 'trustmesh-raw-'));
    const p2p = await createP2PNode({
      network,
      dataDir,
      host: '127.0.0.1',
      port: 0,
      devnetLoopback: true,
    });
    const peer = new WithholdingPeer(p2p, dataDir);
    await p2p.libp2p.handle(getDataProtocol(network), ({ stream }) => {
      peer.getDataStreams.push(stream);
      // Read every request so the stream stays healthy, and never write a byte back.
      void (async () => {
        try {
          for await (const _chunk of stream.source) peer.requestChunks++;
        } catch {
          // reset by the requester: expected
        }
      })();
    });
    return peer;
  }

  get peerId(): string {
    return this.p2p.peerId.toString();
  }

  /** Connects to `node` (we dial, so for the node we are an inbound peer). */
  async dial(node: TrustmeshNode): Promise<void> {
    await this.p2p.libp2p.dial(node.p2p.multiaddrs()[0]!);
  }

  /** `node` dials us (we are one of its outbound peers, whose announcements it prefers). */
  async dialedBy(node: TrustmeshNode): Promise<void> {
    await node.p2p.libp2p.dial(this.p2p.multiaddrs()[0]!);
  }

  /** Waits until `node` and this peer have each other in their gossipsub mesh of the inv topic. */
  async waitForMesh(node: TrustmeshNode, timeoutMs = 10_000): Promise<void> {
    await waitFor(
      () =>
        this.p2p.gossipsub.getMeshPeers(this.p2p.invTopic).includes(node.peerIdString) &&
        node.p2p.gossipsub.getMeshPeers(node.p2p.invTopic).includes(this.peerId),
      timeoutMs,
      `gossipsub mesh between the raw peer and ${node.config.name}`,
    );
  }

  /** Publishes one Inv listing `items` to our mesh. */
  async announce(items: readonly InvItem[]): Promise<void> {
    await this.p2p.gossipsub.publish(this.p2p.invTopic, encodeInv([...items]));
  }

  async stop(): Promise<void> {
    for (const stream of this.getDataStreams) stream.abort(new Error('raw peer stopping'));
    await this.p2p.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
