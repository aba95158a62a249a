/** The wire protocol: messages, limits, framing and the data the servers serve. See PROTOCOL.md. */
export * from './codec.js';
export * from './constants.js';
export * from './errors.js';
export * from './framing.js';
export type { InventorySource } from './inventory-source.js';
export * from './peers.js';
export * from './violations.js';
