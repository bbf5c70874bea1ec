/** winston's npm levels, most severe first. */
export type LogLevel = 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';

/** Structured fields of one log line. Errors anywhere in them are serialized with stack and causes. */
export type LogFields = Record<string, unknown>;

/**
 * The one logger contract every Mentora package accepts. A winston logger fits it as is, and so does
 * every logger `createLogger` returns. Messages are constant strings; what varies goes in `fields`.
 */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  /** A logger whose every line carries `fields`; the child's own fields win over its parent's. */
  child(fields: LogFields): Logger;
}

/** What `createLogger` returns: the contract plus the seeds' helpers and an awaitable flush/close. */
export interface MentoraLogger extends Logger {
  readonly level: LogLevel;
  http(message: string, fields?: LogFields): void;
  verbose(message: string, fields?: LogFields): void;
  child(fields: LogFields): MentoraLogger;
  isLevelEnabled(level: LogLevel): boolean;
  /** `info`, under the name the seeds use. Bound: `const { logInfo } = logger` works. */
  logInfo(message: string, fields?: LogFields): void;
  /** An error line with `error` serialized (stack, cause chain, MentoraError code/status/context). */
  logError(message: string, error?: unknown, fields?: LogFields): void;
  /** A timing line: warn over 5 s, info over 1 s, debug otherwise. */
  logPerformance(operation: string, durationMs: number, fields?: LogFields): void;
  /** Resolves once every line written so far has reached its destination. */
  flush(): Promise<void>;
  /** Flushes, then ends the destinations this logger opened (never one it was given). Idempotent. */
  close(): Promise<void>;
}
