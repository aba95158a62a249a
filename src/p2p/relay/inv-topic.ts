/**
 * The inventory topic's receive side: every gossipsub message on the topic is decoded (bounded and
 * canonical) and handed to the relay with its propagation source, the neighbour that sent it. Bytes
 * that do not decode are the sender's fault: blamed, and rejected for gossipsub.
 */
import type { GossipSub, GossipsubMessage } from '@chainsafe/libp2p-gossipsub';
import { WireError } from '../wire/errors.js';
import { decodeInv } from '../wire/codec.js';
import type { InvRelay } from './inv-relay.js';
import type { RelayBlame } from './ports.js';

export interface InvTopicModules {
  readonly gossipsub: GossipSub;
  readonly topic: string;
  readonly relay: InvRelay;
  readonly blame: RelayBlame;
}

export class InvTopicListener {
  constructor(private readonly modules: InvTopicModules) {}

  async start(): Promise<void> {
    this.modules.gossipsub.addEventListener('gossipsub:message', this.onMessage);
  }

  async stop(): Promise<void> {
    this.modules.gossipsub.removeEventListener('gossipsub:message', this.onMessage);
  }

  private readonly onMessage = (event: CustomEvent<GossipsubMessage>): void => {
    const { propagationSource, msgId, msg } = event.detail;
    if (msg.topic !== this.modules.topic) return;
    const peer = propagationSource.toString();
    let items: ReturnType<typeof decodeInv>;
    try {
      items = decodeInv(msg.data);
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      this.modules.blame.punish(peer, err, 'inv');
      this.modules.blame.gossipVerdict(msgId, peer, 'reject');
      return;
    }
    this.modules.relay.handleInv(peer, items, msgId);
  };
}
