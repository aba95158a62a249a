/**
 * Wire vectors (PROTOCOL.md 3-7, 12, 13): messages as received (hex, or `length` bytes starting with
 * `prefix` and padded with `fill`), the decoder that judges them, and the verdict (the decoded
 * message, or the violation and the offence it costs); stream framing; and getdata responses
 * checked against their request.
 */
import { encodeBlock, encodeTransaction, type Transaction } from '../../src/chain/encoding/codec.js';
import { BLOCK_VERSION, merkleRoot } from '../../src/chain/objects/block.js';
import { createCoinbase, txidOf, txidOfBytes } from '../../src/chain/objects/transaction.js';
import { blockParts, compactBlockOf, encodeCompactBlock } from '../../src/p2p/compact/compact-block.js';
import { shortIdKey } from '../../src/p2p/compact/short-ids.js';
import { checkResponse } from '../../src/p2p/getdata/client.js';
import {
  BlockTxn,
  CompactBlock,
  Data,
  GetData,
  Inv,
  InvType,
  PushSubscribe,
  Status,
  SyncRequest,
  TxPush,
} from '../../src/p2p/wire/messages.pb.js';
import { GENERATED_BY, hex } from '../../test/unit/vectors/format.js';
import { type Bytes, concat, filler, key, lenField, T0, varint, varintField } from './common.js';
import { samplePayment } from './transactions.js';
import {
  decodeWireVector,
  type WireMessageName,
  readFrames,
  violationOffence,
} from '../../test/unit/vectors/wire-judge.js';

const h = (byte: number): Bytes => new Uint8Array(32).fill(byte);
const NONCE = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
const item = (type: InvType, hash: Uint8Array) => ({ type, hash: hash as Bytes });
const rawItem = (type: number, hash: Uint8Array): Bytes =>
  concat(type === 0 ? new Uint8Array(0) : varintField(1, type), lenField(2, hash));

interface WireCase {
  name: string;
  message: WireMessageName;
  bytes?: Uint8Array;
  sized?: { prefix: Uint8Array; fill: number; length: number };
  /** BlockIds only: the request's `max`. */
  max?: number;
}

