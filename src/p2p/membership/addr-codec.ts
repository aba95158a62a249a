/**
 * Canonical, bounded encoding of the address relay messages (schema in addr.proto; the protocol in
 * docs/membership.md). Same rules as every wire message (src/p2p/wire/codec.ts): the length is
 * checked before parsing, repeated fields are capped while parsing, the result is re-encoded and
 * compared with the input, and failures throw `WireError` (OVERSIZE, MALFORMED, NON_CANONICAL).
 *
 * An entry is a peer id, one multiaddr and a last-seen time. The multiaddr must be exactly
 * `/ip4|ip6/<address>/tcp/<port>`: an honest node sends nothing else, so any other shape is
 * MALFORMED. Well-formed but useless addresses (unspecified, multicast, broadcast, port 0) are not
 * violations (an honest node may relay what it heard): `isDialableEntry` filters them out.
 */
import { isIPv4 } from 'node:net';
import { peerIdFromString } from '@libp2p/peer-id';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import { fromString as bytesFromString } from 'uint8arrays/from-string';
import { toString as bytesToString } from 'uint8arrays/to-string';
import { type DecodeFailure, decodeCanonical, type ProtobufCodec } from '../../chain/encoding/canonical.js';
import { WireError } from '../wire/errors.js';
import { Addr, AddrRequest, type PeerAddress } from './addr.pb.js';
import {
  MAX_ADDR_ENTRIES,
  MAX_ADDR_FRAME_BYTES,
  MAX_ENTRY_MULTIADDR_BYTES,
  MAX_ENTRY_PEER_ID_BYTES,
} from './constants.js';
import { ipv6Hextets } from './netgroup.js';

/** One address as carried on the wire, decoded. */
export interface AddrEntryMessage {
  /** libp2p peer id (base58 text). */
  peerId: string;
  /** `/ip4|ip6/<address>/tcp/<port>`. */
  addr: string;
  /** Last seen, ms since the epoch (whole seconds on the wire). */
  lastSeen: number;
}

export type AddrRequestMessage = { kind: 'getAddr' } | { kind: 'addr'; entries: AddrEntryMessage[] };

type Bytes = Uint8Array<ArrayBuffer>;

const fail = (kind: DecodeFailure, message: string): WireError =>
  new WireError(kind === 'TOO_MANY' ? 'OVERSIZE' : kind, message);

/** The multiaddr of an entry if it has the only allowed shape, ip4|ip6 then tcp; else undefined. */
export function entryMultiaddr(addr: Multiaddr): Multiaddr | undefined {
  const parts = addr.getComponents();
  if (parts.length !== 2) return undefined;
  const [ip, tcp] = parts as [(typeof parts)[0], (typeof parts)[0]];
  if ((ip.name !== 'ip4' && ip.name !== 'ip6') || tcp.name !== 'tcp') return undefined;
  return addr;
}

/** Whether an entry's address can be dialled at all (not unspecified, multicast, broadcast, port 0). */
export function isDialableEntry(entry: AddrEntryMessage): boolean {
  const options = multiaddr(entry.addr).toOptions();
  if (options.port === 0) return false;
  if (isIPv4(options.host)) {
    const [a, b, c, d] = options.host.split('.').map(Number) as [number, number, number, number];
    if (a === 0 || a >= 224) return false; // 0.0.0.0/8, multicast 224/4, reserved 240/4, broadcast
    return !(a === 255 && b === 255 && c === 255 && d === 255);
  }
  const hextets = ipv6Hextets(options.host);
  if (hextets === undefined || hextets.every((h) => h === '0')) return false;
  return !hextets[0]!.startsWith('ff') || hextets[0]!.length < 4;
}

