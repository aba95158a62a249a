/** Chain and mempool synchronisation over `/trustmesh/<network>/sync/1.0.0`. */
export * from './client.js';
export * from './errors.js';
export * from './server.js';
