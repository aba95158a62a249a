/**
 * The wire codec's bounds and canonical-encoding rules (inv, getdata, sync, txpush), and the getdata
 * response rules, without sockets (kept next to the integration tests that exercise them over TCP).
 */
import { describe, expect, it } from 'vitest';
import { checkResponse } from '../../../src/p2p/getdata/client.js';
import { buildDataResponse } from '../../../src/p2p/getdata/server.js';
import { MAX_TX_BYTES } from '../../../src/chain/encoding/limits.js';
import {
  bigintToBytes,
  decodeData,
  decodeGetData,
  decodeInv,
  decodeMempoolInv,
  decodePushSubscribe,
  decodeStatus,
  decodeSyncRequest,
  decodePushFrame,
  encodeData,
  encodeGetData,
  encodeInv,
  encodePushSubscribe,
  encodeStatus,
  encodeSyncRequest,
  encodeTxPush,
  InvType,
  invKey,
  PushMode,
  txPushEntrySize,
} from '../../../src/p2p/wire/codec.js';
import {
  MAX_INV_ITEMS,
  MAX_PUSH_FRAME_BYTES,
  MAX_PUSH_SUBSCRIBE_BYTES,
  MAX_PUSH_TXS,
} from '../../../src/p2p/wire/constants.js';
import { WireError } from '../../../src/p2p/wire/errors.js';
import { Inv, Status, TxPush } from '../../../src/p2p/wire/messages.pb.js';
import { hashOf, item, MemoryInventory } from './helpers.js';

function kindOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof WireError ? err.kind : `not a WireError: ${String(err)}`;
  }
  return undefined;
}

describe('wire codec', () => {
  it('round-trips every message', () => {
    const items = [item(InvType.TX, 'a'), item(InvType.BLOCK, 'b')];
    expect(decodeInv(encodeInv(items))).toEqual(items);
    expect(decodeGetData(encodeGetData({ requestId: 7, items }))).toEqual({ requestId: 7, items });
    const data = {
      requestId: 0xffff_ffff,
      objects: [{ type: InvType.TX, payload: Uint8Array.of(1) }],
      notFound: [items[1]!],
      deferred: [],
    };
    expect(decodeData(encodeData(data))).toEqual(data);
    const status = { genesis: hashOf('g'), tip: hashOf('t'), height: 9, cumulativeWork: 2n ** 200n + 5n };
    expect(decodeStatus(encodeStatus(status))).toEqual(status);
    const query = { kind: 'getBlocks' as const, locator: [hashOf('x')], max: 500 };
    expect(decodeSyncRequest(encodeSyncRequest(query))).toEqual(query);
    expect(invKey(InvType.TX, hashOf('a'))).toMatch(/^tx:[0-9a-f]{64}$/);
    expect(invKey(InvType.BLOCK, hashOf('a'))).toMatch(/^block:[0-9a-f]{64}$/);
  });

  it('refuses oversize, malformed and non-canonical bytes with the right kind', () => {
    const tooMany = Inv.encode({
      items: Array.from({ length: MAX_INV_ITEMS + 1 }, (_, i) => ({
        type: InvType.TX,
        hash: hashOf(`i${i}`) as Uint8Array<ArrayBuffer>,
      })),
    });
    expect(kindOf(() => decodeInv(tooMany))).toBe('OVERSIZE');
    expect(kindOf(() => decodeInv(new Uint8Array(64 * 1024 + 1)))).toBe('OVERSIZE');
    const shortHash = Inv.encode({ items: [{ type: InvType.TX, hash: new Uint8Array(31) }] });
    expect(kindOf(() => decodeInv(shortHash))).toBe('MALFORMED');
    const noType = Inv.encode({
      items: [{ type: InvType.INV_TYPE_UNSPECIFIED, hash: hashOf('a') as Uint8Array<ArrayBuffer> }],
    });
    expect(kindOf(() => decodeInv(noType))).toBe('MALFORMED');
    expect(kindOf(() => decodeInv(Inv.encode({ items: [] })))).toBe('MALFORMED'); // empty Inv
    // Unknown enum value 9: 0a 24 (item, 36 bytes) 08 09 (type 9) 12 20 <hash>
    const unknownType = Uint8Array.of(0x0a, 0x24, 0x08, 0x09, 0x12, 0x20, ...hashOf('a'));
    expect(kindOf(() => decodeInv(unknownType))).toBe('MALFORMED');
    // Type 0 written explicitly: decodes, but the canonical encoding omits it.
    const explicitZero = Uint8Array.of(0x0a, 0x24, 0x08, 0x00, 0x12, 0x20, ...hashOf('a'));
    expect(kindOf(() => decodeInv(explicitZero))).toBe('NON_CANONICAL');
    // Fields out of order: hash before type.
    const reordered = Uint8Array.of(0x0a, 0x24, 0x12, 0x20, ...hashOf('a'), 0x08, 0x01);
    expect(kindOf(() => decodeInv(reordered))).toBe('NON_CANONICAL');
    // A mempool answer may only list transactions.
    expect(kindOf(() => decodeMempoolInv(encodeInv([item(InvType.BLOCK, 'b')])))).toBe('MALFORMED');
    // cumulativeWork with a leading zero byte.
    const padded = Status.encode({
      genesis: hashOf('g') as Uint8Array<ArrayBuffer>,
      tip: hashOf('t') as Uint8Array<ArrayBuffer>,
      height: 1,
      cumulativeWork: Uint8Array.of(0, 1),
    });
    expect(kindOf(() => decodeStatus(padded))).toBe('NON_CANONICAL');
    expect(bigintToBytes(0n)).toEqual(new Uint8Array(0));
    expect(bigintToBytes(256n)).toEqual(Uint8Array.of(1, 0));
    // An empty SyncRequest sets no query.
    expect(kindOf(() => decodeSyncRequest(new Uint8Array(0)))).toBe('MALFORMED');
    // getBlocks.max out of range.
    const maxZero = Uint8Array.of(0x12, 0x00); // getBlocks {} : max 0
    expect(kindOf(() => decodeSyncRequest(maxZero))).toBe('MALFORMED');
  });

  it('fills a Data response in order, deferring from the first object that does not fit', async () => {
    const source = new MemoryInventory();
    const a = source.add(InvType.BLOCK, 'a', new Uint8Array(60));
    const missing = item(InvType.TX, 'missing');
    const b = source.add(InvType.BLOCK, 'b', new Uint8Array(50));
    const c = source.add(InvType.TX, 'c', new Uint8Array(10));
    const response = await buildDataResponse(source, { requestId: 3, items: [a, missing, b, c] }, 100);
    expect(response.objects.map((o) => o.payload.length)).toEqual([60]);
    expect(response.notFound).toEqual([missing]);
    expect(response.deferred).toEqual([b, c]); // c would fit, but the response ends at b
    expect(source.lookups).toBe(3); // c was never looked up
    expect(checkResponse([a, missing, b, c], response)).toBeUndefined();
    // An answer must cover exactly the request.
    expect(checkResponse([a, missing, b], response)?.kind).toBe('UNSOLICITED');
    expect(checkResponse([a, missing, b, c, item(InvType.TX, 'd')], response)?.kind).toBe('INCOMPLETE');
    const oversized = await buildDataResponse(source, { requestId: 4, items: [a] }, 59);
    expect(oversized.notFound).toEqual([a]); // larger than a whole response: never served
  });
});

