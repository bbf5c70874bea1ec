import { ServiceUnavailableError } from '@mentora/errors';
import type { CacheContext } from '../context.js';
import type { Flight } from '../flights.js';

/**
 * Waits for a compute, at most `timeoutMs`. On timeout the flight is superseded (its late value is never
 * stored, later callers compute afresh) and its callers get a retryable typed error.
 */
export function boundedCompute<T>(
  cx: CacheContext,
  f: Flight<T>,
  pending: T | Promise<T>,
  timeoutMs: number,
): T | Promise<T> {
  // Any thenable (a query builder is one), not only a Promise.
  if (typeof (pending as { then?: unknown } | null)?.then !== 'function') return pending;
  if (timeoutMs === Number.POSITIVE_INFINITY) return pending;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      f.superseded = true;
      cx.flights.end(f);
      cx.counters.errors++;
      cx.logger.warn('Cache compute timed out; the key is free for a fresh compute', {
        namespace: cx.namespace,
        key: f.key,
        timeoutMs,
      });
      reject(
        new ServiceUnavailableError(`Cache compute for ${f.key} did not settle in ${timeoutMs} ms`, {
          code: 'CACHE_COMPUTE_TIMEOUT',
          context: { namespace: cx.namespace, key: f.key, timeoutMs },
        }),
      );
    }, timeoutMs);
    timer.unref?.();
  });
  return Promise.race([Promise.resolve(pending), timeout]).finally(() => clearTimeout(timer));
}
