/**
 * Valid encodings the fuzzer starts from: regtest transactions, a mined block and its header,
 * and every wire message (gossiped Inv, getdata request and response, txpush subscribe and push,
 * sync requests and answers), each also as stream frames. Built once per run from a throwaway
 * chain on REGTEST (a block needs ~2 hashes), with the chain's clock so timestamps are current.
 */
import { encodeHeader, encodeTransaction } from '../../src/chain/encoding/codec.js';
import type { FullBlock } from '../../src/chain/objects/block.js';
import { txidOf } from '../../src/chain/objects/transaction.js';
import type { Chain } from '../../src/chain/state/index.js';
import { encodeAddr, encodeAddrRequest, encodeGetAddr } from '../../src/p2p/membership/addr-codec.js';
import { compactBlockOf, encodeCompactBlock } from '../../src/p2p/compact/compact-block.js';
import {
  encodeBlockIds,
  encodeBlockTxn,
  encodeCompactBlockPush,
  encodeData,
  encodeGetData,
  encodeInv,
  encodeMempoolInv,
  encodePushSubscribe,
  encodeStatus,
  encodeSyncRequest,
  encodeTxPush,
  InvType,
  PushMode,
} from '../../src/p2p/wire/codec.js';
import { ALICE, BOB, buildBlock, CAROL, payFromGenesis } from '../unit/chain-state/helpers.js';
import { encodeVarint } from './protobuf-prefixes.js';

/** The valid objects every seed is made of. */
export interface SeedObjects {
  readonly txs: readonly Uint8Array[];
  readonly block: Uint8Array;
  readonly header: Uint8Array;
  readonly blockId: Uint8Array;
  readonly fullBlock: FullBlock;
}

/** Seeds of every kind of input, by the name the targets use. */
export interface SeedSet {
  readonly objects: SeedObjects;
  readonly tx: Uint8Array[];
  readonly block: Uint8Array[];
  readonly header: Uint8Array[];
  readonly inv: Uint8Array[];
  readonly mempoolInv: Uint8Array[];
  readonly getData: Uint8Array[];
  readonly data: Uint8Array[];
  readonly txPush: Uint8Array[];
  readonly pushSubscribe: Uint8Array[];
  readonly syncRequest: Uint8Array[];
  readonly status: Uint8Array[];
  readonly blockIds: Uint8Array[];
  /** Compact blocks (PROTOCOL.md 6.1) and `BlockTxn` answers to a request for 2 positions. */
  readonly compactBlock: Uint8Array[];
  readonly blockTxn: Uint8Array[];
  /** First frames of an addr stream (getaddr, or unsolicited addresses) and getaddr answers. */
  readonly addrRequest: Uint8Array[];
  readonly addr: Uint8Array[];
}

/** Valid address entries: two real peer ids on IPv4 and IPv6 addresses. */
const ADDR_ENTRIES = [
  {
    peerId: '12D3KooWRp5DvKhbVPa4XwmVKsdzfiQvuq2GdsrXXXicSr7Wvg9t',
    addr: '/ip4/10.1.2.3/tcp/7101',
    lastSeen: 1_796_000_000_000,
  },
  {
    peerId: '12D3KooWMLP9RfjNK8feLYmVhpMH7bkjBxGFEizEsYQHGRGLJoPg',
    addr: '/ip6/2001:db8::1/tcp/7102',
    lastSeen: 1_700_000_000_000,
  },
];

/** One stream frame: minimal varint length, then the body. */
export function frame(body: Uint8Array): Uint8Array {
  const prefix = encodeVarint(body.length);
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix);
  out.set(body, prefix.length);
  return out;
}

/** Several frames back to back, as a peer writes them on one stream. */
export function frames(bodies: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(bodies.map(frame)));
}

/**
 * Builds the seeds on `chain` (which must be at genesis) without changing it: transactions from
 * three dev accounts and a block holding two of them on the genesis tip.
 */
