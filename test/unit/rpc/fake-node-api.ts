/**
 * A small in-memory `NodeApi` with fixed data: four peers (one quarantined with an offence
 * history, one throttled, two healthy sharing the prefix `12D3KooWA`), a short chain and a
 * mempool. It records every call so tests can assert that nothing ran (e.g. on a 401).
 */
import type {
  BalanceInfo,
  BlockJson,
  MempoolInfo,
  NodeApi,
  NodeStatus,
  OffenceRecord,
  PeerInfo,
  PeerReport,
  ReputationEntry,
  TxJson,
} from '../../../src/node/api.js';

export const PEER_BAD = '12D3KooWQx7bR1mUvPLhN7q3cEiQfYb5LhFz9s8Jd2kXoVbN4mTe';
export const PEER_SLOW = '12D3KooWLs3pYvT8nq2HdkWcR7yJ1fUmG5aZxB9eQoK4hN6sPiDr';
export const PEER_OK1 = '12D3KooWAb9cKp2sVh7LrN3xQ5yT8uW1mZ4dFgJ6eRiB2oCnHsYt';
export const PEER_OK2 = '12D3KooWAc4hTq8sLm2VxN9rK3pW6yB1dF5gJ7eZuR2iQoCtHnMa';

export const TIP_ID = 'aa'.repeat(32);
export const TXID = 'bb'.repeat(32);
export const WALLET = '11'.repeat(20);

export interface FakeCall {
  method: keyof NodeApi;
  args: unknown[];
}

export class FakeNodeApi implements NodeApi {
  readonly calls: FakeCall[] = [];
  readonly now = Date.now();
  readonly bans = new Map<string, { until: number; reason: string }>();
  readonly history: OffenceRecord[];

  constructor() {
    const t = this.now;
    this.history = [
      {
        time: t - 300_000,
        kind: 'REQUEST_TIMEOUT',
        evidence: 'getdata for tx 4f1e… not served in time',
        penalty: 2,
        scoreAfter: -2,
      },
      {
        time: t - 120_000,
        kind: 'INVALID_SIGNATURE',
        evidence: 'tx 9f2c7d01 TX_BAD_SIGNATURE: input 0 signature does not verify',
        penalty: 110,
        scoreAfter: -100,
      },
    ];
    this.bans.set(PEER_BAD, { until: t + 552_000, reason: 'INVALID_SIGNATURE: tx 9f2c7d01' });
  }

  private record(method: keyof NodeApi, args: unknown[]): void {
    this.calls.push({ method, args });
  }

  private entry(peerId: string): ReputationEntry {
    const ban = this.bans.get(peerId);
    if (peerId === PEER_BAD || ban !== undefined) {
      const bad = peerId === PEER_BAD;
      return {
        peerId,
        state: 'quarantined',
        score: bad ? -100 : -50,
        connected: false,
        offences: bad ? this.history.length : 0,
        lastOffence: bad ? (this.history.at(-1) ?? null) : null,
        bannedUntil: ban?.until ?? null,
      };
    }
    if (peerId === PEER_SLOW) {
      const offence = {
        time: this.now - 60_000,
        kind: 'REQUEST_TIMEOUT',
        evidence: 'block 00ab',
        penalty: 5,
        scoreAfter: -25,
      };
      return {
        peerId,
        state: 'throttled',
        score: -25,
        connected: true,
        offences: 5,
        lastOffence: offence,
        bannedUntil: null,
      };
    }
    return {
      peerId,
      state: 'healthy',
      score: peerId === PEER_OK1 ? 4.5 : 0,
      connected: true,
      offences: 0,
      lastOffence: null,
      bannedUntil: null,
    };
  }

  async status(): Promise<NodeStatus> {
    this.record('status', []);
    return {
      name: 'alice',
      network: 'devnet',
      peerId: '12D3KooWSelf1111111111111111111111111111111111111111',
      listen: ['/ip4/127.0.0.1/tcp/7101'],
      height: 42,
      tip: TIP_ID,
      tipTimestamp: this.now - 12_000,
      peers: 3,
      mempool: 1,
      mempoolBytes: 250,
      quarantined: 1,
      mining: true,
      txPerSec: 0.4,
      uptimeMs: 303_000,
    };
  }

