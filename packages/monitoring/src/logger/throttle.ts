import type { LogFields, Logger } from './types.js';

/**
 * Logs a recurring condition (a dependency down, a provider failing) at most once per interval per topic.
 * The next line that gets through carries `suppressed`: how many were held back since the previous one.
 */
export type LogThrottle = (
  level: 'error' | 'warn' | 'info' | 'debug',
  topic: string,
  message: string,
  fields?: LogFields,
) => void;

/** An outage under load must not become a log flood: one line per topic per `intervalMs` (default 10 s). */
export function createLogThrottle(
  logger: Logger,
  intervalMs = 10_000,
  now: () => number = Date.now,
): LogThrottle {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (level, topic, message, fields) => {
    const t = now();
    const seen = last.get(topic);
    if (seen !== undefined && t - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    last.set(topic, { at: t, suppressed: 0 });
    logger[level](message, suppressed > 0 ? { ...fields, suppressed } : fields);
  };
}
