/**
 * Block announcements follow the active chain, not the path a block came by: a block that joins it
 * because its parent arrived (out of the orphan pool) is announced like a block fetched by relay.
 * Before this rule, a node that received a burst of blocks out of order connected the last one from
 * its orphan pool and told nobody; its neighbours learned it only at the next 15 s status poll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { line, mineBlocks, TestNetwork, tipOf, waitFor } from '../../helpers/index.js';

/** Well under BlockSync's 15 s status poll: only an announcement gets the block there in time. */
const ANNOUNCE_WAIT_MS = 8_000;

describe('announcing blocks that joined the active chain', { timeout: 60_000 }, () => {
  let net: TestNetwork;

  beforeAll(async () => {
    net = await TestNetwork.start({ count: 3, edges: line(3) });
  });
  afterAll(() => net?.cleanup());

  it('announces a block connected from the orphan pool, and its parent', async () => {
    // Node 0 mines two blocks its neighbour never hears of; node 1 then gets them child first.
    await net.partition([0], [1]);
    const [parent, child] = await mineBlocks(net.node(0), 2);
    const bytesOf = async (id: string) => (await net.node(0).chain.getBlockBytes(id))!;
    const relayNode = net.node(1);
    expect((await relayNode.chain.processBlock(await bytesOf(child!))).status).toBe('orphan');
    expect((await relayNode.chain.processBlock(await bytesOf(parent!))).status).toBe('connected');
    expect(tipOf(relayNode).idHex).toBe(child);

    await waitFor(() => tipOf(net.node(2)).idHex === child, ANNOUNCE_WAIT_MS, 'node 2 at the child');
    expect(net.node(2).chain.orphanCount).toBe(0);
  });
});
