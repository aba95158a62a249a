/**
 * Free TCP ports for the processes a launcher is about to start (devnets, scenarios, benchmarks,
 * tests). Ports come from below the kernel's ephemeral range: a port-0 port, once released, may be
 * handed by the kernel to an outbound connection or another port-0 listener before our node binds
 * it, and two port-0 probes in a row may even return the same port.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/** Lowest port handed out: above the well-known and registered ports that devnets like. */
const LOW_PORT = 20_000;

/** The kernel's ephemeral port range (outbound connections and port-0 listeners take ports from it). */
async function ephemeralRange(): Promise<[number, number]> {
  try {
    const text = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    const [low, high] = text.trim().split(/\s+/).map(Number) as [number, number];
    if (Number.isInteger(low) && Number.isInteger(high)) return [low, high];
  } catch {
    // no readable port range: use the Linux default below
  }
  return [32_768, 60_999];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * `count` distinct TCP ports free on 127.0.0.1, taken below the kernel's ephemeral range from a
 * random starting point. Ports from the ephemeral range (port 0) would race: once released, the
 * kernel may hand them to an outbound connection or another port-0 listener before our node binds.
 */
export async function freePorts(count: number): Promise<number[]> {
  const [ephemeralLow, ephemeralHigh] = await ephemeralRange();
  // Below the ephemeral range if there is room, else above it.
  let [low, high] = [LOW_PORT, ephemeralLow - 1];
  if (high - low + 1 < 4 * count) [low, high] = [ephemeralHigh + 1, 65_535];
  const span = high - low + 1;
  if (span < count) throw new Error(`no room for ${count} ports outside the ephemeral range`);
  const ports: number[] = [];
  let port = low + Math.floor(Math.random() * span);
  for (let tried = 0; ports.length < count && tried < span; tried++) {
    if (await canListen(port)) ports.push(port);
    port = port >= high ? low : port + 1;
  }
  if (ports.length < count) throw new Error(`only ${ports.length} of ${count} free ports found`);
  return ports;
}
