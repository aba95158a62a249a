/**
 * Runs a misbehaviour plug-in (src/attacks/kinds/) in a node composed for attacking: gives it the
 * attacker's funded keys, its view of the chain, direct handles on the announcement and push
 * channels, a table of bytes to serve instead of the honest store (a decorator around the node's
 * inventory source), a block forge, raw streams and other identities (src/attacks/context/). The
 * honest node knows none of this: the runner plugs in through the composition hooks
 * (src/node/compose.ts). Stopping the runner aborts its raw streams and stops its identities.
 */
import { decodeBlock, type Transaction } from '../chain/encoding/codec.js';
import { devAccount } from '../chain/genesis.js';
import { fromHex, toHex } from '../crypto/hash.js';
import { LruMap } from '../collections/lru-map.js';
import type { NodeServices } from '../node/services.js';
import type { Startable } from '../node/lifecycle.js';
import { blockParts, compactBlockOf, encodeCompactBlock } from '../p2p/compact/compact-block.js';
import { InvType, invTypeName } from '../p2p/wire/codec.js';
import type { InventorySource } from '../p2p/wire/inventory-source.js';
import { submitLocalTransaction } from '../node/submit.js';
import type { AttackContext, Misbehaviour, OwnOutput } from './attack.js';
import { blockForge } from './context/block-forge.js';
import { AttackIdentities } from './context/identities.js';
import { RawStreams, rawWire } from './context/raw-wire.js';

/** Dev account an attacker spends from when none is configured (the last funded one). */
export const ATTACKER_DEV_ACCOUNT = 9;
/** The tip must stay unchanged this long (ms) while connected before the attack starts acting. */
const CAUGHT_UP_QUIET_MS = 2_000;
/** ...or this long (ms) after the first check, whatever the chain does (a busy chain never rests). */
const CAUGHT_UP_MAX_MS = 30_000;
/** Bytes registered for serving that are remembered (least recently used forgotten first). */
const MAX_SERVED = 10_000;

/** A block's top-level parts, or undefined when the bytes are no well-formed block. */
function blockPartsOrUndefined(bytes: Uint8Array): ReturnType<typeof blockParts> | undefined {
  try {
    return blockParts(bytes);
  } catch {
    return undefined;
  }
}

/** The compact form of a served block; bytes that are no block are served as they are. */
function compactFormOf(bytes: Uint8Array): Uint8Array {
  return blockPartsOrUndefined(bytes) === undefined ? bytes : encodeCompactBlock(compactBlockOf(bytes));
}

export class AttackRunner implements Startable {
  private readonly served = new LruMap<string, Uint8Array>(MAX_SERVED);
  private readonly usedOutputs = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private acting = false;
  private ctx: AttackContext | undefined;
  private firstCheckAt: number | undefined;
  private lastTip: string | undefined;
  private tipSince = 0;
  private caughtUpAt: number | undefined;
  private withholding: boolean;
  private readonly streams = new RawStreams();
  private identities: AttackIdentities | undefined;

  constructor(readonly misbehaviour: Misbehaviour) {
    this.withholding = misbehaviour.withholdAll === true;
  }

  /** The node's inventory source, serving the attack's bytes (or nothing at all) instead of the truth. */
  decorateInventory(honest: InventorySource): InventorySource {
    return {
      getObject: (type, hash) => {
        if (this.withholding) return new Promise<never>(() => undefined);
        if (type === InvType.COMPACT_BLOCK) {
          // A lying block asked for in compact form: its compact form (garbage stays garbage).
          const lie = this.served.get(`block:${toHex(hash)}`);
          return lie === undefined ? honest.getObject(type, hash) : Promise.resolve(compactFormOf(lie));
        }
        const lie = this.served.get(`${invTypeName(type)}:${toHex(hash)}`);
        return lie === undefined ? honest.getObject(type, hash) : Promise.resolve(lie);
      },
      blockTransactions: async (blockId, indexes) => {
        const lie = this.served.get(`block:${toHex(blockId)}`);
        if (lie === undefined) return honest.blockTransactions(blockId, indexes);
        const txs = blockPartsOrUndefined(lie)?.txs ?? [];
        return indexes.every((index) => index < txs.length) ? indexes.map((index) => txs[index]!) : [];
      },
      status: () => honest.status(),
      blocksAfter: (locator, max) => honest.blocksAfter(locator, max),
      headersAfter: (locator, max) => honest.headersAfter(locator, max),
      mempoolTxids: (max) => honest.mempoolTxids(max),
    };
  }

