import { pino, type Logger } from 'pino';

/** Paths that must never reach a log line. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'eslPassword',
  '*.eslPassword',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'DATABASE_URL',
  '*.DATABASE_URL',
];

/**
 * JSON logger for a service. Lines about a call carry `uuid` via `logger.child({ uuid })`.
 *
 * @example
 * const log = createLogger('engine'); log.child({ uuid }).info('answered');
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
export type { Logger };

/** Strips credentials from a URL before it is logged or shown. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
