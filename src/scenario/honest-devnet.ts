/**
 * The honest devnet of a scenario: N nodes (2 of them miners), each its own process, on free ports
 * under a fresh temporary data root, started and stopped with the devnet launcher's supervisor.
 * The nodes find their peers by discovery, as `npm run devnet` does (generateDevnet's 'discovery'
 * layout): node i on its own loopback address 127.(i+1).0.1 (its own /16 netgroup), bootstrapping
 * from the first two nodes, with devnet-sized outbound targets; the membership attacks (sybil,
 * eclipse) are only meaningful against nodes that choose their peers from an address book.
 * It keeps what the scenario measures of the processes themselves: unexpected exits (crashes) and
 * the peak resident memory of any honest node, sampled from /proc.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RpcClient } from '../cli/rpc-client.js';
import { freePorts } from '../devnet/free-ports.js';
import { Supervisor } from '../devnet/supervisor.js';
import {
  cookiePathOf,
  type DevnetDefinition,
  devnetFileJson,
  generateDevnet,
  type NodeDefinition,
  rpcUrlOf,
} from '../node/devnet-definitions.js';

/** Miners of the honest devnet (spread over the ring by the generator). */
const MINERS = 2;
/** Interval (ms) between two memory samples. */
const RSS_SAMPLE_MS = 1_000;
/** RPC timeout (ms): generous, the machine may be loaded by the attack. */
const RPC_TIMEOUT_MS = 5_000;

/** Resident memory (MB) of process `pid`, or 0 when it is gone. */
function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]) / 1024;
  } catch {
    return 0;
  }
}

export interface HonestNode {
  readonly def: NodeDefinition;
  readonly rpc: RpcClient;
  /** `/ip4/<its host, 127.(i+1).0.1>/tcp/<port>/p2p/<id>`. */
  readonly address: string;
  readonly peerId: string;
}

export class HonestDevnet {
  private readonly crashed: string[] = [];
  private peakRss = 0;
  private rssTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly devnet: DevnetDefinition,
    readonly dataRoot: string,
    private readonly supervisor: Supervisor,
    readonly nodes: readonly HonestNode[],
  ) {}

  /** Starts `count` honest nodes and waits until each printed `started`. */
  static async start(count: number): Promise<HonestDevnet> {
    const dataRoot = await mkdtemp(join(tmpdir(), 'trustmesh-scenario-'));
    const generated = generateDevnet(count, Math.min(MINERS, count), { dataRoot, layout: 'discovery' });
    const ports = await freePorts(3 * generated.nodes.length);
    const nodes: NodeDefinition[] = generated.nodes.map((def, i) => ({
      ...def,
      p2pPort: ports[3 * i]!,
      rpcPort: ports[3 * i + 1]!,
      metricsPort: ports[3 * i + 2]!,
    }));
    const devnet: DevnetDefinition = { ...generated, nodes };
    const file = join(dataRoot, 'devnet.json');
    await writeFile(file, JSON.stringify(devnetFileJson(devnet, dataRoot)));
    const supervisor = new Supervisor(devnet, file);
    try {
      await supervisor.start();
    } catch (err) {
      await rm(dataRoot, { recursive: true, force: true });
      throw err;
    }
    const honest = supervisor.nodes.map(({ def, process }) => ({
      def,
      rpc: RpcClient.fromCookie(rpcUrlOf(def), cookiePathOf(def), {
        name: def.name,
        timeoutMs: RPC_TIMEOUT_MS,
      }),
      address: `/ip4/${def.host}/tcp/${def.p2pPort}/p2p/${process.started!.peerId}`,
      peerId: process.started!.peerId,
    }));
    const net = new HonestDevnet(devnet, dataRoot, supervisor, honest);
    supervisor.onUnexpectedExit((node, description) => net.crashed.push(`${node.def.name} ${description}`));
    net.rssTimer = setInterval(() => net.sampleRss(), RSS_SAMPLE_MS);
    return net;
  }

  /** Honest nodes that exited while the devnet ran, with how. */
  get crashes(): readonly string[] {
    return this.crashed;
  }

  /** Peak resident memory (MB) of any honest node so far. */
  get peakRssMb(): number {
    return this.peakRss;
  }

  /** Starts a new peak: `peakRssMb` then covers only what follows. */
  resetPeak(): void {
    this.peakRss = Math.max(0, ...this.rss());
  }

  /** Current resident memory (MB) of each honest node. */
  rss(): number[] {
    return this.supervisor.nodes.map(({ process }) => (process.pid === undefined ? 0 : rssMb(process.pid)));
  }

  /** Stops every node and deletes the data root (kept, and its path printed, when `keep`). */
  async stop(keep = false): Promise<void> {
    clearInterval(this.rssTimer);
    await this.supervisor.stop();
    if (keep) process.stderr.write(`scenario: kept the data root ${this.dataRoot}\n`);
    else await rm(this.dataRoot, { recursive: true, force: true });
  }

  private sampleRss(): void {
    this.peakRss = Math.max(this.peakRss, ...this.rss());
  }
}
