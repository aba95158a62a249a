/**
 * Errors of the CLI and REPL. The exit code depends on the class: a `UsageError` (the command line
 * itself is wrong; the node was not asked) exits 2, anything else exits 1.
 */

/** The command line is wrong: unknown command, missing or malformed argument, unknown node. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A peer argument matches no known peer id, or more than one. */
export class PeerResolutionError extends Error {
  override name = 'PeerResolutionError';
}
