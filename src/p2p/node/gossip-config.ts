/**
 * Gossipsub configuration of the inventory topic: message ids, peer-score parameters and
 * thresholds. Every number has its unit and reason; docs/libp2p-notes.md has the measurements behind them.
 *
 * Score model (gossipsub v1.1): score = topicWeight x (P1 + P2 + P3 + P3b + P4), positive part capped
 * at `topicScoreCap`, + P5 x appSpecificWeight + P6 (IP colocation) + P7 (behaviour). Here:
 * - P1 time in mesh: a small credit, at most +10 after ~17 minutes in our mesh;
 * - P2 first deliveries: off (weight 0): receivers never Accept an Inv (they Ignore it and announce
 *   the objects themselves once validated), and gossipsub only counts Accepted messages;
 * - P3/P3b mesh delivery rate: off (weight 0): the topic is quiet, and the default penalty drove
 *   quiet honest peers to -197 within 6 s (docs/libp2p-notes.md);
 * - P4 invalid messages: counter^2 x -20: two Rejects make -80, three (-180) graylist a peer even
 *   with full P1 credit. The counter halves every 10 minutes;
 * - P5 application score: the reputation layer's verdict, weight 1;
 * - P6 IP colocation: off (weight 0). Gossipsub keeps the score of a disconnected peer whose score
 *   is not positive for `retainScore` (an hour), and keeps counting it on its IP: 32 quarantined
 *   Sybils from an address graylisted an honest node on the same address ((33 - 10)^2 x -5 = -2645,
 *   measured by the sybil attack kind). Membership already caps what one address can hold, keyed on
 *   its netgroup (src/p2p/membership/constants.ts: MAX_INBOUND_PER_NETGROUP), and each identity is
 *   judged on its own deeds by the reputation layer (P5);
 * - P7 behaviour (broken IWANT promises, GRAFT during backoff): tolerated up to 6, then -10 x excess^2.
 */
import { createHash } from 'node:crypto';
import type {
  PeerScoreParams,
  PeerScoreThresholds,
  TopicScoreParams,
} from '@chainsafe/libp2p-gossipsub/score';
import type { Message } from '@libp2p/interface';

/**
 * Mesh degrees of the inventory topic (gossipsub's D, Dlo, Dhi, Dout, Dscore; its defaults are 6,
 * 4, 12, 2, 4). New transactions travel by push (src/p2p/push); the mesh carries announcements,
 * which every node makes itself after validating. Each announcement reaches the announcer's mesh,
 * so the mesh degree is the number of Invs a node receives per batch: 3 instead of 6 halves that
 * traffic (measured in the 20-node propagation benchmark: 0.42 instead of 0.52 of the flooding
 * baseline's bytes per node per transaction, latency unchanged), while a mesh of 2 to 5 peers still
 * joins every node to the announcement graph.
 */
export const INV_MESH = { D: 3, Dlo: 2, Dhi: 5, Dout: 1, Dscore: 2 } as const;

/** Gossipsub's score decay interval in ms (its default): counters decay once per interval. */
export const SCORE_DECAY_INTERVAL_MS = 1_000;

/** Per-interval decay factor for a counter that should halve every `halfLifeMs`. */
export function decayFactor(halfLifeMs: number, intervalMs = SCORE_DECAY_INTERVAL_MS): number {
  return 0.5 ** (intervalMs / halfLifeMs);
}

/** Weight of P4 (invalid deliveries, squared counter): 2 Rejects = -80 (at graylist), 3 = -180. */
export const INVALID_DELIVERY_WEIGHT = -20;

/** Half-life in ms of the P4 counter: 10 minutes, so a graylisted peer recovers after ~6 minutes idle. */
export const INVALID_DELIVERY_HALF_LIFE_MS = 10 * 60_000;

/** P1 credit per quantum in the mesh: 0.01 per second, capped below by TIME_IN_MESH_CAP. */
export const TIME_IN_MESH_WEIGHT = 0.01;

/** P1 quantum in ms (gossipsub's default of 1 ms maxes the credit at once and hides penalties). */
export const TIME_IN_MESH_QUANTUM_MS = 1_000;

/** P1 cap in quanta: 1,000 s in the mesh give the full +10. */
export const TIME_IN_MESH_CAP = 1_000;

