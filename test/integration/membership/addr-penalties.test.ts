/**
 * The address relay's penalties over real TCP: an `Addr` of 1,001 entries is OVERSIZE_MESSAGE, an
 * entry of the wrong shape MALFORMED_MESSAGE, a flood of addr streams RATE_LIMIT_EXCEEDED; addresses
 * beyond a peer's tokens are dropped without penalty.
 */
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { identify } from '@libp2p/identify';
import type { Libp2p } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeAddrRequest } from '../../../src/p2p/membership/addr-codec.js';
import { Addr, AddrRequest } from '../../../src/p2p/membership/addr.pb.js';
import { addrProtocol } from '../../../src/p2p/membership/addr-relay.js';
import { ADDR_STREAM_BURST } from '../../../src/p2p/membership/constants.js';
import { frameStream } from '../../../src/p2p/wire/framing.js';
import { waitFor } from '../../helpers/wait.js';
import { MemberNetwork, NETWORK } from './harness.js';

let net: MemberNetwork | undefined;
const hosts: Libp2p[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map(async (h) => h.stop()));
  await net?.cleanup();
  net = undefined;
});

/** A bare libp2p peer on its own /16 that writes raw frames on the addr protocol. */
async function rawPeer(localAddress: string): Promise<Libp2p> {
  const host = await createLibp2p({
    addresses: { listen: [] },
    transports: [tcp({ dialOpts: { localAddress } as object })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionMonitor: { enabled: false },
    services: { identify: identify() },
  });
  hosts.push(host);
  return host;
}

async function send(host: Libp2p, target: string, frame: Uint8Array): Promise<void> {
  const stream = await host.dialProtocol(multiaddr(target), addrProtocol(NETWORK));
  try {
    const frames = frameStream(stream, 1 << 20);
    await frames.write(frame);
    // Wait for the victim to close its side: it has handled the request.
    await frames.read({ signal: AbortSignal.timeout(5_000) });
    await stream.close();
  } catch {
    // The victim may reset the stream: that is its answer.
  }
}

const entry = (peerId: string, port: number) => ({
  peerId,
  addr: `/ip4/127.222.0.1/tcp/${port}`,
  lastSeen: Date.now(),
});

describe('address relay penalties', () => {
  it('punishes oversize, malformed and flooding peers; drops addresses over the token bucket quietly', async () => {
    net = new MemberNetwork(170);
    const victim = await net.start(0);
    const target = net.addrOf(0);
    const offencesOf = (host: Libp2p) => victim.offences.filter((o) => o.peer === host.peerId.toString());

    const big = await rawPeer('127.171.0.1');
    const one = Addr.decode(encodeAddrRequest([entry(big.peerId.toString(), 1)]).subarray(2)).addrs[0]!;
    await send(
      big,
      target,
      AddrRequest.encode({ addr: { addrs: Array.from({ length: 1_001 }, () => one) } }),
    );
    await waitFor(() => offencesOf(big).length > 0, 5_000, 'oversize offence');
    expect(offencesOf(big)[0]!.kind).toBe('OVERSIZE_MESSAGE');

    const garbage = await rawPeer('127.172.0.1');
    await send(
      garbage,
      target,
      AddrRequest.encode({ addr: { addrs: [{ ...one, multiaddr: new Uint8Array([0xff, 0x01]) }] } }),
    );
    await waitFor(() => offencesOf(garbage).length > 0, 5_000, 'malformed offence');
    expect(offencesOf(garbage)[0]!.kind).toBe('MALFORMED_MESSAGE');

    // An honest-looking peer announcing 50 addresses unsolicited: 1 token, so 1 accepted, no offence.
    const chatty = await rawPeer('127.173.0.1');
    const others = await Promise.all(Array.from({ length: 5 }, (_, i) => rawPeer(`127.${180 + i}.0.1`)));
    const ids = [chatty, ...others].map((h) => h.peerId.toString());
    await send(chatty, target, encodeAddrRequest(ids.map((id, i) => entry(id, 2_000 + i))));
    await waitFor(
      () => victim.membership.addressBook().some((e) => e.sourcePeer === chatty.peerId.toString()),
      5_000,
      'one address from the chatty peer',
    );
    expect(
      victim.membership.addressBook().filter((e) => e.sourcePeer === chatty.peerId.toString()).length,
    ).toBe(1);
    expect(offencesOf(chatty)).toEqual([]);

    // A flood of streams: past the stream bucket, RATE_LIMIT_EXCEEDED.
    const flooder = await rawPeer('127.174.0.1');
    for (let i = 0; i < ADDR_STREAM_BURST + 5; i++) await send(flooder, target, encodeAddrRequest([]));
    await waitFor(() => offencesOf(flooder).length > 0, 5_000, 'stream flood offence');
    expect(offencesOf(flooder)[0]!.kind).toBe('RATE_LIMIT_EXCEEDED');
  }, 60_000);
});
