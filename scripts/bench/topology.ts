/** The benchmark's topology is the testnet's (src/testnet/topology.ts): one seeded dial graph for both. */
export { buildTopology, eccentricity, seededRandom, type Topology } from '../../src/testnet/topology.js';
