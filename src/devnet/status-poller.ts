/**
 * Polls every node's RPC `status` and `reputation` (once per second by default) and keeps the
 * latest answer of each, for the status view. A node that does not answer keeps its last status
 * and gets the error; polls of one node never overlap, so a slow node cannot pile up requests.
 */
import { RpcClient } from '../cli/rpc-client.js';
import type { NodeStatus } from '../node/api.js';
import { cookiePathOf, type NodeDefinition, rpcUrlOf } from '../node/devnet-definitions.js';

/** Interval between polls of a node (unit: ms). */
export const POLL_INTERVAL_MS = 1_000;
/** A poll that has not answered after this long fails (unit: ms): a bit under the interval. */
const POLL_TIMEOUT_MS = 900;

export interface NodePoll {
  readonly status?: NodeStatus;
  /** Peers this node holds in quarantine / throttles, from `reputation`. */
  readonly quarantined?: number;
  readonly throttled?: number;
  /** The last poll failed with this message (the status above is then stale). */
  readonly error?: string;
  readonly updatedAt?: number;
}

export class StatusPoller {
  private readonly polls = new Map<string, NodePoll>();
  private readonly clients: ReadonlyMap<string, RpcClient>;
  private readonly busy = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly defs: readonly NodeDefinition[],
    private readonly intervalMs = POLL_INTERVAL_MS,
  ) {
    this.clients = new Map(
      defs.map((def) => [
        def.name,
        RpcClient.fromCookie(rpcUrlOf(def), cookiePathOf(def), {
          name: def.name,
          timeoutMs: POLL_TIMEOUT_MS,
        }),
      ]),
    );
  }

  start(onUpdate?: () => void): void {
    const tick = () => {
      for (const def of this.defs) void this.poll(def.name).then(() => onUpdate?.());
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  get(name: string): NodePoll {
    return this.polls.get(name) ?? {};
  }

  private async poll(name: string): Promise<void> {
    const client = this.clients.get(name);
    if (client === undefined || this.busy.has(name)) return;
    this.busy.add(name);
    try {
      const [status, reputation] = await Promise.all([client.call('status'), client.call('reputation')]);
      this.polls.set(name, {
        status,
        quarantined: reputation.filter((r) => r.state === 'quarantined').length,
        throttled: reputation.filter((r) => r.state === 'throttled').length,
        updatedAt: Date.now(),
      });
    } catch (err) {
      this.polls.set(name, { ...this.get(name), error: (err as Error).message });
    } finally {
      this.busy.delete(name);
    }
  }
}