// txpush: every refusal a subscriber or pusher makes before it hashes or validates anything.
const tx = (size: number, fill = 7): Uint8Array => new Uint8Array(size).fill(fill);

describe('txpush codec', () => {
  it('round-trips subscriptions and pushes', () => {
    for (const mode of [PushMode.OWN, PushMode.ALL]) {
      const bytes = encodePushSubscribe(mode);
      expect(bytes.length).toBeLessThanOrEqual(MAX_PUSH_SUBSCRIBE_BYTES);
      expect(decodePushSubscribe(bytes)).toEqual({ mode, compactBlocks: false });
      expect(decodePushSubscribe(encodePushSubscribe(mode, true))).toEqual({ mode, compactBlocks: true });
    }
    const txs = [tx(200, 1), tx(1, 2), tx(MAX_TX_BYTES, 3)];
    const bytes = encodeTxPush(txs);
    expect(bytes.length).toBe(txs.reduce((sum, t) => sum + txPushEntrySize(t), 0));
    expect(decodePushFrame(bytes)).toEqual({ kind: 'txs', txs });
  });

  it('refuses a subscription without a valid mode, or not canonical', () => {
    expect(kindOf(() => decodePushSubscribe(new Uint8Array(0)))).toBe('MALFORMED'); // mode unset
    expect(kindOf(() => decodePushSubscribe(Uint8Array.of(0x08, 0x09)))).toBe('MALFORMED'); // mode 9
    expect(kindOf(() => decodePushSubscribe(Uint8Array.of(0x08, 0x00)))).toBe('NON_CANONICAL'); // explicit 0
    expect(kindOf(() => decodePushSubscribe(Uint8Array.of(0x08, 0x02, 0x18, 0x01)))).toBe('NON_CANONICAL');
    expect(kindOf(() => decodePushSubscribe(Uint8Array.of(0x08, 0x02, 0x10, 0x00)))).toBe('NON_CANONICAL'); // explicit false
    expect(kindOf(() => decodePushSubscribe(new Uint8Array(MAX_PUSH_SUBSCRIBE_BYTES + 1)))).toBe('OVERSIZE');
    expect(() => encodePushSubscribe(PushMode.PUSH_MODE_UNSPECIFIED)).toThrow(TypeError);
  });

  it('refuses pushes that are empty, too many, too large or not canonical', () => {
    expect(kindOf(() => decodePushFrame(new Uint8Array(0)))).toBe('MALFORMED');
    const tooMany = TxPush.encode({ txs: Array.from({ length: MAX_PUSH_TXS + 1 }, () => tx(10)) as never });
    expect(kindOf(() => decodePushFrame(tooMany))).toBe('OVERSIZE');
    const emptyEntry = TxPush.encode({ txs: [tx(10), new Uint8Array(0)] as never });
    expect(kindOf(() => decodePushFrame(emptyEntry))).toBe('MALFORMED');
    const bigEntry = TxPush.encode({ txs: [tx(MAX_TX_BYTES + 1)] as never });
    expect(kindOf(() => decodePushFrame(bigEntry))).toBe('OVERSIZE');
    expect(kindOf(() => decodePushFrame(new Uint8Array(MAX_PUSH_FRAME_BYTES + 1)))).toBe('OVERSIZE');
    // An unknown field (3, varint 1) after one entry.
    const unknown = Uint8Array.of(...encodeTxPush([tx(3)]), 0x18, 0x01);
    expect(kindOf(() => decodePushFrame(unknown))).toBe('NON_CANONICAL');
    // Our own encoder refuses what a peer may not send.
    expect(() => encodeTxPush([])).toThrow(RangeError);
    expect(() => encodeTxPush([new Uint8Array(0)])).toThrow(RangeError);
    expect(() => encodeTxPush([tx(MAX_TX_BYTES), tx(MAX_TX_BYTES), tx(MAX_TX_BYTES)])).toThrow(RangeError);
  });
});
