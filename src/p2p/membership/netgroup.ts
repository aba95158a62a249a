/**
 * Netgroups: the unit that every membership limit keys on (address book buckets, one outbound peer
 * per group, inbound caps, eviction). libp2p peer ids cost nothing to mint, so no limit may key on
 * them; an IP range costs an attacker real resources.
 *
 * The function is pluggable (`NetgroupMode`):
 * - `ipv4-16` (default, Bitcoin Core's): an IPv4 address's /16 (`ipv4:10.3`), an IPv6 address's /32
 *   (`ipv6:2001:db8`); an IPv4-mapped IPv6 address counts as IPv4. On one machine, nodes binding
 *   127.N.0.1 each get their own /16 (Linux routes all of 127.0.0.0/8 to loopback).
 * - `ip`: the whole address (`ip:127.0.0.1`): finer groups, for networks where every node has its own
 *   address inside one /16.
 * Anything that is not an IP address is the group `unroutable` (never dialled).
 *
 * @example
 * ```ts
 * const group = netgroupFunction('ipv4-16');
 * group('127.5.0.1'); // 'ipv4:127.5'
 * netgroupOfAddr(multiaddr('/ip4/127.5.0.1/tcp/9000'), group); // 'ipv4:127.5'
 * ```
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Multiaddr } from '@multiformats/multiaddr';

/** How addresses are grouped. */
export type NetgroupMode = 'ipv4-16' | 'ip';

export const NETGROUP_MODES: readonly NetgroupMode[] = ['ipv4-16', 'ip'];

/** Maps an IP address (text) to its netgroup name. */
export type NetgroupFn = (ip: string) => string;

/** The group of anything that is not an IP address. */
export const UNROUTABLE = 'unroutable';

/** The 8 hextets of an IPv6 address, lowercase, without leading zeros; undefined if not IPv6. */
export function ipv6Hextets(ip: string): string[] | undefined {
  if (!isIPv6(ip)) return undefined;
  let text = ip.toLowerCase().split('%')[0]!;
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two hextets.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted !== null) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text =
      text.slice(0, -dotted[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head === '' ? [] : head!.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((h) => parseInt(h, 16).toString(16));
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d), if it is one. */
function mappedIpv4(hextets: readonly string[]): string | undefined {
  if (hextets.slice(0, 5).some((h) => h !== '0') || hextets[5] !== 'ffff') return undefined;
  const hi = parseInt(hextets[6]!, 16);
  const lo = parseInt(hextets[7]!, 16);
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/** Core's grouping: IPv4 /16, IPv6 /32. */
export function netgroupIpv4Slash16(ip: string): string {
  if (isIPv4(ip)) return `ipv4:${ip.split('.').slice(0, 2).join('.')}`;
  const hextets = ipv6Hextets(ip);
  if (hextets === undefined) return UNROUTABLE;
  const v4 = mappedIpv4(hextets);
  if (v4 !== undefined) return netgroupIpv4Slash16(v4);
  return `ipv6:${hextets[0]}:${hextets[1]}`;
}

/** One group per address. */
export function netgroupWholeAddress(ip: string): string {
  if (isIPv4(ip)) return `ip:${ip}`;
  const hextets = ipv6Hextets(ip);
  if (hextets === undefined) return UNROUTABLE;
  return `ip:${mappedIpv4(hextets) ?? hextets.join(':')}`;
}

export function netgroupFunction(mode: NetgroupMode): NetgroupFn {
  switch (mode) {
    case 'ipv4-16':
      return netgroupIpv4Slash16;
    case 'ip':
      return netgroupWholeAddress;
  }
}

/** The IP address of a multiaddr (its first ip4/ip6 component), or undefined. */
export function ipOfAddr(addr: Multiaddr): string | undefined {
  for (const component of addr.getComponents()) {
    if ((component.name === 'ip4' || component.name === 'ip6') && component.value !== undefined) {
      return component.value;
    }
  }
  return undefined;
}

/** The netgroup of a multiaddr; `unroutable` without an IP address. */
export function netgroupOfAddr(addr: Multiaddr, group: NetgroupFn): string {
  const ip = ipOfAddr(addr);
  return ip === undefined ? UNROUTABLE : group(ip);
}
