/**
 * What each testnet link does to traffic, and the kernel rules that do it.
 *
 * A link is a host's veth to the bridge. The emulation, per direction host A -> host B:
 * - latency and jitter: `latencyMs` +- `jitterMs` (uniform), added to every TCP write A makes to
 *   another host, in order (host-preload.ts). The kernel of the development machines is built
 *   without `sch_netem`, so the delay is applied at the socket layer, as toxiproxy's latency toxic
 *   does; TCP handshakes and ACKs are not delayed, data is;
 * - loss: each packet B receives from another host is dropped with probability `lossPercent` / 100
 *   (nftables `numgen random` on B's input), so TCP sees real losses and retransmits;
 * - rate: A's egress is limited to `rateKbit` by a token bucket (`tc tbf`);
 * - partitions: B silently drops every packet from the hosts in its `cut` set (nftables), so
 *   connections stall as across a cut cable; healing empties the set.
 * Traffic with the launcher (the driver address: RPC, /metrics) is never delayed, lost or cut.
 */

export interface LinkShape {
  /** One-way delay added to each host's outbound data (unit: ms). */
  readonly latencyMs: number;
  /** Uniform jitter around the delay (unit: ms). */
  readonly jitterMs: number;
  /** Packet loss on each host's input (unit: percent, 0-100). */
  readonly lossPercent: number;
  /** Egress rate limit of each host (unit: kbit/s); null for none. */
  readonly rateKbit: number | null;
}

export const NO_SHAPING: LinkShape = { latencyMs: 0, jitterMs: 0, lossPercent: 0, rateKbit: null };

/** Resolution of the loss probability (drops per million packets). */
const LOSS_SCALE = 1_000_000;
/** nftables table holding a host's rules. */
export const NFT_TABLE = 'tmnet';
/** tbf bucket size (unit: bytes): a few full-size packets, so short bursts pass at line rate. */
const TBF_BURST_BYTES = 32_000;
/** tbf queue limit expressed as waiting time (unit: ms) before packets are dropped. */
const TBF_LATENCY_MS = 400;

/** The nftables ruleset of one host (fed to `nft -f -` inside its namespace). */
export function nftRuleset(shape: LinkShape, slotNetwork: string, driverAddress: string): string {
  const perMillion = Math.round((shape.lossPercent / 100) * LOSS_SCALE);
  const loss =
    perMillion > 0
      ? `    ip saddr ${slotNetwork} ip saddr != ${driverAddress} numgen random mod ${LOSS_SCALE} < ${perMillion} drop\n`
      : '';
  return (
    `table ip ${NFT_TABLE} {\n` +
    `  set cut { type ipv4_addr; }\n` +
    `  chain input {\n` +
    `    type filter hook input priority 0; policy accept;\n` +
    `    ip saddr @cut drop\n` +
    loss +
    `  }\n` +
    `}\n`
  );
}

/** `tc` arguments limiting a host's egress, or null without a rate. */
export function tbfArgs(shape: LinkShape, device: string): string[] | null {
  if (shape.rateKbit === null) return null;
  return [
    'qdisc',
    'add',
    'dev',
    device,
    'root',
    'tbf',
    'rate',
    `${shape.rateKbit}kbit`,
    'burst',
    String(TBF_BURST_BYTES),
    'latency',
    `${TBF_LATENCY_MS}ms`,
  ];
}

/** Environment for the node process (host-preload.ts reads it). */
export function delayEnv(
  shape: LinkShape,
  slotNetwork: string,
  driverAddress: string,
): Record<string, string> {
  return {
    TMNET_LATENCY_MS: String(shape.latencyMs),
    TMNET_JITTER_MS: String(shape.jitterMs),
    TMNET_NETWORK: slotNetwork,
    TMNET_DRIVER: driverAddress,
  };
}
