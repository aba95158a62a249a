/**
 * No payment is lost across a partition and the reorganisation that heals it. A payment that spent
 * the change of a transaction the reorg made unconfirmed again stays pooled with its parent (a
 * chain of unconfirmed transactions), is announced to the peers of the winning branch, which never
 * saw it, and the next block confirms both; so does a chain of payments mined one after the other
 * on the losing branch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_POLL_INTERVAL_MS } from '../../../src/p2p/sync/block-sync.js';
import {
  allAtTip,
  isConfirmed,
  line,
  mineBlocks,
  mineOn,
  sendPayment,
  TestNetwork,
  tipOf,
  waitFor,
} from '../../helpers/index.js';

const AMOUNT = 1_000n;
/**
 * How long (ms) a re-announced payment may take to reach B. Right after the heal, A's reorg (and its
 * announcement of the returned payments) can come before the gossipsub subscription exchange on the
 * new connection, and then reaches nobody; B's mempool poll of A (every STATUS_POLL_INTERVAL_MS)
 * still brings them. Later announcements go out at once.
 */
const RELAY_WAIT_MS = STATUS_POLL_INTERVAL_MS + 10_000;

describe('payments across a partition and its reorganisation', { timeout: 90_000 }, () => {
  let net: TestNetwork;

  beforeAll(async () => {
    net = await TestNetwork.start({ count: 2, edges: line(2) });
  });
  afterAll(() => net?.cleanup());

  it('confirms every payment on the winning branch, those that spent change from the losing one included', async () => {
    const [a, b] = [net.node(0), net.node(1)];
    await net.partition([0], [1]);
    // A's side: three payments confirmed in A's block, then three that spend their change.
    const parents = [0, 1, 2].map(() => sendPayment(a, b, AMOUNT));
    await mineOn(a);
    const children = [0, 1, 2].map(() => sendPayment(a, b, AMOUNT));
    expect(children.every((txid) => a.chain.mempool.has(txid))).toBe(true);
    // B's side mines a longer branch: A's block loses.
    const winning = (await mineBlocks(b, 2)).at(-1)!;
    await net.heal([0], [1]);
    await waitFor(() => tipOf(a).idHex === winning, 20_000, 'A on the winning branch');
    // The parents are pending again, and the children stay pooled with them (a package).
    expect([...parents, ...children].every((txid) => a.chain.mempool.has(txid))).toBe(true);
    const family = new Set(parents.flatMap((txid) => a.chain.mempool.descendantsOf(txid)));
    expect(children.every((txid) => family.has(txid))).toBe(true);

    // A announces parents and children; B takes both and one block confirms them all.
    await waitFor(
      () => [...parents, ...children].every((txid) => b.chain.mempool.has(txid)),
      RELAY_WAIT_MS,
      'the parents and children at B',
    );
    const last = await mineOn(b);
    await waitFor(() => allAtTip(net.nodes, last), 10_000, 'both at the last block');
    for (const txid of [...parents, ...children]) {
      expect(isConfirmed(a, txid)).toBe(true);
      expect(isConfirmed(b, txid)).toBe(true);
    }
  });

  it('also keeps chains of payments mined on the losing branch, one block per generation', async () => {
    const [a, b] = [net.node(0), net.node(1)];
    await net.partition([0], [1]);
    // A's branch: parents in one block, children (spending their change) in the next, and
    // grandchildren (spending the children's) still pooled.
    const parents = [0, 1].map(() => sendPayment(a, b, AMOUNT));
    await mineOn(a);
    const children = [0, 1].map(() => sendPayment(a, b, AMOUNT));
    await mineOn(a);
    const grandchildren = [0, 1].map(() => sendPayment(a, b, AMOUNT));
    expect(children.every((txid) => isConfirmed(a, txid))).toBe(true);
    const winning = (await mineBlocks(b, 3)).at(-1)!;
    await net.heal([0], [1]);
    await waitFor(() => tipOf(a).idHex === winning, 20_000, 'A on the winning branch');
    const generations = [...parents, ...children, ...grandchildren];
    expect(generations.every((txid) => a.chain.mempool.has(txid))).toBe(true);

    // All three generations reach B, and B's next block confirms them all, parents first.
    await waitFor(
      () => generations.every((txid) => b.chain.mempool.has(txid)),
      RELAY_WAIT_MS,
      'every generation at B',
    );
    await mineOn(b);
    await waitFor(() => allAtTip(net.nodes, tipOf(b).idHex), 10_000, 'both at the last block');
    for (const txid of generations) expect(isConfirmed(a, txid)).toBe(true);
    expect(a.chain.mempool.size).toBe(0);
  });
});
