import { defineConfig } from 'vitest/config';

/**
 * Tests by cost, run cheapest first: `unit` (pure and in process; files run in parallel), then
 * `integration` (real libp2p nodes over TCP, LevelDB, files) and `e2e` (separate processes), one
 * file at a time, because on 2 cores such files running side by side starve each other of CPU.
 * `npm run test:unit` (or `vitest run --project unit`) runs the unit tests alone.
 */
export default defineConfig({
  test: {
    setupFiles: ['./src/polyfill.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
