import '../polyfill.js';
/**
 * Entry point of the trustmesh console: `npx tsx src/cli/repl.ts <node> [--json]`
 * (`npm run repl -- ...`). See console.ts.
 */
import { runConsole } from './console.js';

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});
process.exitCode = await runConsole(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
