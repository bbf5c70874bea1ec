import type { LogFields, Logger } from './logger/types.js';

/**
 * What Inngest's `logger` (and `internalLogger`) client option accepts: `info`, `warn`, `error` and
 * `debug` taking any arguments. `child` and `flush` are optional there and used when present: Inngest
 * makes a child per function run (with the run id) and flushes after each run. Declared here, so this
 * package does not depend on `inngest`.
 */
export interface InngestLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  child(metadata: Record<string, unknown>): InngestLogger;
  flush(): Promise<void>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error);
}

/** pino's error key (`err`) becomes ours (`error`), so errors are serialized with stack and cause chain. */
function fieldsOf(record: Record<string, unknown>): LogFields {
  if (!('err' in record)) return record;
  const { err, ...rest } = record;
  return { ...rest, error: err };
}

function withRest(fields: LogFields | undefined, rest: unknown[]): LogFields | undefined {
  if (rest.length === 0) return fields;
  return { ...fields, args: rest };
}

/**
 * Turns one Inngest call into (message, fields): pino style `(fields, message, ...rest)` — how Inngest
 * logs its own events — winston style `(message, fields)`, a lone error, or anything else.
 */
export function inngestArgs(args: readonly unknown[]): [string, LogFields | undefined] {
  const [first, second, ...rest] = args;
  if (typeof first === 'string') {
    if (args.length === 1) return [first, undefined];
    if (args.length === 2 && second instanceof Error) return [first, { error: second }];
    if (args.length === 2 && isRecord(second)) return [first, fieldsOf(second)];
    return [first, { args: args.slice(1) }];
  }
  if (first instanceof Error) return [first.message, withRest({ error: first }, args.slice(1))];
  if (isRecord(first)) {
    if (typeof second === 'string') return [second, withRest(fieldsOf(first), rest)];
    const message =
      typeof first.msg === 'string' ? first.msg : typeof first.message === 'string' ? first.message : '';
    return [message, withRest(fieldsOf(first), args.slice(1))];
  }
  return [args.length === 0 ? '' : String(first), withRest(undefined, args.slice(1))];
}

/**
 * Adapts a Mentora `Logger` to Inngest's `logger` option:
 *
 *   new Inngest({ id: 'mentora', logger: toInngestLogger(logger) })
 *
 * Inngest's child metadata `runID` is written as `jobRunId` (the field the request context uses for
 * job runs), so a run's lines are found by the same field whichever package wrote them.
 */
export function toInngestLogger(logger: Logger & { flush?: () => Promise<void> }): InngestLogger {
  const flush = async () => {
    if (typeof logger.flush === 'function') await logger.flush();
  };
  return wrap(logger, flush);
}

function wrap(logger: Logger, flush: () => Promise<void>): InngestLogger {
  return {
    info: (...args) => logger.info(...inngestArgs(args)),
    warn: (...args) => logger.warn(...inngestArgs(args)),
    error: (...args) => logger.error(...inngestArgs(args)),
    debug: (...args) => logger.debug(...inngestArgs(args)),
    child(metadata) {
      const { runID, ...rest } = metadata ?? {};
      return wrap(logger.child(runID === undefined ? rest : { ...rest, jobRunId: runID }), flush);
    },
    flush,
  };
}
