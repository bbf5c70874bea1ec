// Inngest logs through a `{ info, warn, error, debug }(...args)` logger and calls it both ways:
// `(message, fields)` from handlers and `(fields, message)` (pino style) from its internals.

import type { LogFields, Logger } from '@mentora/monitoring';
import type { Logger as InngestLogger } from 'inngest';

type Level = 'info' | 'warn' | 'error' | 'debug';

function toLine(args: unknown[]): { message: string; fields?: LogFields } {
  const [first, second, ...rest] = args;
  const fieldsOf = (value: unknown): LogFields | undefined => {
    if (value instanceof Error) return { error: value };
    return typeof value === 'object' && value !== null ? (value as LogFields) : undefined;
  };
  if (typeof first === 'string') {
    const fields = fieldsOf(second);
    const extra = rest.length > 0 ? { args: rest } : undefined;
    if (fields || extra) return { message: first, fields: { ...fields, ...extra } };
    return second === undefined ? { message: first } : { message: first, fields: { arg: second } };
  }
  const fields = fieldsOf(first);
  const message =
    typeof second === 'string' ? second : fields?.error instanceof Error ? 'inngest error' : 'inngest';
  return fields ? { message, fields } : { message, fields: { arg: first } };
}

// The SDK reports every failed step and function attempt at error level; the run hooks log the same
// failures with their code, attempt and whether a retry follows, so these repeat lines are kept for debug.
const REPEATED_BY_RUN_HOOKS = new Set(['Inngest step error', 'Inngest function error']);

/**
 * Adapts a Mentora Logger to the logger Inngest accepts (the client's `logger` and `internalLogger`
 * options). With `internal: true`, the SDK's own per-attempt failure lines go to debug.
 */
export function toInngestLogger(logger: Logger, options: { internal?: boolean } = {}): InngestLogger {
  const forward =
    (level: Level) =>
    (...args: unknown[]): void => {
      const { message, fields } = toLine(args);
      if (options.internal && level === 'error' && REPEATED_BY_RUN_HOOKS.has(message))
        logger.debug(message, fields);
      else logger[level](message, fields);
    };
  return { info: forward('info'), warn: forward('warn'), error: forward('error'), debug: forward('debug') };
}
