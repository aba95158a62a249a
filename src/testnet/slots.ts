/**
 * Slot ownership and stale cleanup. A running launcher owns its slot through a lock file holding
 * its pid (`<tmpdir>/trustmesh-testnet/slot-<s>.pid`, created exclusively). At every start, each
 * slot whose owner is gone (no lock file, or a dead pid) loses whatever a crashed launcher left
 * behind: the processes inside its namespaces (started by that launcher), the namespaces, the veths
 * and the bridge. Only names starting with `tmnet<s>-` are ever touched.
 */
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SLOTS, slotOfName } from './addressing.js';
import { run, TestnetPrerequisiteError } from './system.js';

const LOCK_DIR = join(tmpdir(), 'trustmesh-testnet');

const lockPath = (slot: number): string => join(LOCK_DIR, `slot-${slot}.pid`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerOf(slot: number): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(lockPath(slot), 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Testnet namespaces and links that exist now, by slot. */
async function leftovers(): Promise<Map<number, { namespaces: string[]; links: string[] }>> {
  const found = new Map<number, { namespaces: string[]; links: string[] }>();
  const entry = (slot: number) => {
    let value = found.get(slot);
    if (value === undefined) {
      value = { namespaces: [], links: [] };
      found.set(slot, value);
    }
    return value;
  };
  for (const line of (await run('ip', ['netns', 'list'])).split('\n')) {
    const name = line.trim().split(/\s+/)[0] ?? '';
    const slot = slotOfName(name);
    if (slot !== undefined) entry(slot).namespaces.push(name);
  }
  for (const line of (await run('ip', ['-o', 'link', 'show'])).split('\n')) {
    const name = /^\d+:\s+([^:@\s]+)/.exec(line)?.[1] ?? '';
    const slot = slotOfName(name);
    if (slot !== undefined) entry(slot).links.push(name);
  }
  return found;
}

/** Removes a slot's namespaces (killing the processes in them), veths and bridge. */
export async function removeSlotResources(
  namespaces: readonly string[],
  links: readonly string[],
): Promise<void> {
  for (const ns of namespaces) {
    const pids = await run('ip', ['netns', 'pids', ns]).catch(() => '');
    for (const pid of pids.split(/\s+/).filter((p) => /^\d+$/.test(p))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await run('ip', ['netns', 'delete', ns]).catch(() => undefined);
  }
  // Deleting a namespace deletes its veth ends; delete what is left (bridges, orphan veths).
  const existing = new Set(
    (await run('ip', ['-o', 'link', 'show']))
      .split('\n')
      .map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1] ?? ''),
  );
  for (const link of links) {
    if (existing.has(link)) await run('ip', ['link', 'delete', link]).catch(() => undefined);
  }
}

/** Cleans every slot no live launcher owns; returns how many namespaces were removed. */
export async function cleanStale(): Promise<number> {
  let removed = 0;
  for (const [slot, { namespaces, links }] of await leftovers()) {
    if ((await ownerOf(slot)) !== undefined) continue;
    await removeSlotResources(namespaces, links);
    removed += namespaces.length;
  }
  return removed;
}

/** Claims a free slot for this process; throws when all are owned by running launchers. */
export async function acquireSlot(): Promise<number> {
  await mkdir(LOCK_DIR, { recursive: true });
  for (let slot = 0; slot < SLOTS; slot++) {
    if ((await ownerOf(slot)) !== undefined) continue;
    await unlink(lockPath(slot)).catch(() => undefined);
    try {
      await writeFile(lockPath(slot), String(process.pid), { flag: 'wx' });
      return slot;
    } catch {
      // another launcher took it just now: try the next
    }
  }
  throw new TestnetPrerequisiteError(`all ${SLOTS} testnet slots are in use by running launchers`);
}

/** Gives the slot up (after its resources were removed). */
export async function releaseSlot(slot: number): Promise<void> {
  await unlink(lockPath(slot)).catch(() => undefined);
}
