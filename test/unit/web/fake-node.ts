/**
 * A fake node for the trust-map server's unit tests: answers the RPC methods a poll uses from a
 * mutable description (peers, reputation, tip, mempool), or fails like a dead node.
 */
import type { BlockSummary, NodeStatus, PeerInfo, ReputationEntry } from '../../../src/node/api.js';
import { NodeReader, type NodeRpc } from '../../../src/web/server/node-reader.js';

export interface FakePeer {
  peerId: string;
  score: number;
  state?: ReputationEntry['state'];
  connected?: boolean;
  direction?: 'inbound' | 'outbound';
  offences?: number;
}

export class FakeNode implements NodeRpc {
  down = false;
  height = 1;
  tipId = 'aa'.repeat(32);
  tipParent = '00'.repeat(32);
  mempool: string[] = [];
  peers: FakePeer[] = [];
  /** The node's own partition verdict (`status.partitionSuspected`), absent on older nodes. */
  partition: { suspected: boolean; reason: string | null } | undefined;
  /** Whether the node has `scoreHistory` (a node from before it answers "method not found"). */
  hasScoreHistory = false;

  constructor(
    readonly name: string,
    readonly peerId: string,
  ) {}

  /** Set before the reader is made: every failed call then counts as a timeout (a busy node). */
  timesOut = false;

  reader(): NodeReader {
    return new NodeReader(this.name, this, this.timesOut ? 0 : 60_000);
  }

  async call(method: string, params: readonly unknown[] = []): Promise<unknown> {
    if (this.down) throw new Error(`node ${this.name} is not running (connection refused)`);
    switch (method) {
      case 'status':
        return {
          name: this.name,
          network: 'devnet',
          peerId: this.peerId,
          listen: [],
          height: this.height,
          tip: this.tipId,
          tipTimestamp: 0,
          peers: this.peers.filter((p) => p.connected !== false).length,
          mempool: this.mempool.length,
          mempoolBytes: 0,
          quarantined: this.peers.filter((p) => p.state === 'quarantined').length,
          mining: false,
          txPerSec: 0,
          uptimeMs: 0,
          ...(this.partition === undefined
            ? {}
            : { partitionSuspected: this.partition.suspected, partitionReason: this.partition.reason }),
        } satisfies NodeStatus;
      case 'tip':
        return {
          id: this.tipId,
          height: this.height,
          parent: this.tipParent,
          timestamp: 1_000,
          miner: '',
          txCount: 1,
          bytes: 100,
        } satisfies BlockSummary;
      case 'peers':
        return this.peers
          .filter((p) => p.connected !== false)
          .map((p): PeerInfo => ({
            peerId: p.peerId,
            state: p.state ?? 'healthy',
            score: p.score,
            gossipsubScore: p.score,
            direction: p.direction ?? 'outbound',
            addresses: [],
            allowListed: false,
            pushesUs: 'none',
            wePush: 'none',
          }));
      case 'reputation':
        return this.peers.map((p): ReputationEntry => ({
          peerId: p.peerId,
          state: p.state ?? 'healthy',
          score: p.score,
          connected: p.connected !== false,
          offences: p.offences ?? 0,
          lastOffence:
            (p.offences ?? 0) === 0
              ? null
              : {
                  time: 5,
                  kind: 'INVALID_SIGNATURE',
                  evidence: 'tx:ab: TX_BAD_SIGNATURE',
                  penalty: 110,
                  scoreAfter: -100,
                },
          bannedUntil: p.state === 'quarantined' ? 60_000 : null,
        }));
      case 'mempool':
        return { size: this.mempool.length, bytes: 0, txids: this.mempool };
      case 'tx':
        if (!this.mempool.includes(params[0] as string)) throw new Error('unknown transaction');
        return { txid: params[0], timestamp: 500 };
      case 'block':
        return { id: this.tipId, height: params[0] };
      case 'why':
        return { peerId: params[0], history: [] };
      case 'scoreHistory':
        if (!this.hasScoreHistory) {
          const { RpcError } = await import('../../../src/cli/rpc-client.js');
          throw new RpcError(-32601, 'method not found: scoreHistory');
        }
        return { peerId: params[0], points: [{ at: 1, score: -3 }] };
      default:
        throw new Error(`fake node: no method ${method}`);
    }
  }
}
