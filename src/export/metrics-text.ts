/** Reading one value out of Prometheus's text exposition format. */

/**
 * The value of metric `name` (with a label set containing `label`, e.g. `state="healthy"`, when
 * given; otherwise the first sample of that name); undefined when absent.
 */
export function parseMetric(text: string, name: string, label?: string): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match === null || match[1] !== name) continue;
    if (label !== undefined && !(match[2] ?? '').includes(label)) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) return value;
  }
  return undefined;
}
