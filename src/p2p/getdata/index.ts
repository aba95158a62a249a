/** Object download over `/trustmesh/<network>/getdata/1.0.0` (long-lived pipelined streams). */
export * from './client.js';
export * from './errors.js';
export * from './server.js';