  /** Gives the runner the node it attacks from; call before `start`. */
  attach(services: NodeServices): this {
    const { config, params, logger, now, announcements, pushServer, peers, p2p } = services;
    const account = devAccount(config.devAccount ?? ATTACKER_DEV_ACCOUNT);
    const identities = new AttackIdentities(config, p2p, this.streams);
    this.identities = identities;
    this.ctx = {
      params,
      account,
      logger: logger.child({ component: 'attack', kind: this.misbehaviour.kind }),
      now,
      takeOutputs: (count) => this.takeOutputs(services, account.address, count),
      confirmedTransactions: (max) => confirmedTransactions(services, max),
      announce: async (items) => {
        await announcements.publish(items);
      },
      push: (payloads) => {
        for (const { peer } of pushServer.subscribers()) {
          for (const payload of payloads) pushServer.push(peer, payload);
        }
      },
      serve: (type, hash, bytes) => this.served.set(`${type}:${toHex(hash)}`, bytes),
      pushTo: (peer, payloads) => payloads.every((payload) => pushServer.push(peer, payload)),
      subscribers: () => [...pushServer.subscribers()].map((s) => s.peer),
      peers: () => peers.list(),
      submitHonestly: (bytes) => void submitLocalTransaction(services, bytes),
      withhold: (on) => {
        this.withholding = on;
      },
      blocks: blockForge(services, account.secretKey, account.address),
      wire: rawWire(
        p2p,
        (peer) => peers.peerId(peer),
        this.streams,
        (peer) => services.getdataClient.forget(peer),
      ),
      identities,
    };
    return this;
  }

  async start(): Promise<void> {
    const ctx = this.ctx;
    if (ctx === undefined) throw new Error('AttackRunner.attach(services) must be called before start()');
    ctx.logger.warn({ kind: this.misbehaviour.kind }, `ATTACKER: ${this.misbehaviour.description}`);
    this.timer = setInterval(() => {
      if (this.acting || !this.caughtUp(ctx)) return;
      this.acting = true;
      this.misbehaviour
        .act(ctx)
        .catch((err: Error) => ctx.logger.debug({ err: err.message }, 'attack round failed'))
        .finally(() => {
          this.acting = false;
        });
    }, this.misbehaviour.intervalMs);
  }

  /**
   * True once the node has caught up with its peers' chain (its tip unchanged for CAUGHT_UP_QUIET_MS
   * while connected), or CAUGHT_UP_MAX_MS after the first check: an attacker acting on a chain it
   * is still downloading would spend outputs that are long spent, and build on stale tips.
   */
  private caughtUp(ctx: AttackContext): boolean {
    if (this.caughtUpAt !== undefined) return true;
    const now = Date.now();
    this.firstCheckAt ??= now;
    const tip = ctx.blocks.tip().idHex;
    if (tip !== this.lastTip || ctx.peers().length === 0) {
      this.lastTip = tip;
      this.tipSince = now;
    }
    if (now - this.tipSince >= CAUGHT_UP_QUIET_MS || now - this.firstCheckAt >= CAUGHT_UP_MAX_MS) {
      this.caughtUpAt = now;
      ctx.logger.info({ height: ctx.blocks.tip().height }, 'caught up with the chain: attacking');
    }
    return this.caughtUpAt !== undefined;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.streams.closeAll();
    await this.identities?.stopAll();
  }

  private takeOutputs({ chain }: NodeServices, address: Uint8Array, count: number): OwnOutput[] {
    const outputs: OwnOutput[] = [];
    for (const owned of chain.utxosOf(address)) {
      if (outputs.length >= count) break;
      if (this.usedOutputs.has(owned.key) || chain.mempool.spenderOf(owned.key) !== undefined) continue;
      if (owned.utxo.coinbase && owned.utxo.height > 0) continue;
      this.usedOutputs.add(owned.key);
      outputs.push({ txid: fromHex(owned.txidHex), index: owned.outputIndex, amount: owned.utxo.amount });
    }
    return outputs;
  }
}

/** Transactions of the active chain, oldest first (for replays). */
async function confirmedTransactions({ chain }: NodeServices, max: number): Promise<Transaction[]> {
  const txs: Transaction[] = [];
  const tip = chain.tip().height;
  for (let height = 1; height <= tip && txs.length < max; height++) {
    const entry = chain.getBlockByHeight(height);
    const bytes = entry === undefined ? undefined : await chain.getBlockBytes(entry.idHex);
    if (bytes !== undefined) txs.push(...decodeBlock(bytes).transactions.slice(1));
  }
  return txs.slice(0, max);
}
