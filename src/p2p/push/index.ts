/**
 * Transaction push over `/trustmesh/<network>/txpush/1.0.0`: subscribers open a stream and say what
 * they want (OWN or ALL); pushers write the transactions they validated. See PROTOCOL.md section 6.
 */
export * from './client.js';
export * from './eager-peers.js';
export * from './server.js';
export * from './subscriptions.js';
