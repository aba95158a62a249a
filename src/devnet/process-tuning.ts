/**
 * How node processes are started for memory: the V8 flags and the C library's malloc settings a
 * trustmesh node process gets from the devnet and attacker launchers, the devnets of the perf
 * benchmarks (scripts/perf), testnet hosts and the exported manifests. They change no behaviour,
 * only how much memory a node keeps resident after a burst of relay. Figures: docs/performance.md,
 * "Memory per transaction" and "Memory, the malloc heap".
 */

/**
 * Most memory (unit: MB) of one of the two semi-spaces of V8's young generation in a devnet
 * process, instead of V8's 16. A burst of relay (thousands of transactions in a minute) grows the
 * young generation to its maximum and it stays there: 2 x 16 MB resident in every node afterwards.
 * Measured in one 20-node memory bench run with the nodes split between settings (10,000 payments
 * relayed in 59 s): 8 MB left each node 18 MB lower than the default at the same CPU time; 4 and
 * 2 MB promote short-lived objects early, which grows the old space and the malloc heap (ArrayBuffers
 * then wait for a full GC) and costs 8-10% more CPU, for less saving.
 */
export const MAX_SEMI_SPACE_MB = 8;

/** V8 flags of every node process (see MAX_SEMI_SPACE_MB). */
export const NODE_V8_FLAGS: readonly string[] = [`--max-semi-space-size=${MAX_SEMI_SPACE_MB}`];

/**
 * Most malloc arenas (unit: arenas) of a node process: glibc gives each thread that allocates under
 * contention an arena of its own, up to 8 per core, and an arena keeps the pages of a burst
 * resident. A node's allocating threads besides the main one are V8's GC and compiler helpers and
 * libuv's pool (LevelDB); sharing 2 arenas, they grew 0.4 -> 2.1 MB over 10,000 relayed payments
 * against 4.7 -> 13.8 MB with glibc's default (two 20-node memory bench runs, nodes split between
 * settings; the whole node 5-6 MB lower after the burst, CPU time within the runs' spread). Other C
 * libraries ignore the variable.
 */
export const MALLOC_ARENAS = 2;

/**
 * glibc's malloc thresholds (unit: bytes), pinned at their defaults. By default glibc raises both as
 * soon as a large block is freed (up to 32 MB to mmap, 64 MB kept untrimmed at the heap's top), so
 * after a node has once freed a large buffer, later ones come from the heap and the heap is not
 * given back. Pinned, a block of 128 KB or more is mapped and unmapped on its own, and the heap is
 * trimmed above 128 KB free. Three 20-node memory bench runs, nodes split between settings: the node
 * 3-5 MB lower after 10,000 relayed payments, CPU time within the runs' spread.
 */
export const MALLOC_THRESHOLD_BYTES = 128 * 1024;

/** Environment variables every node process gets on top of its launcher's (see above). */
export const NODE_ENV_TUNING: Readonly<Record<string, string>> = Object.freeze({
  MALLOC_ARENA_MAX: String(MALLOC_ARENAS),
  MALLOC_MMAP_THRESHOLD_: String(MALLOC_THRESHOLD_BYTES),
  MALLOC_TRIM_THRESHOLD_: String(MALLOC_THRESHOLD_BYTES),
});

/** `base` (default: this process's environment) with NODE_ENV_TUNING on top. */
export function nodeProcessEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, ...NODE_ENV_TUNING };
}
