/**
 * Composition hooks for a node that serves late or not at all: every getdata answer first waits for
 * `before(type, hash)` (a stall, a race with mining, a withheld object), then serves what the honest
 * inventory holds; `served` sees each answer. Tests of the requesting side use it to make one
 * honest node a slow, racing or withholding announcer.
 */
import type { NodeHooks } from '../../src/node/compose.js';
import type { InvType } from '../../src/p2p/wire/codec.js';

export function serveAfter(
  before: (type: InvType, hash: Uint8Array) => Promise<unknown> | undefined,
  served?: (type: InvType, bytes: Uint8Array | undefined) => void,
): NodeHooks {
  return {
    decorateInventory: (honest) => ({
      ...honest,
      getObject: async (type, hash) => {
        await before(type, hash);
        const bytes = await honest.getObject(type, hash);
        served?.(type, bytes);
        return bytes;
      },
    }),
  };
}