function messageCases(): WireCase[] {
  const tx = encodeTransaction(samplePayment());
  const items1001 = Array.from({ length: 1_001 }, (_, i) => item(InvType.TX, filler(`inv${i}`, 32)));
  return [
    // --- Inv (gossipsub payload) ---
    {
      name: 'Inv: one TX item, nonce 01..08 (PROTOCOL.md 4 example)',
      message: 'Inv',
      bytes: Inv.encode({ items: [item(InvType.TX, h(0x11))], nonce: NONCE as Bytes }),
    },
    {
      name: 'Inv: a TX and a BLOCK',
      message: 'Inv',
      bytes: Inv.encode({
        items: [item(InvType.TX, h(0x11)), item(InvType.BLOCK, h(0x22))],
        nonce: NONCE as Bytes,
      }),
    },
    {
      name: 'Inv: 1,001 items',
      message: 'Inv',
      bytes: Inv.encode({ items: items1001, nonce: NONCE as Bytes }),
    },
    {
      name: 'Inv: 65,537 bytes',
      message: 'Inv',
      sized: { prefix: new Uint8Array(0), fill: 0x0a, length: 65_537 },
    },
    { name: 'Inv: no items', message: 'Inv', bytes: lenField(2, NONCE) },
    { name: 'Inv: no nonce', message: 'Inv', bytes: lenField(1, rawItem(1, h(0x11))) },
    {
      name: 'Inv: 7-byte nonce',
      message: 'Inv',
      bytes: concat(lenField(1, rawItem(1, h(0x11))), lenField(2, NONCE.subarray(0, 7))),
    },
    {
      name: 'Inv: item without a type (type 0)',
      message: 'Inv',
      bytes: concat(lenField(1, rawItem(0, h(0x11))), lenField(2, NONCE)),
    },
    {
      name: 'Inv: item of unknown type 3',
      message: 'Inv',
      bytes: concat(lenField(1, rawItem(3, h(0x11))), lenField(2, NONCE)),
    },
    {
      name: 'Inv: 31-byte hash',
      message: 'Inv',
      bytes: concat(lenField(1, rawItem(1, h(0x11).subarray(0, 31))), lenField(2, NONCE)),
    },
    {
      name: 'Inv: type 0 written explicitly (default value)',
      message: 'Inv',
      bytes: concat(lenField(1, concat(varintField(1, 0), lenField(2, h(0x11)))), lenField(2, NONCE)),
    },
    {
      name: 'Inv: nonce before items (field order)',
      message: 'Inv',
      bytes: concat(lenField(2, NONCE), lenField(1, rawItem(1, h(0x11)))),
    },
    {
      name: 'Inv: unknown field 3',
      message: 'Inv',
      bytes: concat(lenField(1, rawItem(1, h(0x11))), lenField(2, NONCE), varintField(3, 1)),
    },
    {
      name: 'Inv: nonce before items AND a 31-byte hash: the canonical check comes first',
      message: 'Inv',
      bytes: concat(lenField(2, NONCE), lenField(1, rawItem(1, h(0x11).subarray(0, 31)))),
    },
    {
      name: 'Inv: truncated',
      message: 'Inv',
      bytes: concat(lenField(1, rawItem(1, h(0x11))), lenField(2, NONCE)).subarray(0, 20),
    },

    // --- getMempool answer (an Inv without nonce) ---
    { name: 'mempool Inv: empty (0 bytes)', message: 'MempoolInv', bytes: new Uint8Array(0) },
    {
      name: 'mempool Inv: two TX items',
      message: 'MempoolInv',
      bytes: Inv.encode({
        items: [item(InvType.TX, h(1)), item(InvType.TX, h(2))],
        nonce: new Uint8Array(0),
      }),
    },
    {
      name: 'mempool Inv: a BLOCK item',
      message: 'MempoolInv',
      bytes: Inv.encode({ items: [item(InvType.BLOCK, h(1))], nonce: new Uint8Array(0) }),
    },
    {
      name: 'mempool Inv: with a nonce',
      message: 'MempoolInv',
      bytes: Inv.encode({ items: [item(InvType.TX, h(1))], nonce: NONCE as Bytes }),
    },

    // --- GetData ---
    {
      name: 'GetData: request 1 for block 11..11 (PROTOCOL.md 5 example body)',
      message: 'GetData',
      bytes: GetData.encode({ requestId: 1, items: [item(InvType.BLOCK, h(0x11))] }),
    },
    {
      name: 'GetData: requestId 0 (omitted)',
      message: 'GetData',
      bytes: GetData.encode({ requestId: 0, items: [item(InvType.TX, h(0x11))] }),
    },
    {
      name: 'GetData: requestId 2^32 - 1',
      message: 'GetData',
      bytes: GetData.encode({ requestId: 0xffff_ffff, items: [item(InvType.TX, h(0x11))] }),
    },
    { name: 'GetData: no items', message: 'GetData', bytes: varintField(1, 7) },
    {
      name: 'GetData: 1,001 items',
      message: 'GetData',
      bytes: GetData.encode({ requestId: 1, items: items1001 }),
    },
    {
      name: 'GetData: the same item twice',
      message: 'GetData',
      bytes: GetData.encode({ requestId: 4, items: [item(InvType.TX, h(0x11)), item(InvType.TX, h(0x11))] }),
    },
    {
      name: 'GetData: requestId as a 5-byte varint above 2^32',
      message: 'GetData',
      bytes: concat(key(1, 0), varint(2n ** 32n + 1n), lenField(2, rawItem(1, h(0x11)))),
    },

    // --- Data ---
    {
      name: 'Data: notFound for block 11..11 (PROTOCOL.md 5 example body)',
      message: 'Data',
      bytes: Data.encode({
        requestId: 1,
        objects: [],
        notFound: [item(InvType.BLOCK, h(0x11))],
        deferred: [],
      }),
    },
    {
      name: 'Data: one transaction',
      message: 'Data',
      bytes: Data.encode({
        requestId: 9,
        objects: [{ type: InvType.TX, payload: tx as Bytes }],
        notFound: [],
        deferred: [],
      }),
    },
    {
      name: 'Data: a deferred block',
      message: 'Data',
      bytes: Data.encode({
        requestId: 3,
        objects: [],
        notFound: [],
        deferred: [item(InvType.BLOCK, h(0x33))],
      }),
    },
    { name: 'Data: empty response to request 0 (0 bytes)', message: 'Data', bytes: new Uint8Array(0) },
    {
      name: 'Data: object with an empty payload',
      message: 'Data',
      bytes: concat(varintField(1, 1), lenField(2, varintField(1, 1))),
    },
    {
      name: 'Data: object without a type',
      message: 'Data',
      bytes: concat(varintField(1, 1), lenField(2, lenField(2, tx))),
    },

    // --- txpush ---
    {
      name: 'PushSubscribe: OWN',
      message: 'PushSubscribe',
      bytes: PushSubscribe.encode({ mode: 'OWN' as never }),
    },
    {
      name: 'PushSubscribe: ALL',
      message: 'PushSubscribe',
      bytes: PushSubscribe.encode({ mode: 'ALL' as never }),
    },
    {
      name: 'PushSubscribe: ALL, with compact blocks (high-bandwidth mode)',
      message: 'PushSubscribe',
      bytes: PushSubscribe.encode({ mode: 'ALL' as never, compactBlocks: true }),
    },
    {
      name: 'PushSubscribe: compact blocks explicitly false',
      message: 'PushSubscribe',
      bytes: Uint8Array.of(0x08, 0x02, 0x10, 0x00),
    },
    { name: 'PushSubscribe: empty frame (mode 0)', message: 'PushSubscribe', bytes: new Uint8Array(0) },
    { name: 'PushSubscribe: mode 3', message: 'PushSubscribe', bytes: varintField(1, 3) },
    { name: 'PushSubscribe: mode 0 written explicitly', message: 'PushSubscribe', bytes: varintField(1, 0) },
    {
      name: 'PushSubscribe: 17 bytes',
      message: 'PushSubscribe',
      sized: { prefix: varintField(1, 1), fill: 0, length: 17 },
    },
    { name: 'TxPush: one transaction', message: 'TxPush', bytes: TxPush.encode({ txs: [tx as Bytes] }) },
    { name: 'TxPush: empty frame (no transactions)', message: 'TxPush', bytes: new Uint8Array(0) },
    {
      name: 'TxPush: an empty transaction entry',
      message: 'TxPush',
      bytes: concat(lenField(1, tx), lenField(1, new Uint8Array(0))),
    },
    {
      name: 'TxPush: 65 transactions',
      message: 'TxPush',
      bytes: TxPush.encode({ txs: Array.from({ length: 65 }, () => Uint8Array.of(1) as Bytes) }),
    },
    {
      name: 'TxPush: a transaction of 100,001 bytes',
      message: 'TxPush',
      sized: { prefix: concat(key(1, 2), varint(100_001)), fill: 0x0a, length: 1 + 3 + 100_001 },
    },
    {
      name: 'TxPush: 262,145 bytes',
      message: 'TxPush',
      sized: { prefix: new Uint8Array(0), fill: 0x0a, length: 262_145 },
    },

    // --- sync ---
    { name: 'SyncRequest: status', message: 'SyncRequest', bytes: SyncRequest.encode({ status: {} }) },
    {
      name: 'SyncRequest: getMempool',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({ getMempool: { maxAgeSeconds: 0 } }),
    },
    {
      name: 'SyncRequest: getMempool of the last 60 s',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({ getMempool: { maxAgeSeconds: 60 } }),
    },
    {
      name: 'SyncRequest: getMempool with maxAgeSeconds 0 written out',
      message: 'SyncRequest',
      bytes: lenField(3, Uint8Array.of(0x08, 0x00)),
    },
    {
      name: 'SyncRequest: getBlocks, locator of 2, max 500',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({ getBlocks: { locator: [h(0x44), h(0x55)], max: 500 } }),
    },
    {
      name: 'SyncRequest: getBlocks with max 0',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({ getBlocks: { locator: [h(0x44)], max: 0 } }),
    },
    {
      name: 'SyncRequest: getBlocks with max 501',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({ getBlocks: { locator: [h(0x44)], max: 501 } }),
    },
    {
      name: 'SyncRequest: getBlocks with 65 locator hashes',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({
        getBlocks: { locator: Array.from({ length: 65 }, (_, i) => h(i) as Bytes), max: 1 },
      }),
    },
    {
      name: 'SyncRequest: getBlocks with a 31-byte locator hash',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({ getBlocks: { locator: [h(1).subarray(0, 31) as Bytes], max: 1 } }),
    },
    {
      name: 'SyncRequest: getHeaders, locator of 2, max 500',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({ getHeaders: { locator: [h(0x44), h(0x55)], max: 500 } }),
    },
    {
      name: 'SyncRequest: getHeaders with max 501',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({ getHeaders: { locator: [h(0x44)], max: 501 } }),
    },
    { name: 'SyncRequest: no query (0 bytes)', message: 'SyncRequest', bytes: new Uint8Array(0) },
    {
      name: 'SyncRequest: two queries (status and getMempool)',
      message: 'SyncRequest',
      bytes: concat(lenField(1, new Uint8Array(0)), lenField(3, new Uint8Array(0))),
    },
    {
      name: 'Status: genesis, tip, height 7, work 0x0102',
      message: 'Status',
      bytes: Status.encode({
        genesis: h(0xaa),
        tip: h(0xbb),
        height: 7,
        cumulativeWork: Uint8Array.of(1, 2),
      }),
    },
    {
      name: 'Status: height 0, work 0 (empty)',
      message: 'Status',
      bytes: Status.encode({ genesis: h(0xaa), tip: h(0xaa), height: 0, cumulativeWork: new Uint8Array(0) }),
    },
    {
      name: 'Status: work with a leading zero byte',
      message: 'Status',
      bytes: Status.encode({
        genesis: h(0xaa),
        tip: h(0xbb),
        height: 7,
        cumulativeWork: Uint8Array.of(0, 1),
      }),
    },
    {
      name: 'Status: work of 65 bytes',
      message: 'Status',
      bytes: Status.encode({
        genesis: h(0xaa),
        tip: h(0xbb),
        height: 7,
        cumulativeWork: new Uint8Array(65).fill(1),
      }),
    },
    {
      name: 'Status: 31-byte tip',
      message: 'Status',
      bytes: Status.encode({
        genesis: h(0xaa),
        tip: h(0xbb).subarray(0, 31) as Bytes,
        height: 7,
        cumulativeWork: Uint8Array.of(1),
      }),
    },
    {
      name: 'BlockIds: 2 ids for max 500',
      message: 'BlockIds',
      max: 500,
      bytes: concat(lenField(1, h(1)), lenField(1, h(2))),
    },
    {
      name: 'BlockIds: 3 ids for max 2',
      message: 'BlockIds',
      max: 2,
      bytes: concat(lenField(1, h(1)), lenField(1, h(2)), lenField(1, h(3))),
    },
    {
      name: 'BlockIds: 501 ids',
      message: 'BlockIds',
      max: 500,
      bytes: concat(...Array.from({ length: 501 }, (_, i) => lenField(1, filler(`id${i}`, 32)))),
    },
    { name: 'BlockIds: a 33-byte id', message: 'BlockIds', max: 500, bytes: lenField(1, new Uint8Array(33)) },
    {
      name: 'Headers: 2 headers for max 500',
      message: 'Headers',
      max: 500,
      bytes: concat(lenField(1, Uint8Array.of(0xaa, 0xbb, 0xcc)), lenField(1, Uint8Array.of(0xdd, 0xee))),
    },
    {
      name: 'Headers: 3 headers for max 2',
      message: 'Headers',
      max: 2,
      bytes: concat(
        lenField(1, Uint8Array.of(0xaa)),
        lenField(1, Uint8Array.of(0xbb)),
        lenField(1, Uint8Array.of(0xcc)),
      ),
    },
    { name: 'Headers: an empty header', message: 'Headers', max: 500, bytes: lenField(1, new Uint8Array(0)) },
    {
      name: 'Headers: a header of 513 bytes',
      message: 'Headers',
      max: 500,
      bytes: lenField(1, new Uint8Array(513).fill(0xab)),
    },
    ...compactMessageCases(tx),
  ];
}

