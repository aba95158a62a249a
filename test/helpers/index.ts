/**
 * Test harness for whole trustmesh networks in one process: see network.ts (nodes, topology,
 * partitions, restarts), chain.ts (payments, mining, views), raw-peer.ts (a hand-driven libp2p
 * peer that announces and withholds), serving.ts (a node that serves late or not at all) and wait.ts
 * (polling waits).
 */
export * from './chain.js';
export * from './network.js';
export * from './raw-peer.js';
export * from './serving.js';
export * from './wait.js';
