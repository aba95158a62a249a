/**
 * Catalogue 21: an eclipse attempt on one victim (the last static-peer target). 64 identities, 8 in
 * each of 8 netgroups (127.200/16 to 127.207/16: the most inbound slots a netgroup may hold, in as
 * many netgroups as the attacker "owns"), connect inbound to the victim and redial whenever they
 * are evicted, to fill its inbound slots. Every 2 s each connected identity sends the victim an
 * unsolicited addr message of 500 entries (far beyond the address relay's token bucket, within its
 * stream limit: not an offence; its own address first, as a self-announcement, then the rest from a
 * rotating offset), and each answers getaddr with the same entries: the 64 identities' real,
 * dialable addresses and 436 made-up ones in other netgroups, so the victim's address book
 * fills with attacker addresses and any outbound slot it refills may land on an attacker. Every
 * identity answers sync with a stale chain: the attacker's chain as it was STALE_DEPTH blocks
 * before the attack began, frozen (its status, and the ids after any locator up to that tip); it
 * relays nothing (no announcements, no blocks, no transactions).
 *
 * Contained when the victim keeps an honest outbound peer, keeps receiving honest transactions and
 * blocks, and is not held on the stale chain. Logs the victim (`eclipseVictim`, `staleHeight`) and,
 * each round, the identities connected (`eclipseConnected`) and the addr messages sent (`addrSent`).
 */
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { fromHex } from '../../crypto/hash.js';
import type { AddrEntryMessage } from '../../p2p/membership/addr-codec.js';
import { encodeAddrRequest } from '../../p2p/membership/addr-codec.js';
import { MAX_INBOUND_PER_NETGROUP } from '../../p2p/membership/constants.js';
import type { ChainEntry } from '../../chain/state/index.js';
import type { AttackContext, Misbehaviour, SpawnedPeer } from '../attack.js';
import { frame } from '../payloads.js';

/** Netgroups the attacker holds addresses in (second octets 200, 201, ...). */
const NETGROUPS = 8;
/** Identities per netgroup: the most inbound peers a victim admits from one. */
const PER_NETGROUP = MAX_INBOUND_PER_NETGROUP;
/** Second octet of the first attacker netgroup (127.200.0.1). */
const HOST_BASE = 200;
/** Made-up addresses advertised besides the identities' own (other /16s, nobody listens there). */
const FAKE_ADDRESSES = 436;
/** Second octet of the first made-up address's netgroup (127.220.x.1 to 127.239.x.1). */
const FAKE_HOST_BASE = 220;
/** Blocks behind the tip (at the attack's start) of the stale chain the identities answer with. */
export const STALE_DEPTH = 10;

interface EclipseState {
  readonly victimAddr: string;
  readonly victim: string;
  readonly peers: SpawnedPeer[];
  readonly entries: AddrEntryMessage[];
  addrSent: number;
}
const states = new WeakMap<AttackContext, EclipseState>();

/** The peer id at the end of `/.../p2p/<id>`. */
function peerIdOf(addr: string): string {
  return addr.slice(addr.lastIndexOf('/p2p/') + 5);
}

/**
 * The attacker's chain frozen at `tip`: what the identities answer sync with. It holds no block or
 * header bytes (a victim with more work never asks a peer with less for them), so getdata and
 * getheaders get nothing.
 */
function staleChain(ctx: AttackContext, tip: ChainEntry) {
  const heights = new Map<string, number>();
  const ids: Uint8Array[] = [];
  for (let h = 0; h <= tip.height; h++) {
    const entry = ctx.blocks.entryAt(h)!;
    heights.set(entry.idHex, h);
    ids.push(fromHex(entry.idHex));
  }
  const status = {
    genesis: ids[0]!,
    tip: ids[tip.height]!,
    height: tip.height,
    cumulativeWork: tip.cumulativeWork,
  };
  const source = {
    getObject: async () => undefined,
    status: () => status,
    blocksAfter(locator: Uint8Array[], max: number): Uint8Array[] {
      let fork = 0;
      for (const hash of locator) {
        const h = heights.get(Buffer.from(hash).toString('hex'));
        if (h !== undefined) {
          fork = h;
          break;
        }
      }
      return ids.slice(fork + 1, fork + 1 + max);
    },
    headersAfter: async (): Promise<Uint8Array[]> => [],
    mempoolTxids: (): Uint8Array[] => [],
    blockTransactions: async (): Promise<Uint8Array[]> => [],
  };
  return source;
}

