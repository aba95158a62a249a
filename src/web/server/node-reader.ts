/**
 * Reads one node over its JSON-RPC (cookie-authenticated, see src/cli/rpc-client.ts): what a poll
 * needs (status, tip, peers, reputation, mempool ids) in one `read()`, and the on-demand calls of
 * the page (`why`, `scoreHistory`, `tx`, `block`). Every call has a short timeout, so a node that
 * hangs or died costs one failed poll, never a stuck server.
 */
import { RpcClient, RpcError } from '../../cli/rpc-client.js';
import type {
  BlockSummary,
  MempoolInfo,
  NodeStatus,
  PeerInfo,
  PeerReport,
  ReputationEntry,
  TxJson,
} from '../../node/api.js';
import type { RpcMethodName } from '../../node/rpc/methods.js';
import { POLL_CALL_TIMEOUT_MS } from './constants.js';

/** JSON-RPC "method not found": an older node without `scoreHistory`. */
const METHOD_NOT_FOUND = -32601;

/** A node the server shows: its name and how to reach its RPC. */
export interface NodeTarget {
  readonly name: string;
  readonly rpcUrl: string;
  readonly cookiePath: string;
}

/** The calling side of an RPC client (the real `RpcClient`, or a fake in unit tests). */
export interface NodeRpc {
  call(method: string, params?: readonly unknown[]): Promise<unknown>;
}

/** One poll's answers. */
export interface NodeReading {
  readonly status: NodeStatus;
  readonly tip: BlockSummary;
  readonly peers: readonly PeerInfo[];
  readonly reputation: readonly ReputationEntry[];
  readonly mempool: readonly string[];
}

/** The node did not answer in time: busy or hung, not (yet) known to be dead. */
export class NodeSlowError extends Error {
  override name = 'NodeSlowError';
}

export interface ScorePoint {
  readonly at: number;
  readonly score: number;
}

export class NodeReader {
  constructor(
    readonly name: string,
    private readonly rpc: NodeRpc,
    /** The per-call timeout of `rpc` (unit: ms): a read failing after this long was a timeout. */
    private readonly timeoutMs = POLL_CALL_TIMEOUT_MS,
  ) {}

  /** A reader over the node's real RPC client. */
  static forTarget(target: NodeTarget, timeoutMs = POLL_CALL_TIMEOUT_MS): NodeReader {
    const client = RpcClient.fromCookie(target.rpcUrl, target.cookiePath, { name: target.name, timeoutMs });
    // Method names are checked by the node; `scoreHistory` is newer than this client's type.
    return new NodeReader(
      target.name,
      { call: (method, params) => client.call(method as RpcMethodName, params) },
      timeoutMs,
    );
  }

  /** One poll's calls, in parallel; `NodeSlowError` when they failed only by running out of time. */
  async read(): Promise<NodeReading> {
    const started = performance.now();
    try {
      const [status, tip, peers, reputation, mempool] = await Promise.all([
        this.rpc.call('status') as Promise<NodeStatus>,
        this.rpc.call('tip') as Promise<BlockSummary>,
        this.rpc.call('peers') as Promise<PeerInfo[]>,
        this.rpc.call('reputation') as Promise<ReputationEntry[]>,
        this.rpc.call('mempool') as Promise<MempoolInfo>,
      ]);
      return { status, tip, peers, reputation, mempool: mempool.txids };
    } catch (err) {
      if (performance.now() - started >= this.timeoutMs) throw new NodeSlowError((err as Error).message);
      throw err;
    }
  }

  why(peerId: string): Promise<PeerReport> {
    return this.rpc.call('why', [peerId]) as Promise<PeerReport>;
  }

  tx(txid: string): Promise<TxJson> {
    return this.rpc.call('tx', [txid]) as Promise<TxJson>;
  }

  /** The id of the active chain's block at `height`. */
  async blockIdAt(height: number): Promise<string> {
    return ((await this.rpc.call('block', [height])) as BlockSummary).id;
  }

  /** The node's own score history of a peer, or null when the node has no `scoreHistory`. */
  async scoreHistory(peerId: string): Promise<ScorePoint[] | null> {
    try {
      const answer = (await this.rpc.call('scoreHistory', [peerId])) as { points: ScorePoint[] };
      return answer.points;
    } catch (err) {
      if (err instanceof RpcError && err.code === METHOD_NOT_FOUND) return null;
      throw err;
    }
  }
}
