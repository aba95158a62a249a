/**
 * Preloaded (`--import`) into every process the testnet starts inside a host namespace (trustmesh
 * nodes, and the propagation benchmark's baseline nodes). Configured by environment variables set
 * by the launcher (link-shaping.ts `delayEnv`, and TMNET_GATEWAY):
 *
 * - **Link delay** (TMNET_LATENCY_MS, TMNET_JITTER_MS, TMNET_NETWORK, TMNET_DRIVER): every write
 *   on a TCP socket to another host of the testnet is held for latency +- jitter (uniform) before it
 *   reaches the kernel, in order (a write never overtakes an earlier one on the same socket, as on a
 *   FIFO link); `end()` waits for the held writes. Traffic with the launcher is not delayed.
 * - **Gateway** (TMNET_GATEWAY = "<address>:<port>[=<target>],..."): the node serves RPC and
 *   /metrics on 127.0.0.1 only, which the launcher in the root namespace (or Prometheus, in a
 *   container) cannot reach; for each entry, a plain TCP relay listens on `<address>:<port>` and
 *   forwards to 127.0.0.1:<target> (default: the same port).
 * - **Arrivals** (TMNET_PROBE=1): one stdout line per transaction the node accepts into its mempool
 *   (`{"probe":"acc","id":<txid>,"t":<ms>}`) and per block joining the active chain
 *   (reorganisations included) that confirms transactions (`{"probe":"cfm","ids":[...],"t":<ms>}`), timed in the process, so delivery latency carries
 *   no polling delay. Times are wall-clock ms, comparable across the hosts of one machine.
 */
import { createConnection, createServer, Socket } from 'node:net';
import { jitteredDelay, parseNetwork } from './link-delay.js';

setUpDelay();
setUpGateway();
if (process.env.TMNET_PROBE === '1') await setUpProbe();

function setUpDelay(): void {
  const latency = Number(process.env.TMNET_LATENCY_MS ?? 0);
  const jitter = Number(process.env.TMNET_JITTER_MS ?? 0);
  const network = process.env.TMNET_NETWORK;
  if (!(latency > 0 || jitter > 0) || network === undefined) return;
  const inNetwork = parseNetwork(network);
  const driver = process.env.TMNET_DRIVER;
  const delayed = (socket: Socket): boolean => {
    const remote = socket.remoteAddress;
    return remote !== undefined && remote !== driver && inNetwork(remote);
  };
  interface Held {
    due: number;
    args: unknown[];
  }
  const queues = new WeakMap<
    Socket,
    { held: Held[]; timer?: NodeJS.Timeout; endArgs?: unknown[]; last: number }
  >();
  const write = Socket.prototype.write as (...args: unknown[]) => boolean;
  const end = Socket.prototype.end as (...args: unknown[]) => Socket;
  const flush = (socket: Socket): void => {
    const queue = queues.get(socket)!;
    queue.timer = undefined;
    const now = Date.now();
    while (queue.held.length > 0 && queue.held[0]!.due <= now) {
      const { args } = queue.held.shift()!;
      if (!socket.destroyed) write.apply(socket, args);
    }
    if (queue.held.length > 0) {
      queue.timer = setTimeout(() => flush(socket), queue.held[0]!.due - now);
    } else if (queue.endArgs !== undefined && !socket.destroyed) {
      const args = queue.endArgs;
      queue.endArgs = undefined;
      end.apply(socket, args);
    }
  };
  Socket.prototype.write = function (this: Socket, ...args: unknown[]): boolean {
    if (!delayed(this)) return write.apply(this, args);
    let queue = queues.get(this);
    if (queue === undefined) {
      queue = { held: [], last: 0 };
      queues.set(this, queue);
    }
    // FIFO: a write is due no earlier than the one before it.
    const due = Math.max(Date.now() + jitteredDelay(latency, jitter, Math.random()), queue.last);
    queue.last = due;
    queue.held.push({ due, args });
    queue.timer ??= setTimeout(() => flush(this), due - Date.now());
    return true;
  } as typeof Socket.prototype.write;
  Socket.prototype.end = function (this: Socket, ...args: unknown[]): Socket {
    const queue = queues.get(this);
    if (queue === undefined || queue.held.length === 0) return end.apply(this, args);
    queue.endArgs = args;
    return this;
  } as typeof Socket.prototype.end;
}

function setUpGateway(): void {
  const spec = process.env.TMNET_GATEWAY;
  if (spec === undefined || spec === '') return;
  const colon = spec.lastIndexOf(':');
  const address = spec.slice(0, colon);
  for (const entry of spec.slice(colon + 1).split(',')) {
    const [listen, target = listen] = entry.split('=').map(Number) as [number, number?];
    const server = createServer((inbound) => {
      const outbound = createConnection({ host: '127.0.0.1', port: target });
      inbound.pipe(outbound).pipe(inbound);
      const close = () => {
        inbound.destroy();
        outbound.destroy();
      };
      inbound.on('error', close);
      outbound.on('error', close);
    });
    server.on('error', (err) => process.stderr.write(`gateway ${address}:${listen}: ${err.message}\n`));
    server.listen(listen, address);
    server.unref();
  }
}

async function setUpProbe(): Promise<void> {
  const { Mempool } = await import('../chain/mempool/mempool.js');
  const line = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
  const accept = Mempool.prototype.acceptTransaction;
  Mempool.prototype.acceptTransaction = function (this: InstanceType<typeof Mempool>, ...args) {
    const accepted = accept.apply(this, args);
    line({ probe: 'acc', id: accepted.txidHex, t: Date.now() });
    return accepted;
  };
  // Every block joined to the active chain, a reorganisation's included (the mempool's
  // removeConfirmed is skipped then: the mempool is rebuilt instead); and orphan transactions that
  // entered the mempool when their parent came (inside another acceptance, so not seen above).
  const { Chain } = await import('../chain/state/chain.js');
  const emit = Chain.prototype.emit;
  Chain.prototype.emit = function (this: typeof Chain.prototype, event, ...args) {
    if (event === 'block') {
      const ids = (args[0] as { txids: readonly string[] }).txids;
      if (ids.length > 0) line({ probe: 'cfm', ids, t: Date.now() });
    }
    if (event === 'adopted') {
      for (const id of args[0] as readonly string[]) line({ probe: 'acc', id, t: Date.now() });
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}
