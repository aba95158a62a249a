/**
 * JSON-RPC 2.0 envelope handling, independent of HTTP: a request body in, the response body and
 * HTTP status out. Calls in a batch run one after another, in order (a `send` then a `mine` in one
 * batch behave as typed). Error messages are one line; stacks never leave the process.
 */
import type { NodeApi } from '../api.js';
import { MAX_BATCH_SIZE, RpcErrorCode } from './constants.js';
import { RpcFault } from './errors.js';
import { isRpcMethodName, RPC_METHODS, resolveParams } from './methods.js';

/** Where the dispatcher reports failed calls (pino-compatible). */
export interface RpcLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

type RpcId = string | number | null;

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: { name: string };
}

export type RpcResponse =
  { jsonrpc: '2.0'; id: RpcId; result: unknown } | { jsonrpc: '2.0'; id: RpcId; error: RpcErrorObject };

export interface DispatchOutcome {
  status: number;
  /** Serialized JSON, or null when nothing is to be sent (only notifications). */
  body: string | null;
}

/** Longest error message sent (unit: characters): keeps hostile inputs echoed in messages short. */
const MAX_MESSAGE_LENGTH = 300;

export function errorResponse(id: RpcId, code: number, message: string, name?: string): RpcResponse {
  const error: RpcErrorObject = { code, message: oneLine(message) };
  if (name !== undefined) error.data = { name };
  return { jsonrpc: '2.0', id, error };
}

export async function dispatchBody(api: NodeApi, text: string, logger?: RpcLogger): Promise<DispatchOutcome> {
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch {
    return reply(
      400,
      errorResponse(null, RpcErrorCode.PARSE_ERROR, 'parse error: request body is not valid JSON'),
    );
  }
  if (!Array.isArray(request)) {
    const response = await dispatchOne(api, request, logger);
    if (response === null) return { status: 204, body: null };
    return reply(
      'error' in response && response.error.code === RpcErrorCode.INVALID_REQUEST ? 400 : 200,
      response,
    );
  }
  if (request.length === 0) {
    return reply(400, errorResponse(null, RpcErrorCode.INVALID_REQUEST, 'invalid request: empty batch'));
  }
  if (request.length > MAX_BATCH_SIZE) {
    const message = `invalid request: batch of ${request.length} calls exceeds the limit of ${MAX_BATCH_SIZE}`;
    return reply(400, errorResponse(null, RpcErrorCode.INVALID_REQUEST, message));
  }
  const responses: RpcResponse[] = [];
  for (const call of request) {
    const response = await dispatchOne(api, call, logger);
    if (response !== null) responses.push(response);
  }
  return responses.length === 0 ? { status: 204, body: null } : reply(200, responses);
}

/** One call; null for a valid notification (no `id`), which gets no response. */
async function dispatchOne(api: NodeApi, call: unknown, logger?: RpcLogger): Promise<RpcResponse | null> {
  if (typeof call !== 'object' || call === null || Array.isArray(call)) {
    return errorResponse(
      null,
      RpcErrorCode.INVALID_REQUEST,
      'invalid request: expected a JSON-RPC call object',
    );
  }
  const { jsonrpc, method, params } = call as Record<string, unknown>;
  const hasId = Object.hasOwn(call, 'id');
  const rawId = (call as Record<string, unknown>).id;
  const validId =
    rawId === null || typeof rawId === 'string' || (typeof rawId === 'number' && Number.isFinite(rawId));
  const id: RpcId = validId ? (rawId as RpcId) : null;
  if (hasId && !validId) {
    return errorResponse(
      null,
      RpcErrorCode.INVALID_REQUEST,
      'invalid request: id must be a string, number or null',
    );
  }
  if (jsonrpc !== '2.0') {
    return errorResponse(id, RpcErrorCode.INVALID_REQUEST, 'invalid request: "jsonrpc" must be "2.0"');
  }
  if (typeof method !== 'string') {
    return errorResponse(id, RpcErrorCode.INVALID_REQUEST, 'invalid request: "method" must be a string');
  }
  const response = await invoke(api, id, method, params, logger);
  return hasId ? response : null;
}

async function invoke(
  api: NodeApi,
  id: RpcId,
  name: string,
  params: unknown,
  logger?: RpcLogger,
): Promise<RpcResponse> {
  if (!isRpcMethodName(name)) {
    const known = Object.keys(RPC_METHODS).join(', ');
    return errorResponse(id, RpcErrorCode.METHOD_NOT_FOUND, `method not found: ${name} (methods: ${known})`);
  }
  const method = RPC_METHODS[name];
  let result: unknown;
  try {
    result = await method.invoke(api, resolveParams(name, method, params));
  } catch (err) {
    if (err instanceof RpcFault) return errorResponse(id, err.code, err.message);
    if (err instanceof Error) {
      logger?.debug({ method: name, err: err.message }, 'rpc call failed');
      return errorResponse(id, RpcErrorCode.APPLICATION_ERROR, err.message || err.name, err.name);
    }
    logger?.warn({ method: name, thrown: String(err) }, 'rpc call threw a non-Error');
    return errorResponse(id, RpcErrorCode.INTERNAL_ERROR, 'internal error');
  }
  try {
    // Serialize here, so a result JSON cannot carry (a bigint, a cycle) fails this call alone.
    JSON.stringify(result ?? null);
  } catch (err) {
    logger?.warn({ method: name, err: String(err) }, 'rpc result is not serializable');
    return errorResponse(
      id,
      RpcErrorCode.INTERNAL_ERROR,
      `internal error: ${name} returned a non-JSON result`,
    );
  }
  return { jsonrpc: '2.0', id, result: result ?? null };
}

function reply(status: number, payload: RpcResponse | RpcResponse[]): DispatchOutcome {
  return { status, body: JSON.stringify(payload) };
}

function oneLine(message: string): string {
  const line = message.split('\n', 1)[0]?.trim() ?? '';
  return line.length > MAX_MESSAGE_LENGTH ? `${line.slice(0, MAX_MESSAGE_LENGTH)}…` : line;
}
