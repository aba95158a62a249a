/**
 * The misbehaviour plug-in of an attacker node. An attacker is a real trustmesh node (libp2p,
 * gossipsub, getdata, sync) with one of these plugged in: the plug-in decides what the node
 * announces and what it serves for a hash, and everything else is the honest code path. Honest
 * nodes therefore face the protocol exactly as a malicious implementation would speak it.
 */
import type { Transaction, TxOutput } from '../chain/encoding/codec.js';
import type { DevAccount } from '../chain/genesis.js';
import type { ChainParams } from '../chain/params.js';
import type { Logger } from '../node/logger.js';
import type { InvItem, ObjectType } from '../p2p/relay/ports.js';

/** A spendable output of the attacker's own funded dev account. */
export interface OwnOutput {
  readonly txid: Uint8Array;
  readonly index: number;
  readonly amount: bigint;
}

export interface AttackContext {
  readonly params: ChainParams;
  readonly account: DevAccount;
  readonly logger: Logger;
  now(): number;
  /** Unspent outputs of the account at the attacker's tip (not yet used by this attack). */
  takeOutputs(count: number): OwnOutput[];
  /** Transactions of the attacker's active chain, oldest first (for replays). */
  confirmedTransactions(max: number): Promise<Transaction[]>;
  /** Publishes an Inv to the attacker's gossipsub mesh. */
  announce(items: InvItem[]): Promise<void>;
  /** Serves `bytes` when any peer asks for (type, hash) with getdata. */
  serve(type: ObjectType, hash: Uint8Array, bytes: Uint8Array): void;
  /** Pushes transaction bytes to every peer subscribed to the attacker's pushes, unannounced. */
  push(payloads: Uint8Array[]): void;
}

export interface Misbehaviour {
  readonly kind: string;
  readonly description: string;
  /** Interval (ms) between `act` calls. */
  readonly intervalMs: number;
  /** One round of misbehaviour. */
  act(ctx: AttackContext): Promise<void>;
  /** When set, getdata requests for these objects are never answered (the request times out). */
  readonly withholdAll?: boolean;
}

/** A self-payment of `amount` from `output` (the rest is the fee), used to build attack payloads. */
export function selfPayment(ctx: AttackContext, output: OwnOutput, fee = 1_000n): TxOutput[] {
  return [{ amount: output.amount - fee, address: ctx.account.address as Uint8Array<ArrayBuffer> }];
}
