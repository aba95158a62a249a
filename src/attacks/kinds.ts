/**
 * The attack catalogue: every module under src/attacks/kinds/ that exports `misbehaviour`, in
 * catalogue order (the `catalogue` row number). Adding a kind is adding its module there: nothing
 * else lists kinds. `npm run attacker -- --list`, the scenario runner and the tests read this list.
 */
import { readdirSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Misbehaviour } from './attack.js';

/** A kind module's file name: lowercase words joined by dashes (the kind's name), .ts or .js. */
const KIND_FILE = /^[a-z0-9]+(-[a-z0-9]+)*\.(ts|js)$/;

/** A kind module that does not export a well-formed `misbehaviour`. */
export class KindModuleError extends Error {
  override name = 'KindModuleError';
}

async function loadCatalogue(): Promise<Misbehaviour[]> {
  const here = import.meta.url;
  // Run from sources (.ts, tsx or vitest) or from a compiled build (.js): load the same kind of file.
  const ext = extname(fileURLToPath(here));
  const dir = new URL('./kinds/', here);
  const files = readdirSync(dir)
    .filter((file) => KIND_FILE.test(file) && extname(file) === ext)
    .sort();
  const kinds = await Promise.all(
    files.map(async (file) => {
      const module = (await import(new URL(file, dir).href)) as { misbehaviour?: Misbehaviour };
      const m = module.misbehaviour;
      if (m === undefined || `${m.kind}${ext}` !== file) {
        throw new KindModuleError(
          `src/attacks/kinds/${file} must export a misbehaviour named after the file`,
        );
      }
      return m;
    }),
  );
  return kinds.sort((a, b) => a.catalogue - b.catalogue);
}

/** Every attack kind, in catalogue order. */
export const MISBEHAVIOURS: readonly Misbehaviour[] = await loadCatalogue();

export function misbehaviourOf(kind: string): Misbehaviour | undefined {
  return MISBEHAVIOURS.find((m) => m.kind === kind);
}
