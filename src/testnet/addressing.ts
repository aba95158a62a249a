/**
 * Names and addresses of a namespace testnet. Pure: no system calls.
 *
 * A testnet occupies one of `SLOTS` slots, so a few can run side by side (a test and a manual run)
 * without sharing a name or an address:
 * - host i (1-based) of slot s is the network namespace `tmnet<s>-h<i>`, joined to the slot's
 *   bridge `tmnet<s>-br` by the veth pair `tmnet<s>-v<i>` (root side) / `eth0` (host side);
 * - its address is 10.(64s + i).0.1, so every host has its own /16 (a distinct netgroup for
 *   address-diversity rules); the slot's hosts share one link-layer network, 10.64s.0.0/10;
 * - the launcher reaches the hosts from the root namespace through the bridge's own address,
 *   10.(64s + 63).255.254/10 (the "driver"), for RPC and /metrics only.
 *
 * Every interface name stays within Linux's 15 characters; every name starts with `tmnet`, which
 * is how stale leftovers of a crashed launcher are found.
 */

/** Prefix of every namespace, veth and bridge a testnet creates. */
export const NAME_PREFIX = 'tmnet';
/** Testnets that can run at once (each takes a /10 of 10.0.0.0/8). */
export const SLOTS = 4;
/** Hosts per testnet: the second octet 64s + 1 .. 64s + 62 (64s + 63 is the driver's). */
export const MAX_HOSTS = 62;
/** Prefix length of the shared link-layer network of one slot. */
export const PREFIX_LENGTH = 10;

/** A slot's names and addresses. */
export interface SlotPlan {
  readonly slot: number;
  readonly bridge: string;
  /** The root namespace's address on the bridge (with prefix length). */
  readonly driverCidr: string;
  readonly driverAddress: string;
  /** The slot's network, e.g. 10.0.0.0/10. */
  readonly network: string;
}

/** One host's names and address. */
export interface HostPlan {
  /** 1-based index within the testnet. */
  readonly index: number;
  readonly namespace: string;
  /** Root-side veth name. */
  readonly veth: string;
  /** The host's address (no prefix length). */
  readonly address: string;
  readonly cidr: string;
}

export function slotPlan(slot: number): SlotPlan {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOTS)
    throw new RangeError(`slot must be 0-${SLOTS - 1}`);
  const driverAddress = `10.${64 * slot + 63}.255.254`;
  return {
    slot,
    bridge: `${NAME_PREFIX}${slot}-br`,
    driverAddress,
    driverCidr: `${driverAddress}/${PREFIX_LENGTH}`,
    network: `10.${64 * slot}.0.0/${PREFIX_LENGTH}`,
  };
}

export function hostPlan(slot: number, index: number): HostPlan {
  if (!Number.isInteger(index) || index < 1 || index > MAX_HOSTS) {
    throw new RangeError(`host index must be 1-${MAX_HOSTS}`);
  }
  const address = `10.${64 * slot + index}.0.1`;
  return {
    index,
    namespace: `${NAME_PREFIX}${slot}-h${index}`,
    veth: `${NAME_PREFIX}${slot}-v${index}`,
    address,
    cidr: `${address}/${PREFIX_LENGTH}`,
  };
}

/** The slot a testnet name belongs to (`tmnet2-h7` -> 2), or undefined for other names. */
export function slotOfName(name: string): number | undefined {
  const match = new RegExp(`^${NAME_PREFIX}(\\d)-`).exec(name);
  if (match === null) return undefined;
  const slot = Number(match[1]);
  return slot < SLOTS ? slot : undefined;
}
