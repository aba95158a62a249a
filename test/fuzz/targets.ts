/**
 * The decode-and-validate entry points the fuzzer feeds, in process: every gossipsub payload
 * decoder, every stream protocol's frame reader and message decoder (getdata, txpush, sync), the
 * address relay's decoders (addr), the consensus decoders with the transaction and block rules,
 * and the chain's own entry points (`acceptTransaction`, `processBlock`) on a real LevelDB chain. A target either returns, or
 * throws an expected typed error (WireError, ValidationError); anything else, or a hang, is a
 * crash (see run.ts).
 */
import type { Stream } from '@libp2p/interface';
import {
  decodeBlock,
  decodeHeader,
  decodeTransaction,
  headerBytesOfBlock,
} from '../../src/chain/encoding/codec.js';
import { ValidationError } from '../../src/chain/errors.js';
import { blockIdOf, blockIdOfBytes, type FullBlock } from '../../src/chain/objects/block.js';
import { txidOfBytes } from '../../src/chain/objects/transaction.js';
import {
  checkBlockBody,
  checkHeaderContext,
  checkHeaderContextFree,
  connectBlockTransactions,
} from '../../src/chain/rules/block.js';
import {
  checkRelayTimestamp,
  checkTransactionInputs,
  checkTransactionSignatures,
  checkTransactionSyntax,
} from '../../src/chain/rules/transaction.js';
import type { UtxoView } from '../../src/chain/rules/utxo.js';
import type { Chain } from '../../src/chain/state/index.js';
import { toHex } from '../../src/crypto/hash.js';
import { decodeCompactBlock } from '../../src/p2p/compact/compact-block.js';
import { matchShortIds, rebuildBlock } from '../../src/p2p/compact/reconstruct.js';
import { decodeAddr, decodeAddrRequest } from '../../src/p2p/membership/addr-codec.js';
import { MAX_ADDR_FRAME_BYTES } from '../../src/p2p/membership/constants.js';
import {
  decodeBlockIds,
  decodeData,
  decodeGetData,
  decodeInv,
  decodeMempoolInv,
  decodePushSubscribe,
  decodeStatus,
  decodeSyncRequest,
  decodePushFrame,
  decodeBlockTxn,
  InvType,
} from '../../src/p2p/wire/codec.js';
import {
  MAX_DATA_FRAME_BYTES,
  MAX_GETDATA_BYTES,
  MAX_PUSH_FRAME_BYTES,
  MAX_PUSH_SUBSCRIBE_BYTES,
  MAX_SYNC_REQUEST_BYTES,
  MAX_SYNC_RESPONSE_BYTES,
} from '../../src/p2p/wire/constants.js';
import { WireError } from '../../src/p2p/wire/errors.js';
import { frameStream } from '../../src/p2p/wire/framing.js';
import type { PrefixFinder } from './mutate.js';
import { framePrefixes, messagePrefixes } from './protobuf-prefixes.js';
import { frames, type SeedSet } from './seeds.js';

export interface FuzzTarget {
  /** `<surface>:<entry point>`, e.g. `gossip:inv`, `frames:getdata`, `chain:block`. */
  readonly name: string;
  readonly seeds: readonly Uint8Array[];
  readonly prefixes: PrefixFinder;
  /** Feeds one input; returns, or throws an expected error. Async targets return a promise. */
  readonly run: (bytes: Uint8Array) => void | Promise<void>;
  readonly async: boolean;
}

/** Errors the entry points are specified to throw for bad input from a peer. */
export function isExpectedError(err: unknown): boolean {
  return err instanceof WireError || err instanceof ValidationError;
}

/** A libp2p-like stream whose source yields `bytes` in chunks and whose sink discards. */
function fakeStream(bytes: Uint8Array): Stream {
  // Chunk boundaries vary with the input (1..16 bytes, or whole), so frames straddle chunks.
  const chunk = bytes.length % 17 === 0 ? bytes.length || 1 : (bytes.length % 16) + 1;
  const source = (async function* () {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  })();
  const sink = async (input: AsyncIterable<unknown>): Promise<void> => {
    for await (const _ of input) {
      // discarded
    }
  };
  return { source, sink } as unknown as Stream;
}

/** Reads every frame of `bytes` with a frame reader of `maxFrameBytes`, decoding each. */
async function readFrames(
  bytes: Uint8Array,
  maxFrameBytes: number,
  decode: (body: Uint8Array) => void,
): Promise<void> {
  const reader = frameStream(fakeStream(bytes), maxFrameBytes);
  for (;;) {
    const body = await reader.read();
    if (body === undefined) return;
    decode(body);
  }
}

