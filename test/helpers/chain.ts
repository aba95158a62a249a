/**
 * Chain-level actions and queries on running `TrustmeshNode`s: payments through the node's wallet and
 * relay, blocks mined on demand, and the views tests compare across nodes (tip, mempool).
 */
import type { TrustmeshNode } from '../../src/node/trustmesh-node.js';

/**
 * Pays `amount` base units from `from`'s wallet to `to`'s wallet address: builds and signs the
 * payment, submits it to `from` (mempool + announcement, as the RPC `send` does) and returns its txid.
 */
export function sendPayment(from: TrustmeshNode, to: TrustmeshNode, amount: bigint): string {
  const payment = from.wallet.createPayment(to.wallet.address, amount);
  return from.submitTransaction(payment.bytes);
}

/** Mines one block on `node`'s tip (it is announced like any mined block); returns the block id hex. */
export async function mineOn(node: TrustmeshNode): Promise<string> {
  const id = await node.miner.mineOne();
  return Buffer.from(id).toString('hex');
}

/** Mines `count` blocks one after the other on `node`; returns their ids, oldest first. */
export async function mineBlocks(node: TrustmeshNode, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await mineOn(node));
  return ids;
}

/** The node's active tip: id hex, height and cumulative work. */
export function tipOf(node: TrustmeshNode): { idHex: string; height: number; work: bigint } {
  const tip = node.chain.tip();
  return { idHex: tip.idHex, height: tip.height, work: tip.cumulativeWork };
}

/** True when every node has the tip `idHex`. */
export function allAtTip(nodes: readonly TrustmeshNode[], idHex: string): boolean {
  return nodes.every((node) => node.chain.tip().idHex === idHex);
}

/** True when every node's mempool holds every txid. */
export function allHaveTxs(nodes: readonly TrustmeshNode[], txids: readonly string[]): boolean {
  return nodes.every((node) => txids.every((txid) => node.chain.mempool.has(txid)));
}

/** True when the transaction is in a block of `node`'s active chain (recent blocks). */
export function isConfirmed(node: TrustmeshNode, txid: string): boolean {
  const location = node.chain.findTransaction(txid);
  return location !== undefined && node.chain.isActive(location.blockIdHex);
}

/** Offences of `kind` that `node` recorded against `peer` (by peer id). */
export function offencesAgainst(node: TrustmeshNode, peer: string, kind: string): number {
  const counts = node.reputation.report(peer).offenceCounts as Record<string, number | undefined>;
  return counts[kind] ?? 0;
}
