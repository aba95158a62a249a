/**
 * Runs a misbehaviour plug-in (src/attacks) inside a node: gives it the attacker's funded keys,
 * its view of the chain, the announcement channel, and a table of bytes to serve instead of the
 * honest store. Only attacker nodes (`--misbehaviour` / `npm run attacker`) create one.
 */
import type { AttackContext, Misbehaviour, OwnOutput } from '../attacks/attack.js';
import { MISBEHAVIOURS, misbehaviourOf } from '../attacks/kinds.js';
import { decodeBlock, type Transaction } from '../chain/encoding/codec.js';
import { devAccount } from '../chain/genesis.js';
import { fromHex, toHex } from '../crypto/hash.js';
import type { ObjectType } from '../p2p/relay/ports.js';
import { ConfigError } from './config.js';
import type { TrustmeshNode } from './trustmesh-node.js';

/** Dev account an attacker spends from when none is configured (the last funded one). */
export const ATTACKER_DEV_ACCOUNT = 9;
/** Bytes registered for serving that are remembered (oldest forgotten first). */
const MAX_SERVED = 10_000;

export class AttackRunner {
  readonly misbehaviour: Misbehaviour;
  private readonly served = new Map<string, Uint8Array>();
  private readonly usedOutputs = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private acting = false;
  private readonly ctx: AttackContext;

  constructor(
    private readonly node: TrustmeshNode,
    kind: string,
  ) {
    const misbehaviour = misbehaviourOf(kind);
    if (misbehaviour === undefined) {
      throw new ConfigError(
        'config',
        'misbehaviour',
        `must be one of ${MISBEHAVIOURS.map((m) => m.kind).join(', ')}`,
      );
    }
    this.misbehaviour = misbehaviour;
    const account = devAccount(node.config.devAccount ?? ATTACKER_DEV_ACCOUNT);
    const logger = node.logger.child({ component: 'attack', kind });
    this.ctx = {
      params: node.params,
      account,
      logger,
      now: node.now,
      takeOutputs: (count) => this.takeOutputs(account.address, count),
      confirmedTransactions: (max) => this.confirmedTransactions(max),
      announce: (items) => node.relayAnnounceNow(items),
      push: (payloads) => node.relayPushNow(payloads),
      serve: (type, hash, bytes) => {
        this.served.set(`${type}:${toHex(hash)}`, bytes);
        if (this.served.size > MAX_SERVED) this.served.delete(this.served.keys().next().value!);
      },
    };
  }

  start(): void {
    this.node.logger.warn({ kind: this.misbehaviour.kind }, `ATTACKER: ${this.misbehaviour.description}`);
    this.timer = setInterval(() => {
      if (this.acting) return;
      this.acting = true;
      this.misbehaviour
        .act(this.ctx)
        .catch((err: Error) => this.ctx.logger.debug({ err: err.message }, 'attack round failed'))
        .finally(() => {
          this.acting = false;
        });
    }, this.misbehaviour.intervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** What to serve for (type, id) instead of the honest store: bytes, a never-answered promise, or undefined. */
  override(type: ObjectType, idHex: string): Uint8Array | Promise<never> | undefined {
    if (this.misbehaviour.withholdAll === true) return new Promise<never>(() => undefined);
    return this.served.get(`${type}:${idHex}`);
  }

  private takeOutputs(address: Uint8Array, count: number): OwnOutput[] {
    const outputs: OwnOutput[] = [];
    for (const owned of this.node.chain.utxosOf(address)) {
      if (outputs.length >= count) break;
      if (this.usedOutputs.has(owned.key) || this.node.chain.mempool.spenderOf(owned.key) !== undefined)
        continue;
      if (owned.utxo.coinbase && owned.utxo.height > 0) continue;
      this.usedOutputs.add(owned.key);
      outputs.push({ txid: fromHex(owned.txidHex), index: owned.outputIndex, amount: owned.utxo.amount });
    }
    return outputs;
  }

  private async confirmedTransactions(max: number): Promise<Transaction[]> {
    const txs: Transaction[] = [];
    const tip = this.node.chain.tip().height;
    for (let height = 1; height <= tip && txs.length < max; height++) {
      const entry = this.node.chain.getBlockByHeight(height);
      const bytes = entry === undefined ? undefined : await this.node.chain.getBlockBytes(entry.idHex);
      if (bytes !== undefined) txs.push(...decodeBlock(bytes).transactions.slice(1));
    }
    return txs.slice(0, max);
  }
}
