/**
 * The RPC method table: one entry per `NodeApi` method, with its parameters (positional order =
 * the `NodeApi` argument order; named = the parameter names) and a one-line description. The
 * `satisfies` clause makes a new `NodeApi` method a compile error until it is listed here.
 */
import type { NodeApi } from '../api.js';
import { InvalidParamsError } from './errors.js';
import { P, type Param } from './params.js';

export type RpcMethodName = keyof NodeApi;

export interface RpcMethod {
  readonly params: readonly Param<unknown>[];
  readonly description: string;
  invoke(api: NodeApi, args: readonly unknown[]): Promise<unknown>;
}

type ArgsOf<Ps extends readonly Param<unknown>[]> = {
  -readonly [K in keyof Ps]: Ps[K] extends Param<infer T> ? T : never;
};

function method<const Ps extends readonly Param<unknown>[]>(
  params: Ps,
  description: string,
  invoke: (api: NodeApi, ...args: ArgsOf<Ps>) => Promise<unknown>,
): RpcMethod {
  return { params, description, invoke: (api, args) => invoke(api, ...(args as ArgsOf<Ps>)) };
}

export const RPC_METHODS = {
  status: method([], 'height, tip, peers, mempool and uptime of the node', (api) => api.status()),
  peers: method([], 'connected peers with trust and gossipsub scores', (api) => api.peers()),
  reputation: method([], 'trust state of every known peer', (api) => api.reputation()),
  why: method([P.peerId], 'offence history, ban and gossipsub score of a peer', (api, id) => api.why(id)),
  quarantined: method([], 'peers currently quarantined', (api) => api.quarantined()),
  ban: method([P.peerId, P.durationMs, P.reason], 'quarantine a peer by hand', (api, id, ms, reason) =>
    api.ban(id, ms, reason),
  ),
  unban: method([P.peerId], 'lift a quarantine', (api, id) => api.unban(id)),
  tip: method([], 'the active chain’s tip block', (api) => api.tip()),
  block: method([P.idOrHeight], 'a block by id or height', (api, ref) => api.block(ref)),
  tx: method([P.txid], 'a transaction in the mempool or on the active chain', (api, txid) => api.tx(txid)),
  mempool: method([], 'mempool size and transaction ids', (api) => api.mempool()),
  balance: method([P.addressOptional], 'confirmed balance of the node wallet or an address', (api, addr) =>
    api.balance(addr),
  ),
  send: method([P.address, P.amount, P.fee], 'send base units from the node wallet', (api, to, amount, fee) =>
    api.send(to, amount, fee),
  ),
  mine: method([P.count], 'mine blocks now', (api, count) => api.mine(count)),
  addrbook: method(
    [],
    'the address book: new and tried tables',
    async (api) => (await api.addrbook?.()) ?? [],
  ),
} satisfies Record<RpcMethodName, RpcMethod>;

export function isRpcMethodName(name: string): name is RpcMethodName {
  return Object.hasOwn(RPC_METHODS, name);
}

/**
 * Checks a call's `params` (absent, positional array or named object) against the method's
 * parameters and returns the arguments in positional order. `null` counts as left out, so a
 * positional call can skip an optional parameter, as in bitcoind.
 */
export function resolveParams(name: RpcMethodName, method: RpcMethod, params: unknown): unknown[] {
  const specs = method.params;
  const names = specs.map((p) => p.name);
  let values: unknown[];
  if (params === undefined) {
    values = [];
  } else if (Array.isArray(params)) {
    if (params.length > specs.length) {
      throw new InvalidParamsError(
        specs.length === 0
          ? `${name} takes no params, got ${params.length}`
          : `${name} takes at most ${specs.length} (${names.join(', ')}), got ${params.length}`,
      );
    }
    values = params;
  } else if (typeof params === 'object' && params !== null) {
    const named = params as Record<string, unknown>;
    for (const key of Object.keys(named)) {
      if (!names.includes(key)) {
        const expected = names.length === 0 ? 'none' : names.join(', ');
        throw new InvalidParamsError(`${name} has no param '${key}' (params: ${expected})`);
      }
    }
    values = names.map((n) => named[n]);
  } else {
    throw new InvalidParamsError('params must be an array or an object');
  }
  return specs.map((spec, i) => {
    const value = values[i] ?? undefined;
    if (value === undefined && !spec.optional) throw new InvalidParamsError(`missing param '${spec.name}'`);
    return spec.parse(value);
  });
}
