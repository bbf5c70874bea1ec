// Inngest's built-in logger middleware reports every failed step and function attempt at error level
// through the client's `logger`. The run hooks
// log the same failures with their code, attempt and whether a retry follows, so those repeat lines go to
// debug; everything else passes through unchanged to monitoring's Inngest adapter.
import type { LogFields, Logger } from '@mentora/monitoring';

const REPEATED_BY_RUN_HOOKS = new Set(['Inngest step error', 'Inngest function error']);

type Flushable = Logger & { flush?: () => Promise<void> };

/** A Logger that writes the SDK's per-attempt failure lines at debug instead of error. */
export function demoteRepeatedFailures(logger: Flushable): Flushable {
  return {
    // Inngest flushes its logger after each request; the flush of the root logger covers every child.
    flush: async () => {
      if (typeof logger.flush === 'function') await logger.flush();
    },
    error(message: string, fields?: LogFields) {
      if (REPEATED_BY_RUN_HOOKS.has(message)) logger.debug(message, fields);
      else logger.error(message, fields);
    },
    warn: (message, fields) => logger.warn(message, fields),
    info: (message, fields) => logger.info(message, fields),
    debug: (message, fields) => logger.debug(message, fields),
    child: (fields) => demoteRepeatedFailures(logger.child(fields)),
  };
}
