/**
 * The narrow interfaces membership needs from the rest of the node. Each module takes only the
 * ports it uses (a `modules` object), never the node itself, so tests compose them with real libp2p
 * hosts and small fakes for the chain.
 */
import type { Connection, Libp2p, PeerId, Startable } from '@libp2p/interface';
import type { OffenceKind } from '../reputation/offences.js';

/** The parts of the libp2p host membership uses. */
export type MembershipHost = Pick<
  Libp2p,
  | 'peerId'
  | 'dial'
  | 'hangUp'
  | 'getConnections'
  | 'getMultiaddrs'
  | 'handle'
  | 'unhandle'
  | 'addEventListener'
  | 'removeEventListener'
>;

/** How a connection came to be, as in Bitcoin Core's ConnectionType. */
export type ConnectionType = 'outbound-full' | 'block-relay' | 'feeler' | 'manual' | 'inbound';

export const CONNECTION_TYPES: readonly ConnectionType[] = [
  'outbound-full',
  'block-relay',
  'feeler',
  'manual',
  'inbound',
];

/** Reports an offence to the reputation layer (the node's single blame point). */
export type OffencePort = (peer: string, kind: OffenceKind, evidence: string) => void;

/** What membership needs to know about the chain, for stale-tip and partition detection. */
export interface ChainPort {
  /** Our active chain's cumulative work. */
  work(): bigint;
  /** When our tip last changed (ms). */
  tipChangedAt(): number;
  /** Target block interval (ms). */
  targetSpacingMs: number;
}

/** A peer's chain work as it reports it (the sync protocol's `status`). */
export type PeerWorkPort = (peer: string) => Promise<bigint>;

/** Something that happened, for logs and tests. */
export type MembershipEvent =
  | { kind: 'dial'; peer: string; type: ConnectionType; anchor: boolean; at: number }
  | { kind: 'dial-failed'; peer: string; type: ConnectionType; error: string; at: number }
  | { kind: 'adopted'; peer: string; type: ConnectionType; at: number }
  | { kind: 'evicted'; peer: string; reason: string; at: number }
  | { kind: 'refused'; peer: string; reason: string; at: number }
  | { kind: 'liveness'; peer: string; state: 'suspect' | 'dead'; at: number }
  | { kind: 'partition'; suspected: boolean; reason: string | undefined; at: number };

export type EventPort = (event: MembershipEvent) => void;

/** Logging: printf-style like libp2p's component loggers. */
export type LogPort = (format: string, ...args: unknown[]) => void;

/** Lifecycle of every membership service. */
export type MembershipService = Pick<Startable, 'start' | 'stop'> & {
  start(): Promise<void>;
  stop(): Promise<void>;
};

export type { Connection, PeerId };
