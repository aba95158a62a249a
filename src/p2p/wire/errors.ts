/**
 * Typed errors of the wire layer. Callers branch on the class (or on `kind`), never on message text.
 */

/**
 * Why bytes received from a peer were refused by a wire codec:
 * - `OVERSIZE`: a frame longer than its limit, or a repeated field with more entries than allowed;
 * - `MALFORMED`: not decodable, or a field breaks a rule (hash length, unknown type, value range);
 * - `NON_CANONICAL`: decodable, but re-encoding gives other bytes (unknown fields, default values
 *   sent, fields out of order, several `oneof` members, a non-minimal length prefix).
 */
export type WireErrorKind = 'OVERSIZE' | 'MALFORMED' | 'NON_CANONICAL';

/** Bytes from the network that no honest implementation of PROTOCOL.md sends. */
export class WireError extends Error {
  override readonly name = 'WireError';

  constructor(
    readonly kind: WireErrorKind,
    message: string,
  ) {
    super(`${kind}: ${message}`);
  }
}
