/** Open membership: address book, address relay, connection manager, eviction, liveness, partitions. */
export * from './addr-codec.js';
export * from './addr-rate-limiter.js';
export * from './addr-relay.js';
export * from './address-book.js';
export * from './address-book-store.js';
export * from './chain-sync-eviction.js';
export * from './connection-manager.js';
export * from './constants.js';
export * from './eviction.js';
export * from './liveness.js';
export * from './liveness-monitor.js';
export * from './membership.js';
export * from './netgroup.js';
export * from './partition-detector.js';
export * from './ports.js';