/** Cap on the positive topic contribution: credit is a tie-breaker, never a shield against P4/P5. */
export const TOPIC_SCORE_CAP = 10;

/** Weight of the application score (P5): the reputation layer's number is taken as is. */
export const APP_SPECIFIC_WEIGHT = 1;

/** P7: broken promises tolerated before any penalty (honest peers miss a few IWANT replies under load). */
export const BEHAVIOUR_PENALTY_THRESHOLD = 6;

/** P7 weight per squared excess over the threshold. */
export const BEHAVIOUR_PENALTY_WEIGHT = -10;

/** Half-life in ms of the P7 counter. */
export const BEHAVIOUR_PENALTY_HALF_LIFE_MS = 60_000;

/**
 * Score thresholds. Below `gossipThreshold` no gossip (IHAVE/IWANT) is exchanged with the peer;
 * below `publishThreshold` we do not publish to it; below `graylistThreshold` every RPC from it is
 * ignored. `acceptPXThreshold` is above any reachable score (topic cap 10 + app score), so peer
 * exchange is never accepted: our peer list is static and PX would let an attacker eclipse us.
 */
export const SCORE_THRESHOLDS: PeerScoreThresholds = {
  gossipThreshold: -10,
  publishThreshold: -50,
  graylistThreshold: -80,
  acceptPXThreshold: 1_000,
  opportunisticGraftThreshold: 2,
};

/** Topic score parameters of the inventory topic (see the module comment). */
export function invTopicScoreParams(): TopicScoreParams {
  return {
    topicWeight: 1,
    timeInMeshWeight: TIME_IN_MESH_WEIGHT,
    timeInMeshQuantum: TIME_IN_MESH_QUANTUM_MS,
    timeInMeshCap: TIME_IN_MESH_CAP,
    firstMessageDeliveriesWeight: 0,
    firstMessageDeliveriesDecay: 0.5,
    firstMessageDeliveriesCap: 1,
    meshMessageDeliveriesWeight: 0,
    meshMessageDeliveriesDecay: 0.5,
    meshMessageDeliveriesCap: 1,
    meshMessageDeliveriesThreshold: 1,
    meshMessageDeliveriesWindow: 10,
    meshMessageDeliveriesActivation: 5_000,
    meshFailurePenaltyWeight: 0,
    meshFailurePenaltyDecay: 0.5,
    invalidMessageDeliveriesWeight: INVALID_DELIVERY_WEIGHT,
    invalidMessageDeliveriesDecay: decayFactor(INVALID_DELIVERY_HALF_LIFE_MS),
  };
}

export interface ScoreParamsOptions {
  topic: string;
  appSpecificScore: (peerId: string) => number;
}

export function peerScoreParams(options: ScoreParamsOptions): Partial<PeerScoreParams> {
  return {
    topics: { [options.topic]: invTopicScoreParams() },
    topicScoreCap: TOPIC_SCORE_CAP,
    appSpecificScore: options.appSpecificScore,
    appSpecificWeight: APP_SPECIFIC_WEIGHT,
    IPColocationFactorWeight: 0,
    behaviourPenaltyWeight: BEHAVIOUR_PENALTY_WEIGHT,
    behaviourPenaltyThreshold: BEHAVIOUR_PENALTY_THRESHOLD,
    behaviourPenaltyDecay: decayFactor(BEHAVIOUR_PENALTY_HALF_LIFE_MS),
    decayInterval: SCORE_DECAY_INTERVAL_MS,
    decayToZero: 0.1,
    retainScore: 60 * 60_000,
  };
}

/**
 * Message id: SHA-256 of the payload (under StrictNoSign a message is just topic + data, so
 * identical announcements are one message). Every implementation must compute the same id: it
 * names messages in IHAVE/IWANT/IDONTWANT.
 */
export function contentMsgId(msg: Message): Uint8Array {
  return createHash('sha256').update(msg.data).digest();
}

/**
 * Fast message id, used to drop duplicates before the message is even converted: hex SHA-256 of the
 * payload. A cryptographic hash on purpose: a colliding cheap hash would let a peer pre-empt a
 * genuine announcement with a crafted one (gossipsub treats a fast-id match as a duplicate).
 */
export function fastContentMsgId(msg: { data?: Uint8Array }): string {
  return createHash('sha256')
    .update(msg.data ?? new Uint8Array(0))
    .digest('hex');
}
