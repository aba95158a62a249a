/**
 * `npm run export -- k8s|compose --nodes N [--attackers kind=count] [--out DIR] ...`: writes the
 * manifests of a trustmesh network for Kubernetes or compose (src/export/write.ts; docs/kubernetes.md).
 */
import '../src/polyfill.js';
import { ExportUsageError } from '../src/export/plan.js';
import { parseExportArgs, writeExport } from '../src/export/write.js';

try {
  const { target, out, options } = parseExportArgs(process.argv.slice(2));
  const written = await writeExport(target, out, options);
  const attackers = options.attackers.reduce((sum, a) => sum + a.count, 0);
  process.stdout.write(
    `wrote ${target} export of ${options.nodes} nodes${attackers > 0 ? ` and ${attackers} attacker${attackers === 1 ? '' : 's'}` : ''}: ${written[0]}` +
      `${written.length > 1 ? ` (+${written.length - 1} key files)` : ''}\n`,
  );
} catch (err) {
  if (!(err instanceof ExportUsageError)) throw err;
  process.stderr.write(`export: ${err.message}\n`);
  process.exit(2);
}