/**
 * A block for the compact block vectors: a coinbase, the sample payment and a second transaction
 * (coinbase-shaped: short ids do not care), under a header with their merkle root. Its header is not
 * a valid proof of work; compact block relay checks nothing of the header but its encoding.
 */
function compactSampleBlock(): Uint8Array {
  const txs: Transaction[] = [
    createCoinbase(7, [{ amount: 5_000_000_000n, address: h(0x0c) }], T0),
    samplePayment(),
    createCoinbase(8, [{ amount: 1n, address: h(0x0d) }], T0 + 1),
  ];
  return encodeBlock({
    header: {
      version: BLOCK_VERSION,
      height: 7,
      prevHash: h(0x70),
      merkleRoot: merkleRoot(txs.map(txidOf)) as Bytes,
      timestamp: T0,
      target: h(0xff),
      minerPublicKey: h(0x03),
      minerSignature: new Uint8Array(64).fill(4) as Bytes,
      nonce: 42n,
    },
    transactions: txs,
  });
}

function compactMessageCases(tx: Uint8Array): WireCase[] {
  const compact = encodeCompactBlock(compactBlockOf(compactSampleBlock(), NONCE));
  const { header, txs } = blockParts(compactSampleBlock());
  const fields = (nonce: Uint8Array, shortIds: Uint8Array, head: Uint8Array = header) =>
    CompactBlock.encode({
      header: head as Bytes,
      nonce: nonce as Bytes,
      coinbase: txs[0] as Bytes,
      shortIds: shortIds as Bytes,
    });
  return [
    {
      name: 'CompactBlock: a block of 3 transactions (the compactBlocks vector)',
      message: 'CompactBlock',
      bytes: compact,
    },
    {
      name: 'CompactBlock: a 7-byte nonce',
      message: 'CompactBlock',
      bytes: fields(NONCE.subarray(0, 7), new Uint8Array(12)),
    },
    {
      name: 'CompactBlock: short ids of 13 bytes',
      message: 'CompactBlock',
      bytes: fields(NONCE, new Uint8Array(13)),
    },
    {
      name: 'CompactBlock: an empty header',
      message: 'CompactBlock',
      bytes: fields(NONCE, new Uint8Array(12), new Uint8Array(0)),
    },
    {
      name: 'CompactBlock: 10,000 short ids (a block holds at most 9,999 after its coinbase)',
      message: 'CompactBlock',
      bytes: fields(NONCE, new Uint8Array(60_000)),
    },
    {
      name: 'TxPush: a compact block',
      message: 'TxPush',
      bytes: TxPush.encode({ txs: [], compactBlock: compact as Bytes }),
    },
    {
      name: 'TxPush: a transaction and a compact block',
      message: 'TxPush',
      bytes: TxPush.encode({ txs: [tx as Bytes], compactBlock: compact as Bytes }),
    },
    {
      name: 'GetData: a block asked for in compact form',
      message: 'GetData',
      bytes: GetData.encode({ requestId: 3, items: [item(InvType.COMPACT_BLOCK, h(0x22))] }),
    },
    {
      name: 'Inv: a COMPACT_BLOCK item (getdata only, never announced)',
      message: 'Inv',
      bytes: Inv.encode({ items: [item(InvType.COMPACT_BLOCK, h(0x22))], nonce: NONCE as Bytes }),
    },
    {
      name: 'SyncRequest: getBlockTxn, positions 1, 5, 300',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({ getBlockTxn: { blockId: h(0x22), indexes: [1, 5, 300] } }),
    },
    {
      name: 'SyncRequest: getBlockTxn asking for the coinbase (position 0)',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({ getBlockTxn: { blockId: h(0x22), indexes: [0, 1] } }),
    },
    {
      name: 'SyncRequest: getBlockTxn positions not ascending',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({ getBlockTxn: { blockId: h(0x22), indexes: [5, 5] } }),
    },
    {
      name: 'SyncRequest: getBlockTxn of 1,001 positions',
      message: 'SyncRequest',
      bytes: SyncRequest.encode({
        getBlockTxn: { blockId: h(0x22), indexes: Array.from({ length: 1_001 }, (_, i) => i + 1) },
      }),
    },
    {
      name: 'BlockTxn: the 2 transactions asked for',
      message: 'BlockTxn',
      max: 2,
      bytes: BlockTxn.encode({ txs: [tx as Bytes, txs[2] as Bytes] }),
    },
    {
      name: 'BlockTxn: none (the server lacks the block)',
      message: 'BlockTxn',
      max: 2,
      bytes: new Uint8Array(0),
    },
    {
      name: 'BlockTxn: 1 transaction for 2 asked',
      message: 'BlockTxn',
      max: 2,
      bytes: BlockTxn.encode({ txs: [tx as Bytes] }),
    },
    {
      name: 'BlockTxn: 3 transactions for 2 asked',
      message: 'BlockTxn',
      max: 2,
      bytes: BlockTxn.encode({ txs: [tx as Bytes, tx as Bytes, tx as Bytes] }),
    },
  ];
}

