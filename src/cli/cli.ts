import '../polyfill.js';
/**
 * Entry point of `trustmesh-cli`: `npx tsx src/cli/cli.ts <node> <command> [args] [--json]`
 * (`npm run cli -- ...`). See program.ts.
 */
import { runCli } from './program.js';

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
