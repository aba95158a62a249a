/**
 * What the honest nodes' connections look like while an attack runs, from their RPC `peers` polled
 * every second: the lowest gossipsub score any honest node gave an honest peer (a Sybil flood from an
 * honest node's address must not graylist it), and per honest node the fewest honest outbound peers
 * (full-relay or block-relay-only) it held and the most attacker identities connected to it at once
 * (an eclipse must not leave its victim without an honest outbound peer).
 */
import type { PeerInfo } from '../node/api.js';
import type { HonestNode } from './honest-devnet.js';

/** Interval (ms) between two polls of every honest node's peers. */
const PEER_POLL_MS = 1_000;

/** The lowest gossipsub score an honest node gave an honest peer, and who. */
export interface LowestHonestScore {
  readonly score: number;
  readonly node: string;
  readonly peer: string;
}

export class PeerWatch {
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private lowest: LowestHonestScore | undefined;
  private readonly fewestHonestOutbound = new Map<string, number>();
  private readonly mostAttackers = new Map<string, number>();

  constructor(
    private readonly honest: readonly HonestNode[],
    private readonly attackers: () => ReadonlySet<string>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), PEER_POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Lowest gossipsub score of an honest peer at an honest node; undefined before any sample. */
  get lowestHonestScore(): LowestHonestScore | undefined {
    return this.lowest;
  }

  /** Fewest honest outbound peers `node` (by name) held in any sample; undefined if never sampled. */
  fewestHonestOutboundOf(node: string): number | undefined {
    return this.fewestHonestOutbound.get(node);
  }

  /** Most attacker identities connected to `node` (by name) in one sample. */
  mostAttackersAt(node: string): number {
    return this.mostAttackers.get(node) ?? 0;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    const honestIds = new Map(this.honest.map((n) => [n.peerId, n.def.name]));
    const attackers = this.attackers();
    await Promise.allSettled(
      this.honest.map(async (node) => {
        const peers: PeerInfo[] = await node.rpc.call('peers');
        let outbound = 0;
        let attackersHere = 0;
        for (const p of peers) {
          if (attackers.has(p.peerId)) attackersHere++;
          const name = honestIds.get(p.peerId);
          if (name === undefined) continue;
          if (p.connectionType === 'outbound-full' || p.connectionType === 'block-relay') outbound++;
          if (this.lowest === undefined || p.gossipsubScore < this.lowest.score)
            this.lowest = { score: p.gossipsubScore, node: node.def.name, peer: name };
        }
        const name = node.def.name;
        this.fewestHonestOutbound.set(
          name,
          Math.min(this.fewestHonestOutbound.get(name) ?? outbound, outbound),
        );
        this.mostAttackers.set(name, Math.max(this.mostAttackers.get(name) ?? 0, attackersHere));
      }),
    );
    this.polling = false;
  }
}
