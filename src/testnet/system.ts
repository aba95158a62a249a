/**
 * Runs the system tools a namespace testnet needs (iproute2's `ip` and `tc`, nftables' `nft`) and
 * turns their failures into one-line typed errors naming the command.
 */
import { spawn } from 'node:child_process';

/** A system command failed; the message names it and quotes its stderr. */
export class SystemCommandError extends Error {
  override readonly name = 'SystemCommandError';
}

/** The testnet cannot run here (no root rights, a missing tool); the message says what to do. */
export class TestnetPrerequisiteError extends Error {
  override readonly name = 'TestnetPrerequisiteError';
}

/** Runs `command args`, feeding `input` on stdin; resolves with stdout, rejects with SystemCommandError. */
export function run(command: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const hint = err.code === 'ENOENT' ? ` (${command} is not installed)` : '';
      reject(new SystemCommandError(`${command}: ${err.message}${hint}`));
    });
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else {
        const detail = stderr.trim().split('\n').slice(0, 3).join(' | ');
        reject(new SystemCommandError(`${command} ${args.join(' ')} failed (exit ${code}): ${detail}`));
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** Checks root rights and the tools; throws TestnetPrerequisiteError with one line on the first gap. */
export async function checkPrerequisites(): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new TestnetPrerequisiteError(
      'the namespace testnet needs root rights (network namespaces, veths, nftables): run it as root or with sudo',
    );
  }
  for (const [tool, args, pkg] of [
    ['ip', ['-V'], 'iproute2'],
    ['tc', ['-V'], 'iproute2'],
    ['nft', ['--version'], 'nftables'],
  ] as const) {
    try {
      await run(tool, args);
    } catch {
      throw new TestnetPrerequisiteError(`the namespace testnet needs '${tool}': install ${pkg}`);
    }
  }
}
