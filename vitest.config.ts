import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['./src/polyfill.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and e2e suites start real libp2p nodes and child processes; on 2 cores,
    // running files in parallel makes them starve each other of CPU.
    fileParallelism: false,
    pool: 'forks',
  },
});
