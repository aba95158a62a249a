/**
 * The attacks `npm run attacker -- <kind>` can launch, one per row of the offence table they test.
 * Each builds its payloads with the real encoders and the attacker's own funded keys, so only the
 * intended flaw differs from honest traffic.
 */
import { randomBytes } from 'node:crypto';
import { encodeTransaction } from '../chain/encoding/codec.js';
import { createTransaction, txidOf } from '../chain/objects/transaction.js';
import { InvType } from '../p2p/wire/codec.js';
import { type AttackContext, type Misbehaviour, selfPayment } from './attack.js';

/** Transactions built per round by the payload attacks (enough to be seen, few enough to read the log). */
const TXS_PER_ROUND = 1;
/** Copies pushed per round by push-flood: every 20 ms, 12,800/s, 12.8x the honest-peer limit. */
const PUSH_FLOOD_COPIES = 256;

/** The transaction each push-flood attacker repeats (built on its first round). */
const flooded = new WeakMap<AttackContext, Uint8Array>();

function signedSelfPayments(ctx: AttackContext, count: number, timestamp: number) {
  return ctx
    .takeOutputs(count)
    .map((output) =>
      createTransaction(
        ctx.params.network,
        [{ prevTxid: output.txid, outputIndex: output.index, secretKey: ctx.account.secretKey }],
        selfPayment(ctx, output),
        timestamp,
      ),
    );
}

/** Self-payments signed, then with one bit of the first signature flipped: they fail verification. */
function badlySignedSelfPayments(ctx: AttackContext, count: number) {
  const txs = signedSelfPayments(ctx, count, ctx.now());
  for (const tx of txs) tx.inputs[0]!.signature[0]! ^= 0x01;
  return txs;
}

async function announceServed(ctx: AttackContext, payloads: Array<{ txid: Uint8Array; bytes: Uint8Array }>) {
  for (const { txid, bytes } of payloads) ctx.serve('tx', txid, bytes);
  if (payloads.length > 0) await ctx.announce(payloads.map(({ txid }) => ({ type: InvType.TX, hash: txid })));
}

export const MISBEHAVIOURS: readonly Misbehaviour[] = [
  {
    kind: 'invalid-signature',
    description: 'announces and serves transactions whose Ed25519 signature does not verify',
    intervalMs: 2_000,
    async act(ctx) {
      const txs = badlySignedSelfPayments(ctx, TXS_PER_ROUND);
      await announceServed(
        ctx,
        txs.map((tx) => ({ txid: txidOf(tx), bytes: encodeTransaction(tx) })),
      );
    },
  },
  {
    kind: 'tampered-payload',
    description: 'announces a valid transaction, then serves different bytes for its hash',
    intervalMs: 2_000,
    async act(ctx) {
      const txs = signedSelfPayments(ctx, TXS_PER_ROUND, ctx.now());
      await announceServed(
        ctx,
        txs.map((tx) => {
          const txid = txidOf(tx);
          tx.outputs[0]!.amount -= 1n; // tampered after signing: neither the txid nor the signature match
          return { txid, bytes: encodeTransaction(tx) };
        }),
      );
    },
  },
  {
    kind: 'future-timestamp',
    description: 'serves validly signed transactions dated one hour in the future',
    intervalMs: 1_000,
    async act(ctx) {
      const txs = signedSelfPayments(ctx, TXS_PER_ROUND, ctx.now() + 60 * 60_000);
      await announceServed(
        ctx,
        txs.map((tx) => ({ txid: txidOf(tx), bytes: encodeTransaction(tx) })),
      );
    },
  },
  {
    kind: 'replay',
    description: 'replays old objects: confirmed transactions, or signed copies dated an hour back',
    intervalMs: 1_000,
    async act(ctx) {
      const cutoff = ctx.now() - ctx.params.txMaxAgeMs;
      const old = (await ctx.confirmedTransactions(500)).filter(
        (tx) => tx.inputs.length > 0 && tx.timestamp < cutoff,
      );
      const txs =
        old.length > 0
          ? old.slice(-TXS_PER_ROUND)
          : signedSelfPayments(ctx, TXS_PER_ROUND, ctx.now() - 60 * 60_000);
      await announceServed(
        ctx,
        txs.map((tx) => ({ txid: txidOf(tx), bytes: encodeTransaction(tx) })),
      );
    },
  },
  {
    kind: 'push-invalid',
    description: 'pushes transactions whose Ed25519 signature does not verify to its subscribers',
    intervalMs: 2_000,
    async act(ctx) {
      ctx.push(badlySignedSelfPayments(ctx, TXS_PER_ROUND).map((tx) => encodeTransaction(tx)));
    },
  },
  {
    kind: 'push-flood',
    description: 'pushes one valid transaction to its subscribers over and over, far above any honest rate',
    intervalMs: 20,
    async act(ctx) {
      if (!flooded.has(ctx)) {
        const [tx] = signedSelfPayments(ctx, 1, ctx.now());
        if (tx === undefined) return;
        flooded.set(ctx, encodeTransaction(tx));
      }
      const payload = flooded.get(ctx)!;
      ctx.push(Array.from({ length: PUSH_FLOOD_COPIES }, () => payload));
    },
  },
  {
    kind: 'announce-no-serve',
    description: 'announces transactions it never serves: every getdata to it times out',
    intervalMs: 500,
    withholdAll: true,
    async act(ctx) {
      await ctx.announce(Array.from({ length: 5 }, () => ({ type: InvType.TX, hash: randomBytes(32) })));
    },
  },
  {
    kind: 'inv-flood',
    description: 'floods announcements of random hashes, far above any honest rate',
    intervalMs: 50,
    withholdAll: true,
    async act(ctx) {
      await ctx.announce(Array.from({ length: 1_000 }, () => ({ type: InvType.TX, hash: randomBytes(32) })));
    },
  },
];

export function misbehaviourOf(kind: string): Misbehaviour | undefined {
  return MISBEHAVIOURS.find((m) => m.kind === kind);
}
