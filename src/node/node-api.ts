/**
 * The operator API of a running node (see api.ts): what the RPC server serves and the CLI and
 * REPL show. Reads state from a narrow view of the node's services and converts it to JSON-friendly
 * values; the only actions are ban/unban, send and mine. Arguments arrive checked and normalised by
 * the RPC parameter layer (src/node/rpc/params.ts), the one place they are validated.
 */

import { decodeBlock, decodeTransaction } from '../chain/encoding/codec.js';
import { isCoinbase, txidOf } from '../chain/objects/transaction.js';
import { fromHex, toHex } from '../crypto/hash.js';
import type { PeerReport as TrustReport } from '../p2p/reputation/index.js';
import { PushMode } from '../p2p/wire/codec.js';
import type {
  AddrBookEntry,
  BalanceInfo,
  BlockJson,
  BlockSummary,
  MempoolInfo,
  NodeApi,
  NodeStatus,
  OffenceRecord,
  PeerInfo,
  PeerReport,
  PushScope,
  ReputationEntry,
  TxJson,
} from './api.js';
import type { NodeServices } from './services.js';
import { submitLocalTransaction } from './submit.js';

/** What the API reads: a narrow view of the node's services. */
export type NodeApiServices = Pick<
  NodeServices,
  | 'config'
  | 'params'
  | 'now'
  | 'startedAt'
  | 'chain'
  | 'wallet'
  | 'miner'
  | 'reputation'
  | 'p2p'
  | 'peers'
  | 'pushServer'
  | 'pushClient'
  | 'acceptRate'
  | 'relay'
  | 'membership'
>;

function offenceRecord(entry: TrustReport['offences'][number]): OffenceRecord {
  return {
    time: entry.at,
    kind: entry.kind,
    evidence: entry.evidence,
    penalty: entry.penalty,
    scoreAfter: entry.scoreAfter,
  };
}

export class TrustmeshNodeApi implements NodeApi {
  constructor(private readonly node: NodeApiServices) {}

  async status(): Promise<NodeStatus> {
    const { node } = this;
    const tip = node.chain.tip();
    const membership = node.membership.status();
    return {
      name: node.config.name,
      network: node.params.network,
      peerId: node.p2p.peerId.toString(),
      listen: node.p2p.multiaddrs().map(String),
      height: tip.height,
      tip: tip.idHex,
      tipTimestamp: tip.timestamp,
      peers: node.peers.size,
      mempool: node.chain.mempool.size,
      mempoolBytes: node.chain.mempool.bytes,
      quarantined: node.reputation.list().filter((r) => r.state === 'quarantined').length,
      mining: node.miner.running,
      txPerSec: Math.round(node.acceptRate.perSecond() * 100) / 100,
      uptimeMs: node.now() - node.startedAt,
      outbound: membership.outboundFullRelay + membership.blockRelayOnly + membership.manual,
      inbound: membership.inbound,
      partitionSuspected: membership.partitionSuspected,
      partitionReason: membership.partitionReason ?? null,
    };
  }

  async addrbook(): Promise<AddrBookEntry[]> {
    return this.node.membership.addressBook().map((e) => ({
      peerId: e.peerId,
      addrs: e.addrs,
      netgroup: e.netgroup,
      table: e.table,
      source: e.source,
      lastSeen: e.lastSeen,
      attempts: e.attempts,
    }));
  }

  async peers(): Promise<PeerInfo[]> {
    const { node } = this;
    const subscribers = new Map([...node.pushServer.subscribers()].map((s) => [s.peer, s.mode]));
    const views = new Map(node.membership.peers().map((p) => [p.peerId, p]));
    return node.p2p.libp2p.getConnections().map((connection) => {
      const peerId = connection.remotePeer.toString();
      const report = node.reputation.report(peerId);
      const view = views.get(peerId);
      return {
        peerId,
        state: report.state,
        score: report.score,
        gossipsubScore: node.p2p.gossipsub.getScore(peerId),
        direction: connection.direction,
        addresses: [connection.remoteAddr.toString()],
        allowListed: report.allowListed,
        pushesUs: pushScope(node.pushClient.modeOf(peerId)),
        wePush: pushScope(subscribers.get(peerId)),
        connectionType: view?.connectionType,
        netgroup: view?.netgroup,
        rttMs: view?.rttMs ?? null,
        liveness: view?.liveness,
        connectedAt: view?.connectedAt,
      };
    });
  }

  private entry(report: TrustReport): ReputationEntry {
    const connected = this.node.peers.has(report.peerId);
    return {
      peerId: report.peerId,
      state: report.state,
      score: report.score,
      connected,
      offences: report.totalOffences,
      lastOffence: report.lastOffence === null ? null : offenceRecord(report.lastOffence),
      bannedUntil: report.bannedUntil,
    };
  }

  async reputation(): Promise<ReputationEntry[]> {
    const known = new Map(this.node.reputation.list().map((r) => [r.peerId, r]));
    for (const id of this.node.peers.list()) {
      if (!known.has(id)) known.set(id, this.node.reputation.report(id));
    }
    return [...known.values()].map((r) => this.entry(r)).sort((a, b) => a.score - b.score);
  }

