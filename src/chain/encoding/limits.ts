/**
 * Size limits of consensus objects, checked before any decoding so a peer cannot make us parse
 * (or allocate for) more than these bounds.
 */

/** Largest encoded transaction in bytes; ~700 inputs, far above any wallet's needs. */
export const MAX_TX_BYTES = 100_000;
/** Most inputs in one transaction (each needs a signature check: bounds verification work per tx). */
export const MAX_TX_INPUTS = 500;
/** Most outputs in one transaction (the devnet genesis coinbase pays 1,000 outputs). */
export const MAX_TX_OUTPUTS = 2_000;
/** Largest encoded block in bytes (like Bitcoin's original 1 MB). */
export const MAX_BLOCK_BYTES = 1_000_000;
/** Most transactions in one block. */
export const MAX_BLOCK_TXS = 10_000;
/** Largest encoded block header in bytes; a canonical header is ~230 bytes. */
export const MAX_HEADER_BYTES = 512;