  async peers(): Promise<PeerInfo[]> {
    this.record('peers', []);
    return [PEER_SLOW, PEER_OK1, PEER_OK2].map((peerId, i) => ({
      peerId,
      state: this.entry(peerId).state,
      score: this.entry(peerId).score,
      gossipsubScore: i * 1.5,
      direction: i === 0 ? 'inbound' : 'outbound',
      addresses: [`/ip4/127.0.0.1/tcp/${7102 + i}`],
      allowListed: false,
      pushesUs: i === 0 ? 'own' : 'all',
      wePush: i === 2 ? 'own' : 'all',
    }));
  }

  async reputation(): Promise<ReputationEntry[]> {
    this.record('reputation', []);
    return [PEER_OK1, PEER_BAD, PEER_OK2, PEER_SLOW].map((id) => this.entry(id));
  }

  async why(peerId: string): Promise<PeerReport> {
    this.record('why', [peerId]);
    if (![PEER_BAD, PEER_SLOW, PEER_OK1, PEER_OK2].includes(peerId))
      throw new Error(`unknown peer ${peerId}`);
    const entry = this.entry(peerId);
    const history = peerId === PEER_BAD ? this.history : [];
    return {
      ...entry,
      history,
      offenceCounts: Object.fromEntries(history.map((o) => [o.kind, 1])),
      banReason: this.bans.get(peerId)?.reason ?? null,
      gossipsub: entry.connected
        ? {
            score: -3.25,
            topics: { 'trustmesh/devnet/tx': { P1: 0.5, P2: 1, P3: 0, P4: 0 } },
            P5: -10,
            P6: 0,
            P7: 0,
          }
        : null,
    };
  }

  async quarantined(): Promise<ReputationEntry[]> {
    this.record('quarantined', []);
    return (await this.reputation()).filter((e) => e.state === 'quarantined');
  }

  async ban(
    peerId: string,
    durationMs?: number,
    reason?: string,
  ): Promise<{ peerId: string; bannedUntil: number }> {
    this.record('ban', [peerId, durationMs, reason]);
    const until = Date.now() + (durationMs ?? 86_400_000);
    this.bans.set(peerId, { until, reason: reason ?? 'manual' });
    return { peerId, bannedUntil: until };
  }

  async unban(peerId: string): Promise<{ peerId: string; unbanned: boolean }> {
    this.record('unban', [peerId]);
    return { peerId, unbanned: this.bans.delete(peerId) };
  }

  async tip(): Promise<BlockJson> {
    this.record('tip', []);
    return this.blockAt(42);
  }

  private blockAt(height: number): BlockJson {
    return {
      id: height === 42 ? TIP_ID : height.toString(16).padStart(64, '0'),
      height,
      parent: 'cc'.repeat(32),
      timestamp: this.now - 12_000,
      miner: WALLET,
      txCount: 1,
      bytes: 412,
      target: '00'.repeat(2) + 'ff'.repeat(30),
      nonce: '1234',
      txids: [TXID],
    };
  }

  async block(idOrHeight: string | number): Promise<BlockJson> {
    this.record('block', [idOrHeight]);
    if (idOrHeight === TIP_ID || idOrHeight === 42) return this.blockAt(42);
    if (typeof idOrHeight === 'number' && idOrHeight < 42) return this.blockAt(idOrHeight);
    throw new Error(`no block ${idOrHeight} on the active chain`);
  }

  async tx(txid: string): Promise<TxJson> {
    this.record('tx', [txid]);
    if (txid !== TXID) throw new Error(`unknown transaction ${txid}`);
    return {
      txid,
      timestamp: this.now - 30_000,
      coinbase: false,
      inputs: [{ prevTxid: 'dd'.repeat(32), outputIndex: 0, publicKey: 'ee'.repeat(32) }],
      outputs: [
        { address: '22'.repeat(20), amount: '150000000' },
        { address: WALLET, amount: '849999750' },
      ],
      status: { mempool: true },
    };
  }

  async mempool(): Promise<MempoolInfo> {
    this.record('mempool', []);
    return { size: 1, bytes: 250, txids: [TXID] };
  }

  async balance(address?: string): Promise<BalanceInfo> {
    this.record('balance', [address]);
    return { address: address ?? WALLET, balance: '100000000000000', utxos: 100 };
  }

  async send(address: string, amount: string, fee?: string): Promise<{ txid: string }> {
    this.record('send', [address, amount, fee]);
    return { txid: TXID };
  }

  async mine(count?: number): Promise<{ blocks: string[] }> {
    this.record('mine', [count]);
    return { blocks: Array.from({ length: count ?? 1 }, (_, i) => (43 + i).toString(16).padStart(64, '0')) };
  }
}