/** How a sender builds a compact block, and the short ids a receiver must compute (PROTOCOL.md 6.1). */
function compactBlockVectors() {
  const block = compactSampleBlock();
  const { header, txs } = blockParts(block);
  const compact = compactBlockOf(block, NONCE);
  return [
    {
      name: 'a block of 3 transactions, nonce 01..08',
      block: hex(block),
      nonce: hex(NONCE),
      key: hex(shortIdKey(header, NONCE)),
      txids: txs.slice(1).map((t) => hex(txidOfBytes(t))),
      shortIds: compact.shortIds.map((id) => id.toString(16).padStart(12, '0')),
      compactBlock: hex(encodeCompactBlock(compact)),
    },
  ];
}

function bytesOf(c: WireCase): Uint8Array {
  if (c.bytes !== undefined) return c.bytes;
  const { prefix, fill, length } = c.sized!;
  const out = new Uint8Array(length).fill(fill);
  out.set(prefix);
  return out;
}

function messageJson(c: WireCase) {
  const encoding =
    c.sized === undefined
      ? { hex: hex(c.bytes!) }
      : { prefix: hex(c.sized.prefix), fill: hex(Uint8Array.of(c.sized.fill)), length: c.sized.length };
  return {
    name: c.name,
    message: c.message,
    ...(c.max === undefined ? {} : { max: c.max }),
    ...encoding,
    expected: decodeWireVector(c.message, bytesOf(c), c.max),
  };
}

