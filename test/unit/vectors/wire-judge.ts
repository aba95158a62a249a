/**
 * How a receiver judges wire bytes, as the wire vectors record it: the reference decoder of each
 * message (src/p2p/wire/codec.ts), the stream framing (src/p2p/wire/framing.ts) read from an
 * in-memory stream, and the offence each violation costs (PROTOCOL.md section 13). Shared by the
 * generator (scripts/vectors.ts) and the tests.
 */
import type { Stream } from '@libp2p/interface';
import {
  decodeBlockIds,
  decodeBlockTxn,
  decodeHeaders,
  decodeData,
  decodeGetData,
  decodeInv,
  decodeMempoolInv,
  decodePushSubscribe,
  decodeStatus,
  decodeSyncRequest,
  decodePushFrame,
} from '../../../src/p2p/wire/codec.js';
import { WireError } from '../../../src/p2p/wire/errors.js';
import { decodeCompactBlock } from '../../../src/p2p/compact/compact-block.js';
import { DEVNET } from '../../../src/chain/params.js';
import { offenceFor } from '../../../src/p2p/reputation/blame.js';
import { frameStream } from '../../../src/p2p/wire/framing.js';
import { ProtocolViolationError, type ViolationKind } from '../../../src/p2p/wire/violations.js';
import { hex } from './format.js';

export type WireMessageName =
  | 'Inv'
  | 'MempoolInv'
  | 'GetData'
  | 'Data'
  | 'PushSubscribe'
  | 'TxPush'
  | 'SyncRequest'
  | 'Status'
  | 'BlockIds'
  | 'Headers'
  | 'CompactBlock'
  | 'BlockTxn';

/** The offence a violation costs the peer that sent the bytes (the blame module's table). */
export function violationOffence(kind: ViolationKind): string {
  return offenceFor(new ProtocolViolationError(kind, 'vector'), DEVNET) ?? 'none';
}

type Verdict = { ok: unknown } | { violation: ViolationKind; offence: string };

const items = (list: ReadonlyArray<{ type: string; hash: Uint8Array }>) =>
  list.map((item) => ({ type: item.type, hash: hex(item.hash) }));

/** The decoded message as JSON (bytes as hex, big numbers as decimal strings). */
function decode(message: WireMessageName, bytes: Uint8Array, max: number | undefined): unknown {
  switch (message) {
    case 'Inv':
      return { items: items(decodeInv(bytes)) };
    case 'MempoolInv':
      return { txids: decodeMempoolInv(bytes).map(hex) };
    case 'GetData': {
      const m = decodeGetData(bytes);
      return { requestId: m.requestId, items: items(m.items) };
    }
    case 'Data': {
      const m = decodeData(bytes);
      return {
        requestId: m.requestId,
        objects: m.objects.map((o) => ({ type: o.type, payload: hex(o.payload) })),
        notFound: items(m.notFound),
        deferred: items(m.deferred),
      };
    }
    case 'PushSubscribe': {
      const { mode, compactBlocks } = decodePushSubscribe(bytes);
      return compactBlocks ? { mode, compactBlocks } : { mode };
    }
    case 'TxPush': {
      const frame = decodePushFrame(bytes);
      return frame.kind === 'txs' ? { txs: frame.txs.map(hex) } : { compactBlock: hex(frame.compactBlock) };
    }
    case 'SyncRequest': {
      const q = decodeSyncRequest(bytes);
      if (q.kind === 'getBlocks' || q.kind === 'getHeaders')
        return { kind: q.kind, locator: q.locator.map(hex), max: q.max };
      if (q.kind === 'getBlockTxn') return { kind: q.kind, blockId: hex(q.blockId), indexes: q.indexes };
      if (q.kind === 'getMempool' && q.maxAgeSeconds !== undefined)
        return { kind: q.kind, maxAgeSeconds: q.maxAgeSeconds };
      return { kind: q.kind };
    }
    case 'Status': {
      const s = decodeStatus(bytes);
      return {
        genesis: hex(s.genesis),
        tip: hex(s.tip),
        height: s.height,
        cumulativeWork: s.cumulativeWork.toString(),
      };
    }
    case 'Headers': {
      // As BlockIds: up to the protocol's 500, then held to the request's own `max`.
      const headers = decodeHeaders(bytes);
      if (max !== undefined && headers.length > max)
        throw new ProtocolViolationError('UNSOLICITED', `${headers.length} headers for max ${max}`);
      return { headers: headers.map(hex) };
    }
    case 'CompactBlock': {
      const c = decodeCompactBlock(bytes);
      return {
        blockId: hex(c.blockId),
        nonce: hex(c.nonce),
        coinbase: hex(c.coinbase),
        shortIds: c.shortIds.map((id) => id.toString(16).padStart(12, '0')),
      };
    }
    case 'BlockTxn':
      // `max` carries how many transactions the request asked for.
      return { txs: decodeBlockTxn(bytes, max!).map(hex) };
    case 'BlockIds': {
      // The requester decodes up to the protocol's 500 ids, then holds the answer to its own `max`.
      const ids = decodeBlockIds(bytes);
      if (max !== undefined && ids.length > max)
        throw new ProtocolViolationError('UNSOLICITED', `${ids.length} block ids for max ${max}`);
      return { ids: ids.map(hex) };
    }
  }
}

/** The receiver's verdict on one message. */
export function decodeWireVector(message: WireMessageName, bytes: Uint8Array, max?: number): Verdict {
  try {
    return { ok: decode(message, bytes, max) };
  } catch (err) {
    if (err instanceof WireError || err instanceof ProtocolViolationError)
      return { violation: err.kind, offence: violationOffence(err.kind) };
    throw err;
  }
}

/** A read-only in-memory stream delivering `bytes` in one chunk, then its end. */
function memoryStream(bytes: Uint8Array): Stream {
  const fake = {
    source: (async function* () {
      if (bytes.length > 0) yield bytes;
    })(),
    sink: async (source: AsyncIterable<unknown>) => {
      for await (const _ of source);
    },
    abort: () => {},
    close: async () => {},
  };
  return fake as unknown as Stream;
}

/** Reads frames of at most `maxFrameBytes` until the stream ends or a violation. */
export async function readFrames(
  maxFrameBytes: number,
  bytes: Uint8Array,
): Promise<{ frames: string[]; end: 'end of stream' | { violation: ViolationKind; offence: string } }> {
  const frames = frameStream(memoryStream(bytes), maxFrameBytes);
  const read: string[] = [];
  for (;;) {
    try {
      const frame = await frames.read();
      if (frame === undefined) return { frames: read, end: 'end of stream' };
      read.push(hex(frame));
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      return { frames: read, end: { violation: err.kind, offence: violationOffence(err.kind) } };
    }
  }
}
