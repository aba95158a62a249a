/** Pure helpers of the socket-layer link delay (host-preload.ts): the delay sample and address matching. */

/** A delay of `latencyMs` +- `jitterMs`, uniform, from a random number in [0, 1); never negative. */
export function jitteredDelay(latencyMs: number, jitterMs: number, random: number): number {
  return Math.max(0, latencyMs + (2 * random - 1) * jitterMs);
}

function ipv4ToNumber(address: string): number | undefined {
  const parts = address.replace(/^::ffff:/, '').split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    const byte = Number(part);
    if (!/^\d{1,3}$/.test(part) || byte > 255) return undefined;
    value = value * 256 + byte;
  }
  return value;
}

/** A matcher for the IPv4 addresses of `cidr` (e.g. 10.0.0.0/10); IPv4-mapped IPv6 addresses match too. */
export function parseNetwork(cidr: string): (address: string) => boolean {
  const [base, bits] = cidr.split('/');
  const prefix = Number(bits);
  const start = ipv4ToNumber(base ?? '');
  if (start === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new RangeError(`not an IPv4 network: ${cidr}`);
  }
  const size = 2 ** (32 - prefix);
  const first = Math.floor(start / size) * size;
  return (address) => {
    const value = ipv4ToNumber(address);
    return value !== undefined && value >= first && value < first + size;
  };
}
