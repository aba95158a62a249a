/** The libp2p host of a trustmesh node. */
export * from './create-node.js';
export * from './gater.js';
export * from './gossip-config.js';
export * from './identity.js';
export * from './peer-dialer.js';