export function buildSeeds(chain: Chain): SeedSet {
  const now = chain.now();
  const txObjects = [
    payFromGenesis(ALICE, 0, BOB.address, 1_000_000n, now),
    payFromGenesis(BOB, 1, CAROL.address, 2_000_000n, now),
    payFromGenesis(CAROL, 2, ALICE.address, 3_000_000n, now),
  ];
  const txs = txObjects.map(encodeTransaction);
  const built = buildBlock(chain, { txs: txObjects.slice(0, 2) });
  const header = encodeHeader(built.block.header);
  const compact = encodeCompactBlock(compactBlockOf(built.bytes));
  const blockId = Uint8Array.from(Buffer.from(built.idHex, 'hex'));
  const txids = txObjects.map(txidOf);
  const objects: SeedObjects = { txs, block: built.bytes, header, blockId, fullBlock: built.block };

  const inv = [
    encodeInv([{ type: InvType.TX, hash: txids[0]! }]),
    encodeInv([
      { type: InvType.TX, hash: txids[1]! },
      { type: InvType.TX, hash: txids[2]! },
      { type: InvType.BLOCK, hash: blockId },
    ]),
  ];
  const getData = [
    encodeGetData({ requestId: 1, items: [{ type: InvType.TX, hash: txids[0]! }] }),
    encodeGetData({
      requestId: 0x7fff_ffff,
      items: [
        { type: InvType.BLOCK, hash: blockId },
        { type: InvType.TX, hash: txids[1]! },
      ],
    }),
    encodeGetData({ requestId: 3, items: [{ type: InvType.COMPACT_BLOCK, hash: blockId }] }),
  ];
  const data = [
    encodeData({
      requestId: 1,
      objects: [{ type: InvType.TX, payload: txs[0]! }],
      notFound: [],
      deferred: [],
    }),
    encodeData({
      requestId: 2,
      objects: [
        { type: InvType.BLOCK, payload: built.bytes },
        { type: InvType.TX, payload: txs[2]! },
      ],
      notFound: [{ type: InvType.TX, hash: txids[1]! }],
      deferred: [{ type: InvType.BLOCK, hash: blockId }],
    }),
    encodeData({
      requestId: 3,
      objects: [{ type: InvType.COMPACT_BLOCK, payload: compact }],
      notFound: [],
      deferred: [],
    }),
  ];
  return {
    objects,
    tx: txs,
    block: [built.bytes],
    header: [header],
    inv,
    mempoolInv: [encodeMempoolInv(txids), encodeMempoolInv([])],
    getData,
    data,
    txPush: [encodeTxPush(txs.slice(0, 1)), encodeTxPush(txs), encodeCompactBlockPush(compact)],
    pushSubscribe: [encodePushSubscribe(PushMode.OWN), encodePushSubscribe(PushMode.ALL)],
    syncRequest: [
      encodeSyncRequest({ kind: 'status' }),
      encodeSyncRequest({ kind: 'getMempool' }),
      encodeSyncRequest({ kind: 'getBlocks', locator: [blockId, chain.genesis().id], max: 500 }),
      encodeSyncRequest({ kind: 'getBlockTxn', blockId, indexes: [1, 2] }),
    ],
    compactBlock: [compact],
    blockTxn: [encodeBlockTxn(txs.slice(0, 2)), encodeBlockTxn([])],
    status: [
      encodeStatus({ genesis: chain.genesis().id, tip: blockId, height: 1, cumulativeWork: 3n }),
      encodeStatus({ genesis: chain.genesis().id, tip: blockId, height: 70_000, cumulativeWork: 1n << 200n }),
    ],
    blockIds: [encodeBlockIds([blockId, chain.genesis().id]), encodeBlockIds([])],
    addrRequest: [
      encodeGetAddr(),
      encodeAddrRequest(ADDR_ENTRIES.slice(0, 1)),
      encodeAddrRequest(ADDR_ENTRIES),
    ],
    addr: [encodeAddr(ADDR_ENTRIES), encodeAddr([])],
  };
}
