/**
 * The manifest on disk (`<dataRoot>/devnet-manifest.json`, format in manifest.ts) and the one
 * process fact the liveness rule needs (is a pid alive).
 *
 * Writes are atomic: the JSON goes to a temporary file in the same directory, then `rename`
 * replaces the manifest in one step, so a reader (the CLI, at any moment) sees the previous
 * version or the new one, never half a file. Writes are synchronous: the file is small, and the
 * launcher's successive states (starting, running, stopped) then land in order.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from '../node/devnet-definitions.js';
import { type DevnetManifest, MANIFEST_FILE_NAME, ManifestError, parseManifest } from './manifest.js';

export function manifestPathOf(dataRoot: string): string {
  return join(dataRoot, MANIFEST_FILE_NAME);
}

/** The manifest in `dataRoot`, or null when there is none; `ManifestError` when it is unreadable. */
export function readManifest(dataRoot: string): DevnetManifest | null {
  const path = manifestPathOf(dataRoot);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new ManifestError(`${displayPath(path)}: cannot read (${code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ManifestError(`${displayPath(path)}: not valid JSON`);
  }
  return parseManifest(json, displayPath(path));
}

/** Replaces the manifest in `dataRoot` atomically (temporary file, then rename). */
export function writeManifest(dataRoot: string, manifest: DevnetManifest): void {
  const path = manifestPathOf(dataRoot);
  const temporary = `${path}.${process.pid}.tmp`;
  mkdirSync(dataRoot, { recursive: true });
  try {
    writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(temporary, path);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
}

/** Whether a process with this pid exists (EPERM: it exists, owned by another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
