/**
 * The benchmark's compiled build: moved to src/devnet/compiled-build.ts (the devnet runs its nodes
 * from a cached one); re-exported here for the benchmark parts and tests that import this path.
 */
export { buildCompiledTree, type CompiledTree } from '../../src/devnet/compiled-build.js';
