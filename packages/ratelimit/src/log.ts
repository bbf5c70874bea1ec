import type { RateLimitLogger } from './types.ts';

const silent: RateLimitLogger = { warn() {}, error() {} };

export function orSilent(logger: RateLimitLogger | undefined): RateLimitLogger {
  return logger ?? silent;
}

/**
 * Logs a recurring condition (store down, flags failing) at most once per interval per topic, with the
 * number of occurrences suppressed in between: an outage under load must not turn into a log flood.
 */
export function createThrottledLog(logger: RateLimitLogger, intervalMs = 10_000) {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (
    level: 'warn' | 'error',
    topic: string,
    message: string,
    context: Record<string, unknown> = {},
  ): void => {
    const now = Date.now();
    const seen = last.get(topic);
    if (seen !== undefined && now - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    last.set(topic, { at: now, suppressed: 0 });
    logger[level](message, suppressed > 0 ? { ...context, suppressed } : context);
  };
}

/** Plain-data view of an error for a log context (the logger may not serialise Error objects). */
export function errorInfo(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { message: String(error) };
}
