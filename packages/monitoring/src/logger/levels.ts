import type { LogLevel } from './types.js';

/** winston's npm levels: a lower number is more severe. */
export const LEVEL_SEVERITY: Readonly<Record<LogLevel, number>> = {
  error: 0,
  warn: 1,
  info: 2,
  http: 3,
  verbose: 4,
  debug: 5,
  silly: 6,
};

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(LEVEL_SEVERITY, value);
}
