import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger };

/** Paths redacted in every log line: secrets never appear in logs (DESIGN.md §6). */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'routing_key',
  '*.routing_key',
  'api_key',
  '*.api_key',
  'auth_password',
  '*.auth_password',
];

/**
 * The root logger; create one per process and pass it in. Components take `log.child({component})`.
 */
export function createLogger(
  opts: { level?: string; name?: string } = {},
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    name: opts.name ?? 'vigil',
    level: opts.level ?? process.env.VIGIL_LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '<secret>' },
    base: { pid: process.pid },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that writes nothing, for tests and pure commands. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
