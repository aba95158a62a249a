/**
 * Typed errors of the RPC server. `RpcFault`s become JSON-RPC error objects; the others are thrown
 * to the code that starts the server.
 */
import { RpcErrorCode } from './constants.js';

/** A JSON-RPC error to send back: `code` and a one-line `message`, never a stack trace. */
export class RpcFault extends Error {
  override name = 'RpcFault';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A parameter is missing, of the wrong type, or out of range. The message names the parameter. */
export class InvalidParamsError extends RpcFault {
  override name = 'InvalidParamsError';
  constructor(message: string) {
    super(RpcErrorCode.INVALID_PARAMS, `invalid params: ${message}`);
  }
}

/** The RPC port is taken (another node, or a previous run still alive). */
export class RpcPortInUseError extends Error {
  override name = 'RpcPortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`RPC port ${port} on ${host} is already in use (another node running?)`);
  }
}

/** The RPC server could not start for another reason (permissions, bad host). */
export class RpcStartError extends Error {
  override name = 'RpcStartError';
}
