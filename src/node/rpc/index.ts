/**
 * The node's JSON-RPC 2.0 interface: what `trustmesh-cli` and the REPL talk to.
 *
 * Methods map one-to-one onto `NodeApi` (src/node/api.ts); see `RPC_METHODS` for parameters.
 * Authentication is bitcoind's cookie scheme: the server writes `<dataDir>/rpc.cookie`
 * (`__cookie__:<64 hex>`, mode 0600) and deletes it on close.
 *
 * @example
 * ```ts
 * const rpc = await startRpcServer({ api, dataDir: '.devnet/alice', port: 8101 });
 * // curl --user "$(cat .devnet/alice/rpc.cookie)" -d '{"jsonrpc":"2.0","id":1,"method":"why","params":["12D3KooW..."]}' http://127.0.0.1:8101/
 * await rpc.close();
 * ```
 */
export {
  COOKIE_FILE_NAME,
  COOKIE_USER,
  MAX_BATCH_SIZE,
  MAX_BODY_BYTES,
  MAX_MINE_COUNT,
  RpcErrorCode,
} from './constants.js';
export { basicAuthHeader, type Credentials, cookiePathIn, parseCookie } from './cookie.js';
export { dispatchBody, type RpcLogger, type RpcResponse } from './dispatch.js';
export { InvalidParamsError, RpcFault, RpcPortInUseError, RpcStartError } from './errors.js';
export { isRpcMethodName, RPC_METHODS, type RpcMethodName } from './methods.js';
export { type RpcServer, type RpcServerOptions, startRpcServer } from './server.js';
