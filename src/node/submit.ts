/**
 * Transactions created on this node (the wallet's `send`): accepted into the mempool like any
 * other, counted, pushed at once to every push subscriber and announced.
 */
import type { NodeServices } from './services.js';

export function submitLocalTransaction(
  { chain, acceptRate, relay }: Pick<NodeServices, 'chain' | 'acceptRate' | 'relay'>,
  bytes: Uint8Array,
): string {
  const accepted = chain.acceptTransaction(bytes);
  acceptRate.note();
  relay.relayOwnTransaction(accepted.txid, bytes);
  return accepted.txidHex;
}