async function framingVectors() {
  const cases: Array<{ name: string; maxFrameBytes: number; stream: string }> = [
    { name: 'one 3-byte frame, then end of stream', maxFrameBytes: 16, stream: '03aabbcc' },
    { name: 'two frames; an empty frame is valid framing', maxFrameBytes: 16, stream: '01ff00' },
    { name: 'a 16-byte frame at a 16-byte limit', maxFrameBytes: 16, stream: '10' + '00'.repeat(16) },
    { name: 'a 17-byte length at a 16-byte limit', maxFrameBytes: 16, stream: '11' + '00'.repeat(17) },
    {
      name: 'non-minimal 2-byte prefix where 1 byte is the most a 16-byte limit needs: too long',
      maxFrameBytes: 16,
      stream: '8300aabbcc',
    },
    {
      name: 'non-minimal 2-byte prefix under a 64 KiB limit (3 prefix bytes allowed)',
      maxFrameBytes: 65_536,
      stream: '8300aabbcc',
    },
    { name: 'non-minimal 3-byte prefix under a 64 KiB limit', maxFrameBytes: 65_536, stream: '838000aabbcc' },
    {
      name: 'non-minimal 4-byte prefix under a 64 KiB limit: too long before minimality is checked',
      maxFrameBytes: 65_536,
      stream: '83808000aabbcc',
    },
    { name: 'stream ends inside a frame body: end of stream, no frame', maxFrameBytes: 16, stream: '03aabb' },
    { name: 'stream ends inside a length prefix', maxFrameBytes: 65_536, stream: '80' },
    {
      name: 'a 5-byte prefix under the Data limit (4 prefix bytes allowed)',
      maxFrameBytes: 4 * 1024 * 1024 + 64 * 1024,
      stream: '8180808080',
    },
  ];
  const out = [];
  for (const c of cases)
    out.push({ ...c, expected: await readFrames(c.maxFrameBytes, Buffer.from(c.stream, 'hex')) });
  return out;
}

