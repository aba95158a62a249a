import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GossipsubMessage } from '@chainsafe/libp2p-gossipsub';
import { TopicValidatorResult } from '@libp2p/interface';
import { afterEach, describe, expect, it } from 'vitest';
import { P2P_KEY_FILE } from '../../../src/p2p/node/index.js';
import { decodeInv, encodeInv, InvType } from '../../../src/p2p/wire/codec.js';
import { invTopic } from '../../../src/p2p/wire/constants.js';
import { addrOf, isConnected, item, NETWORK, TestNet, waitFor } from './helpers.js';

const net = new TestNet();
afterEach(() => net.cleanup());

describe('createP2PNode', () => {
  it('connects three nodes through bootstrap addresses and re-dials a restarted peer', async () => {
    const aDir = await net.tempDir();
    const a = await net.node({ dataDir: aDir });
    const b = await net.node({ bootstrap: [addrOf(a)] });
    const c = await net.node({ bootstrap: [addrOf(a), addrOf(b)] });
    const all = () => isConnected(b, a) && isConnected(c, a) && isConnected(c, b);
    await waitFor(
      () => all() && isConnected(a, b) && isConnected(a, c) && isConnected(b, c),
      10_000,
      'mesh of 3',
    );
    expect(a.libp2p.getPeers().map(String).sort()).toEqual([b.peerId.toString(), c.peerId.toString()].sort());

    // A restarts on the same port with the same identity: B and C dial it again by themselves.
    const port = Number(a.multiaddrs()[0]!.toOptions().port);
    await a.stop();
    await waitFor(() => !isConnected(b, a) && !isConnected(c, a), 5_000, 'disconnect');
    const a2 = await net.node({ dataDir: aDir, port });
    expect(a2.peerId.toString()).toBe(a.peerId.toString());
    await waitFor(() => isConnected(b, a2) && isConnected(c, a2), 10_000, 're-dial');
  });

  it('keeps its peer id across restarts, with the key file at mode 0600', async () => {
    const dir = await net.tempDir();
    const first = await net.node({ dataDir: dir });
    const id = first.peerId.toString();
    await first.stop();
    const second = await net.node({ dataDir: dir });
    expect(second.peerId.toString()).toBe(id);
    const mode = (await stat(join(dir, P2P_KEY_FILE))).mode & 0o777;
    expect(mode).toBe(0o600);
    const other = await net.node();
    expect(other.peerId.toString()).not.toBe(id);
    expect(other.peerId.type).toBe('Ed25519');
  });

  it('refuses a blocked peer both when dialing it and when it dials in', async () => {
    const b = await net.node();
    const blocked = new Set([b.peerId.toString()]);
    const a = await net.node({ peerGate: { isBlocked: (peerId) => blocked.has(peerId) } });

    await expect(a.libp2p.dial(b.multiaddrs()[0]!)).rejects.toThrow();
    // The blocked side's dial may resolve (the connection is then closed): what matters is that no
    // connection survives on either side.
    await b.libp2p.dial(a.multiaddrs()[0]!).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(isConnected(a, b)).toBe(false);
    expect(isConnected(b, a)).toBe(false);

    // Unblocked, the same peers connect.
    blocked.clear();
    await a.libp2p.dial(b.multiaddrs()[0]!);
    expect(isConnected(a, b)).toBe(true);
  });

  it('delivers an Inv published by A to B with propagationSource = A', async () => {
    const a = await net.node();
    const b = await net.node({ bootstrap: [addrOf(a)] });
    const topic = invTopic(NETWORK);
    expect(a.invTopic).toBe(topic);
    await waitFor(
      () =>
        b.gossipsub.getMeshPeers(topic).includes(a.peerId.toString()) &&
        a.gossipsub.getMeshPeers(topic).length > 0,
      10_000,
      'gossipsub mesh',
    );

    const received = new Promise<GossipsubMessage>((resolve) => {
      b.gossipsub.addEventListener('gossipsub:message', (evt) => resolve(evt.detail), { once: true });
    });
    const items = [item(InvType.TX, 'tx-1'), item(InvType.BLOCK, 'block-1')];
    const result = await a.gossipsub.publish(topic, encodeInv(items));
    expect(result.recipients.map(String)).toContain(b.peerId.toString());

    const { propagationSource, msgId, msg } = await received;
    expect(propagationSource.toString()).toBe(a.peerId.toString());
    expect(msg.type).toBe('unsigned'); // StrictNoSign: no author, no signature, no seqno
    expect(msg.topic).toBe(topic);
    expect(decodeInv(msg.data)).toEqual(items);
    // Content-hash message id: the same bytes are the same message.
    const { createHash } = await import('node:crypto');
    expect(Buffer.from(msgId, 'base64').toString('hex')).toBe(
      createHash('sha256').update(msg.data).digest('hex'),
    );
    b.gossipsub.reportMessageValidationResult(
      msgId,
      propagationSource.toString(),
      TopicValidatorResult.Ignore,
    );

    // Publishing the same bytes again is not an error (ignoreDuplicatePublishError).
    await expect(a.gossipsub.publish(topic, encodeInv(items))).resolves.toBeDefined();
  });

  it('graylists a peer after three rejected announcements, and keeps an honest quiet peer at >= 0', async () => {
    const a = await net.node();
    const b = await net.node({ bootstrap: [addrOf(a)] });
    const topic = a.invTopic;
    await waitFor(() => b.gossipsub.getMeshPeers(topic).includes(a.peerId.toString()), 10_000, 'mesh');
    const aId = a.peerId.toString();
    expect(b.gossipsub.getScore(aId)).toBeGreaterThanOrEqual(0);

    let rejected = 0;
    b.gossipsub.addEventListener('gossipsub:message', (evt) => {
      const { msgId, propagationSource } = evt.detail;
      b.gossipsub.reportMessageValidationResult(
        msgId,
        propagationSource.toString(),
        TopicValidatorResult.Reject,
      );
      rejected++;
    });
    for (let i = 0; i < 3; i++) await a.gossipsub.publish(topic, encodeInv([item(InvType.TX, `bad-${i}`)]));
    await waitFor(() => rejected === 3, 5_000, 'three deliveries');
    // P4 = -20 x 3^2 = -180 (the score is recomputed at the next heartbeat, ~1 s).
    await waitFor(() => b.gossipsub.getScore(aId) < -80, 5_000, 'score below graylist');
    expect(a.gossipsub.getScore(b.peerId.toString())).toBeGreaterThanOrEqual(0);
  });
});
