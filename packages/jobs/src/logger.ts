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

/** Adapts a Mentora Logger to the logger Inngest accepts (client `logger` option). */
export function toInngestLogger(logger: Logger): InngestLogger {
  const forward =
    (level: Level) =>
    (...args: unknown[]): void => {
      const { message, fields } = toLine(args);
      logger[level](message, fields);
    };
  return { info: forward('info'), warn: forward('warn'), error: forward('error'), debug: forward('debug') };
}
