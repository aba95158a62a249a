/**
 * Baseline node of the propagation benchmark: a minimal libp2p host (TCP, noise, yamux, identify,
 * ping, gossipsub) that floods opaque payloads on one topic, configured like a trustmesh node's
 * gossipsub (StrictNoSign, content-hash message ids, default D/Dlo/Dhi/Dlazy, no flood publishing,
 * no PX, the same score parameters and thresholds, loopback exemptions) but with no application
 * validation: every message is accepted and forwarded by gossipsub itself. That is plain
 * gossipsub flooding, the yardstick for trustmesh's per-hop inv/getdata relay.
 *
 *   node --import tsx scripts/bench/flood-node.ts --key-seed <64 hex> [--host <ip>] --port <p> [--peer <multiaddr>]...
 *
 * Protocol with the driver (bench-propagation.ts), one JSON object per line:
 * - stdout: `{"event":"started","peerId":..}`, then events: `{"e":"sent","id":n,"t":ms}` just before
 *   publishing payload n, `{"e":"recv","id":n,"t":ms}` when payload n is delivered to us,
 *   `{"e":"status","peers":k,"mesh":m}` on request;
 * - stdin: `{"cmd":"publish","id":n,"size":bytes}`, `{"cmd":"status"}`. Closing stdin stops the node.
 */
import '../../src/polyfill.js';
import { createInterface } from 'node:readline';
import { type GossipSub, type GossipSubComponents, gossipsub } from '@chainsafe/libp2p-gossipsub';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys';
import { identify } from '@libp2p/identify';
import { StrictNoSign } from '@libp2p/interface';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import {
  contentMsgId,
  fastContentMsgId,
  peerScoreParams,
  SCORE_THRESHOLDS,
} from '../../src/p2p/node/gossip-config.js';
import { INV_VERDICT_WINDOW_HEARTBEATS, MAX_GOSSIP_RPC_BYTES } from '../../src/p2p/wire/constants.js';
import { EventSink, wallClockMs } from './events.js';

/** The baseline's topic (trustmesh's is /trustmesh/<network>/inv/1). */
export const FLOOD_TOPIC = '/bench/flood/1';
/** Payload header: 8 bytes of run nonce (unique message ids across runs), then the u32 payload id. */
export const PAYLOAD_HEADER_BYTES = 12;
/** Delay (ms) between re-dials of a static peer that is not connected. */
const REDIAL_MS = 500;

interface Args {
  keySeed: Uint8Array;
  host: string;
  port: number;
  peers: string[];
  nonce: bigint;
}

function parseArgs(argv: readonly string[]): Args {
  const peers: string[] = [];
  let keySeed: Uint8Array | undefined;
  let port = 0;
  let host = '127.0.0.1';
  let nonce = 0n;
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--key-seed':
        keySeed = Uint8Array.from(Buffer.from(value ?? '', 'hex'));
        i++;
        break;
      case '--host':
        host = value ?? host;
        i++;
        break;
      case '--port':
        port = Number(value);
        i++;
        break;
      case '--peer':
        peers.push(value ?? '');
        i++;
        break;
      case '--nonce':
        nonce = BigInt(value ?? '0');
        i++;
        break;
      default:
        throw new Error(`flood-node: unknown argument ${argv[i]}`);
    }
  }
  if (keySeed?.length !== 32) throw new Error('flood-node: --key-seed must be 64 hex characters');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('flood-node: bad --port');
  return { keySeed, host, port, peers, nonce };
}

/** Payload `id` of `size` bytes: header (nonce, id) and a deterministic filler. */
export function floodPayload(nonce: bigint, id: number, size: number): Uint8Array {
  const payload = new Uint8Array(Math.max(size, PAYLOAD_HEADER_BYTES));
  const view = new DataView(payload.buffer);
  view.setBigUint64(0, BigInt.asUintN(64, nonce));
  view.setUint32(8, id);
  for (let i = PAYLOAD_HEADER_BYTES; i < payload.length; i++) payload[i] = (i * 131 + id) & 0xff;
  return payload;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sink = new EventSink();
  const libp2p = await createLibp2p({
    privateKey: await generateKeyPairFromSeed('Ed25519', args.keySeed),
    addresses: { listen: [`/ip4/${args.host}/tcp/${args.port}`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { maxConnections: 100, allow: ['/ip4/127.0.0.1'] },
    connectionMonitor: { abortConnectionOnPingFailure: false },
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        globalSignaturePolicy: StrictNoSign,
        msgIdFn: contentMsgId,
        fastMsgIdFn: fastContentMsgId,
        floodPublish: false,
        fallbackToFloodsub: false,
        doPX: false,
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        allowedTopics: [FLOOD_TOPIC],
        maxInboundDataLength: MAX_GOSSIP_RPC_BYTES,
        mcacheLength: INV_VERDICT_WINDOW_HEARTBEATS,
        scoreParams: peerScoreParams({
          topic: FLOOD_TOPIC,
          appSpecificScore: () => 0,
        }),
        scoreThresholds: SCORE_THRESHOLDS,
      }) as unknown as (components: GossipSubComponents) => GossipSub,
    },
  });
  const pubsub = libp2p.services.pubsub;
  pubsub.subscribe(FLOOD_TOPIC);
  pubsub.addEventListener('gossipsub:message', (event) => {
    const { msg } = event.detail;
    if (msg.topic !== FLOOD_TOPIC || msg.data.length < PAYLOAD_HEADER_BYTES) return;
    const t = wallClockMs();
    const id = new DataView(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength).getUint32(8);
    sink.emit({ e: 'recv', id, t });
  });

  // Keep the static peers connected (they may start after us).
  const targets = args.peers.map((text) => multiaddr(text));
  const redial = async (): Promise<void> => {
    const connected = new Set(libp2p.getPeers().map(String));
    await Promise.all(
      targets
        .filter((addr) => !connected.has(addr.getPeerId() ?? ''))
        .map((addr) => libp2p.dial(addr).catch(() => undefined)),
    );
  };
  const dialer = setInterval(() => void redial(), REDIAL_MS);
  void redial();

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(dialer);
    sink.flush();
    Promise.resolve(libp2p.stop()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = JSON.parse(line) as { cmd: string; id?: number; size?: number };
    if (command.cmd === 'publish') {
      const payload = floodPayload(args.nonce, command.id ?? 0, command.size ?? 0);
      sink.emit({ e: 'sent', id: command.id, t: wallClockMs() });
      pubsub.publish(FLOOD_TOPIC, payload).catch((err: Error) => {
        sink.emitNow({ e: 'error', id: command.id, message: err.message });
      });
    } else if (command.cmd === 'status') {
      sink.emitNow({
        e: 'status',
        peers: libp2p.getPeers().length,
        mesh: pubsub.getMeshPeers(FLOOD_TOPIC).length,
      });
    }
  });
  lines.on('close', stop);
  sink.emitNow({ event: 'started', peerId: libp2p.peerId.toString() });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
