/**
 * Peer arguments: operators type a unique prefix of a peer id (as shown, shortened, in tables)
 * instead of 52 characters. Known ids come from the node's `reputation` and `peers` lists.
 */
import { PeerResolutionError, UsageError } from './errors.js';
import type { RpcCaller } from './rpc-client.js';

/** Shortest input taken as a whole peer id even when the node has no record of it (e.g. to pre-ban). */
const MIN_FULL_PEER_ID_LENGTH = 46;

/** Matches shown when a prefix is ambiguous. */
const MAX_SHOWN_MATCHES = 4;

/**
 * The one id in `known` that starts with `input` (a trailing `…` or `...`, as in tables, is
 * ignored). An exact id wins; a long enough unknown id passes through unchanged.
 */
export function matchPeerPrefix(input: string, known: readonly string[]): string {
  const prefix = input.trim().replace(/(…|\.\.\.)$/, '');
  if (prefix === '') throw new UsageError('empty peer id');
  const ids = [...new Set(known)];
  if (ids.includes(prefix)) return prefix;
  const matches = ids.filter((id) => id.startsWith(prefix));
  const [only] = matches;
  if (matches.length === 1 && only !== undefined) return only;
  if (matches.length > 1) {
    const shown = matches.slice(0, MAX_SHOWN_MATCHES).map((id) => distinguishing(id, prefix.length + 4));
    const more = matches.length > MAX_SHOWN_MATCHES ? ` and ${matches.length - MAX_SHOWN_MATCHES} more` : '';
    throw new PeerResolutionError(
      `peer prefix '${prefix}' is ambiguous: it matches ${shown.join(', ')}${more}; type more characters`,
    );
  }
  if (prefix.length >= MIN_FULL_PEER_ID_LENGTH && /^[A-Za-z0-9]+$/.test(prefix)) return prefix;
  throw new PeerResolutionError(`no known peer id starts with '${prefix}' (see \`reputation\` or \`peers\`)`);
}

function distinguishing(id: string, length: number): string {
  return length >= id.length ? id : `${id.slice(0, Math.max(length, 1))}…`;
}

/** Every peer id the node knows of: reputation entries (incl. disconnected) and connected peers. */
export async function knownPeerIds(client: RpcCaller): Promise<string[]> {
  const [reputation, peers] = await Promise.all([client.call('reputation'), client.call('peers')]);
  return [...new Set([...reputation.map((e) => e.peerId), ...peers.map((p) => p.peerId)])];
}

/** `input` resolved against the node's known peers. */
export async function resolvePeer(client: RpcCaller, input: string): Promise<string> {
  return matchPeerPrefix(input, await knownPeerIds(client));
}
