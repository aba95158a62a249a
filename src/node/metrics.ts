/**
 * Prometheus metrics (prom-client), one registry per node, served on the metrics port at /metrics.
 * Names follow Prometheus conventions: `trustmesh_` prefix, `_total` for counters, units in names.
 */
import { createServer, type Server } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export class NodeMetrics {
  readonly registry = new Registry();

  readonly peersByState = new Gauge({
    name: 'trustmesh_peers',
    help: 'Known peers by reputation state (healthy, throttled, quarantined)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly offences = new Counter({
    name: 'trustmesh_offences_total',
    help: 'Offences recorded against peers, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly quarantines = new Counter({
    name: 'trustmesh_quarantines_total',
    help: 'Peers quarantined (automatic and manual bans)',
    registers: [this.registry],
  });
  readonly messages = new Counter({
    name: 'trustmesh_messages_total',
    help: 'Objects and messages received, by type and verdict (accept, ignore, reject)',
    labelNames: ['type', 'verdict'] as const,
    registers: [this.registry],
  });
  readonly deliveries = new Counter({
    name: 'trustmesh_relay_deliveries_total',
    help: 'New valid objects accepted from peers, by type and path (push: sent unasked; getdata: fetched)',
    labelNames: ['type', 'path'] as const,
    registers: [this.registry],
  });
  readonly pushesSent = new Counter({
    name: 'trustmesh_tx_pushes_sent_total',
    help: 'Transactions pushed to subscribed peers',
    registers: [this.registry],
  });
  readonly compactBlocks = new Counter({
    name: 'trustmesh_compact_blocks_total',
    help:
      'Compact blocks by event: pushed (sent to a high-bandwidth subscriber), rebuilt (from our mempool), ' +
      'lied (BlockTxn not matching), or a fallback to the whole block (ambiguous, collision, too-many-missing, not-served, failed)',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });
  readonly compactMissingTxs = new Counter({
    name: 'trustmesh_compact_missing_txs_total',
    help: 'Transactions of rebuilt compact blocks we lacked and fetched with getBlockTxn',
    registers: [this.registry],
  });
  readonly relayLatency = new Histogram({
    name: 'trustmesh_relay_latency_seconds',
    help: 'Time from a transaction timestamp to its acceptance into this node mempool',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly mempoolSize = new Gauge({
    name: 'trustmesh_mempool_transactions',
    help: 'Transactions in the mempool',
    registers: [this.registry],
  });
  readonly chainHeight = new Gauge({
    name: 'trustmesh_chain_height_blocks',
    help: 'Height of the active chain tip',
    registers: [this.registry],
  });
  readonly reorgs = new Counter({
    name: 'trustmesh_reorgs_total',
    help: 'Chain reorganisations',
    registers: [this.registry],
  });

  constructor(collectDefaults = true) {
    if (collectDefaults) collectDefaultMetrics({ register: this.registry, prefix: 'trustmesh_process_' });
  }

  /** Serves /metrics on host:port; resolves with the server once listening. */
  async serve(port: number, host = '127.0.0.1'): Promise<Server> {
    const server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server;
  }
}
