/**
 * Structured logging: NDJSON (pino) to `<dataDir>/node.log`, and optionally to stdout, where the
 * devnet launcher reads it. Components log through child loggers (`logger.child({ component })`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  name: string;
  dataDir?: string;
  level?: string;
  /** Also write NDJSON to stdout (the devnet launcher reads and pretty-prints it). */
  stdout?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? process.env.TRUSTMESH_LOG_LEVEL ?? 'info';
  const streams: pino.StreamEntry[] = [];
  if (options.dataDir !== undefined) {
    mkdirSync(options.dataDir, { recursive: true });
    streams.push({
      level: level as pino.Level,
      stream: pino.destination({ dest: join(options.dataDir, 'node.log'), sync: false, mkdir: true }),
    });
  }
  if (options.stdout === true)
    streams.push({ level: level as pino.Level, stream: pino.destination({ dest: 1, sync: false }) });
  if (streams.length === 0) return pino({ level: 'silent' });
  return pino({ level, base: { node: options.name } }, pino.multistream(streams));
}