function decodeEntry(entry: PeerAddress, index: number): AddrEntryMessage {
  const where = `Addr.addrs[${index}]`;
  if (entry.peerId.length === 0 || entry.peerId.length > MAX_ENTRY_PEER_ID_BYTES)
    throw new WireError('MALFORMED', `${where}.peerId is ${entry.peerId.length} bytes`);
  if (entry.multiaddr.length === 0 || entry.multiaddr.length > MAX_ENTRY_MULTIADDR_BYTES)
    throw new WireError('MALFORMED', `${where}.multiaddr is ${entry.multiaddr.length} bytes`);
  let peerId: string;
  try {
    peerId = peerIdFromString(bytesToString(entry.peerId, 'base58btc')).toString();
  } catch (err) {
    throw new WireError('MALFORMED', `${where}.peerId is not a peer id: ${(err as Error).message}`);
  }
  let addr: Multiaddr | undefined;
  try {
    addr = entryMultiaddr(multiaddr(new Uint8Array(entry.multiaddr)));
  } catch (err) {
    throw new WireError('MALFORMED', `${where}.multiaddr does not decode: ${(err as Error).message}`);
  }
  if (addr === undefined) throw new WireError('MALFORMED', `${where}.multiaddr is not /ip4|ip6/../tcp/..`);
  return { peerId, addr: addr.toString(), lastSeen: entry.lastSeen * 1_000 };
}

function encodeEntry(entry: AddrEntryMessage): PeerAddress {
  const addr = entryMultiaddr(multiaddr(entry.addr));
  if (addr === undefined) throw new TypeError(`not an /ip/tcp address: ${entry.addr}`);
  const seconds = Math.floor(entry.lastSeen / 1_000);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffff_ffff)
    throw new RangeError(`lastSeen out of range: ${entry.lastSeen}`);
  return {
    peerId: bytesFromString(peerIdFromString(entry.peerId).toString(), 'base58btc') as Bytes,
    multiaddr: addr.bytes as Bytes,
    lastSeen: seconds,
  };
}

const LIMITS = { addr: { addrs: MAX_ADDR_ENTRIES } };

/** Decodes the first frame of an addr stream. */
export function decodeAddrRequest(bytes: Uint8Array): AddrRequestMessage {
  const message = decodeCanonical(AddrRequest as ProtobufCodec<AddrRequest>, bytes, {
    maxBytes: MAX_ADDR_FRAME_BYTES,
    limits: LIMITS,
    what: 'AddrRequest',
    fail,
  });
  if (message.getAddr !== undefined) return { kind: 'getAddr' };
  if (message.addr !== undefined) return { kind: 'addr', entries: message.addr.addrs.map(decodeEntry) };
  throw new WireError('MALFORMED', 'AddrRequest has no request set');
}

/** Decodes a getaddr answer. */
export function decodeAddr(bytes: Uint8Array): AddrEntryMessage[] {
  const message = decodeCanonical(Addr as ProtobufCodec<Addr>, bytes, {
    maxBytes: MAX_ADDR_FRAME_BYTES,
    limits: { addrs: MAX_ADDR_ENTRIES },
    what: 'Addr',
    fail,
  });
  return message.addrs.map(decodeEntry);
}

function assertCount(entries: readonly AddrEntryMessage[]): void {
  if (entries.length > MAX_ADDR_ENTRIES)
    throw new RangeError(`Addr: ${entries.length} entries exceed ${MAX_ADDR_ENTRIES}`);
}

export function encodeGetAddr(): Uint8Array {
  return AddrRequest.encode({ getAddr: {} });
}

/** An unsolicited `Addr` (self-announcement or relay) as the first frame of a stream. */
export function encodeAddrRequest(entries: readonly AddrEntryMessage[]): Uint8Array {
  assertCount(entries);
  return AddrRequest.encode({ addr: { addrs: entries.map(encodeEntry) } });
}

/** A getaddr answer. */
export function encodeAddr(entries: readonly AddrEntryMessage[]): Uint8Array {
  assertCount(entries);
  return Addr.encode({ addrs: entries.map(encodeEntry) });
}