function responseVectors() {
  const tx = encodeTransaction(samplePayment());
  const txid = h(0x11);
  const block = h(0x22);
  const request = [item(InvType.TX, txid), item(InvType.BLOCK, block)];
  const cases = [
    {
      name: 'the transaction served, the block not found',
      data: {
        requestId: 1,
        objects: [{ type: InvType.TX, payload: tx as Bytes }],
        notFound: [item(InvType.BLOCK, block)],
        deferred: [],
      },
    },
    { name: 'both deferred', data: { requestId: 1, objects: [], notFound: [], deferred: request } },
    {
      name: 'the block left out',
      data: {
        requestId: 1,
        objects: [{ type: InvType.TX, payload: tx as Bytes }],
        notFound: [],
        deferred: [],
      },
    },
    {
      name: 'an item not requested in notFound',
      data: { requestId: 1, objects: [], notFound: [...request, item(InvType.TX, h(0x99))], deferred: [] },
    },
    {
      name: 'the same item in notFound and deferred',
      data: { requestId: 1, objects: [], notFound: request, deferred: [item(InvType.TX, txid)] },
    },
    {
      name: 'two transactions for one requested',
      data: {
        requestId: 1,
        objects: [
          { type: InvType.TX, payload: tx as Bytes },
          { type: InvType.TX, payload: tx as Bytes },
        ],
        notFound: [item(InvType.BLOCK, block)],
        deferred: [],
      },
    },
  ];
  return cases.map(({ name, data }) => {
    const violation = checkResponse(request, data);
    return {
      name,
      request: hex(GetData.encode({ requestId: 1, items: request })),
      response: hex(Data.encode(data)),
      expected:
        violation === undefined
          ? { ok: true }
          : { violation: violation.kind, offence: violationOffence(violation.kind) },
    };
  });
}

export async function wireVectors() {
  return {
    description:
      'Wire messages (PROTOCOL.md 3-7, 12, 13). messages: the bytes of one message (a gossipsub payload or ' +
      'a frame body) given as `hex`, or as `length` bytes that start with `prefix` and are padded with ' +
      '`fill`; `message` names what the receiver expects there; expected is {ok: decoded} or {violation, ' +
      "offence}. BlockIds vectors carry the request's `max`. framing: bytes arriving on a stream whose " +
      'frames may be at most maxFrameBytes long: the frames read, then how reading ended. responses: a ' +
      'GetData request and the Data answer the requester checks against it. BlockTxn vectors carry the ' +
      'number of transactions asked for as `max`. compactBlocks: a block, the sender nonce, the short-id ' +
      'key SHA-256(header || nonce), each short id (first 6 bytes of SHA-256(key || txid)) and the encoded CompactBlock.',
    generatedBy: GENERATED_BY,
    messages: messageCases().map(messageJson),
    framing: await framingVectors(),
    responses: responseVectors(),
    compactBlocks: compactBlockVectors(),
  };
}