/** Builds the targets over `chain` (REGTEST, opened by the caller) and `seeds`. */
export function buildTargets(chain: Chain, seeds: SeedSet): FuzzTarget[] {
  const params = chain.params;
  const view: UtxoView = { getUtxo: (key) => chain.getUtxo(key) };

  /** The relay's transaction pipeline, pure (no mempool): what every pushed or served tx meets. */
  const validateTx = (bytes: Uint8Array): void => {
    const tx = decodeTransaction(bytes);
    txidOfBytes(bytes);
    checkTransactionSyntax(tx, false);
    checkRelayTimestamp(tx, params, chain.now());
    checkTransactionSignatures(tx, params);
    checkTransactionInputs(tx, view, chain.tip().height + 1, params, 'mempool');
  };

  /** The block rules, pure: header, context (when the parent is known), body, ledger. */
  const validateBlock = (bytes: Uint8Array): void => {
    const block = decodeBlock(bytes) as FullBlock;
    const raw = headerBytesOfBlock(bytes);
    const id = raw === undefined ? blockIdOf(block.header) : blockIdOfBytes(raw);
    checkHeaderContextFree(block.header, id, params);
    const context = chain.blockContext(toHex(block.header.prevHash));
    if (context !== undefined) checkHeaderContext(block.header, context, params, chain.now());
    const txids = checkBlockBody(block, params);
    connectBlockTransactions(block, txids, view, params);
  };

  const validateHeader = (bytes: Uint8Array): void => {
    const header = decodeHeader(bytes);
    checkHeaderContextFree(header, blockIdOfBytes(bytes), params);
    const context = chain.blockContext(toHex(header.prevHash));
    if (context !== undefined) checkHeaderContext(header, context, params, chain.now());
  };

  /** What a receiver does with a compact block: decode, match the seeds' transactions, rebuild, validate. */
  const held = seeds.tx.map((bytes) => ({ txid: txidOfBytes(bytes), bytes }));
  const rebuildCompact = (bytes: Uint8Array): void => {
    const compact = decodeCompactBlock(bytes);
    const match = matchShortIds(compact, held);
    if (match.kind !== 'partial' || match.missing.length > 0) return;
    const block = rebuildBlock(compact, match.txs);
    if (block !== undefined) validateBlock(block);
  };
  const validateData = (body: Uint8Array): void => {
    for (const object of decodeData(body).objects) {
      if (object.type === InvType.TX) validateTx(object.payload);
      else if (object.type === InvType.COMPACT_BLOCK) rebuildCompact(object.payload);
      else validateBlock(object.payload);
    }
  };
  const validatePush = (body: Uint8Array): void => {
    const frame = decodePushFrame(body);
    if (frame.kind === 'txs') for (const tx of frame.txs) validateTx(tx);
    else rebuildCompact(frame.compactBlock);
  };
  const decodeSyncResponse = (body: Uint8Array): void => {
    // A sync response is one of three messages; the client knows which it asked for.
    for (const decode of [decodeStatus, decodeBlockIds, decodeMempoolInv]) {
      try {
        decode(body);
      } catch (err) {
        if (!(err instanceof WireError)) throw err;
      }
    }
  };

  const message = (
    name: string,
    seedList: readonly Uint8Array[],
    run: (bytes: Uint8Array) => void,
  ): FuzzTarget => ({ name, seeds: seedList, prefixes: messagePrefixes, run, async: false });
  const framed = (
    name: string,
    seedList: readonly Uint8Array[],
    maxFrameBytes: number,
    decode: (body: Uint8Array) => void,
  ): FuzzTarget => ({
    name,
    // Single frames, and all seeds back to back on one stream.
    seeds: [...seedList.map((s) => frames([s])), frames(seedList)],
    prefixes: framePrefixes,
    run: (bytes) => readFrames(bytes, maxFrameBytes, decode),
    async: true,
  });

  return [
    message('gossip:inv', seeds.inv, (b) => void decodeInv(b)),
    message('getdata:request', seeds.getData, (b) => void decodeGetData(b)),
    message('getdata:response', seeds.data, validateData),
    message('txpush:subscribe', seeds.pushSubscribe, (b) => void decodePushSubscribe(b)),
    message('txpush:push', seeds.txPush, validatePush),
    message('sync:request', seeds.syncRequest, (b) => void decodeSyncRequest(b)),
    message('sync:status', seeds.status, (b) => void decodeStatus(b)),
    message('sync:block-ids', seeds.blockIds, (b) => void decodeBlockIds(b)),
    message('sync:mempool', seeds.mempoolInv, (b) => void decodeMempoolInv(b)),
    message('sync:block-txn', seeds.blockTxn, (b) => void decodeBlockTxn(b, 2)),
    message('compact:block', seeds.compactBlock, rebuildCompact),
    framed('frames:getdata-request', seeds.getData, MAX_GETDATA_BYTES, (b) => void decodeGetData(b)),
    framed('frames:getdata-response', seeds.data, MAX_DATA_FRAME_BYTES, validateData),
    framed(
      'frames:txpush-subscribe',
      seeds.pushSubscribe,
      MAX_PUSH_SUBSCRIBE_BYTES,
      (b) => void decodePushSubscribe(b),
    ),
    framed('frames:txpush-push', seeds.txPush, MAX_PUSH_FRAME_BYTES, validatePush),
    framed(
      'frames:sync-request',
      seeds.syncRequest,
      MAX_SYNC_REQUEST_BYTES,
      (b) => void decodeSyncRequest(b),
    ),
    framed(
      'frames:sync-response',
      [...seeds.status, ...seeds.blockIds, ...seeds.mempoolInv],
      MAX_SYNC_RESPONSE_BYTES,
      decodeSyncResponse,
    ),
    message('addr:request', seeds.addrRequest, (b) => void decodeAddrRequest(b)),
    message('addr:answer', seeds.addr, (b) => void decodeAddr(b)),
    framed('frames:addr-request', seeds.addrRequest, MAX_ADDR_FRAME_BYTES, (b) => void decodeAddrRequest(b)),
    framed('frames:addr-answer', seeds.addr, MAX_ADDR_FRAME_BYTES, (b) => void decodeAddr(b)),
    message('chain:tx', seeds.tx, validateTx),
    message('chain:header', seeds.header, validateHeader),
    message('chain:block', seeds.block, validateBlock),
    message('chain:accept-transaction', seeds.tx, (b) => void chain.acceptTransaction(b)),
    {
      name: 'chain:process-block',
      seeds: seeds.block,
      prefixes: messagePrefixes,
      run: async (b) => void (await chain.processBlock(b)),
      async: true,
    },
  ];
}