/** The addresses advertised: every identity's own, then made-up ones with fresh peer ids. */
async function addressEntries(peers: readonly SpawnedPeer[]): Promise<AddrEntryMessage[]> {
  const now = Date.now();
  const own = peers.map((p) => ({
    peerId: p.peerId,
    addr: p.address.slice(0, p.address.indexOf('/p2p/')),
    lastSeen: now,
  }));
  const fake = await Promise.all(
    Array.from({ length: FAKE_ADDRESSES }, async (_, i) => ({
      peerId: peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString(),
      addr: `/ip4/127.${FAKE_HOST_BASE + (i % 20)}.${Math.floor(i / 20)}.1/tcp/${20_000 + i}`,
      lastSeen: now,
    })),
  );
  return [...own, ...fake];
}

async function begin(ctx: AttackContext): Promise<EclipseState | undefined> {
  const victimAddr = ctx.identities.targets().at(-1);
  if (victimAddr === undefined) return undefined;
  const tip = ctx.blocks.tip();
  const stale = ctx.blocks.entryAt(Math.max(0, tip.height - STALE_DEPTH))!;
  const source = staleChain(ctx, stale);
  let entries: AddrEntryMessage[] = [];
  const peers = await Promise.all(
    Array.from({ length: NETGROUPS * PER_NETGROUP }, (_, i) =>
      ctx.identities.spawnPeer(
        `127.${HOST_BASE + Math.floor(i / PER_NETGROUP)}.0.${(i % PER_NETGROUP) + 1}`,
        {
          source,
          addresses: () => entries.map((e) => ({ ...e, lastSeen: Date.now() })),
        },
      ),
    ),
  );
  entries = await addressEntries(peers);
  const victim = peerIdOf(victimAddr);
  ctx.logger.info(
    {
      eclipseVictim: victim,
      staleHeight: stale.height,
      tipHeight: tip.height,
      identities: peers.map((p) => p.peerId),
    },
    'eclipse attack starting',
  );
  return { victimAddr, victim, peers, entries, addrSent: 0 };
}

/**
 * Sends `state.entries` (freshly dated) to the victim on a new addr stream from `peer`, its own
 * address first (a self-announcement, the one entry a new peer's token covers), then the rest from a
 * rotating offset, so the few entries each identity's tokens admit differ from identity to identity.
 */
async function advertise(ctx: AttackContext, state: EclipseState, peer: SpawnedPeer): Promise<void> {
  const now = Date.now();
  const others = state.entries.filter((e) => e.peerId !== peer.peerId);
  const offset = (state.addrSent * 7) % Math.max(1, others.length);
  const ordered = [
    ...state.entries.filter((e) => e.peerId === peer.peerId),
    ...others.slice(offset),
    ...others.slice(0, offset),
  ];
  const stream = await peer.open(state.victim, ctx.wire.protocols.addr);
  stream.write(frame(encodeAddrRequest(ordered.map((e) => ({ ...e, lastSeen: now })))));
  stream.close();
  state.addrSent++;
}

export const misbehaviour: Misbehaviour = {
  kind: 'eclipse',
  catalogue: 21,
  class: 'contained',
  description:
    '64 identities fill one victim inbound slots, flood its address book with attacker addresses and answer sync with a stale chain',
  intervalMs: 2_000,
  scenarioSeconds: 45,
  async act(ctx) {
    let state = states.get(ctx);
    if (state === undefined) {
      state = await begin(ctx);
      if (state === undefined) return;
      states.set(ctx, state);
    }
    const s = state;
    const connected = await Promise.all(
      s.peers.map(async (peer) => {
        if (!peer.connectedTo().includes(s.victim) && !(await peer.dial(s.victimAddr))) return false;
        await advertise(ctx, s, peer).catch(() => undefined);
        return peer.connectedTo().includes(s.victim);
      }),
    );
    ctx.logger.info(
      { eclipseConnected: connected.filter(Boolean).length, addrSent: s.addrSent },
      'eclipse round',
    );
  },
};
