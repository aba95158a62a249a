/**
 * Preloaded (`--import`) into every node process the devnet launcher starts: when the launcher
 * dies without stopping its nodes (SIGKILL, a crash, a closed terminal), the node is re-parented
 * and this guard sends it SIGTERM, so it stops cleanly instead of holding the devnet's ports until
 * someone finds it. Nodes started by hand never load it.
 */

/** How often the parent is checked (unit: ms): a second is soon enough to free the ports. */
const CHECK_INTERVAL_MS = 1_000;

const parent = process.ppid;
const timer = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(timer);
  process.kill(process.pid, 'SIGTERM');
}, CHECK_INTERVAL_MS);
timer.unref();