  async why(peerId: string): Promise<PeerReport> {
    const report = this.node.reputation.report(peerId);
    const stats = this.node.p2p.gossipsub.dumpPeerScoreStats()[peerId];
    const topic = stats?.topics[this.node.p2p.invTopic];
    return {
      ...this.entry(report),
      history: report.offences.map(offenceRecord),
      offenceCounts: report.offenceCounts as Record<string, number>,
      banReason: report.ban?.reason ?? report.quarantineReason,
      gossipsub:
        stats === undefined
          ? null
          : {
              score: this.node.p2p.gossipsub.getScore(peerId),
              applicationScore: report.applicationScore,
              inMesh: topic?.inMesh ?? false,
              meshTimeMs: topic?.meshTime ?? 0,
              invalidMessageDeliveries: topic?.invalidMessageDeliveries ?? 0,
              behaviourPenalty: stats.behaviourPenalty,
              knownIPs: [...stats.knownIPs],
            },
    };
  }

  async quarantined(): Promise<ReputationEntry[]> {
    return (await this.reputation()).filter((r) => r.state === 'quarantined');
  }

  async ban(
    peerId: string,
    durationMs?: number,
    reason = 'manual ban',
  ): Promise<{ peerId: string; bannedUntil: number }> {
    const entry = this.node.reputation.manualBan(peerId, { reason, durationMs });
    return { peerId, bannedUntil: entry.until };
  }

  async unban(peerId: string): Promise<{ peerId: string; unbanned: boolean }> {
    return { peerId, unbanned: this.node.reputation.unban(peerId) };
  }

  async tip(): Promise<BlockSummary> {
    return this.summary(this.node.chain.tip().idHex);
  }

  private async summary(idHex: string): Promise<BlockJson> {
    const { chain } = this.node;
    const entry = chain.getEntry(idHex);
    const bytes = await chain.getBlockBytes(idHex);
    if (entry === undefined || bytes === undefined) throw new Error(`block ${idHex} not found`);
    const block = decodeBlock(bytes);
    return {
      id: idHex,
      height: entry.height,
      parent: entry.parentHex,
      timestamp: entry.timestamp,
      miner: toHex(block.header.minerPublicKey),
      txCount: block.transactions.length,
      bytes: bytes.length,
      target: entry.target.toString(16).padStart(64, '0'),
      nonce: block.header.nonce.toString(),
      txids: block.transactions.map((tx) => toHex(txidOf(tx))),
    };
  }

  async block(idOrHeight: string | number): Promise<BlockJson> {
    const { chain } = this.node;
    if (typeof idOrHeight === 'number') {
      const entry = chain.getBlockByHeight(idOrHeight);
      if (entry === undefined) throw new Error(`no block at height ${idOrHeight} on the active chain`);
      return this.summary(entry.idHex);
    }
    return this.summary(idOrHeight);
  }

  async tx(txid: string): Promise<TxJson> {
    const { chain } = this.node;
    const txidHex = txid;
    const pooled = chain.mempool.get(txidHex);
    const bytes = pooled;
    let status: TxJson['status'] = { mempool: true };
    if (bytes === undefined) {
      const location = chain.findTransaction(txidHex);
      if (location === undefined)
        throw new Error(`transaction ${txidHex} not found (mempool or recent blocks)`);
      const blockBytes = await chain.getBlockBytes(location.blockIdHex);
      const tx =
        blockBytes === undefined
          ? undefined
          : decodeBlock(blockBytes).transactions.find((t) => toHex(txidOf(t)) === txidHex);
      if (tx === undefined) throw new Error(`transaction ${txidHex} not found`);
      status = { blockId: location.blockIdHex, height: location.height };
      return this.txJson(txidHex, tx, status);
    }
    return this.txJson(txidHex, decodeTransaction(bytes), status);
  }

  private txJson(txid: string, tx: ReturnType<typeof decodeTransaction>, status: TxJson['status']): TxJson {
    return {
      txid,
      timestamp: tx.timestamp,
      coinbase: isCoinbase(tx),
      inputs: tx.inputs.map((input) => ({
        prevTxid: toHex(input.prevTxid),
        outputIndex: input.outputIndex,
        publicKey: toHex(input.publicKey),
      })),
      outputs: tx.outputs.map((output) => ({
        address: toHex(output.address),
        amount: output.amount.toString(),
      })),
      status,
    };
  }

  async mempool(): Promise<MempoolInfo> {
    const pool = this.node.chain.mempool;
    return { size: pool.size, bytes: pool.bytes, txids: pool.txids() };
  }

  async balance(address?: string): Promise<BalanceInfo> {
    const { chain, wallet } = this.node;
    if (address === undefined) {
      return {
        address: wallet.addressHex,
        balance: wallet.balance().toString(),
        utxos: wallet.spendableCoins().length,
      };
    }
    const bytes = fromHex(address);
    return {
      address,
      balance: chain.balanceOf(bytes).toString(),
      utxos: chain.utxosOf(bytes).length,
    };
  }

  async send(address: string, amount: string, fee?: string): Promise<{ txid: string }> {
    const payment = this.node.wallet.createPayment(
      fromHex(address),
      BigInt(amount),
      fee === undefined ? undefined : BigInt(fee),
    );
    return { txid: submitLocalTransaction(this.node, payment.bytes) };
  }

  async mine(count = 1): Promise<{ blocks: string[] }> {
    const blocks: string[] = [];
    for (let i = 0; i < count; i++) {
      blocks.push(toHex(await this.node.miner.mineOne()));
    }
    return { blocks };
  }
}

function pushScope(mode: PushMode | undefined): PushScope {
  if (mode === PushMode.ALL) return 'all';
  if (mode === PushMode.OWN) return 'own';
  return 'none';
}
