/**
 * A chain of block headers received ahead of their blocks (headers-first sync), grown from a block
 * we store and checked header by header as a block's header would be: structure and proof of work
 * (`checkHeaderPow`; the miner's signature waits for the block), link to the previous header,
 * height, the retargeted target, the median time past and the future limit.
 *
 * It keeps only what the next header's checks need (the last `max(11, retargetWindow + 1)`
 * timestamps and targets), the ids in order and the cumulative work, so a session of many
 * thousand headers costs a few bytes per header. Pure: the result depends on the start block's
 * ancestry, the headers, the parameters and the clock only.
 */
import { toHex } from '../../crypto/hash.js';
import { decodeHeader } from '../encoding/codec.js';
import { ValidationError } from '../errors.js';
import { blockIdOfBytes, bytesToBigInt, workOf } from '../objects/block.js';
import { type ChainParams, MEDIAN_TIME_SPAN } from '../params.js';
import { checkHeaderContext, checkHeaderPow } from '../rules/block.js';
import { expectedTarget, medianTimestamp } from '../rules/difficulty.js';
import type { ChainEntry } from './block-index.js';

/** A header's contribution to its successors' checks. */
interface Sample {
  readonly timestamp: number;
  readonly target: bigint;
}

export class HeaderChain {
  /** Ids (hex) of the accepted headers, oldest first. */
  readonly ids: string[] = [];
  #tipHex: string;
  #height: number;
  #work: bigint;
  /** The newest samples, oldest first (at most `#keep`). */
  readonly #samples: Sample[];
  readonly #keep: number;

  /**
   * @param start the stored block the first header must extend
   * @param ancestors `start` and its ancestors, newest first (as many as the checks need)
   */
  constructor(
    start: ChainEntry,
    ancestors: readonly Sample[],
    private readonly params: ChainParams,
    private readonly now: () => number,
  ) {
    this.#tipHex = start.idHex;
    this.#height = start.height;
    this.#work = start.cumulativeWork;
    this.#keep = Math.max(MEDIAN_TIME_SPAN, params.retargetWindow + 1);
    this.#samples = ancestors.slice(0, this.#keep).reverse();
  }

  /** How many ancestors (the start block included) the constructor needs. */
  static ancestorsNeeded(params: ChainParams): number {
    return Math.max(MEDIAN_TIME_SPAN, params.retargetWindow + 1);
  }

  /** Id (hex) of the last accepted header, or of the start block. */
  get tipHex(): string {
    return this.#tipHex;
  }

  get height(): number {
    return this.#height;
  }

  /** Cumulative work of the chain up to the last accepted header. */
  get work(): bigint {
    return this.#work;
  }

  /**
   * Checks `headers` (canonical encodings, oldest first) as the continuation of this chain and
   * accepts them; throws ValidationError at the first that fails, keeping the ones before it.
   */
  extend(headers: readonly Uint8Array[]): void {
    for (const bytes of headers) {
      const header = decodeHeader(bytes);
      const id = blockIdOfBytes(bytes);
      const idHex = toHex(id);
      checkHeaderPow(header, id, this.params);
      if (toHex(header.prevHash) !== this.#tipHex) {
        throw new ValidationError('BLOCK_UNKNOWN_PARENT', `header ${idHex} does not extend ${this.#tipHex}`);
      }
      const window = this.params.retargetWindow + 1;
      const recent = this.#samples.slice(-MEDIAN_TIME_SPAN).map((s) => s.timestamp);
      checkHeaderContext(
        header,
        {
          parentHeight: this.#height,
          medianTimePast: medianTimestamp(recent),
          expectedTarget: expectedTarget(this.params, this.#samples.slice(-window)),
        },
        this.params,
        this.now(),
      );
      const target = bytesToBigInt(header.target);
      this.#samples.push({ timestamp: header.timestamp, target });
      if (this.#samples.length > this.#keep) this.#samples.shift();
      this.#tipHex = idHex;
      this.#height = header.height;
      this.#work += workOf(target);
      this.ids.push(idHex);
    }
  }
}
